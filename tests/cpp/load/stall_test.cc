// Coordinated omission: a server that stalls 200 ms once per second. The open model's
// corrected p99 shows the stall; the closed model (and the uncorrected figures) hide it.
// Asserts on measured latency values only.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "load/load.h"
#include "test_server.h"

namespace fwbench::load {
namespace {

using Clock = std::chrono::steady_clock;

// Replies at once, except inside the first 200 ms of every second since `epoch`.
testing::TestServer::Handler Stalling(Clock::time_point epoch) {
  return [epoch](int fd, const std::atomic<bool>& stopping) {
    net::HttpParser parser(net::HttpParser::Kind::kRequest, false);
    std::string pending;
    while (testing::ReadRequest(fd, stopping, parser, pending)) {
      const auto since = Clock::now() - epoch;
      const auto into_second = since % std::chrono::seconds(1);
      if (into_second < std::chrono::milliseconds(200)) {
        std::this_thread::sleep_for(std::chrono::milliseconds(200) - into_second);
      }
      if (!testing::SendAll(fd, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")) return;
    }
  };
}

uint64_t P99(const nlohmann::json& r, const char* which) {
  return r["overall"]["latency"][which]["p99_us"];
}

TEST(Stall, OpenModelSeesTheStallClosedModelHidesIt) {
  testing::TestServer server(Stalling(Clock::now()));
  Options o = OptionsFromUrl("http://127.0.0.1:" + std::to_string(server.port()) + "/");
  o.connections = 1;
  o.duration_s = 3;
  o.timeout_s = 1;
  const std::atomic<bool> stop{false};

  const auto closed = load::Run(o, stop);
  o.rate = 1000;
  // One request in flight, as over one connection: the others wait in the generator, so the
  // uncorrected latency (from the actual send) hides the stall.
  o.max_in_flight = 1;
  const auto open = load::Run(o, stop);

  // 20% of the time is stalled, so 1% of requests wait >= ~190 ms in truth.
  EXPECT_GE(P99(open, "corrected"), 150'000u);
  EXPECT_LE(P99(open, "corrected"), 300'000u);
  // Measured from the actual send, only one request per stall is slow.
  EXPECT_LT(P99(open, "uncorrected"), 50'000u);
  // The closed loop sends nothing during a stall, so the stall hides in < 1% of samples.
  EXPECT_LT(P99(closed, "corrected"), 50'000u);
  EXPECT_GT(closed["overall"]["latency"]["corrected"]["max_us"].get<uint64_t>(), 100'000u);
  EXPECT_EQ(open["config"]["model"], "open");
  EXPECT_GE(open["overall"]["requests"].get<uint64_t>(), 2000u);  // the rate was kept
}

}  // namespace
}  // namespace fwbench::load
