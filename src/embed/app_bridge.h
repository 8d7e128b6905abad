#pragma once
// The seam between the embedded server's HTTP loop (embed/server_worker.h) and an app
// interface: one HTTP request in, one buffered HTTP response out. The WSGI bridge
// (embed/wsgi_bridge.h) is the one implementation; an app's interface ("wsgi" | "asgi",
// launch/app_catalog.h) picks it. Every call needs the GIL held by the calling thread.
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "embed/app_loader.h"

namespace fwbench::embed {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

struct AppRequest {
  std::string method = "GET";
  std::string target = "/";  // raw request target: path, optionally "?query"
  std::string protocol = "HTTP/1.1";
  HeaderList headers;  // as received; names in any case
  std::string body;
  std::string remote_addr = "127.0.0.1";
  int remote_port = 0;
};

struct AppResponse {
  int status = 500;
  std::string status_line;  // "200 OK", as the app gave it
  HeaderList headers;       // as the app gave them
  std::string body;         // the whole body (bridges buffer it)
  bool app_failed = false;  // true when the bridge answered 500 for a Python error
};

// Where the server lives, for the app's view of it (SERVER_NAME, SERVER_PORT, ...).
struct ServerIdentity {
  std::string name = "127.0.0.1";
  int port = 80;
  bool multiprocess = false;
  std::string software = "fwbench";
};

// Receives everything the app wrote to its error stream and every traceback a bridge logs.
using ErrorSink = std::function<void(std::string_view text)>;
// An ErrorSink that writes to stderr, each line prefixed with `prefix`.
ErrorSink StderrSink(std::string prefix);

// One app behind one interface, for one worker thread.
class AppBridge {
 public:
  virtual ~AppBridge() = default;
  // Answers one request. Never throws for the app's errors: an exception in the app or a
  // breach of its interface's protocol becomes a 500 (app_failed) with the traceback sent to
  // the ErrorSink.
  virtual AppResponse Call(const AppRequest& request) = 0;
};

// Imports `app` (its environment, sys.path and target: LoadWsgiApp) and wraps it in the bridge
// of its interface. Needs the interpreter running and the GIL held; the caller has chdir'd to
// app.dir. Throws fwbench::Error when the app does not import, or naming the entry's interface
// and how to serve it when the embedded server has no bridge for it ("asgi").
std::unique_ptr<AppBridge> LoadAppBridge(const launch::AppEntry& app, const AppSettings& settings,
                                         ServerIdentity server, ErrorSink errors);

}  // namespace fwbench::embed
