#include "embed/http_response.h"

#include <strings.h>

namespace fwbench::embed {
namespace {

bool Is(const std::string& name, std::string_view want) {
  return name.size() == want.size() && strncasecmp(name.data(), want.data(), want.size()) == 0;
}

}  // namespace

std::string_view HttpDateCache::Now() {
  std::time_t now = std::time(nullptr);
  if (now != second_ || text_.empty()) {
    second_ = now;
    std::tm utc{};
    gmtime_r(&now, &utc);
    char buffer[64];
    size_t n = std::strftime(buffer, sizeof buffer, "%a, %d %b %Y %H:%M:%S GMT", &utc);
    text_.assign(buffer, n);
  }
  return text_;
}

std::string AppendHttpResponse(std::string& out, const AppResponse& response, bool keep_alive,
                               bool head, std::string_view date, std::string_view server) {
  std::string problem;
  std::string length = std::to_string(response.body.size());
  bool has_server = false, has_date = false, has_length = false;
  out.append("HTTP/1.1 ").append(response.status_line).append("\r\n");
  for (const auto& [name, value] : response.headers) {
    if (Is(name, "Content-Length")) {
      if (value != length) problem = "the app's Content-Length " + value + " != body " + length;
      if (has_length) continue;
      has_length = true;
      out.append("Content-Length: ").append(length).append("\r\n");
      continue;
    }
    if (Is(name, "Transfer-Encoding")) {
      problem = "the app set Transfer-Encoding; the body was sent with Content-Length";
      continue;
    }
    if (Is(name, "Connection")) continue;  // hop-by-hop: the server decides
    has_server |= Is(name, "Server");
    has_date |= Is(name, "Date");
    out.append(name).append(": ").append(value).append("\r\n");
  }
  bool bodiless = response.status < 200 || response.status == 204 || response.status == 304;
  if (!has_length && !bodiless) out.append("Content-Length: ").append(length).append("\r\n");
  if (!has_server) out.append("Server: ").append(server).append("\r\n");
  if (!has_date) out.append("Date: ").append(date).append("\r\n");
  if (!keep_alive) out.append("Connection: close\r\n");
  out.append("\r\n");
  if (!head && !bodiless) out.append(response.body);
  return problem;
}

}  // namespace fwbench::embed
