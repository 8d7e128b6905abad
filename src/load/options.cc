// OptionsFromUrl and AddRequestsFromJson (the request-file format, results/SCHEMA.md).

#include "common/error.h"
#include "load/load.h"
#include "net/url.h"

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
  const net::HttpUrl parsed = net::ParseHttpUrl(url, "fwbench load URL");
  Options options;
  options.host = parsed.host;
  options.port = parsed.port;
  RequestSpec spec;
  spec.name = "GET " + parsed.path;
  spec.path = parsed.path;
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
