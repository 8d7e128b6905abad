#pragma once
// Statement counts: the data statements each DB route runs per request, counted on PostgreSQL
// with pg_stat_statements under a short concurrent burst and compared with the contract's
// `statements` rules (apps/CONTRACT.md, "Statement counts").
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "verify/contract.h"
#include "verify/dbtool.h"
#include "verify/verify.h"

namespace fwbench::verify {

// The contract table a statement works on: the first of `tables` its text names as a whole
// identifier (bare or double-quoted, any case); "" when it names none (transaction control,
// connection setup such as SET/SHOW, the driver's catalog lookups): those are not counted.
std::string TableOf(const std::string& query, const std::vector<std::string>& tables);

// The statement's first keyword in lower case ("select", "update", "begin"), after leading
// whitespace, comments and parentheses.
std::string KindOf(const std::string& query);

// Sums dbtool stats-read output ({"statements": [{"query", "calls", "rows"}]}) per (table,
// kind), over statements on `tables` only; sorted by table, then kind.
std::vector<StatementCount> TallyStatements(const nlohmann::json& stats,
                                            const std::vector<std::string>& tables);

struct StatementVerdict {
  bool passed = false;
  std::string matched;   // the allowed budget's name when passed
  std::string measured;  // per request, e.g. "20 select world (20 rows) + 1 update world (20 rows)"
  std::string
      expected;  // every allowed budget, "... (single-row updates) or ... (one batched ...)"
};

// Passes when `totals` are exactly `requests` times one allowed budget: each listed (table,
// kind) has calls and rows equal to requests x its count, and nothing else was run.
StatementVerdict JudgeStatements(const std::vector<StatementCount>& totals, long long requests,
                                 const std::vector<StatementBudget>& allowed);

struct BurstOutcome {
  int sent = 0;
  int failed = 0;           // no response, or a status other than the expected one
  std::string first_error;  // what the first failure was
};

// `clients` threads, each with its own keep-alive connection, send `request` `per_client`
// times to `base_url`. Bounded: clients x per_client requests, each with the client timeout.
BurstOutcome RunBurst(const std::string& base_url, const HttpRequest& request, int expect_status,
                      int clients, int per_client);

// The statement-count checks, one per DB route, and the "statement_counts" JSON of the
// verify report ({"checked": false, "reason"} when they cannot be counted: no database URL,
// SQLite; or {"checked": true, ...} with the per-route counts). A PostgreSQL without
// pg_stat_statements gives one failed check whose detail says how to enable it. `dbtool`
// serves options.database_url.
struct StatementCheckResult {
  std::vector<Check> checks;
  nlohmann::json report;
};
StatementCheckResult CheckStatementCounts(const nlohmann::json& contract, const Options& options,
                                          Dbtool& dbtool);

}  // namespace fwbench::verify
