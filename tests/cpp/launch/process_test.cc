#include "launch/process.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include "common/error.h"
#include "launch/cpu_list.h"
#include "launch/proc_tree.h"

namespace fwbench::launch {
namespace {

// True once no process is left in group `pgid`, polling up to `limit_s` (a bound, not a
// measurement: the test fails only when processes survive it).
bool GroupGone(pid_t pgid, double limit_s) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(limit_s);
  while (std::chrono::steady_clock::now() < deadline) {
    if (::kill(-pgid, 0) != 0 && errno == ESRCH) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

SpawnOptions Shell(const std::string& script) {
  SpawnOptions options;
  options.argv = {"/bin/sh", "-c", script};
  options.env = {"PATH=/usr/bin:/bin"};
  return options;
}

TEST(Process, RunsInItsOwnGroupAndReportsExit) {
  Process p = Process::Spawn(Shell("exit 3"));
  EXPECT_EQ(::getpgid(p.pid()), p.pid());
  while (p.Running()) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  EXPECT_EQ(p.ExitDescription(), "exited with code 3");
}

TEST(Process, MissingProgramThrowsWithTheName) {
  SpawnOptions options;
  options.argv = {"/nonexistent/server-binary"};
  try {
    Process::Spawn(options);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent/server-binary"), std::string::npos);
  }
}

TEST(Process, StopKillsGrandchildrenThatIgnoreTheSignal) {
  // The child ignores SIGTERM and leaves a grandchild: the group SIGKILL after the grace
  // period must take both.
  Process p = Process::Spawn(Shell("trap '' TERM; sleep 60 & wait"));
  pid_t group = p.pid();
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_FALSE(p.Stop(SIGTERM, 0.3));
  EXPECT_TRUE(GroupGone(group, 5));
}

TEST(Process, LogKeepsStdoutAndStderr) {
  auto log = std::filesystem::temp_directory_path() / ("fwbench-log-" + std::to_string(getpid()));
  std::filesystem::remove(log);
  SpawnOptions options = Shell("echo out; echo err >&2");
  options.log_path = log;
  Process p = Process::Spawn(options);
  while (p.Running()) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  std::ifstream in(log);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(text, "out\nerr\n");
  std::filesystem::remove(log);
}

TEST(Process, OwnerKilledWithSigkillLeavesNoServerBehind) {
  // A middle process spawns a "server" whose worker would outlive its master, then the middle
  // process is SIGKILLed, as fwbench could be. PDEATHSIG takes the master, the watchdog the
  // worker.
  int pipe_fds[2];
  ASSERT_EQ(::pipe(pipe_fds), 0);
  pid_t owner = ::fork();
  if (owner == 0) {
    ::close(pipe_fds[0]);
    Process p = Process::Spawn(Shell("(trap '' TERM HUP; sleep 60) & sleep 60"));
    pid_t pid = p.pid();
    ::write(pipe_fds[1], &pid, sizeof pid);
    ::pause();
    ::_exit(0);
  }
  ::close(pipe_fds[1]);
  pid_t server = 0;
  ASSERT_EQ(::read(pipe_fds[0], &server, sizeof server), static_cast<ssize_t>(sizeof server));
  ::close(pipe_fds[0]);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  ASSERT_EQ(::kill(-server, 0), 0) << "the server group should be running";
  ::kill(owner, SIGKILL);
  ::waitpid(owner, nullptr, 0);
  EXPECT_TRUE(GroupGone(server, 10)) << "server group " << server << " survived its owner";
  if (::kill(-server, 0) == 0) ::kill(-server, SIGKILL);
}

TEST(Process, ChildGetsTheRequestedAffinity) {
  SpawnOptions options = Shell("grep Cpus_allowed_list /proc/self/status");
  auto log = std::filesystem::temp_directory_path() / ("fwbench-cpu-" + std::to_string(getpid()));
  std::filesystem::remove(log);
  options.log_path = log;
  options.cpus = {0};
  Process p = Process::Spawn(options);
  while (p.Running()) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  std::ifstream in(log);
  std::string line;
  std::getline(in, line);
  EXPECT_NE(line.find("\t0"), std::string::npos) << line;
  std::filesystem::remove(log);
}

TEST(CpuList, ParsesRangesAndRejectsUnknownCpus) {
  EXPECT_TRUE(ParseCpuList("", "x").empty());
  EXPECT_EQ(ParseCpuList("0", "x"), std::vector<int>{0});
  EXPECT_THROW(ParseCpuList("a-b", "pinning.server_cpus"), Error);
  EXPECT_THROW(ParseCpuList("4096", "pinning.server_cpus"), Error);
  try {
    ParseCpuList("1-0", "pinning.load_cpus");
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("pinning.load_cpus"), std::string::npos);
  }
}

}  // namespace
}  // namespace fwbench::launch
