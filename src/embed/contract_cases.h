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
  WsgiRequest request;  // verify::BuildRequest's, with Host (and Content-Length with a body)
};

// <root>/apps/contract.json, read by the one contract reader (verify::LoadContract).
nlohmann::json ReadContract();

// For each route (or only `route` when non-empty): its first case expecting a 2xx status, else
// its first case. Throws fwbench::Error naming the known routes when `route` is unknown.
std::vector<RouteCase> RepresentativeCases(const nlohmann::json& contract,
                                           const std::string& route = "");

}  // namespace fwbench::embed
