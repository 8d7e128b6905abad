// The HTTP parser wrapper on split, pipelined, chunked, close-delimited and malformed input.
#include "net/http.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace fwbench::net {
namespace {

using Kind = HttpParser::Kind;

// Feeds `input` in pieces of `piece` bytes; returns the statuses of the complete messages.
std::vector<int> FeedInPieces(HttpParser& p, std::string_view input, size_t piece,
                              bool* error = nullptr) {
  std::vector<int> statuses;
  for (size_t at = 0; at < input.size();) {
    std::string_view chunk = input.substr(at, piece);
    at += chunk.size();
    while (!chunk.empty()) {
      const auto step = p.Feed(chunk);
      if (step.error) {
        if (error) *error = true;
        return statuses;
      }
      chunk.remove_prefix(step.consumed);
      if (step.complete) statuses.push_back(p.status());
    }
  }
  return statuses;
}

TEST(HttpParser, SplitAtEveryByte) {
  const std::string response = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX-A: b\r\n\r\nhello";
  HttpParser p(Kind::kResponse, true);
  EXPECT_EQ(FeedInPieces(p, response, 1), std::vector<int>{200});
  EXPECT_EQ(p.body(), "hello");
  EXPECT_EQ(p.header("x-a"), "b");
  EXPECT_TRUE(p.keep_alive());
  EXPECT_FALSE(p.in_message());
}

TEST(HttpParser, PipelinedResponsesComeOutOneAtATime) {
  const std::string one = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
  const std::string two = "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n";
  const std::string three = "HTTP/1.1 500 Oops\r\nContent-Length: 1\r\n\r\nx";
  const std::string all = one + two + three;
  HttpParser p(Kind::kResponse, false);
  auto step = p.Feed(all);
  EXPECT_TRUE(step.complete);
  EXPECT_EQ(step.consumed, one.size());
  EXPECT_EQ(p.status(), 200);
  EXPECT_EQ(p.body_bytes(), 2u);
  HttpParser q(Kind::kResponse, false);
  for (size_t piece : {1, 3, 7, 64}) {
    q.Reset();
    EXPECT_EQ(FeedInPieces(q, all, piece), (std::vector<int>{200, 404, 500})) << piece;
  }
}

TEST(HttpParser, ChunkedBodySplit) {
  const std::string response =
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nWiki\r\n6\r\npedia \r\n"
      "0\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n";
  for (size_t piece : {1, 2, 5, 100}) {
    HttpParser p(Kind::kResponse, true);
    bool error = false;
    EXPECT_EQ(FeedInPieces(p, response, piece, &error), (std::vector<int>{200, 204}));
    EXPECT_FALSE(error);
  }
  HttpParser p(Kind::kResponse, true);
  p.Feed(response);
  EXPECT_EQ(p.body(), "Wikipedia ");
}

TEST(HttpParser, CloseDelimitedBodyEndsAtEof) {
  HttpParser p(Kind::kResponse, true);
  const auto step = p.Feed("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nuntil the end");
  EXPECT_FALSE(step.complete);
  EXPECT_TRUE(p.in_message());
  const auto eof = p.FinishAtEof();
  EXPECT_TRUE(eof.complete);
  EXPECT_FALSE(eof.error);
  EXPECT_EQ(p.body(), "until the end");
  EXPECT_FALSE(p.keep_alive());
}

TEST(HttpParser, TruncatedAtEofIsAnError) {
  HttpParser p(Kind::kResponse, false);
  p.Feed("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc");
  EXPECT_TRUE(p.FinishAtEof().error);
  HttpParser idle(Kind::kResponse, false);
  const auto nothing = idle.FinishAtEof();
  EXPECT_FALSE(nothing.complete || nothing.error);
}

TEST(HttpParser, MalformedInputIsAnError) {
  for (std::string bad : {"SSH-2.0-OpenSSH\r\n", "HTTP/1.1 2x0 OK\r\n\r\n",
                          "HTTP/1.1 200 OK\r\nContent-Length: abc\r\n\r\n",
                          "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"}) {
    HttpParser p(Kind::kResponse, false);
    bool error = false;
    FeedInPieces(p, bad, 1000, &error);
    EXPECT_TRUE(error) << bad;
    EXPECT_FALSE(p.error().empty());
  }
}

TEST(HttpParser, HeadResponseHasNoBody) {
  HttpParser p(Kind::kResponse, false);
  p.SetSkipBody(true);
  const std::string head = "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n";
  const auto step = p.Feed(head + "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
  EXPECT_TRUE(step.complete);
  EXPECT_EQ(step.consumed, head.size());
}

TEST(HttpParser, RequestsWithHeadersAndBody) {
  const std::string two =
      "POST /api/orders?x=1 HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\n"
      "Content-Length: 7\r\n\r\n{\"a\":1}GET /json HTTP/1.1\r\nHost: a\r\n\r\n";
  HttpParser p(Kind::kRequest, true);
  auto step = p.Feed(two);
  ASSERT_TRUE(step.complete);
  EXPECT_EQ(p.method(), "POST");
  EXPECT_EQ(p.url(), "/api/orders?x=1");
  EXPECT_EQ(p.body(), "{\"a\":1}");
  ASSERT_EQ(p.headers().size(), 3u);
  EXPECT_EQ(p.headers()[1].name, "Content-Type");
  EXPECT_EQ(p.header("content-length"), "7");
  step = p.Feed(std::string_view(two).substr(step.consumed));
  ASSERT_TRUE(step.complete);
  EXPECT_EQ(p.method(), "GET");
  EXPECT_EQ(p.url(), "/json");
  EXPECT_EQ(p.body(), "");
  EXPECT_EQ(p.headers().size(), 1u);
  EXPECT_TRUE(p.keep_alive());
}

TEST(HttpParser, Http10RequestIsNotKeepAlive) {
  HttpParser p(Kind::kRequest, false);
  ASSERT_TRUE(p.Feed("GET / HTTP/1.0\r\n\r\n").complete);
  EXPECT_FALSE(p.keep_alive());
  EXPECT_EQ(p.http_minor(), 0);
}

}  // namespace
}  // namespace fwbench::net
