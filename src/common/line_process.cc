#include "common/line_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <thread>

#include "common/error.h"

extern char** environ;

namespace fwbench {
namespace {

void MakePipe(Fd& read, Fd& write) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) throw Error(std::string("pipe: ") + std::strerror(errno));
  read.Reset(fds[0]);
  write.Reset(fds[1]);
}

// Whatever the child has written to stderr so far (the pipe is non-blocking).
std::string ReadAvailable(const Fd& fd) {
  std::string text;
  char buffer[4096];
  ssize_t n;
  while ((n = ::read(fd.get(), buffer, sizeof buffer)) > 0) text.append(buffer, n);
  return text;
}

}  // namespace

LineProcess::LineProcess(const std::vector<std::string>& argv) {
  if (argv.empty()) throw Error("LineProcess: empty argv");
  for (const auto& arg : argv) command_ += (command_.empty() ? "" : " ") + arg;
  Fd child_in, child_out, child_err;
  MakePipe(child_in, in_);
  MakePipe(out_, child_out);
  MakePipe(err_, child_err);
  ::fcntl(err_.get(), F_SETFL, O_NONBLOCK);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, child_in.get(), STDIN_FILENO);
  posix_spawn_file_actions_adddup2(&actions, child_out.get(), STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, child_err.get(), STDERR_FILENO);
  posix_spawnattr_t attr;  // as RunProcess: no blocked signal, default SIGINT/SIGTERM/SIGPIPE
  posix_spawnattr_init(&attr);
  sigset_t none, defaults;
  sigemptyset(&none);
  sigemptyset(&defaults);
  for (int sig : {SIGINT, SIGTERM, SIGPIPE}) sigaddset(&defaults, sig);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setsigdefault(&attr, &defaults);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  std::vector<char*> args;
  for (const auto& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  int rc = posix_spawnp(&pid_, argv[0].c_str(), &actions, &attr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  if (rc != 0) {
    pid_ = -1;
    throw Error("cannot start " + argv[0] + ": " + std::strerror(rc), argv[0],
                "run scripts/setup to create the venv and the apps");
  }
}

LineProcess::~LineProcess() {
  if (pid_ <= 0) return;
  in_.Reset();  // end of input: the helper's loop ends
  int status = 0;
  for (int i = 0; i < 250; ++i) {
    if (::waitpid(pid_, &status, WNOHANG) == pid_) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ::kill(pid_, SIGKILL);
  while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
}

std::string LineProcess::Failure(const std::string& what, bool exiting) {
  std::string err = ReadAvailable(err_);
  if (err.size() > 800) err = "..." + err.substr(err.size() - 800);
  while (!err.empty() && (err.back() == '\n' || err.back() == ' ')) err.pop_back();
  int status = 0;
  std::string exit;
  for (int i = 0; i < (exiting ? 50 : 1); ++i) {  // a helper that closed its output is ending
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      exit = WIFEXITED(status)
                 ? " (it exited with code " + std::to_string(WEXITSTATUS(status)) + ")"
                 : " (it was killed by signal " + std::to_string(WTERMSIG(status)) + ")";
      pid_ = -1;
      break;
    }
    if (exiting) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return what + exit + (err.empty() ? "" : ":\n" + err);
}

std::string LineProcess::Ask(const std::string& line, double timeout_s) {
  if (pid_ <= 0) throw Error("the helper has already exited", command_);
  std::string text = line + "\n";
  for (size_t done = 0; done < text.size();) {
    ssize_t n = ::write(in_.get(), text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) throw Error(Failure("the helper stopped reading its input", true), command_);
    done += static_cast<size_t>(n);
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(timeout_s);
  char chunk[8192];
  for (size_t end; (end = buffer_.find('\n')) == std::string::npos;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {  // a late answer would pair with the next question: stop it
      char seconds[32];
      std::snprintf(seconds, sizeof seconds, "%g s", timeout_s);
      std::string what = Failure(std::string("no answer within ") + seconds);
      ::kill(pid_, SIGKILL);
      while (::waitpid(pid_, nullptr, 0) < 0 && errno == EINTR) {
      }
      pid_ = -1;
      throw Error(what + "; the helper was stopped", command_,
                  "check that what it reads (the database) is up");
    }
    pollfd fd{out_.get(), POLLIN, 0};
    int ready = ::poll(&fd, 1, static_cast<int>(left.count()));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) continue;
    ssize_t n = ::read(out_.get(), chunk, sizeof chunk);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0)
      throw Error(Failure("the helper closed its output before answering", true), command_);
    buffer_.append(chunk, static_cast<size_t>(n));
  }
  const size_t end = buffer_.find('\n');
  std::string answer = buffer_.substr(0, end);
  buffer_.erase(0, end + 1);
  return answer;
}

}  // namespace fwbench
