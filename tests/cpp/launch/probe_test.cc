#include "launch/probe.h"

#include <gtest/gtest.h>
#include <httplib.h>

#include <thread>

#include "launch/port.h"

namespace fwbench::launch {
namespace {

TEST(Port, GivesABindablePort) {
  int port = FreeLoopbackPort();
  EXPECT_GT(port, 0);
  httplib::Server server;
  EXPECT_TRUE(server.bind_to_port("127.0.0.1", port));
}

TEST(Probe, WaitsForTheFirst200) {
  httplib::Server server;
  server.set_tcp_nodelay(true);
  std::atomic<int> calls{0};
  server.Get("/json", [&](const httplib::Request&, httplib::Response& res) {
    res.status = ++calls < 3 ? 503 : 200;
    res.set_content("{}", "application/json");
  });
  int port = server.bind_to_any_port("127.0.0.1");
  std::thread thread([&] { server.listen_after_bind(); });
  ProbeResult result = WaitForHttp200("127.0.0.1", port, "/json", 30, [] { return true; });
  server.stop();
  thread.join();
  EXPECT_TRUE(result.ready) << result.error;
  EXPECT_GE(calls.load(), 3);
}

TEST(Probe, GivesUpWhenTheServerIsGone) {
  int port = FreeLoopbackPort();
  ProbeResult result = WaitForHttp200("127.0.0.1", port, "/json", 30, [] { return false; });
  EXPECT_FALSE(result.ready);
  EXPECT_NE(result.error.find("exited"), std::string::npos);
}

TEST(Probe, GivesUpAtTheDeadline) {
  int port = FreeLoopbackPort();
  ProbeResult result = WaitForHttp200("127.0.0.1", port, "/json", 0.2, [] { return true; });
  EXPECT_FALSE(result.ready);
  EXPECT_FALSE(result.error.empty());
}

}  // namespace
}  // namespace fwbench::launch
