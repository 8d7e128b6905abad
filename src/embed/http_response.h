#pragma once
// Serialises an app's response (embed/app_bridge.h) as HTTP/1.1 bytes for the embedded server.
#include <ctime>
#include <string>
#include <string_view>

#include "embed/app_bridge.h"

namespace fwbench::embed {

// The IMF-fixdate for the current second ("Sun, 06 Nov 1994 08:49:37 GMT"), recomputed at most
// once per second. One per worker; not thread-safe.
class HttpDateCache {
 public:
  std::string_view Now();

 private:
  std::time_t second_ = 0;
  std::string text_;
};

// Appends the status line, headers and body of `response` to `out`.
// Framing: the bridge buffers the whole body, so every response is Content-Length framed. An
// app's own Content-Length is sent as given when it matches the body; when it does not (or the
// app set Transfer-Encoding), it is replaced by the true length and the mismatch reported in
// the return value. Server and Date are added unless the app set them. `keep_alive` false adds
// "Connection: close"; `head` sends the headers of a HEAD answer without the body.
// Returns an empty string, or what was wrong with the app's framing headers.
std::string AppendHttpResponse(std::string& out, const AppResponse& response, bool keep_alive,
                               bool head, std::string_view date, std::string_view server);

}  // namespace fwbench::embed
