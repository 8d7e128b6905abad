#include "embed/contract_cases.h"

#include "common/atomic_file.h"
#include "common/error.h"
#include "common/paths.h"

namespace fwbench::embed {
namespace {

RouteCase MakeCase(const nlohmann::json& route, const nlohmann::json& item) {
  RouteCase out;
  out.route = route.at("name");
  out.case_name = item.at("name");
  out.expected_status = item.at("expect").at("status");
  WsgiRequest& request = out.request;
  request.method = route.at("method");
  request.target = item.value("path", route.at("path").get<std::string>());
  if (item.contains("query")) request.target += "?" + item["query"].get<std::string>();
  request.headers = {{"Host", "127.0.0.1"}};
  const nlohmann::json headers = item.value("headers", nlohmann::json::object());
  for (const auto& [name, value] : headers.items()) {
    request.headers.emplace_back(name, value.get<std::string>());
  }
  if (item.contains("body")) {
    request.body = CaseBody(item["body"]);
    request.headers.emplace_back("Content-Length", std::to_string(request.body.size()));
  }
  return out;
}

}  // namespace

nlohmann::json ReadContract() {
  auto path = SourceDir() / "apps" / "contract.json";
  nlohmann::json contract = ReadJsonFile(path);
  if (contract.value("schema", "") != "fwbench.contract/1") {
    throw Error("unknown contract schema '" + contract.value("schema", "") + "'",
                path.string() + " field schema", "this fwbench reads fwbench.contract/1");
  }
  return contract;
}

std::string CaseBody(const nlohmann::json& body) {
  if (body.contains("json")) return body["json"].dump();
  if (body.contains("text")) return body["text"].get<std::string>();
  if (body.contains("repeat")) {
    std::string unit = body["repeat"];
    size_t bytes = body.at("bytes");
    std::string out;
    while (out.size() < bytes) out += unit;
    out.resize(bytes);
    return out;
  }
  throw Error("unknown body kind " + body.dump(), "apps/contract.json", "use json, text or repeat");
}

std::vector<RouteCase> RepresentativeCases(const nlohmann::json& contract,
                                           const std::string& route) {
  std::vector<RouteCase> cases;
  std::string known;
  for (const auto& entry : contract.at("routes")) {
    known += entry.at("name").get<std::string>() + " ";
    if (!route.empty() && entry.at("name") != route) continue;
    const nlohmann::json* chosen = &entry.at("cases").at(0);
    for (const auto& item : entry.at("cases")) {
      int status = item.at("expect").at("status");
      if (status >= 200 && status < 300) {
        chosen = &item;
        break;
      }
    }
    cases.push_back(MakeCase(entry, *chosen));
  }
  if (cases.empty()) {
    throw Error("no contract route named '" + route + "'", "--route", "use one of: " + known);
  }
  return cases;
}

}  // namespace fwbench::embed
