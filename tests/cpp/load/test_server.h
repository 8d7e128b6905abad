#pragma once
// TestServer: a loopback TCP server on a free port for the engine tests. Each connection runs
// `handler(fd, stopping)` on its own thread; the destructor stops accepting, shuts every
// connection down and joins all threads, so a failing test never leaves it running.
// Helpers give handlers blocking-style I/O that gives up when the server stops.
#include <atomic>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "common/fd.h"
#include "net/http.h"

namespace fwbench::testing {

class TestServer {
 public:
  using Handler = std::function<void(int fd, const std::atomic<bool>& stopping)>;
  explicit TestServer(Handler handler);
  ~TestServer();
  int port() const { return port_; }

 private:
  void AcceptLoop();
  Handler handler_;
  Fd listener_;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::mutex mutex_;
  std::vector<int> open_fds_;
  std::vector<std::thread> threads_;
  std::thread acceptor_;
};

// Waits (50 ms slices) until `fd` is readable; false when the server stops or the peer closed.
bool WaitReadable(int fd, const std::atomic<bool>& stopping);
// Sends all of `data` (blocking); false on error.
bool SendAll(int fd, std::string_view data);
// Reads and parses requests until one is complete; false on EOF/error/stop. `parser` keeps
// state between calls, `pending` keeps bytes read past that request (pipelining).
bool ReadRequest(int fd, const std::atomic<bool>& stopping, net::HttpParser& parser,
                 std::string& pending);

}  // namespace fwbench::testing
