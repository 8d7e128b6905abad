#pragma once
// Reading apps/contract.json (schema fwbench.contract/1, described in apps/CONTRACT.md) and
// turning its cases into requests. Route rules live in the contract, never here.
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "verify/http_client.h"

namespace fwbench::verify {

// <root>/apps/contract.json.
std::filesystem::path DefaultContractPath();

// Reads and checks the contract: schema "fwbench.contract/1" and a routes array. Throws
// fwbench::Error naming the file and the field otherwise. Every `html_equals` body rule's
// `expected_file` (relative to the contract's folder) is read into the rule as
// kExpectedFileText, so checking a response reads no file; a missing file throws.
nlohmann::json LoadContract(const std::filesystem::path& path);

// The key under which LoadContract stores an html_equals rule's expected page.
inline constexpr char kExpectedFileText[] = "expected_file_text";

// The request a case describes: route method, case path (or the route's), "?query", headers,
// and the body ({"json": V} compact, {"text": S}, {"repeat": C, "bytes": N}).
HttpRequest BuildRequest(const nlohmann::json& route, const nlohmann::json& test_case);

// The method and target of that request as a check names it: "/db", "POST /api/orders".
std::string DescribeRequest(const HttpRequest& request);

// The whole /fortunes page the contract expects, each message HTML-escaped:
// html_before_rows + row_template per expected_table row + html_after_rows.
std::string ExpectedFortunesHtml(const nlohmann::json& contract);

// One kind of data statement on one table, per request: e.g. 20 "select" on "world" that
// return 20 rows in all.
struct StatementCount {
  std::string table;
  std::string kind;  // the statement's first keyword, lower case: select, update, insert, ...
  long long calls = 0;
  long long rows = 0;
};

// One way of doing a route's work that the contract allows ("single-row updates").
struct StatementBudget {
  std::string name;
  std::vector<StatementCount> statements;  // every (table, kind) not listed must be 0 calls
};

// A DB route's statement rule: requests of `request` (the route's `statements.case`) must
// each run exactly the statements of one of `allowed`.
struct RouteStatements {
  std::string name;  // "<route name>/statements"
  HttpRequest request;
  int expect_status = 200;
  std::vector<StatementBudget> allowed;
};

// The contract's statement_counts section and every route's `statements`.
struct StatementCountsSpec {
  int clients = 0;                  // concurrent keep-alive clients in the burst
  int requests_per_client = 0;      // requests each client sends
  std::vector<std::string> tables;  // the contract's tables; statements on no table are not counted
  std::vector<RouteStatements> routes;
};

// Reads statement_counts and the routes' `statements` (apps/CONTRACT.md, "Statement counts").
// Throws fwbench::Error naming the field when one is missing or malformed.
StatementCountsSpec ReadStatementCounts(const nlohmann::json& contract);

}  // namespace fwbench::verify
