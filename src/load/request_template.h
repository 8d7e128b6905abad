#pragma once
// The request bytes of every route, rendered once before the run: one byte string per
// (route, parameter value), so sending a request is a memcpy of a prebuilt buffer.
#include <cstdint>
#include <string>
#include <vector>

#include "load/load.h"

namespace fwbench::load {

struct RouteTemplate {
  std::string name;
  bool head = false;                  // HEAD: the response has no body
  std::vector<std::string> variants;  // one per param value ("{param}" substituted), >= 1
};

// The Host header value for host:port, bracketing IPv6 literals.
std::string HostHeader(const std::string& host, int port);

// Renders `spec` with Host, the global headers, the spec's headers and Content-Length (when
// it has a body or the method carries one). Throws fwbench::Error on an unusable spec.
RouteTemplate RenderRoute(const Options& options, const RequestSpec& spec);

// Picks a route by weight: cumulative weights normalised to 1, searched linearly (few routes).
class RoutePicker {
 public:
  explicit RoutePicker(const std::vector<RequestSpec>& specs);
  // `u` uniform in [0, 1).
  uint32_t Pick(double u) const;

 private:
  std::vector<double> cumulative_;
};

}  // namespace fwbench::load
