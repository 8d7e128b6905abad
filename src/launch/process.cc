#include "launch/process.h"

#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <thread>
#include <utility>

#include "common/error.h"

namespace fwbench::launch {
namespace {

using Clock = std::chrono::steady_clock;

std::string Resolve(const std::string& program, const std::vector<std::string>& env) {
  if (program.find('/') != std::string::npos) return program;
  std::string path = "/usr/local/bin:/usr/bin:/bin";
  for (const auto& kv : env)
    if (kv.rfind("PATH=", 0) == 0) path = kv.substr(5);
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find(':', start);
    if (end == std::string::npos) end = path.size();
    std::string candidate = path.substr(start, end - start) + "/" + program;
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
    start = end + 1;
  }
  return program;
}

std::vector<char*> CStrings(std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (auto& s : strings) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

// Runs in the forked child: only async-signal-safe calls until exec.
[[noreturn]] void ExecChild(pid_t parent, int log_fd, int error_fd, const char* cwd,
                            const cpu_set_t* cpus, const char* path, char** argv, char** envp) {
  ::setpgid(0, 0);
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (::getppid() != parent) ::_exit(127);
  sigset_t none;
  sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
  for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE}) ::signal(sig, SIG_DFL);
  if (cpus) ::sched_setaffinity(0, sizeof(cpu_set_t), cpus);
  int null_fd = ::open("/dev/null", O_RDWR);
  ::dup2(null_fd, 0);
  ::dup2(log_fd >= 0 ? log_fd : null_fd, 1);
  ::dup2(log_fd >= 0 ? log_fd : null_fd, 2);
  ::dup2(error_fd, 3);
  ::fcntl(3, F_SETFD, FD_CLOEXEC);
  ::close_range(4, ~0U, 0);
  if (cwd && ::chdir(cwd) != 0) {
    int err = errno;
    ::write(3, &err, sizeof err);
    ::_exit(127);
  }
  ::execve(path, argv, envp);
  int err = errno;
  ::write(3, &err, sizeof err);
  ::_exit(127);
}

// The watchdog: blocks on a pipe that only fwbench holds open; EOF means fwbench is gone (or
// released it), and the server's whole group is SIGKILLed.
[[noreturn]] void WatchdogChild(int read_fd, pid_t group) {
  for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGTSTP}) ::signal(sig, SIG_IGN);
  ::dup2(read_fd, 0);
  ::close_range(1, ~0U, 0);
  char byte;
  while (::read(0, &byte, 1) != 0) {
    if (errno != EINTR) break;
  }
  ::kill(-group, SIGKILL);
  ::_exit(0);
}

}  // namespace

Process Process::Spawn(const SpawnOptions& options) {
  if (options.argv.empty()) throw Error("empty command", "launch", "give the server a command");
  std::vector<std::string> argv = options.argv, env = options.env;
  std::string path = Resolve(argv[0], env);
  std::vector<char*> c_argv = CStrings(argv), c_env = CStrings(env);
  std::string cwd = options.cwd.string();
  cpu_set_t cpus;
  CPU_ZERO(&cpus);
  for (int cpu : options.cpus) CPU_SET(cpu, &cpus);

  int log_fd = -1;
  if (!options.log_path.empty()) {
    log_fd = ::open(options.log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (log_fd < 0)
      throw Error("cannot open log file: " + std::string(std::strerror(errno)),
                  options.log_path.string(), "check the results folder is writable");
  }
  int error_pipe[2], watch_pipe[2];
  if (::pipe2(error_pipe, O_CLOEXEC) != 0 || ::pipe2(watch_pipe, O_CLOEXEC) != 0)
    throw Error("pipe failed: " + std::string(std::strerror(errno)), "launch");

  Process process;
  pid_t parent = ::getpid();
  process.started_ = Clock::now();
  pid_t pid = ::fork();
  if (pid == 0)
    ExecChild(parent, log_fd, error_pipe[1], cwd.empty() ? nullptr : cwd.c_str(),
              options.cpus.empty() ? nullptr : &cpus, path.c_str(), c_argv.data(), c_env.data());
  int fork_errno = errno;
  if (log_fd >= 0) ::close(log_fd);
  ::close(error_pipe[1]);
  if (pid < 0) {
    ::close(error_pipe[0]);
    ::close(watch_pipe[0]);
    ::close(watch_pipe[1]);
    throw Error("fork failed: " + std::string(std::strerror(fork_errno)), argv[0]);
  }
  ::setpgid(pid, pid);  // also in the child: whichever runs first wins the race
  process.pid_ = pid;

  pid_t watchdog = ::fork();
  if (watchdog == 0) WatchdogChild(watch_pipe[0], pid);
  ::close(watch_pipe[0]);
  process.watchdog_pid_ = watchdog;
  process.watchdog_fd_ = watch_pipe[1];

  int exec_errno = 0;
  ssize_t n;
  do n = ::read(error_pipe[0], &exec_errno, sizeof exec_errno);
  while (n < 0 && errno == EINTR);
  ::close(error_pipe[0]);
  if (n > 0) {
    process.Stop(SIGKILL, 0);
    throw Error("cannot execute " + path + ": " + std::strerror(exec_errno),
                cwd.empty() ? "launch" : "cwd " + cwd,
                "check the server command template and that scripts/setup ran");
  }
  return process;
}

Process::Process(Process&& other) noexcept { *this = std::move(other); }

Process& Process::operator=(Process&& other) noexcept {
  if (this == &other) return *this;
  if (pid_ > 0) Stop(SIGKILL, 0);
  pid_ = std::exchange(other.pid_, -1);
  watchdog_pid_ = std::exchange(other.watchdog_pid_, -1);
  watchdog_fd_ = std::exchange(other.watchdog_fd_, -1);
  reaped_ = other.reaped_;
  wait_status_ = other.wait_status_;
  started_ = other.started_;
  return *this;
}

Process::~Process() {
  if (pid_ > 0) Stop(SIGKILL, 0);
}

bool Process::Running() {
  if (pid_ <= 0 || reaped_) return false;
  pid_t r = ::waitpid(pid_, &wait_status_, WNOHANG);
  if (r == pid_) reaped_ = true;
  return !reaped_;
}

std::string Process::ExitDescription() const {
  if (!reaped_) return "";
  if (WIFEXITED(wait_status_))
    return "exited with code " + std::to_string(WEXITSTATUS(wait_status_));
  if (WIFSIGNALED(wait_status_))
    return "killed by signal " + std::to_string(WTERMSIG(wait_status_)) + " (" +
           ::strsignal(WTERMSIG(wait_status_)) + ")";
  return "ended";
}

bool Process::Stop(int signal, double grace_s) {
  if (pid_ <= 0) return true;
  auto deadline = Clock::now() + std::chrono::duration<double>(grace_s);
  if (Running()) ::kill(-pid_, signal);
  while (Running() && Clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  // The leader is gone (or out of time); its workers share the group and follow it.
  while (!reaped_ || ::kill(-pid_, 0) == 0) {
    if (Clock::now() >= deadline) break;
    Running();
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  bool in_time = reaped_ && ::kill(-pid_, 0) != 0;
  ::kill(-pid_, SIGKILL);
  if (!reaped_ && ::waitpid(pid_, &wait_status_, 0) == pid_) reaped_ = true;
  ReleaseWatchdog();
  pid_ = -1;
  return in_time;
}

void Process::ReleaseWatchdog() {
  if (watchdog_fd_ >= 0) ::close(watchdog_fd_);
  watchdog_fd_ = -1;
  if (watchdog_pid_ > 0) ::waitpid(watchdog_pid_, nullptr, 0);
  watchdog_pid_ = -1;
}

}  // namespace fwbench::launch
