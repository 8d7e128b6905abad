// The engine against local test servers: exact request counts, every body framing, and the
// error kinds each provoked by a misbehaving server. No assertion on wall time.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include "common/error.h"
#include "load/load.h"
#include "net/socket.h"
#include "test_server.h"

namespace fwbench::load {
namespace {

using testing::ReadRequest;
using testing::SendAll;
using testing::TestServer;
using testing::WaitReadable;

constexpr std::string_view kOk = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";

Options Local(int port, int connections, double duration_s) {
  Options o = OptionsFromUrl("http://127.0.0.1:" + std::to_string(port) + "/hello");
  o.connections = connections;
  o.duration_s = duration_s;
  o.timeout_s = 5;  // generous: a loaded machine must not turn into timeouts
  return o;
}

nlohmann::json RunNow(const Options& o) {
  const std::atomic<bool> stop{false};
  return load::Run(o, stop);
}

uint64_t ErrorCount(const nlohmann::json& r, const char* kind) {
  return r["overall"]["errors"][kind];
}

// Answers every request with `response`, counting requests; closes after each when asked.
TestServer::Handler Answering(std::string response, std::atomic<uint64_t>& count,
                              bool close_after = false) {
  return [response, &count, close_after](int fd, const std::atomic<bool>& stopping) {
    net::HttpParser parser(net::HttpParser::Kind::kRequest, true);
    std::string pending;
    while (ReadRequest(fd, stopping, parser, pending)) {
      ++count;
      if (!SendAll(fd, response) || close_after) return;
    }
  };
}

TEST(Engine, CountsExactlyTheRequestsSent) {
  for (int pipeline : {1, 4}) {
    std::atomic<uint64_t> served{0};
    TestServer server(Answering(std::string(kOk), served));
    Options o = Local(server.port(), 4, 30);
    o.threads = 2;
    o.max_requests = 2000;
    o.pipeline = pipeline;
    const auto r = RunNow(o);
    EXPECT_EQ(r["overall"]["requests"], 2000u) << "pipeline " << pipeline;
    EXPECT_EQ(served.load(), 2000u) << "pipeline " << pipeline;
    EXPECT_EQ(r["overall"]["status"]["2xx"], 2000u);
    EXPECT_EQ(r["overall"]["connects"], 4u);
    EXPECT_EQ(r["overall"]["bytes_read"], 2000u * kOk.size());
    EXPECT_EQ(r["overall"]["latency"]["corrected"]["count"], 2000u);
    EXPECT_EQ(r["schema"], "fwbench.load/1");
  }
}

TEST(Engine, LiveCountersEndEqualToTheReport) {
  std::atomic<uint64_t> served{0};
  TestServer server(Answering(std::string(kOk), served));
  Options o = Local(server.port(), 4, 30);
  o.threads = 2;
  o.max_requests = 1500;
  LiveCounters live;
  o.live = &live;
  const auto r = RunNow(o);
  EXPECT_EQ(live.responses.load(), 1500u);
  EXPECT_EQ(live.responses.load(), r["overall"]["requests"].get<uint64_t>());
  EXPECT_EQ(live.errors.load(), 0u);
}

TEST(Engine, OpenModelSendsExactlyTheBudgetAtTheRate) {
  for (Arrival arrival : {Arrival::kUniform, Arrival::kPoisson}) {
    std::atomic<uint64_t> served{0};
    TestServer server(Answering(std::string(kOk), served));
    Options o = Local(server.port(), 4, 30);
    o.rate = 2000;
    o.arrival = arrival;
    o.max_requests = 400;
    const auto r = RunNow(o);
    EXPECT_EQ(r["overall"]["requests"], 400u);
    EXPECT_EQ(served.load(), 400u);
    EXPECT_EQ(r["config"]["model"], "open");
    EXPECT_EQ(r["overall"]["latency"]["uncorrected"]["count"], 400u);
  }
}

TEST(Engine, ChunkedAndStatusClasses) {
  std::atomic<uint64_t> served{0};
  TestServer server(
      Answering("HTTP/1.1 404 Not Found\r\nTransfer-Encoding: "
                "chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n",
                served));
  Options o = Local(server.port(), 2, 30);
  o.max_requests = 300;
  const auto r = RunNow(o);
  EXPECT_EQ(r["overall"]["requests"], 300u);
  EXPECT_EQ(r["overall"]["status"]["4xx"], 300u);
  EXPECT_EQ(ErrorCount(r, "parse") + ErrorCount(r, "read"), 0u);
}

TEST(Engine, CloseDelimitedBodyIsACompleteResponse) {
  std::atomic<uint64_t> served{0};
  TestServer server(Answering("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nno length", served,
                              /*close_after=*/true));
  Options o = Local(server.port(), 2, 30);
  o.max_requests = 200;
  const auto r = RunNow(o);
  EXPECT_EQ(r["overall"]["requests"], 200u);
  EXPECT_EQ(served.load(), 200u);
  EXPECT_EQ(r["overall"]["connects"], 200u);  // one connection per request
  EXPECT_EQ(ErrorCount(r, "read"), 0u);
  EXPECT_EQ(r["overall"]["connects_per_request"], 1.0);
}

TEST(Engine, WeightedMixKeepsPerRouteStats) {
  std::atomic<uint64_t> served{0};
  TestServer server(Answering(std::string(kOk), served));
  Options o = Local(server.port(), 2, 30);
  o.max_requests = 4000;
  o.requests.clear();
  AddRequestsFromJson(nlohmann::json::parse(R"({"requests": [
      {"name": "db", "path": "/db?queries={param}", "params": [1, 5, 20], "weight": 70},
      {"name": "fortunes", "path": "/fortunes", "weight": 20},
      {"name": "orders", "method": "POST", "path": "/api/orders", "body": {"qty": 1},
       "headers": {"Content-Type": "application/json"}, "weight": 10}]})"),
                      o);
  const auto r = RunNow(o);
  const uint64_t db = r["routes"]["db"]["requests"], fortunes = r["routes"]["fortunes"]["requests"],
                 orders = r["routes"]["orders"]["requests"];
  EXPECT_EQ(db + fortunes + orders, 4000u);
  EXPECT_NEAR(db / 4000.0, 0.7, 0.05);
  EXPECT_NEAR(orders / 4000.0, 0.1, 0.03);
  EXPECT_EQ(served.load(), 4000u);
}

TEST(Errors, CloseMidResponseIsAReadError) {
  TestServer server([](int fd, const std::atomic<bool>& stopping) {
    net::HttpParser parser(net::HttpParser::Kind::kRequest, false);
    std::string pending;
    if (ReadRequest(fd, stopping, parser, pending)) {
      SendAll(fd, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly a part");
    }
  });
  Options o = Local(server.port(), 2, 0.5);
  LiveCounters live;
  o.live = &live;
  const auto r = RunNow(o);
  EXPECT_GT(ErrorCount(r, "read"), 0u);
  EXPECT_EQ(live.errors.load(), ErrorCount(r, "read"));
  EXPECT_EQ(r["overall"]["requests"], 0u);
}

TEST(Errors, GarbageIsAParseError) {
  TestServer server([](int fd, const std::atomic<bool>& stopping) {
    net::HttpParser parser(net::HttpParser::Kind::kRequest, false);
    std::string pending;
    if (ReadRequest(fd, stopping, parser, pending)) SendAll(fd, "SSH-2.0-OpenSSH\r\n\r\n");
    WaitReadable(fd, stopping);
  });
  const auto r = RunNow(Local(server.port(), 2, 0.5));
  EXPECT_GT(ErrorCount(r, "parse"), 0u);
  EXPECT_EQ(r["overall"]["requests"], 0u);
}

TEST(Errors, NeverAnsweringIsATimeout) {
  TestServer server([](int fd, const std::atomic<bool>& stopping) {
    char sink[4096];
    while (WaitReadable(fd, stopping) && ::read(fd, sink, sizeof sink) > 0) {
    }
  });
  Options o = Local(server.port(), 2, 1.0);
  o.timeout_s = 0.3;
  const auto r = RunNow(o);
  EXPECT_GT(ErrorCount(r, "timeout"), 0u);
  EXPECT_EQ(r["overall"]["requests"], 0u);
}

TEST(Errors, ResetIsAReadError) {
  TestServer server([](int fd, const std::atomic<bool>& stopping) {
    net::HttpParser parser(net::HttpParser::Kind::kRequest, false);
    std::string pending;
    if (ReadRequest(fd, stopping, parser, pending)) {
      const linger hard{1, 0};  // close() now sends RST
      setsockopt(fd, SOL_SOCKET, SO_LINGER, &hard, sizeof hard);
    }
  });
  const auto r = RunNow(Local(server.port(), 2, 0.5));
  EXPECT_GT(ErrorCount(r, "read") + ErrorCount(r, "write"), 0u);
  EXPECT_EQ(r["overall"]["requests"], 0u);
}

TEST(Errors, TricklingServerTimesOut) {
  TestServer server([](int fd, const std::atomic<bool>& stopping) {
    net::HttpParser parser(net::HttpParser::Kind::kRequest, false);
    std::string pending;
    if (!ReadRequest(fd, stopping, parser, pending)) return;
    const std::string response =
        "HTTP/1.1 200 OK\r\nContent-Length: 40\r\n\r\n" + std::string(40, 'x');
    for (char byte : response) {
      if (stopping || !SendAll(fd, std::string_view(&byte, 1))) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  });
  Options o = Local(server.port(), 1, 1.0);
  o.timeout_s = 0.2;
  const auto r = RunNow(o);
  EXPECT_GT(ErrorCount(r, "timeout"), 0u);
  EXPECT_EQ(r["overall"]["requests"], 0u);
}

TEST(Errors, RefusedConnectIsAConnectError) {
  // A bound socket that does not listen: connecting to it is refused.
  Fd bound(socket(AF_INET, SOCK_STREAM, 0));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(bind(bound.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  const auto r = RunNow(Local(net::LocalPort(bound.get()), 2, 0.3));
  EXPECT_GT(ErrorCount(r, "connect"), 0u);
  EXPECT_EQ(r["overall"]["requests"], 0u);
}

TEST(Engine, StopFlagEndsTheRunEarlyAndStillReports) {
  std::atomic<uint64_t> served{0};
  TestServer server(Answering(std::string(kOk), served));
  std::atomic<bool> stop{false};
  std::thread stopper([&] {
    while (served.load() < 100) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    stop = true;
  });
  const auto r = load::Run(Local(server.port(), 2, 60), stop);
  stopper.join();
  EXPECT_TRUE(r["interrupted"].get<bool>());
  EXPECT_GT(r["overall"]["requests"].get<uint64_t>(), 0u);
}

// Two servers, slices alternating between them: each server gets exactly the requests the
// report counts for it, only in its own slices, over connections opened once and kept.
TEST(Session, SlicesSendOnlyToTheActiveTargetOverConnectionsKeptOpen) {
  std::atomic<uint64_t> served_a{0}, served_b{0};
  std::atomic<int> accepted_a{0}, accepted_b{0};
  auto counting = [](std::atomic<uint64_t>& served, std::atomic<int>& accepted) {
    TestServer::Handler inner = Answering(std::string(kOk), served);
    return [inner, &accepted](int fd, const std::atomic<bool>& stopping) {
      ++accepted;
      inner(fd, stopping);
    };
  };
  TestServer a(counting(served_a, accepted_a)), b(counting(served_b, accepted_b));
  SessionOptions session;
  session.load = Local(a.port(), 3, 1);
  session.ports = {a.port(), b.port()};
  for (int i = 0; i < 6; ++i) session.slices.push_back({0.1 * i, 0.1, i % 2 ? 2ULL : 1ULL});
  const std::atomic<bool> stop{false};
  const SessionReport report = RunSession(session, stop);
  ASSERT_EQ(report.targets.size(), 2u);
  ASSERT_EQ(report.slices.size(), 2u);
  const uint64_t got_a = report.targets[0]["overall"]["requests"];
  const uint64_t got_b = report.targets[1]["overall"]["requests"];
  EXPECT_EQ(got_a, served_a.load());
  EXPECT_EQ(got_b, served_b.load());
  uint64_t sum_a = 0, sum_b = 0;
  for (int i = 0; i < 6; ++i) {
    const bool a_active = i % 2 == 0;
    EXPECT_EQ(report.slices[0][i].requests > 0, a_active) << "slice " << i;
    EXPECT_EQ(report.slices[1][i].requests > 0, !a_active) << "slice " << i;
    sum_a += report.slices[0][i].requests;
    sum_b += report.slices[1][i].requests;
  }
  EXPECT_EQ(sum_a, got_a);
  EXPECT_EQ(sum_b, got_b);
  EXPECT_EQ(accepted_a.load(), 3);  // opened once, kept across the other target's slices
  EXPECT_EQ(accepted_b.load(), 3);
  EXPECT_DOUBLE_EQ(report.targets[0]["elapsed_s"].get<double>(), 0.3);  // equal measured time
  EXPECT_DOUBLE_EQ(report.targets[1]["elapsed_s"].get<double>(), 0.3);
}

TEST(Session, DuetLoadsEveryTargetInEverySlice) {
  std::atomic<uint64_t> served_a{0}, served_b{0};
  TestServer a(Answering(std::string(kOk), served_a)), b(Answering(std::string(kOk), served_b));
  SessionOptions session;
  session.load = Local(a.port(), 2, 1);
  session.ports = {a.port(), b.port()};
  session.slices = {{0, 0.1, 3}, {0.1, 0.1, 3}};
  const std::atomic<bool> stop{false};
  const SessionReport report = RunSession(session, stop);
  for (int t = 0; t < 2; ++t)
    for (int i = 0; i < 2; ++i) EXPECT_GT(report.slices[t][i].requests, 0u);
  EXPECT_EQ(report.targets[0]["overall"]["requests"].get<uint64_t>(), served_a.load());
  EXPECT_EQ(report.targets[1]["overall"]["requests"].get<uint64_t>(), served_b.load());
}

// A settling slice sends over the connections but counts nothing: the server sees more
// requests than the report, and the measured slices carry on over the same connections.
TEST(Session, UnmeasuredSlicesSendButCountNothing) {
  std::atomic<uint64_t> served{0};
  std::atomic<int> accepted{0};
  TestServer::Handler inner = Answering(std::string(kOk), served);
  TestServer server([&](int fd, const std::atomic<bool>& stopping) {
    ++accepted;
    inner(fd, stopping);
  });
  SessionOptions session;
  session.load = Local(server.port(), 2, 1);
  session.ports = {server.port()};
  session.slices = {{0, 0.1, 1, false}, {0.1, 0.1, 1, true}};
  const std::atomic<bool> stop{false};
  const SessionReport report = RunSession(session, stop);
  const uint64_t counted = report.targets[0]["overall"]["requests"];
  EXPECT_EQ(report.slices[0][0].requests, 0u);
  EXPECT_EQ(report.slices[0][1].requests, counted);
  EXPECT_GT(counted, 0u);
  EXPECT_GT(served.load(), counted);  // the settling slice's requests were sent
  EXPECT_EQ(accepted.load(), 2);
  EXPECT_EQ(report.targets[0]["overall"]["connects"].get<uint64_t>(), 2u);  // each counted once
  EXPECT_DOUBLE_EQ(report.targets[0]["elapsed_s"].get<double>(), 0.1);
}

TEST(Session, BadSessionsAreRejected) {
  const std::atomic<bool> stop{false};
  SessionOptions session;
  session.load = Local(1, 1, 1);
  EXPECT_THROW(RunSession(session, stop), fwbench::Error);  // no target
  session.ports = {1};
  EXPECT_THROW(RunSession(session, stop), fwbench::Error);  // no slice
  session.slices = {{0, 0.2, 1}, {0.1, 0.2, 1}};
  EXPECT_THROW(RunSession(session, stop), fwbench::Error);  // overlapping
}

TEST(Options, UrlParsing) {
  const Options o = OptionsFromUrl("http://[::1]:8081/x?y=1");
  EXPECT_EQ(o.host, "::1");
  EXPECT_EQ(o.port, 8081);
  EXPECT_EQ(o.requests.at(0).path, "/x?y=1");
  EXPECT_EQ(OptionsFromUrl("http://localhost").requests.at(0).path, "/");
  EXPECT_THROW(OptionsFromUrl("https://a/"), fwbench::Error);
  EXPECT_THROW(OptionsFromUrl("http://a:99999/"), fwbench::Error);
}

}  // namespace
}  // namespace fwbench::load
