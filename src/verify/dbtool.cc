#include "verify/dbtool.h"

#include <nlohmann/json.hpp>

#include "common/error.h"
#include "common/paths.h"
#include "common/run_process.h"

namespace fwbench::verify {
namespace {

std::vector<std::string> DbtoolArgv(const std::string& command, const std::string& url) {
  return {VenvPython().string(), (SourceDir() / "apps" / "dbtool.py").string(), command, "--url",
          url};
}

}  // namespace

std::string DefaultDatabaseUrl() {
  return "sqlite:///" + (SourceDir() / "var" / "fwbench.db").string();
}

std::string InitDatabase(const std::string& database_url) {
  return RunProcessOrThrow(DbtoolArgv("init", database_url), "seeding " + database_url,
                           "check the URL; for PostgreSQL start it with scripts/pg start DIR");
}

std::map<long long, long long> ReadWorlds(const std::string& database_url,
                                          const std::vector<long long>& ids) {
  std::string id_list;
  for (long long id : ids) id_list += (id_list.empty() ? "" : ",") + std::to_string(id);
  auto argv = DbtoolArgv("worlds", database_url);
  argv.insert(argv.end(), {"--ids", id_list});
  std::string out = RunProcessOrThrow(argv, "reading World rows back from " + database_url,
                                      "give --database-url the database the app uses");
  nlohmann::json parsed = nlohmann::json::parse(out, nullptr, false);
  if (!parsed.is_object()) {
    throw Error("dbtool.py worlds printed no JSON object: '" + out.substr(0, 80) + "'",
                "apps/dbtool.py");
  }
  std::map<long long, long long> rows;
  for (const auto& [id, random_number] : parsed.items()) {
    rows[std::stoll(id)] = random_number.get<long long>();
  }
  return rows;
}

void ResetStatementStats(const std::string& database_url) {
  RunProcessOrThrow(DbtoolArgv("stats-reset", database_url),
                    "resetting pg_stat_statements in " + database_url,
                    "give --database-url the PostgreSQL database the app uses");
}

nlohmann::json ReadStatementStats(const std::string& database_url, bool reset_after) {
  auto argv = DbtoolArgv("stats-read", database_url);
  if (reset_after) argv.push_back("--reset");
  std::string out = RunProcessOrThrow(argv, "reading pg_stat_statements from " + database_url,
                                      "give --database-url the PostgreSQL database the app uses");
  nlohmann::json parsed = nlohmann::json::parse(out, nullptr, false);
  if (!parsed.is_object() || !parsed.contains("statements") || !parsed["statements"].is_array()) {
    throw Error(
        "dbtool.py stats-read printed no {\"statements\": [...]}: '" + out.substr(0, 80) + "'",
        "apps/dbtool.py");
  }
  return parsed;
}

}  // namespace fwbench::verify
