#pragma once
// The http:// URLs fwbench is given: the load generator's target and verify's app address.
#include <string>

namespace fwbench::net {

struct HttpUrl {
  std::string host;  // without the brackets of an IPv6 literal
  int port = 80;
  std::string path = "/";  // path and query, "/" when the URL has none
};

// Parses http://HOST[:PORT][/PATH]; HOST may be an IPv6 literal in brackets. Throws
// fwbench::Error for another scheme (at `context`, e.g. "fwbench load URL"), a missing host or a
// port outside 1..65535 (at the URL).
HttpUrl ParseHttpUrl(const std::string& url, const std::string& context);

}  // namespace fwbench::net
