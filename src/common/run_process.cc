#include "common/run_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "common/error.h"
#include "common/fd.h"

extern char** environ;

namespace fwbench {
namespace {

struct Pipe {
  Fd read, write;
};

Pipe MakePipe() {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) throw Error(std::string("pipe: ") + std::strerror(errno));
  return Pipe{Fd(fds[0]), Fd(fds[1])};
}

// Reads both pipes to their end without letting either fill up.
void Drain(Fd& out_fd, Fd& err_fd, std::string& out, std::string& err) {
  char buffer[8192];
  while (out_fd.get() >= 0 || err_fd.get() >= 0) {
    pollfd fds[2] = {{out_fd.get(), POLLIN, 0}, {err_fd.get(), POLLIN, 0}};
    if (::poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      throw Error(std::string("poll: ") + std::strerror(errno));
    }
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      ssize_t n = ::read(fds[i].fd, buffer, sizeof buffer);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        (i == 0 ? out_fd : err_fd).Reset();
      } else {
        (i == 0 ? out : err).append(buffer, static_cast<size_t>(n));
      }
    }
  }
}

int WaitExitCode(pid_t pid) {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) throw Error(std::string("waitpid: ") + std::strerror(errno));
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

}  // namespace

ProcessResult RunProcess(const std::vector<std::string>& argv, const ProcessOptions& options) {
  if (argv.empty()) throw Error("RunProcess: empty argv");
  Pipe out = MakePipe(), err = MakePipe();
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, out.write.get(), STDOUT_FILENO);
  if (options.stderr_path.empty()) {
    posix_spawn_file_actions_adddup2(&actions, err.write.get(), STDERR_FILENO);
  } else {
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, options.stderr_path.c_str(),
                                     O_WRONLY | O_CREAT | O_APPEND, 0644);
  }
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  std::vector<char*> args;
  for (const auto& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  // The child starts with no blocked signal and the default SIGINT/SIGTERM/SIGPIPE actions,
  // whatever this process blocks or ignores (cli::StopOnSignal blocks; main ignores SIGPIPE).
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t none, defaults;
  sigemptyset(&none);
  sigemptyset(&defaults);
  for (int sig : {SIGINT, SIGTERM, SIGPIPE}) sigaddset(&defaults, sig);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setsigdefault(&attr, &defaults);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  pid_t pid = -1;
  int rc = posix_spawnp(&pid, argv[0].c_str(), &actions, &attr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  if (rc != 0) {
    throw Error("cannot start " + argv[0] + ": " + std::strerror(rc), argv[0],
                "run scripts/setup to create the venv and the apps");
  }
  out.write.Reset();
  err.write.Reset();
  if (!options.stderr_path.empty()) err.read.Reset();
  ProcessResult result;
  Drain(out.read, err.read, result.out, result.err);
  result.exit_code = WaitExitCode(pid);
  return result;
}

std::string RunProcessOrThrow(const std::vector<std::string>& argv, const std::string& what,
                              const std::string& fix) {
  ProcessResult result = RunProcess(argv);
  if (result.exit_code == 0) return result.out;
  std::string tail =
      result.err.size() > 800 ? "..." + result.err.substr(result.err.size() - 800) : result.err;
  while (!tail.empty() && (tail.back() == '\n' || tail.back() == ' ')) tail.pop_back();
  std::string command;
  for (const auto& arg : argv) command += (command.empty() ? "" : " ") + arg;
  throw Error(what + " failed with exit code " + std::to_string(result.exit_code) +
                  (tail.empty() ? "" : ":\n" + tail),
              command, fix);
}

}  // namespace fwbench
