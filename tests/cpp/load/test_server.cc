#include "test_server.h"

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <memory>

#include "net/socket.h"

namespace fwbench::testing {

TestServer::TestServer(Handler handler) : handler_(std::move(handler)) {
  listener_ = net::ListenTcp(net::Resolve("127.0.0.1", 0));
  port_ = net::LocalPort(listener_.get());
  acceptor_ = std::thread([this] { AcceptLoop(); });
}

TestServer::~TestServer() {
  stopping_ = true;
  acceptor_.join();
  {
    std::lock_guard lock(mutex_);
    for (int fd : open_fds_) ::shutdown(fd, SHUT_RDWR);
  }
  for (auto& t : threads_) t.join();
}

void TestServer::AcceptLoop() {
  while (!stopping_) {
    pollfd p{listener_.get(), POLLIN, 0};
    if (poll(&p, 1, 50) <= 0) continue;
    int error = 0;
    Fd fd = net::Accept(listener_.get(), &error);
    if (!fd) continue;
    std::lock_guard lock(mutex_);
    open_fds_.push_back(fd.get());
    threads_.emplace_back([this, conn = std::make_shared<Fd>(std::move(fd))] {
      handler_(conn->get(), stopping_);
      std::lock_guard lock(mutex_);
      std::erase(open_fds_, conn->get());
      conn->Reset();
    });
  }
}

bool WaitReadable(int fd, const std::atomic<bool>& stopping) {
  while (!stopping) {
    pollfd p{fd, POLLIN, 0};
    const int n = poll(&p, 1, 50);
    if (n > 0) return true;
    if (n < 0 && errno != EINTR) return false;
  }
  return false;
}

bool SendAll(int fd, std::string_view data) {
  while (!data.empty()) {
    const ssize_t n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
      pollfd p{fd, POLLOUT, 0};
      poll(&p, 1, 50);
      continue;
    }
    if (n <= 0) return false;
    data.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

bool ReadRequest(int fd, const std::atomic<bool>& stopping, net::HttpParser& parser,
                 std::string& pending) {
  char buffer[16384];
  while (true) {
    if (!pending.empty()) {
      const auto step = parser.Feed(pending);
      pending.erase(0, step.consumed);
      if (step.error) return false;
      if (step.complete) return true;
    }
    if (!WaitReadable(fd, stopping)) return false;
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && (errno == EAGAIN || errno == EINTR)) continue;
    if (n <= 0) return false;
    pending.append(buffer, static_cast<size_t>(n));
  }
}

}  // namespace fwbench::testing
