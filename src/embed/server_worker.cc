#include "embed/server_worker.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <memory>
#include <unordered_map>

#include "common/error.h"
#include "common/paths.h"
#include "embed/http_response.h"
#include "embed/python_host.h"
#include "net/event_loop.h"
#include "net/http.h"
#include "net/socket.h"

namespace fwbench::embed {
namespace {

struct Connection {
  Fd fd;
  net::HttpParser parser{net::HttpParser::Kind::kRequest, true};
  std::string out;
  size_t sent = 0;
  bool close_after_write = false;
  bool writing = false;  // registered for EPOLLOUT
  std::string remote_addr;
  int remote_port = 0;
  size_t request_bytes = 0;  // of the message being parsed
};

void PeerAddress(int fd, Connection& conn) {
  sockaddr_storage addr{};
  socklen_t len = sizeof addr;
  if (getpeername(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) return;
  char text[INET6_ADDRSTRLEN] = "";
  if (addr.ss_family == AF_INET) {
    auto* in = reinterpret_cast<sockaddr_in*>(&addr);
    inet_ntop(AF_INET, &in->sin_addr, text, sizeof text);
    conn.remote_port = ntohs(in->sin_port);
  } else if (addr.ss_family == AF_INET6) {
    auto* in6 = reinterpret_cast<sockaddr_in6*>(&addr);
    inet_ntop(AF_INET6, &in6->sin6_addr, text, sizeof text);
    conn.remote_port = ntohs(in6->sin6_port);
  }
  conn.remote_addr = text;
}

class WorkerLoop {
 public:
  WorkerLoop(int listen_fd, int signal_fd, AppBridge& bridge, const WorkerConfig& config)
      : listen_fd_(listen_fd), signal_fd_(signal_fd), bridge_(bridge), config_(config) {
    loop_.Add(listen_fd_, EPOLLIN | EPOLLEXCLUSIVE, kListenToken);
    loop_.Add(signal_fd_, EPOLLIN, kSignalToken);
  }

  void Run() {
    while (!draining_ || (!connections_.empty() && Clock::now() < drain_deadline_)) {
      auto events = loop_.Wait(draining_ ? 100000 : -1);
      for (const epoll_event& event : events) {  // a pending SIGTERM wins over new requests
        if (event.data.u64 == kSignalToken) StartDrain();
      }
      for (const epoll_event& event : events) {
        if (event.data.u64 == kSignalToken) continue;
        if (event.data.u64 == kListenToken) {
          if (!draining_) AcceptOne();
        } else {
          OnConnection(static_cast<int>(event.data.u64), event.events);
        }
      }
    }
  }

 private:
  using Clock = std::chrono::steady_clock;
  static constexpr uint64_t kListenToken = ~0ull;
  static constexpr uint64_t kSignalToken = ~0ull - 1;

  // One accept per wake-up, so idle workers (EPOLLEXCLUSIVE) share a burst of connects.
  void AcceptOne() {
    int error = 0;
    Fd fd = net::Accept(listen_fd_, &error);
    if (!fd) return;
    auto conn = std::make_unique<Connection>();
    PeerAddress(fd.get(), *conn);
    int raw = fd.get();
    conn->fd = std::move(fd);
    loop_.Add(raw, EPOLLIN | EPOLLRDHUP, static_cast<uint64_t>(raw));
    connections_[raw] = std::move(conn);
  }

  void StartDrain() {
    signalfd_siginfo info{};
    if (::read(signal_fd_, &info, sizeof info) <= 0) return;
    if (draining_) return;
    draining_ = true;
    drain_deadline_ = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                         std::chrono::duration<double>(config_.drain_timeout_s));
    loop_.Remove(listen_fd_);
    ::close(listen_fd_);
    std::vector<int> idle;
    for (auto& [fd, conn] : connections_) {
      if (conn->out.empty() && !conn->parser.in_message()) {
        idle.push_back(fd);
      } else {
        conn->close_after_write = true;
      }
    }
    for (int fd : idle) Close(fd);
  }

  void Close(int fd) {
    loop_.Remove(fd);
    connections_.erase(fd);
  }

  void OnConnection(int fd, uint32_t events) {
    auto it = connections_.find(fd);
    if (it == connections_.end()) return;
    Connection& conn = *it->second;
    if (events & EPOLLOUT) {
      if (!Flush(conn)) return;
    }
    if (events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)) Read(conn);
  }

  // Reads what is there, answers every complete request, then flushes.
  void Read(Connection& conn) {
    char buffer[65536];
    while (!conn.close_after_write) {
      ssize_t n = ::read(conn.fd.get(), buffer, sizeof buffer);
      if (n > 0) {
        Consume(conn, std::string_view(buffer, static_cast<size_t>(n)));
        continue;
      }
      if (n < 0 && errno == EINTR) continue;
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
      conn.close_after_write = true;  // EOF or error: finish writing what we have, then close
      if (conn.out.size() == conn.sent) return Close(conn.fd.get());
      break;
    }
    Flush(conn);
  }

  void Consume(Connection& conn, std::string_view data) {
    while (!data.empty() && !conn.close_after_write) {
      net::HttpParser::Step step = conn.parser.Feed(data);
      conn.request_bytes += step.consumed;
      data.remove_prefix(step.consumed);
      if (step.error) return Reject(conn, "400 Bad Request");
      if (conn.request_bytes > config_.max_request_bytes) {
        return Reject(conn, "413 Content Too Large");
      }
      if (step.complete) {
        conn.request_bytes = 0;
        Answer(conn);
      } else if (step.consumed == 0) {
        return Reject(conn, "400 Bad Request");
      }
    }
  }

  void Reject(Connection& conn, const char* status_line) {
    AppResponse response;
    response.status = std::atoi(status_line);
    response.status_line = status_line;
    response.headers = {{"Content-Type", "text/plain; charset=utf-8"}};
    response.body = std::string(status_line) + "\n";
    AppendHttpResponse(conn.out, response, false, false, dates_.Now(), config_.server.software);
    conn.close_after_write = true;
  }

  void Answer(Connection& conn) {
    const net::HttpParser& parser = conn.parser;
    request_.method = parser.method();
    request_.target = parser.url();
    request_.protocol = parser.http_minor() == 0 ? "HTTP/1.0" : "HTTP/1.1";
    request_.headers.clear();
    for (const net::HttpHeader& h : parser.headers())
      request_.headers.emplace_back(h.name, h.value);
    request_.body = parser.body();
    request_.remote_addr = conn.remote_addr;
    request_.remote_port = conn.remote_port;
    AppResponse response = bridge_.Call(request_);
    bool keep_alive = parser.keep_alive() && !draining_;
    std::string problem =
        AppendHttpResponse(conn.out, response, keep_alive, request_.method == "HEAD", dates_.Now(),
                           config_.server.software);
    if (!problem.empty()) {
      std::fprintf(stderr, "[worker %d] %s %s: %s\n", ::getpid(), request_.method.c_str(),
                   request_.target.c_str(), problem.c_str());
    }
    if (!keep_alive) conn.close_after_write = true;
  }

  // Writes pending output. Returns false when the connection was closed.
  bool Flush(Connection& conn) {
    while (conn.sent < conn.out.size()) {
      ssize_t n = ::send(conn.fd.get(), conn.out.data() + conn.sent, conn.out.size() - conn.sent,
                         MSG_NOSIGNAL);
      if (n > 0) {
        conn.sent += static_cast<size_t>(n);
      } else if (n < 0 && errno == EINTR) {
        continue;
      } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        if (!conn.writing) {
          loop_.Modify(conn.fd.get(), EPOLLIN | EPOLLOUT | EPOLLRDHUP, conn.fd.get());
          conn.writing = true;
        }
        return true;
      } else {
        Close(conn.fd.get());
        return false;
      }
    }
    conn.out.clear();
    conn.sent = 0;
    if (conn.close_after_write) {
      Close(conn.fd.get());
      return false;
    }
    if (conn.writing) {
      loop_.Modify(conn.fd.get(), EPOLLIN | EPOLLRDHUP, conn.fd.get());
      conn.writing = false;
    }
    return true;
  }

  int listen_fd_;
  int signal_fd_;
  AppBridge& bridge_;
  const WorkerConfig& config_;
  net::EventLoop loop_;
  HttpDateCache dates_;
  AppRequest request_;  // reused: its buffers keep their capacity
  std::unordered_map<int, std::unique_ptr<Connection>> connections_;
  bool draining_ = false;
  Clock::time_point drain_deadline_{};
};

Fd ShutdownSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  sigprocmask(SIG_BLOCK, &set, nullptr);
  Fd fd(signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC));
  if (!fd) throw Error("signalfd() failed", "serve worker");
  return fd;
}

void SignalReady(int ready_fd) {
  if (ready_fd < 0) return;
  char byte = 'R';
  [[maybe_unused]] ssize_t n = ::write(ready_fd, &byte, 1);
  ::close(ready_fd);
}

}  // namespace

int RunWorker(int listen_fd, const WorkerConfig& config) {
  try {
    Fd signals = ShutdownSignals();
    if (!config.app.dir.empty()) std::filesystem::current_path(config.app.dir);
    PythonHost host(VenvPython());
    std::unique_ptr<AppBridge> bridge =
        LoadAppBridge(config.app, config.settings, config.server,
                      StderrSink("[worker " + std::to_string(::getpid()) + "] "));
    WorkerLoop loop(listen_fd, signals.get(), *bridge, config);
    SignalReady(config.ready_fd);
    loop.Run();
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "fwbench serve: worker %d: error: %s\n", ::getpid(), e.what());
    return 3;
  }
}

}  // namespace fwbench::embed
