#pragma once
// The requests fwbench replays in-process: one representative case per contract route.
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "embed/wsgi_bridge.h"

namespace fwbench::embed {

struct RouteCase {
  std::string route;      // the contract route name, e.g. "json"
  std::string case_name;  // e.g. "hello"
  int expected_status = 200;
  WsgiRequest request;  // method, target with query, headers (Host, case headers), body
};

// <root>/apps/contract.json; throws fwbench::Error unless its schema is fwbench.contract/1.
nlohmann::json ReadContract();

// For each route (or only `route` when non-empty): its first case expecting a 2xx status, else
// its first case. Throws fwbench::Error naming the known routes when `route` is unknown.
std::vector<RouteCase> RepresentativeCases(const nlohmann::json& contract,
                                           const std::string& route = "");

// The request body a case describes: {"json": V} compact, {"text": S}, {"repeat": C, "bytes": N}.
std::string CaseBody(const nlohmann::json& body);

}  // namespace fwbench::embed
