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

Dbtool::Dbtool(std::string database_url) : url_(std::move(database_url)) {}

Dbtool::~Dbtool() = default;

nlohmann::json Dbtool::Ask(const nlohmann::json& request, const std::string& what,
                           const std::string& fix) {
  if (!process_) process_ = std::make_unique<LineProcess>(DbtoolArgv("serve", url_));
  const std::string line = process_->Ask(request.dump());
  nlohmann::json reply = nlohmann::json::parse(line, nullptr, false);
  if (!reply.is_object() || !(reply.contains("result") || reply.contains("error"))) {
    throw Error("dbtool.py serve answered something other than {\"result\"} or {\"error\"} " +
                    what + ": '" + line.substr(0, 80) + "'",
                "apps/dbtool.py");
  }
  if (reply.contains("error")) {
    throw Error(what + " failed (dbtool exit code " + std::to_string(reply.value("exit_code", 1)) +
                    "): " + reply["error"].get<std::string>(),
                "apps/dbtool.py serve --url " + url_, fix);
  }
  return reply["result"];
}

std::map<long long, long long> Dbtool::ReadWorlds(const std::vector<long long>& ids) {
  nlohmann::json rows =
      Ask({{"command", "worlds"}, {"ids", ids}}, "reading World rows back from " + url_,
          "give --database-url the database the app uses");
  if (!rows.is_object()) {
    throw Error("dbtool.py worlds answered no JSON object: '" + rows.dump().substr(0, 80) + "'",
                "apps/dbtool.py");
  }
  std::map<long long, long long> out;
  for (const auto& [id, random_number] : rows.items()) {
    out[std::stoll(id)] = random_number.get<long long>();
  }
  return out;
}

void Dbtool::ResetStatementStats() {
  Ask({{"command", "stats-reset"}}, "resetting pg_stat_statements in " + url_,
      "give --database-url the PostgreSQL database the app uses");
}

nlohmann::json Dbtool::ReadStatementStats(bool reset_after) {
  nlohmann::json parsed = Ask({{"command", "stats-read"}, {"reset", reset_after}},
                              "reading pg_stat_statements from " + url_,
                              "give --database-url the PostgreSQL database the app uses");
  if (!parsed.is_object() || !parsed.contains("statements") || !parsed["statements"].is_array()) {
    throw Error("dbtool.py stats-read answered no {\"statements\": [...]}: '" +
                    parsed.dump().substr(0, 80) + "'",
                "apps/dbtool.py");
  }
  return parsed;
}

}  // namespace fwbench::verify
