#pragma once
// apps/dbtool.py, run with the venv's python (no shell): creates and seeds the World and
// Fortune tables, reads World rows back for the /updates check, and resets and reads
// PostgreSQL's pg_stat_statements for the statement counts. All DB access is in dbtool.py.
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace fwbench::verify {

// "sqlite:///<root>/var/fwbench.db": the default database, a file that is not committed.
std::string DefaultDatabaseUrl();

// dbtool.py init --url URL: creates the tables and seeds them (10,000 World rows, the 12
// fortunes). Returns what it printed. Throws fwbench::Error with its stderr on failure.
std::string InitDatabase(const std::string& database_url);

// dbtool.py worlds --url URL --ids 1,2,3: id -> randomNumber as stored now.
// Throws fwbench::Error when dbtool fails or prints something other than a JSON object.
std::map<long long, long long> ReadWorlds(const std::string& database_url,
                                          const std::vector<long long>& ids);

// dbtool.py stats-reset --url URL: zeroes pg_stat_statements for that database. Throws
// fwbench::Error with dbtool's message (which says how to enable pg_stat_statements when it is
// missing) on failure.
void ResetStatementStats(const std::string& database_url);

// dbtool.py stats-read --url URL [--reset]: {"statements": [{"query", "calls", "rows"}, ...]}
// for that database since the last reset; `reset_after` zeroes them after reading (one process
// instead of two). Throws fwbench::Error as ResetStatementStats does, or when dbtool prints
// something else.
nlohmann::json ReadStatementStats(const std::string& database_url, bool reset_after = false);

}  // namespace fwbench::verify
