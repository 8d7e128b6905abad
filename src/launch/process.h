#pragma once
// A child process with RAII: its own process group, killed with the group when the owner
// goes out of scope, and never orphaned when fwbench itself dies (see Spawn).
#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

namespace fwbench::launch {

struct SpawnOptions {
  std::vector<std::string> argv;   // argv[0] without a '/' is looked up in env's PATH
  std::vector<std::string> env;    // the whole environment, "KEY=VALUE"
  std::filesystem::path cwd;       // empty: fwbench's own
  std::filesystem::path log_path;  // stdout and stderr are appended here; empty: /dev/null
  std::vector<int> cpus;           // CPU affinity of the child; empty: inherited
};

class Process {
 public:
  // Forks and execs. The child leads a new process group, gets PR_SET_PDEATHSIG(SIGKILL) and
  // its affinity before exec. A watchdog process holds a pipe to fwbench: when fwbench exits
  // for any reason (even SIGKILL) it SIGKILLs the whole group, grandchildren included.
  // Must be called from a thread that outlives the child (PDEATHSIG follows the forking
  // thread). Throws fwbench::Error when the program cannot be executed.
  static Process Spawn(const SpawnOptions& options);

  Process() = default;
  Process(Process&& other) noexcept;
  Process& operator=(Process&& other) noexcept;
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;
  ~Process();  // Stop(SIGKILL, 0) when still running

  pid_t pid() const { return pid_; }
  std::chrono::steady_clock::time_point started() const { return started_; }
  // True until the group leader has exited (reaps it without blocking).
  bool Running();
  // "exited with code 3" or "killed by signal 9"; empty while running.
  std::string ExitDescription() const;
  // Sends `signal` to the group, waits up to grace_s for the leader and then the rest of the
  // group to exit, then SIGKILLs what is left. Returns true when everything left in time.
  bool Stop(int signal, double grace_s);

 private:
  void ReleaseWatchdog();
  pid_t pid_ = -1;
  pid_t watchdog_pid_ = -1;
  int watchdog_fd_ = -1;
  bool reaped_ = false;
  int wait_status_ = 0;
  std::chrono::steady_clock::time_point started_{};
};

}  // namespace fwbench::launch
