#pragma once
// Checks a running app against the route contract (apps/contract.json).
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace fwbench::verify {

struct Options {
  std::string base_url;      // http://127.0.0.1:PORT
  std::string profile = "minimal";
  std::string contract_path;  // empty: <root>/apps/contract.json
  std::string database_url;   // where /updates must have persisted; empty skips read-back
};

struct Check {
  std::string route;  // e.g. "/queries?queries=0"
  std::string rule;   // the contract rule's name, e.g. "clamp-low"
  bool passed = false;
  std::string detail;  // expected vs actual on failure
  std::string name;    // "<route name>/<case name>" in the contract, e.g. "queries/zero"
};

struct Result {
  std::vector<Check> checks;
  bool Passed() const;
};

// Runs every check. Throws fwbench::Error only when the contract itself cannot be read;
// an unreachable server is a failed check.
Result Run(const Options& options);

nlohmann::json ToJson(const Result& result);

}  // namespace fwbench::verify
