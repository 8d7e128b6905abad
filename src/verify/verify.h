#pragma once
// Checks a running app against the route contract (apps/contract.json).
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace fwbench::verify {

struct Options {
  std::string base_url;  // http://127.0.0.1:PORT
  std::string profile = "minimal";
  std::string contract_path;  // empty: <root>/apps/contract.json
  // The app's DATABASE_URL: /updates are read back from it, and on PostgreSQL the DB routes'
  // statements are counted (pg_stat_statements). Empty: neither.
  std::string database_url;
};

struct Check {
  std::string route;  // e.g. "/queries?queries=0"
  std::string rule;   // the contract rule's name, e.g. "clamp-low"
  bool passed = false;
  std::string detail;  // expected vs actual on failure
  std::string name;    // "<route name>/<case name>" in the contract, e.g. "queries/zero"
};

struct Result {
  std::vector<Check> checks;  // the contract's cases, then one "statements" check per DB route
  // {"checked": true, "clients", "requests_per_client", "routes": [...]} or {"checked": false,
  // "reason"} (apps/CONTRACT.md, "fwbench verify output").
  nlohmann::json statement_counts;
  bool Passed() const;
};

// Runs every case, then counts the DB routes' statements (verify/statement_counts.h). Throws
// fwbench::Error only when the contract itself cannot be read; an unreachable server is a failed
// check.
Result Run(const Options& options);

nlohmann::json ToJson(const Result& result);

}  // namespace fwbench::verify
