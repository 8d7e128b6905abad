#include "verify/statement_counts.h"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cstdio>
#include <map>
#include <mutex>
#include <thread>
#include <utility>

#include "common/error.h"
#include "verify/dbtool.h"
#include "verify/http_client.h"

namespace fwbench::verify {
namespace {

using nlohmann::json;

std::string Lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

bool IsIdentifierChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$';
}

// True when `lower_query` names `table` as a whole identifier at some position.
bool NamesTable(const std::string& lower_query, const std::string& table) {
  for (size_t at = lower_query.find(table); at != std::string::npos;
       at = lower_query.find(table, at + 1)) {
    size_t end = at + table.size();
    bool starts = at == 0 || !IsIdentifierChar(lower_query[at - 1]);
    bool ends = end == lower_query.size() || !IsIdentifierChar(lower_query[end]);
    if (starts && ends) return true;
  }
  return false;
}

// "20", "21.5", "0.03": a per-request count.
std::string PerRequest(long long total, long long requests) {
  if (requests > 0 && total % requests == 0) return std::to_string(total / requests);
  char text[32];
  std::snprintf(text, sizeof text, "%.2f", requests > 0 ? double(total) / double(requests) : 0.0);
  return text;
}

std::string Describe(const StatementCount& count, long long requests) {
  std::string rows = PerRequest(count.rows, requests);
  return PerRequest(count.calls, requests) + " " + count.kind + " " + count.table + " (" + rows +
         (rows == "1" ? " row)" : " rows)");
}

std::string DescribeAll(const std::vector<StatementCount>& counts, long long requests) {
  if (counts.empty()) return "no statements";
  std::string text;
  for (const auto& count : counts) text += (text.empty() ? "" : " + ") + Describe(count, requests);
  return text;
}

bool Matches(const std::vector<StatementCount>& totals, long long requests,
             const StatementBudget& budget) {
  std::map<std::pair<std::string, std::string>, const StatementCount*> measured;
  for (const auto& total : totals) measured[{total.table, total.kind}] = &total;
  for (const auto& want : budget.statements) {
    auto it = measured.find({want.table, want.kind});
    long long calls = it == measured.end() ? 0 : it->second->calls;
    long long rows = it == measured.end() ? 0 : it->second->rows;
    if (calls != want.calls * requests || rows != want.rows * requests) return false;
    if (it != measured.end()) measured.erase(it);
  }
  for (const auto& [key, total] : measured) {
    if (total->calls != 0) return false;  // a statement the budget does not allow
  }
  return true;
}

json CountsJson(const std::vector<StatementCount>& counts, long long requests) {
  json out = json::array();
  for (const auto& count : counts) {
    json item = {{"table", count.table}, {"kind", count.kind}};
    if (requests > 0) {
      item["calls"] = double(count.calls) / double(requests);
      item["rows"] = double(count.rows) / double(requests);
    } else {
      item["calls"] = count.calls;
      item["rows"] = count.rows;
    }
    out.push_back(std::move(item));
  }
  return out;
}

json AllowedJson(const std::vector<StatementBudget>& allowed) {
  json out = json::array();
  for (const auto& budget : allowed) {
    out.push_back({{"name", budget.name}, {"statements", CountsJson(budget.statements, 0)}});
  }
  return out;
}

json Unchecked(const std::string& reason) { return {{"checked", false}, {"reason", reason}}; }

// Why statement counts cannot be taken at `database_url`; "" when they can (PostgreSQL).
std::string UncheckedReason(const std::string& database_url) {
  if (database_url.empty()) {
    return "no --database-url; give the app's PostgreSQL DATABASE_URL to count statements";
  }
  if (database_url.rfind("postgresql://", 0) == 0 || database_url.rfind("postgres://", 0) == 0) {
    return "";
  }
  return "SQLite keeps no statement statistics; verify against PostgreSQL (scripts/pg start "
         "DIR) to count them";
}

// Bursts, reads (and resets for the next route) and judges one route, with the statistics
// zeroed before; returns its check and its report entry.
std::pair<Check, json> CheckRoute(const StatementCountsSpec& spec, const RouteStatements& route,
                                  const Options& options, Dbtool& dbtool) {
  Check check;
  check.name = route.name;
  check.route = DescribeRequest(route.request);
  check.rule = "statements";
  json entry = {
      {"name", route.name}, {"route", check.route}, {"allowed", AllowedJson(route.allowed)}};
  BurstOutcome burst = RunBurst(options.base_url, route.request, route.expect_status, spec.clients,
                                spec.requests_per_client);
  std::vector<StatementCount> totals =
      TallyStatements(dbtool.ReadStatementStats(/*reset_after=*/true), spec.tables);
  entry["requests"] = burst.sent;
  entry["failed_requests"] = burst.failed;
  entry["per_request"] = CountsJson(totals, burst.sent);
  if (burst.failed > 0) {
    check.detail = std::to_string(burst.failed) + " of " + std::to_string(burst.sent) +
                   " burst requests failed (first: " + burst.first_error +
                   "), so the statements per request cannot be counted";
    entry["passed"] = false;
    return {check, entry};
  }
  StatementVerdict verdict = JudgeStatements(totals, burst.sent, route.allowed);
  check.passed = verdict.passed;
  std::string over =
      std::to_string(burst.sent) + " requests from " + std::to_string(spec.clients) + " clients";
  if (verdict.passed) {
    check.detail = verdict.measured + " per request (" + verdict.matched + "; " + over + ")";
    entry["matched"] = verdict.matched;
  } else {
    check.detail = "expected per request " + verdict.expected + "; measured per request " +
                   verdict.measured + " (" + over + ")";
  }
  entry["passed"] = verdict.passed;
  return {check, entry};
}

}  // namespace

std::string TableOf(const std::string& query, const std::vector<std::string>& tables) {
  std::string lower = Lower(query);
  for (const auto& table : tables) {
    if (NamesTable(lower, Lower(table))) return table;
  }
  return "";
}

std::string KindOf(const std::string& query) {
  size_t at = 0;
  while (at < query.size()) {
    char c = query[at];
    if (std::isspace(static_cast<unsigned char>(c)) || c == '(') {
      ++at;
    } else if (query.compare(at, 2, "--") == 0) {
      at = query.find('\n', at);
    } else if (query.compare(at, 2, "/*") == 0) {
      at = query.find("*/", at);
      at = at == std::string::npos ? at : at + 2;
    } else {
      break;
    }
  }
  if (at >= query.size()) return "";
  size_t end = at;
  while (end < query.size() && std::isalpha(static_cast<unsigned char>(query[end]))) ++end;
  return Lower(query.substr(at, end - at));
}

std::vector<StatementCount> TallyStatements(const json& stats,
                                            const std::vector<std::string>& tables) {
  std::map<std::pair<std::string, std::string>, StatementCount> sums;
  for (const json& statement : stats.at("statements")) {
    const std::string query = statement.at("query").get<std::string>();
    std::string table = TableOf(query, tables);
    if (table.empty()) continue;
    std::string kind = KindOf(query);
    StatementCount& sum = sums[{table, kind}];
    sum.table = table;
    sum.kind = kind;
    sum.calls += statement.at("calls").get<long long>();
    sum.rows += statement.at("rows").get<long long>();
  }
  std::vector<StatementCount> totals;
  for (auto& [key, sum] : sums) totals.push_back(std::move(sum));
  return totals;
}

StatementVerdict JudgeStatements(const std::vector<StatementCount>& totals, long long requests,
                                 const std::vector<StatementBudget>& allowed) {
  StatementVerdict verdict;
  verdict.measured = DescribeAll(totals, requests);
  for (const auto& budget : allowed) {
    verdict.expected += (verdict.expected.empty() ? "" : " or ") +
                        DescribeAll(budget.statements, 1) + " (" + budget.name + ")";
    if (!verdict.passed && requests > 0 && Matches(totals, requests, budget)) {
      verdict.passed = true;
      verdict.matched = budget.name;
    }
  }
  return verdict;
}

BurstOutcome RunBurst(const std::string& base_url, const HttpRequest& request, int expect_status,
                      int clients, int per_client) {
  std::atomic<int> sent{0}, failed{0};
  std::mutex error_mutex;
  BurstOutcome outcome;
  auto client_loop = [&] {
    auto note = [&](const std::string& what) {
      ++failed;
      std::lock_guard<std::mutex> lock(error_mutex);
      if (outcome.first_error.empty()) outcome.first_error = what;
    };
    try {  // an exception must not leave the thread: it would end the process
      HttpClient client(base_url);
      for (int i = 0; i < per_client; ++i) {
        ++sent;
        try {
          int status = client.Send(request).status;
          if (status != expect_status) {
            note("status " + std::to_string(status) + ", expected " +
                 std::to_string(expect_status));
          }
        } catch (const Error& e) {
          note(e.what());
        }
      }
    } catch (const std::exception& e) {
      note(e.what());
    }
  };
  std::vector<std::thread> threads;
  for (int i = 0; i < clients; ++i) threads.emplace_back(client_loop);
  for (auto& thread : threads) thread.join();
  outcome.sent = sent;
  outcome.failed = failed;
  return outcome;
}

StatementCheckResult CheckStatementCounts(const json& contract, const Options& options,
                                          Dbtool& dbtool) {
  StatementCheckResult result;
  std::string reason = UncheckedReason(options.database_url);
  if (!reason.empty()) {
    result.report = Unchecked(reason);
    return result;
  }
  StatementCountsSpec spec = ReadStatementCounts(contract);
  json routes = json::array();
  try {
    dbtool.ResetStatementStats();
    for (const auto& route : spec.routes) {
      auto [check, entry] = CheckRoute(spec, route, options, dbtool);
      result.checks.push_back(std::move(check));
      routes.push_back(std::move(entry));
    }
  } catch (const Error& e) {  // pg_stat_statements missing, or dbtool failed: stop counting
    result.checks.push_back({options.database_url, "pg_stat_statements", false,
                             std::string("statement counts cannot be taken: ") + e.what(),
                             "statement_counts"});
    result.report = Unchecked("pg_stat_statements could not be used at " + options.database_url +
                              "; the statement_counts check says why");
    return result;
  }
  result.report = {{"checked", true},
                   {"clients", spec.clients},
                   {"requests_per_client", spec.requests_per_client},
                   {"routes", routes}};
  return result;
}

}  // namespace fwbench::verify
