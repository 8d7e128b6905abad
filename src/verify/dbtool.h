#pragma once
// apps/dbtool.py, run with the venv's python (no shell): creates and seeds the World and
// Fortune tables, and reads World rows back for the /updates check.
#include <map>
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

}  // namespace fwbench::verify
