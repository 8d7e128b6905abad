// HttpClient and ExchangeOnFreshConnection against testing::TestServer on loopback: an
// answer sent before the request body is read (a 413), chunked bodies, refused and cut-short
// connections.
#include "verify/http_client.h"

#include <gtest/gtest.h>
#include <poll.h>
#include <sys/socket.h>

#include <atomic>
#include <csignal>
#include <string>

#include "common/error.h"
#include "net/socket.h"
#include "test_server.h"
#include "verify/fresh_exchange.h"

namespace fwbench::verify {
namespace {

using fwbench::testing::SendAll;
using fwbench::testing::TestServer;

// Reads until `until` has arrived (or the peer or the server stops), returning all that was
// read. Unlike testing::ReadRequest it can stop after the headers of a request with a body.
std::string ReadUntil(int fd, const std::atomic<bool>& stopping, const std::string& until) {
  std::string seen;
  char chunk[4096];
  while (seen.find(until) == std::string::npos && testing::WaitReadable(fd, stopping)) {
    const ssize_t n = recv(fd, chunk, sizeof chunk, 0);
    if (n <= 0) break;
    seen.append(chunk, static_cast<size_t>(n));
  }
  return seen;
}

const char kTooLarge[] =
    "HTTP/1.1 413 Request Entity Too Large\r\nContent-Type: application/json\r\n"
    "Content-Length: 17\r\nConnection: close\r\n\r\n{\"error\":\"body\"}\n";

TEST(HttpClient, AnAnswerSentBeforeTheBodyWasReadIsReturned) {
  // The server reads the headers only, answers and closes with 32 MB unread: the kernel resets
  // the connection, and the client's write fails long before the body is out (on the first
  // connection and on the fresh one alike).
  std::signal(SIGPIPE, SIG_IGN);  // as fwbench's main: cpp-httplib writes without MSG_NOSIGNAL
  TestServer server([](int fd, const std::atomic<bool>& stopping) {
    ReadUntil(fd, stopping, "\r\n\r\n");
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
    TestServer server([&request_seen](int fd, const std::atomic<bool>& stopping) {
      request_seen = ReadUntil(fd, stopping, "\r\n\r\nhello");
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
  TestServer server([](int fd, const std::atomic<bool>& stopping) {
    ReadUntil(fd, stopping, "\r\n\r\n");
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
