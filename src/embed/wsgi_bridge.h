#pragma once
// The PEP 3333 bridge: one HTTP request in, one buffered HTTP response out, through a WSGI
// callable. Every call needs the GIL held by the calling thread.
#include <pybind11/pybind11.h>

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace fwbench::embed {

class LayerStack;

using HeaderList = std::vector<std::pair<std::string, std::string>>;

struct WsgiRequest {
  std::string method = "GET";
  std::string target = "/";  // raw request target: path, optionally "?query"
  std::string protocol = "HTTP/1.1";
  HeaderList headers;  // as received; names in any case
  std::string body;
  std::string remote_addr = "127.0.0.1";
  int remote_port = 0;
};

struct WsgiResponse {
  int status = 500;
  std::string status_line;  // "200 OK", as the app gave it
  HeaderList headers;       // as the app gave them
  std::string body;         // the whole body: iterables are always drained (buffered)
  bool app_failed = false;  // true when the bridge answered 500 for a Python error
};

// Where the server lives, for SERVER_NAME, SERVER_PORT and wsgi.multiprocess.
struct ServerIdentity {
  std::string name = "127.0.0.1";
  int port = 80;
  bool multiprocess = false;
  std::string software = "fwbench";
};

// Receives everything the app wrote to wsgi.errors and every traceback the bridge logs.
using ErrorSink = std::function<void(std::string_view text)>;
// An ErrorSink that writes to stderr, each line prefixed with `prefix`.
ErrorSink StderrSink(std::string prefix);

class WsgiBridge {
 public:
  WsgiBridge(pybind11::object app, ServerIdentity server, ErrorSink errors);
  ~WsgiBridge();
  WsgiBridge(const WsgiBridge&) = delete;
  WsgiBridge& operator=(const WsgiBridge&) = delete;

  // Calls the app. Never throws for Python errors: an exception raised by the app, by its
  // body iterable or by close(), or an app that breaks PEP 3333 (no start_response, str body
  // chunks) becomes a 500 with the traceback sent to the ErrorSink. close() is always called.
  WsgiResponse Call(const WsgiRequest& request);

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
