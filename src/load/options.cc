// OptionsFromUrl and AddRequestsFromJson (the request-file format, results/SCHEMA.md).
#include <charconv>

#include "common/error.h"
#include "load/load.h"

namespace fwbench::load {
namespace {

std::string ScalarText(const nlohmann::json& v) {
  return v.is_string() ? v.get<std::string>() : v.dump();
}

RequestSpec SpecFromJson(const nlohmann::json& r, size_t index) {
  const std::string where = "request file, requests[" + std::to_string(index) + "]";
  if (!r.is_object()) throw Error("a request must be an object", where, "see results/SCHEMA.md");
  RequestSpec spec;
  spec.method = r.value("method", "GET");
  spec.path = r.value("path", "/");
  spec.body = r.contains("body")
                  ? (r["body"].is_string() ? r["body"].get<std::string>() : r["body"].dump())
                  : "";
  spec.weight = r.value("weight", 1.0);
  spec.name = r.value("name", spec.method + " " + spec.path);
  if (r.contains("headers")) {
    for (const auto& [key, value] : r["headers"].items())
      spec.headers.emplace_back(key, ScalarText(value));
  }
  if (r.contains("params")) {
    for (const auto& v : r["params"]) spec.param_values.push_back(ScalarText(v));
    if (spec.path.find("{param}") == std::string::npos) {
      throw Error("\"params\" given but the path has no {param}", where,
                  "write the path as e.g. /queries?queries={param}");
    }
  }
  if (!(spec.weight > 0)) throw Error("weight must be > 0", where, "give a positive weight");
  return spec;
}

}  // namespace

Options OptionsFromUrl(const std::string& url) {
  const std::string scheme = "http://";
  if (url.rfind(scheme, 0) != 0) {
    throw Error("unsupported URL '" + url + "'", "fwbench load URL",
                "use http://host:port/path (https is not supported)");
  }
  const std::string rest = url.substr(scheme.size());
  const size_t slash = rest.find('/');
  const std::string authority = rest.substr(0, slash);
  const std::string path = slash == std::string::npos ? "/" : rest.substr(slash);
  Options options;
  std::string port_text;
  if (!authority.empty() && authority.front() == '[') {  // [::1]:8080
    const size_t close = authority.find(']');
    if (close == std::string::npos) throw Error("unterminated IPv6 address", url);
    options.host = authority.substr(1, close - 1);
    if (close + 1 < authority.size() && authority[close + 1] == ':')
      port_text = authority.substr(close + 2);
  } else {
    const size_t colon = authority.rfind(':');
    options.host = authority.substr(0, colon);
    if (colon != std::string::npos) port_text = authority.substr(colon + 1);
  }
  if (options.host.empty()) throw Error("URL has no host", url, "use http://127.0.0.1:8080/");
  if (!port_text.empty()) {
    int port = -1;
    const auto [end, ec] =
        std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (ec != std::errc() || end != port_text.data() + port_text.size() || port < 1 ||
        port > 65535) {
      throw Error("bad port '" + port_text + "'", url, "use a port in 1..65535");
    }
    options.port = port;
  }
  RequestSpec spec;
  spec.name = "GET " + path;
  spec.path = path;
  options.requests.push_back(std::move(spec));
  return options;
}

void AddRequestsFromJson(const nlohmann::json& doc, Options& options) {
  const nlohmann::json* list = &doc;
  if (doc.is_object()) {
    if (!doc.contains("requests")) {
      throw Error("no \"requests\" array", "request file", "see results/SCHEMA.md, request file");
    }
    list = &doc["requests"];
    if (doc.contains("headers")) {
      for (const auto& [key, value] : doc["headers"].items()) {
        options.headers.emplace_back(key, ScalarText(value));
      }
    }
  }
  if (!list->is_array() || list->empty()) {
    throw Error("\"requests\" must be a non-empty array", "request file", "see results/SCHEMA.md");
  }
  try {
    for (size_t i = 0; i < list->size(); ++i)
      options.requests.push_back(SpecFromJson((*list)[i], i));
  } catch (const nlohmann::json::exception& e) {
    throw Error("malformed request file: " + std::string(e.what()), "request file",
                "see results/SCHEMA.md, request file");
  }
}

}  // namespace fwbench::load
