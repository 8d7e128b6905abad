#pragma once
// apps/dbtool.py, run with the venv's python (no shell): creates and seeds the World and
// Fortune tables, reads World rows back for the /updates check, and resets and reads
// PostgreSQL's pg_stat_statements for the statement counts. All DB access is in dbtool.py.
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "common/line_process.h"

namespace fwbench::verify {

// "sqlite:///<root>/var/fwbench.db": the default database, a file that is not committed.
std::string DefaultDatabaseUrl();

// dbtool.py init --url URL: creates the tables and seeds them (10,000 World rows, the 12
// fortunes). Returns what it printed. Throws fwbench::Error with its stderr on failure.
std::string InitDatabase(const std::string& database_url);

// One `dbtool.py serve --url URL` process for one verify run: started on the first question,
// asked one JSON line at a time, stopped when this is destroyed. Its connections stay open, so
// a question costs a query rather than an interpreter start (about 0.5 s with psycopg, and a
// PostgreSQL verify asks 14 of them). Every method throws fwbench::Error with dbtool's
// message and a fix on failure.
class Dbtool {
 public:
  explicit Dbtool(std::string database_url);
  ~Dbtool();
  Dbtool(const Dbtool&) = delete;
  Dbtool& operator=(const Dbtool&) = delete;

  // id -> randomNumber as stored now, for the ids that exist.
  std::map<long long, long long> ReadWorlds(const std::vector<long long>& ids);
  // Zeroes pg_stat_statements for this database (dbtool's message says how to enable it when
  // it is missing).
  void ResetStatementStats();
  // {"statements": [{"query", "calls", "rows"}, ...]} since the last reset; `reset_after`
  // zeroes them after reading.
  nlohmann::json ReadStatementStats(bool reset_after = false);

 private:
  nlohmann::json Ask(const nlohmann::json& request, const std::string& what,
                     const std::string& fix);
  std::string url_;
  std::unique_ptr<LineProcess> process_;
};

}  // namespace fwbench::verify
