#include "verify/verify.h"

#include <ctime>

#include "common/error.h"
#include "verify/contract.h"
#include "verify/dbtool.h"
#include "verify/http_client.h"
#include "verify/response_rules.h"
#include "verify/statement_counts.h"

namespace fwbench::verify {
namespace {

using nlohmann::json;

// "first detail; other rule: its detail; ..." (the first problem's rule names the check).
std::string JoinProblems(const std::vector<Problem>& problems) {
  std::string text;
  for (const auto& problem : problems) {
    text += (text.empty() ? "" : "; ") +
            (problem.rule == problems.front().rule ? "" : problem.rule + ": ") + problem.detail;
  }
  return text;
}

// One case: send it, then every rule; the check names the first broken rule and lists all.
Check RunCase(HttpClient& client, const json& contract, const Options& options, const json& route,
              const json& test_case, const WorldReader& read_worlds) {
  HttpRequest request = BuildRequest(route, test_case);
  Check check;
  check.route = DescribeRequest(request);
  check.name = route.at("name").get<std::string>() + "/" + test_case.at("name").get<std::string>();
  const json& expect = test_case.at("expect");
  HttpResponse response;
  try {
    response = client.Send(request);
  } catch (const Error& e) {
    check.rule = "response";
    check.detail = e.what();
    return check;
  }
  BodyOutcome outcome = CheckResponse(contract, options.profile, expect, response,
                                      std::time(nullptr), Origin::kServer, read_worlds);
  const std::vector<Problem>& problems = outcome.problems;
  const std::string& summary = outcome.summary;
  check.passed = problems.empty();
  if (check.passed) {
    check.rule =
        expect.contains("body") ? expect.at("body").at("kind").get<std::string>() : "status";
    check.detail = summary;
  } else {
    check.rule = problems.front().rule;
    check.detail = JoinProblems(problems);
  }
  return check;
}

// A dead server fails once, clearly, instead of once per case.
bool Reachable(HttpClient& client, const json& contract, Result& result) {
  const json& route = contract.at("routes").at(0);
  HttpRequest probe = BuildRequest(route, route.at("cases").at(0));
  try {
    client.Send(probe);
    return true;
  } catch (const Error& e) {
    result.checks.push_back({client.base_url(), "reachable", false, e.what(), "server"});
    return false;
  }
}

// `text` as a JSON string that is valid UTF-8 (a server may send any bytes).
json ValidString(const std::string& text) {
  return json::parse(json(text).dump(-1, ' ', false, json::error_handler_t::replace));
}

}  // namespace

bool Result::Passed() const {
  if (checks.empty()) return false;
  for (const auto& check : checks) {
    if (!check.passed) return false;
  }
  return true;
}

Result Run(const Options& options) {
  json contract =
      LoadContract(options.contract_path.empty() ? DefaultContractPath()
                                                 : std::filesystem::path(options.contract_path));
  if (!contract.at("profiles").contains(options.profile)) {
    throw Error("profile '" + options.profile + "' is not in the contract", "--profile",
                "use one of the contract's profiles: minimal, standard");
  }
  Dbtool dbtool(options.database_url);  // one helper process for every DB read of this run
  WorldReader read_worlds;
  if (!options.database_url.empty()) {
    read_worlds = [&dbtool](const std::vector<long long>& ids) { return dbtool.ReadWorlds(ids); };
  }
  HttpClient client(options.base_url);
  Result result;
  if (!Reachable(client, contract, result)) return result;
  for (const json& route : contract.at("routes")) {
    for (const json& test_case : route.at("cases")) {
      try {
        result.checks.push_back(RunCase(client, contract, options, route, test_case, read_worlds));
      } catch (const json::exception& e) {
        throw Error(
            std::string("malformed case: ") + e.what(),
            "contract route " + route.value("name", "?") + " case " + test_case.value("name", "?"),
            "fix the case as apps/CONTRACT.md describes");
      }
    }
  }
  StatementCheckResult counts = CheckStatementCounts(contract, options, dbtool);
  result.checks.insert(result.checks.end(), counts.checks.begin(), counts.checks.end());
  result.statement_counts = std::move(counts.report);
  return result;
}

json ToJson(const Result& result) {
  json checks = json::array(), failures = json::array();
  for (const auto& check : result.checks) {
    json item = {{"name", check.name},
                 {"route", ValidString(check.route)},
                 {"rule", check.rule},
                 {"passed", check.passed},
                 {"detail", ValidString(check.detail)}};
    if (!check.passed) failures.push_back(item);
    checks.push_back(std::move(item));
  }
  return {{"passed", result.Passed()},
          {"checks", result.checks.size()},
          {"failures", failures},
          {"results", checks},
          {"statement_counts", result.statement_counts.is_null()
                                   ? json{{"checked", false}, {"reason", "not run"}}
                                   : result.statement_counts}};
}

}  // namespace fwbench::verify
