#include "embed/prefork_server.h"

#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/wait.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>

#include "common/error.h"
#include "common/paths.h"
#include "embed/server_worker.h"
#include "net/event_loop.h"
#include "net/socket.h"

namespace fwbench::embed {
namespace {

using Clock = std::chrono::steady_clock;

struct WorkerSlot {
  pid_t pid = -1;
  Fd ready;  // read end of the readiness pipe while the worker starts
  bool is_ready = false;
};

std::string DescribeExit(int status) {
  if (WIFEXITED(status)) return "exit code " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status)) return std::string("signal ") + strsignal(WTERMSIG(status));
  return "status " + std::to_string(status);
}

class Master {
 public:
  Master(const ServeOptions& options, WorkerConfig config)
      : options_(options), config_(std::move(config)), slots_(options.workers) {}

  void Run() {
    listen_ = net::ListenTcp(net::Resolve(options_.host, options_.port));
    port_ = net::LocalPort(listen_.get());
    config_.server.port = port_;
    sigset_t set;
    sigemptyset(&set);
    for (int sig : {SIGTERM, SIGINT, SIGCHLD, SIGHUP}) sigaddset(&set, sig);
    sigprocmask(SIG_BLOCK, &set, nullptr);
    signals_.Reset(signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC));
    if (!signals_) throw Error("signalfd() failed", "fwbench serve");
    loop_.Add(signals_.get(), EPOLLIN, kSignalToken);
    for (size_t i = 0; i < slots_.size(); ++i) Spawn(i);
    while (!stopping_ || Alive() > 0) {
      for (const epoll_event& event : loop_.Wait(stopping_ ? 100000 : -1)) {
        if (event.data.u64 == kSignalToken) {
          OnSignals();
        } else {
          OnReady(static_cast<size_t>(event.data.u64));
        }
      }
      if (stopping_ && Clock::now() > kill_deadline_) KillAll(SIGKILL);
    }
    if (!failure_.empty()) throw Error(failure_, "fwbench serve", "see the worker's error above");
    std::fprintf(stderr, "fwbench serve: stopped, all workers exited\n");
  }

 private:
  static constexpr uint64_t kSignalToken = ~0ull;

  void Spawn(size_t index) {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) throw Error("pipe2() failed", "fwbench serve");
    std::fflush(nullptr);
    pid_t master = ::getpid();
    pid_t pid = ::fork();
    if (pid < 0) throw Error("fork() failed: " + std::string(std::strerror(errno)), "serve");
    if (pid == 0) {
      ::close(fds[0]);
      ::prctl(PR_SET_PDEATHSIG, SIGTERM);
      if (::getppid() != master) ::_exit(0);
      WorkerConfig config = config_;
      config.ready_fd = fds[1];
      ::_exit(RunWorker(listen_.get(), config));
    }
    ::close(fds[1]);
    WorkerSlot& slot = slots_[index];
    slot.pid = pid;
    slot.is_ready = false;
    slot.ready.Reset(fds[0]);
    loop_.Add(fds[0], EPOLLIN, index);
  }

  void OnReady(size_t index) {
    WorkerSlot& slot = slots_[index];
    char byte = 0;
    ssize_t n = ::read(slot.ready.get(), &byte, 1);
    loop_.Remove(slot.ready.get());
    slot.ready.Reset();
    if (n != 1) return;  // the worker died while starting: SIGCHLD reports it
    slot.is_ready = true;
    if (!announced_ && AllReady()) {
      announced_ = true;
      std::printf("listening on http://%s:%d\n", options_.host.c_str(), port_);
      std::fflush(stdout);
      std::fprintf(stderr, "fwbench serve: %zu workers, app %s, profile %s\n", slots_.size(),
                   (options_.app.name.empty() ? options_.app.wsgi : options_.app.name).c_str(),
                   options_.settings.profile.c_str());
    }
  }

  void OnSignals() {
    signalfd_siginfo info{};
    while (::read(signals_.get(), &info, sizeof info) == sizeof info) {
      if (info.ssi_signo == SIGCHLD) {
        Reap();
      } else if (!stopping_) {
        std::fprintf(stderr, "fwbench serve: %s, draining\n", strsignal(info.ssi_signo));
        Stop();
      }
    }
  }

  void Reap() {
    int status = 0;
    for (pid_t pid; (pid = ::waitpid(-1, &status, WNOHANG)) > 0;) {
      for (size_t i = 0; i < slots_.size(); ++i) {
        WorkerSlot& slot = slots_[i];
        if (slot.pid != pid) continue;
        slot.pid = -1;
        if (slot.ready) {
          loop_.Remove(slot.ready.get());
          slot.ready.Reset();
        }
        if (stopping_) break;
        if (!slot.is_ready) {
          failure_ = "a worker exited before it was ready (" + DescribeExit(status) + ")";
          Stop();
        } else {
          std::fprintf(stderr, "fwbench serve: worker %d died (%s); starting a new one\n", pid,
                       DescribeExit(status).c_str());
          Spawn(i);
        }
        break;
      }
    }
  }

  void Stop() {
    stopping_ = true;
    listen_.Reset();
    kill_deadline_ = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                        std::chrono::duration<double>(options_.graceful_timeout_s));
    KillAll(SIGTERM);
  }

  void KillAll(int sig) {
    for (const WorkerSlot& slot : slots_) {
      if (slot.pid > 0) ::kill(slot.pid, sig);
    }
  }

  size_t Alive() const {
    size_t alive = 0;
    for (const WorkerSlot& slot : slots_) alive += slot.pid > 0;
    return alive;
  }

  bool AllReady() const {
    for (const WorkerSlot& slot : slots_) {
      if (!slot.is_ready) return false;
    }
    return true;
  }

  const ServeOptions& options_;
  WorkerConfig config_;
  std::vector<WorkerSlot> slots_;
  net::EventLoop loop_;
  Fd signals_;
  Fd listen_;
  int port_ = 0;
  bool announced_ = false;
  bool stopping_ = false;
  std::string failure_;
  Clock::time_point kill_deadline_{};
};

}  // namespace

void Serve(const ServeOptions& options) {
  if (options.workers < 1) throw Error("--workers must be at least 1", "fwbench serve");
  WorkerConfig config;
  config.app = options.app;
  config.settings = options.settings;
  config.server = {options.host, options.port, options.workers > 1, "fwbench/" + Version()};
  config.drain_timeout_s = options.graceful_timeout_s;
  Master(options, std::move(config)).Run();
}

}  // namespace fwbench::embed
