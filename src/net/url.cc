#include "net/url.h"

#include <charconv>

#include "common/error.h"

namespace fwbench::net {

HttpUrl ParseHttpUrl(const std::string& url, const std::string& context) {
  const std::string scheme = "http://";
  if (url.rfind(scheme, 0) != 0) {
    throw Error("unsupported URL '" + url + "'", context,
                "use http://host:port/path (https is not supported)");
  }
  const std::string rest = url.substr(scheme.size());
  const size_t slash = rest.find('/');
  const std::string authority = rest.substr(0, slash);
  HttpUrl parsed;
  if (slash != std::string::npos) parsed.path = rest.substr(slash);
  std::string port_text;
  if (!authority.empty() && authority.front() == '[') {  // [::1]:8080
    const size_t close = authority.find(']');
    if (close == std::string::npos) throw Error("unterminated IPv6 address", url);
    parsed.host = authority.substr(1, close - 1);
    if (close + 1 < authority.size() && authority[close + 1] == ':')
      port_text = authority.substr(close + 2);
  } else {
    const size_t colon = authority.rfind(':');
    parsed.host = authority.substr(0, colon);
    if (colon != std::string::npos) port_text = authority.substr(colon + 1);
  }
  if (parsed.host.empty()) throw Error("URL has no host", url, "use http://127.0.0.1:8080/");
  if (!port_text.empty()) {
    int port = -1;
    const auto [end, ec] =
        std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (ec != std::errc() || end != port_text.data() + port_text.size() || port < 1 ||
        port > 65535) {
      throw Error("bad port '" + port_text + "'", url, "use a port in 1..65535");
    }
    parsed.port = port;
  }
  return parsed;
}

}  // namespace fwbench::net
