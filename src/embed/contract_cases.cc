#include "embed/contract_cases.h"

#include "common/error.h"
#include "verify/contract.h"

namespace fwbench::embed {
namespace {

RouteCase MakeCase(const nlohmann::json& route, const nlohmann::json& item) {
  RouteCase out;
  out.route = route.at("name");
  out.case_name = item.at("name");
  out.expected_status = item.at("expect").at("status");
  // The request as `fwbench verify` builds it, plus what a server's parser would have added.
  verify::HttpRequest built = verify::BuildRequest(route, item);
  WsgiRequest& request = out.request;
  request.method = built.method;
  request.target = built.target;
  request.headers = {{"Host", "127.0.0.1"}};
  for (auto& header : built.headers) request.headers.push_back(std::move(header));
  request.body = std::move(built.body);
  if (item.contains("body"))
    request.headers.emplace_back("Content-Length", std::to_string(request.body.size()));
  return out;
}

}  // namespace

nlohmann::json ReadContract() { return verify::LoadContract(verify::DefaultContractPath()); }

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
