// HttpClient and ExchangeOnFreshConnection against a small server on loopback: an
// answer sent before the request body is read (a 413), chunked bodies, refused and cut-short
// connections.
#include "verify/http_client.h"

#include <gtest/gtest.h>
#include <poll.h>
#include <sys/socket.h>

#include <atomic>
#include <functional>
#include <string>
#include <thread>

#include "common/error.h"
#include "net/socket.h"
#include "verify/fresh_exchange.h"

namespace fwbench::verify {
namespace {

// Serves connections on 127.0.0.1 one after another with `handle`, on its own thread, until
// destroyed.
class LoopbackServer {
 public:
  explicit LoopbackServer(std::function<void(int fd)> handle)
      : listener_(net::ListenTcp(net::Resolve("127.0.0.1", 0))),
        port_(net::LocalPort(listener_.get())),
        thread_([this, handle = std::move(handle)] {
          while (!stop_) {
            pollfd watch{listener_.get(), POLLIN, 0};
            if (poll(&watch, 1, 50) != 1) continue;
            int error = 0;
            Fd conn = net::Accept(listener_.get(), &error);
            if (conn) handle(conn.get());
          }
        }) {}
  ~LoopbackServer() {
    stop_ = true;
    thread_.join();
  }
  int port() const { return port_; }

 private:
  Fd listener_;
  int port_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

// Reads until `until` has arrived (or the peer stops), returning all that was read.
std::string ReadUntil(int fd, const std::string& until) {
  std::string seen;
  char chunk[4096];
  while (seen.find(until) == std::string::npos) {
    pollfd watch{fd, POLLIN, 0};
    if (poll(&watch, 1, 10000) != 1) break;
    const ssize_t n = recv(fd, chunk, sizeof chunk, 0);
    if (n <= 0) break;
    seen.append(chunk, static_cast<size_t>(n));
  }
  return seen;
}

void SendAll(int fd, const std::string& data) {
  size_t sent = 0;
  while (sent < data.size()) {
    pollfd watch{fd, POLLOUT, 0};
    if (poll(&watch, 1, 10000) != 1) return;
    const ssize_t n = send(fd, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return;
    sent += static_cast<size_t>(n);
  }
}

const char kTooLarge[] =
    "HTTP/1.1 413 Request Entity Too Large\r\nContent-Type: application/json\r\n"
    "Content-Length: 17\r\nConnection: close\r\n\r\n{\"error\":\"body\"}\n";

TEST(HttpClient, AnAnswerSentBeforeTheBodyWasReadIsReturned) {
  // The server reads the headers only, answers and closes with 32 MB unread: the kernel resets
  // the connection, and the client's write fails long before the body is out (on the first
  // connection and on the fresh one alike).
  LoopbackServer server([](int fd) {
    ReadUntil(fd, "\r\n\r\n");
    SendAll(fd, kTooLarge);
  });
  HttpClient client("http://127.0.0.1:" + std::to_string(server.port()));
  HttpRequest request{
      "POST", "/api/orders", {{"Content-Type", "application/json"}}, std::string(32 << 20, 'x')};
  const HttpResponse response = client.Send(request);
  EXPECT_EQ(response.status, 413);
  EXPECT_EQ(response.body, "{\"error\":\"body\"}\n");
  EXPECT_EQ(response.Header("content-type"), "application/json");
}

TEST(FreshExchange, SendsTheWholeRequestAndDecodesAChunkedAnswer) {
  std::string request_seen;
  {
    LoopbackServer server([&request_seen](int fd) {
      request_seen = ReadUntil(fd, "\r\n\r\nhello");
      SendAll(fd,
              "HTTP/1.1 200 OK\r\nX-Thing: a b\r\nTransfer-Encoding: chunked\r\n\r\n"
              "3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n");
    });
    const HttpResponse response = ExchangeOnFreshConnection(
        "127.0.0.1", server.port(), {"PUT", "/x?y=1", {{"X-Req", "1"}}, "hello"}, 10);
    EXPECT_EQ(response.status, 200);
    EXPECT_EQ(response.body, "abcde");
    EXPECT_EQ(response.Header("X-Thing"), "a b");
  }
  EXPECT_EQ(request_seen.rfind("PUT /x?y=1 HTTP/1.1\r\n", 0), 0u) << request_seen;
  EXPECT_NE(request_seen.find("\r\nX-Req: 1\r\n"), std::string::npos) << request_seen;
  EXPECT_NE(request_seen.find("\r\nContent-Length: 5\r\n"), std::string::npos) << request_seen;
  EXPECT_NE(request_seen.find("\r\nConnection: close\r\n"), std::string::npos) << request_seen;
}

TEST(FreshExchange, AnAnswerCutShortIsAnError) {
  LoopbackServer server([](int fd) {
    ReadUntil(fd, "\r\n\r\n");
    SendAll(fd, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly this");
  });
  try {
    ExchangeOnFreshConnection("127.0.0.1", server.port(), {"GET", "/", {}, ""}, 10);
    FAIL() << "a response cut short was accepted";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("closed before a whole response arrived"),
              std::string::npos)
        << e.what();
  }
}

TEST(FreshExchange, ARefusedConnectionNamesTheAddress) {
  int port = 0;
  {  // a port that was free a moment ago and has no listener now
    Fd listener = net::ListenTcp(net::Resolve("127.0.0.1", 0));
    port = net::LocalPort(listener.get());
  }
  try {
    ExchangeOnFreshConnection("127.0.0.1", port, {"GET", "/", {}, ""}, 10);
    FAIL() << "a refused connection returned a response";
  } catch (const Error& e) {
    const std::string text = e.what();
    EXPECT_NE(text.find("connect failed"), std::string::npos) << text;
    EXPECT_NE(text.find("127.0.0.1:" + std::to_string(port)), std::string::npos) << text;
  }
}

}  // namespace
}  // namespace fwbench::verify
