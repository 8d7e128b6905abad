#include "verify/contract.h"

#include <fstream>
#include <sstream>

#include "common/atomic_file.h"
#include "common/error.h"
#include "common/paths.h"
#include "verify/html_normalise.h"

namespace fwbench::verify {
namespace {

using nlohmann::json;

std::string RequestBody(const json& body) {
  if (body.contains("json")) return body.at("json").dump();
  if (body.contains("text")) return body.at("text").get<std::string>();
  if (body.contains("repeat")) {
    std::string unit = body.at("repeat").get<std::string>();
    size_t bytes = body.at("bytes").get<size_t>();
    std::string out;
    out.reserve(bytes + unit.size());
    while (out.size() < bytes) out += unit;
    out.resize(bytes);
    return out;
  }
  throw Error("request body " + body.dump() + " is none of json, text, repeat", "contract",
              "see apps/CONTRACT.md for the body forms");
}

void ReplaceAll(std::string& text, const std::string& from, const std::string& to) {
  for (size_t pos = text.find(from); pos != std::string::npos; pos = text.find(from, pos)) {
    text.replace(pos, from.size(), to);
    pos += to.size();
  }
}

StatementCount ReadStatementCount(const json& item, const std::string& where) {
  StatementCount count{item.at("table").get<std::string>(), item.at("kind").get<std::string>(),
                       item.at("calls").get<long long>(), item.at("rows").get<long long>()};
  if (count.calls < 0 || count.rows < 0) {
    throw Error("negative calls or rows", where, "give counts per request, 0 or more");
  }
  return count;
}

const json& CaseNamed(const json& route, const std::string& name, const std::string& where) {
  for (const json& test_case : route.at("cases")) {
    if (test_case.at("name") == name) return test_case;
  }
  throw Error("no case named '" + name + "' in this route", where,
              "name one of the route's cases in statements.case");
}

RouteStatements ReadRouteStatements(const json& route) {
  const std::string route_name = route.at("name").get<std::string>();
  const std::string where = "contract route " + route_name + ": statements";
  const json& spec = route.at("statements");
  RouteStatements out;
  out.name = route_name + "/statements";
  const json& test_case = CaseNamed(route, spec.at("case").get<std::string>(), where + ".case");
  out.request = BuildRequest(route, test_case);
  out.expect_status = test_case.at("expect").at("status").get<int>();
  for (const json& budget : spec.at("allowed")) {
    StatementBudget allowed{budget.at("name").get<std::string>(), {}};
    for (const json& item : budget.at("statements")) {
      allowed.statements.push_back(ReadStatementCount(item, where + ".allowed"));
    }
    out.allowed.push_back(std::move(allowed));
  }
  if (out.allowed.empty()) {
    throw Error("no allowed statement budget", where + ".allowed", "list at least one");
  }
  return out;
}

std::string ReadText(const std::filesystem::path& path, const std::string& where) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw Error("cannot read expected file " + path.string(), where,
                "give a path relative to the contract's folder that exists");
  }
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Reads each html_equals rule's expected_file into the rule (kExpectedFileText).
void LoadExpectedFiles(json& contract, const std::filesystem::path& contract_path) {
  for (json& route : contract.at("routes")) {
    if (!route.is_object() || !route.contains("cases") || !route.at("cases").is_array()) continue;
    for (json& test_case : route.at("cases")) {
      if (!test_case.is_object() || !test_case.contains("expect")) continue;
      json& expect = test_case.at("expect");
      if (!expect.is_object() || !expect.contains("body")) continue;
      json& body = expect.at("body");
      if (!body.is_object() || body.value("kind", "") != "html_equals") continue;
      const std::string where = contract_path.string() + ": route " + route.value("name", "?") +
                                " case " + test_case.value("name", "?") + " expect.body";
      if (!body.contains("expected_file") || !body.at("expected_file").is_string()) {
        throw Error("html_equals rule without expected_file", where,
                    "name the expected page, relative to the contract's folder");
      }
      auto file = contract_path.parent_path() / body.at("expected_file").get<std::string>();
      body[kExpectedFileText] = ReadText(file, where + ".expected_file");
    }
  }
}

}  // namespace

std::filesystem::path DefaultContractPath() { return SourceDir() / "apps" / "contract.json"; }

json LoadContract(const std::filesystem::path& path) {
  json contract = ReadJsonFile(path);
  std::string schema = contract.value("schema", "");
  if (schema != "fwbench.contract/1") {
    throw Error("unknown contract schema '" + schema + "'", path.string() + ": schema",
                "this fwbench reads fwbench.contract/1; update fwbench or the contract");
  }
  if (!contract.contains("routes") || !contract.at("routes").is_array()) {
    throw Error("contract has no routes array", path.string() + ": routes");
  }
  LoadExpectedFiles(contract, path);
  return contract;
}

HttpRequest BuildRequest(const json& route, const json& test_case) {
  HttpRequest request;
  request.method = route.at("method").get<std::string>();
  request.target = test_case.value("path", route.at("path").get<std::string>());
  if (test_case.contains("query")) request.target += "?" + test_case.at("query").get<std::string>();
  const json headers = test_case.value("headers", json::object());
  for (const auto& [name, value] : headers.items()) {
    request.headers.emplace_back(name, value.get<std::string>());
  }
  if (test_case.contains("body")) request.body = RequestBody(test_case.at("body"));
  return request;
}

std::string DescribeRequest(const HttpRequest& request) {
  return request.method == "GET" ? request.target : request.method + " " + request.target;
}

StatementCountsSpec ReadStatementCounts(const json& contract) {
  StatementCountsSpec spec;
  try {
    const json& counts = contract.at("statement_counts");
    spec.clients = counts.at("clients").get<int>();
    spec.requests_per_client = counts.at("requests_per_client").get<int>();
    spec.tables = counts.at("tables").get<std::vector<std::string>>();
  } catch (const json::exception& e) {
    throw Error(std::string("malformed statement_counts: ") + e.what(), "contract statement_counts",
                "see apps/CONTRACT.md, Statement counts");
  }
  if (spec.clients < 1 || spec.requests_per_client < 1 || spec.tables.empty()) {
    throw Error("clients and requests_per_client must be at least 1, tables non-empty",
                "contract statement_counts");
  }
  for (const json& route : contract.at("routes")) {
    if (!route.contains("statements")) continue;
    try {
      spec.routes.push_back(ReadRouteStatements(route));
    } catch (const json::exception& e) {
      throw Error(std::string("malformed statements: ") + e.what(),
                  "contract route " + route.value("name", "?") + ": statements",
                  "see apps/CONTRACT.md, Statement counts");
    }
  }
  return spec;
}

std::string ExpectedFortunesHtml(const json& contract) {
  const json& fortunes = contract.at("fortunes");
  std::string html = fortunes.at("html_before_rows").get<std::string>();
  const std::string row_template = fortunes.at("row_template").get<std::string>();
  for (const json& row : fortunes.at("expected_table")) {
    std::string rendered = row_template;
    ReplaceAll(rendered, "{id}", std::to_string(row.at(0).get<long long>()));
    ReplaceAll(rendered, "{message}", HtmlEscape(row.at(1).get<std::string>()));
    html += rendered;
  }
  return html + fortunes.at("html_after_rows").get<std::string>();
}

}  // namespace fwbench::verify
