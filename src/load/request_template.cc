#include "load/request_template.h"

#include <strings.h>

#include "common/error.h"

namespace fwbench::load {
namespace {

bool HasHeader(const std::vector<std::pair<std::string, std::string>>& headers, const char* name) {
  for (const auto& [key, value] : headers) {
    if (strcasecmp(key.c_str(), name) == 0) return true;
  }
  return false;
}

std::string Substitute(const std::string& path, const std::string& value) {
  std::string out = path;
  for (size_t at = out.find("{param}"); at != std::string::npos; at = out.find("{param}", at)) {
    out.replace(at, 7, value);
    at += value.size();
  }
  return out;
}

}  // namespace

std::string HostHeader(const std::string& host, int port) {
  const bool ipv6 = host.find(':') != std::string::npos && host.front() != '[';
  return (ipv6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

RouteTemplate RenderRoute(const Options& options, const RequestSpec& spec) {
  if (spec.method.empty() || spec.method.find_first_of(" \r\n") != std::string::npos) {
    throw Error("invalid HTTP method '" + spec.method + "'", "request " + spec.name,
                "use a token such as GET or POST");
  }
  if (spec.path.empty() || spec.path.front() != '/' ||
      spec.path.find_first_of(" \r\n") != std::string::npos) {
    throw Error("invalid request path '" + spec.path + "'", "request " + spec.name,
                "use an absolute path such as /json, without spaces");
  }
  std::vector<std::pair<std::string, std::string>> all = options.headers;
  all.insert(all.end(), spec.headers.begin(), spec.headers.end());
  std::string head_lines;
  if (!HasHeader(all, "Host"))
    head_lines += "Host: " + HostHeader(options.host, options.port) + "\r\n";
  for (const auto& [key, value] : all) head_lines += key + ": " + value + "\r\n";
  const bool carries_body =
      !spec.body.empty() || spec.method == "POST" || spec.method == "PUT" || spec.method == "PATCH";
  if (carries_body && !HasHeader(all, "Content-Length") && !HasHeader(all, "Transfer-Encoding")) {
    head_lines += "Content-Length: " + std::to_string(spec.body.size()) + "\r\n";
  }
  head_lines += "\r\n";

  RouteTemplate route;
  route.name = spec.name.empty() ? spec.method + " " + spec.path : spec.name;
  route.head = spec.method == "HEAD";
  const std::vector<std::string> values =
      spec.param_values.empty() ? std::vector<std::string>{""} : spec.param_values;
  for (const auto& value : values) {
    const std::string path = spec.param_values.empty() ? spec.path : Substitute(spec.path, value);
    route.variants.push_back(spec.method + " " + path + " HTTP/1.1\r\n" + head_lines + spec.body);
  }
  return route;
}

RoutePicker::RoutePicker(const std::vector<RequestSpec>& specs) {
  double total = 0;
  for (const auto& spec : specs) {
    if (!(spec.weight > 0)) {
      throw Error("request weight must be positive", "request " + spec.name,
                  "give every request a weight > 0");
    }
    total += spec.weight;
  }
  double sum = 0;
  for (const auto& spec : specs) cumulative_.push_back((sum += spec.weight) / total);
}

uint32_t RoutePicker::Pick(double u) const {
  for (uint32_t i = 0; i + 1 < cumulative_.size(); ++i) {
    if (u < cumulative_[i]) return i;
  }
  return static_cast<uint32_t>(cumulative_.size() - 1);
}

}  // namespace fwbench::load
