#include "launch/probe.h"

#include <httplib.h>

#include <chrono>
#include <thread>

namespace fwbench::launch {

ProbeResult WaitForHttp200(const std::string& host, int port, const std::string& path,
                           double timeout_s, const std::function<bool()>& alive) {
  using Clock = std::chrono::steady_clock;
  auto start = Clock::now();
  auto deadline = start + std::chrono::duration<double>(timeout_s);
  auto elapsed_ms = [&] {
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
  };
  ProbeResult result;
  result.error = "no answer";
  while (Clock::now() < deadline) {
    if (!alive()) {
      result.error = "the server exited before answering";
      break;
    }
    httplib::Client client(host, port);
    client.set_tcp_nodelay(true);
    client.set_connection_timeout(0, 200000);
    client.set_read_timeout(5, 0);
    client.set_keep_alive(false);
    if (auto response = client.Get(path.c_str())) {
      if (response->status == 200) {
        result.ready = true;
        result.error.clear();
        break;
      }
      result.error = "GET " + path + " answered " + std::to_string(response->status);
    } else {
      result.error = "GET " + path + ": " + httplib::to_string(response.error());
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  result.waited_ms = elapsed_ms();
  return result;
}

}  // namespace fwbench::launch
