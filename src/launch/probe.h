#pragma once
// Readiness: poll the server over HTTP until it answers 200 or a deadline passes.
#include <functional>
#include <string>

namespace fwbench::launch {

struct ProbeResult {
  bool ready = false;
  double waited_ms = 0;  // from the call until the first 200 (or until giving up)
  std::string error;     // why it is not ready: last status / connection error, or "exited"
};

// GETs http://host:port/path every 20 ms until a 200, until timeout_s, or until alive()
// returns false (the server exited). Never throws.
ProbeResult WaitForHttp200(const std::string& host, int port, const std::string& path,
                           double timeout_s, const std::function<bool()>& alive);

}  // namespace fwbench::launch
