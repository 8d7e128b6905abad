#pragma once
// Reading apps/contract.json (schema fwbench.contract/1, described in apps/CONTRACT.md) and
// turning its cases into requests. Route rules live in the contract, never here.
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "verify/http_client.h"

namespace fwbench::verify {

// <root>/apps/contract.json.
std::filesystem::path DefaultContractPath();

// Reads and checks the contract: schema "fwbench.contract/1" and a routes array. Throws
// fwbench::Error naming the file and the field otherwise.
nlohmann::json LoadContract(const std::filesystem::path& path);

// The request a case describes: route method, case path (or the route's), "?query", headers,
// and the body ({"json": V} compact, {"text": S}, {"repeat": C, "bytes": N}).
HttpRequest BuildRequest(const nlohmann::json& route, const nlohmann::json& test_case);

// The method and target of that request as a check names it: "/db", "POST /api/orders".
std::string DescribeRequest(const HttpRequest& request);

// The whole /fortunes page the contract expects, each message HTML-escaped:
// html_before_rows + row_template per expected_table row + html_after_rows.
std::string ExpectedFortunesHtml(const nlohmann::json& contract);

}  // namespace fwbench::verify
