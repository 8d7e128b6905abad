#pragma once
// The PEP 3333 bridge: one HTTP request in, one buffered HTTP response out, through a WSGI
// callable. Every call needs the GIL held by the calling thread.
#include <pybind11/pybind11.h>

#include <memory>
#include <string>
#include <string_view>

#include "embed/app_bridge.h"

namespace fwbench::embed {

class LayerStack;

// The interface-neutral request and response under their WSGI names (embed/app_bridge.h).
using WsgiRequest = AppRequest;
using WsgiResponse = AppResponse;

// The WSGI implementation of the embedded server's AppBridge. Final, so a caller holding the
// concrete type (fwbench inproc, its callgrind counts) calls Call() without a virtual dispatch.
class WsgiBridge final : public AppBridge {
 public:
  WsgiBridge(pybind11::object app, ServerIdentity server, ErrorSink errors);
  ~WsgiBridge();
  WsgiBridge(const WsgiBridge&) = delete;
  WsgiBridge& operator=(const WsgiBridge&) = delete;

  // Calls the app. Never throws for Python errors: an exception raised by the app, by its
  // body iterable or by close(), or an app that breaks PEP 3333 (no start_response, str body
  // chunks) becomes a 500 with the traceback sent to the ErrorSink. close() is always called.
  WsgiResponse Call(const WsgiRequest& request) override;

  // `fwbench inproc --layers` only: mark the bridge's own work on `stack` (null: off).
  // start_response runs in layer server, iterating and closing the body in layer response.
  void SetLayerStack(LayerStack* stack);

  // The environ Call would pass for `request` (for tests and the pure-Python baseline).
  pybind11::dict BuildEnviron(const WsgiRequest& request) const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// Percent-decodes a URL path ("%2F" -> "/"); malformed escapes are kept as they are.
std::string PercentDecode(std::string_view path);

}  // namespace fwbench::embed
