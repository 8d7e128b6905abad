#include "suite/databases.h"

#include "common/error.h"
#include "common/paths.h"
#include "common/run_process.h"
#include "launch/server.h"
#include "launch/server_template.h"

namespace fwbench::suite {

Databases::Databases(std::filesystem::path dir, std::vector<std::string> init,
                     std::map<std::string, std::string> vars, std::string log_path)
    : dir_(std::move(dir)),
      init_(std::move(init)),
      vars_(std::move(vars)),
      log_path_(std::move(log_path)) {}

Databases::~Databases() {
  if (!postgres_started_) return;
  try {
    RunProcess({(SourceDir() / "scripts" / "pg").string(), "stop", (dir_ / "pg").string()},
               {log_path_});
  } catch (const Error&) {  // a destructor does not throw; the cluster's log says what happened
  }
}

std::string Databases::Url(const std::string& kind) {
  if (auto it = urls_.find(kind); it != urls_.end()) return it->second;
  std::filesystem::create_directories(dir_);
  std::string url;
  if (kind == "sqlite") {
    url = "sqlite:///" + std::filesystem::absolute(dir_ / "fwbench.sqlite3").string();
  } else if (kind == "postgres") {
    ProcessResult out = RunProcess(
        {(SourceDir() / "scripts" / "pg").string(), "start", (dir_ / "pg").string()}, {log_path_});
    if (out.exit_code != 0)
      throw Error("PostgreSQL did not start: " + launch::FileTail(log_path_, 400),
                  "scripts/pg start " + (dir_ / "pg").string(),
                  "run scripts/setup, or drop \"postgres\" from the suite's databases");
    postgres_started_ = true;
    url = out.out.substr(0, out.out.find_last_not_of(" \n\r\t") + 1);
    url = url.substr(url.find_last_of('\n') == std::string::npos ? 0 : url.find_last_of('\n') + 1);
  } else {
    throw Error("unknown database \"" + kind + "\"", "suite databases", "use sqlite or postgres");
  }
  Seed(url);
  urls_[kind] = url;
  return url;
}

void Databases::Seed(const std::string& url) {
  if (init_.empty()) return;
  auto vars = vars_;
  vars["database_url"] = url;
  auto argv = launch::Render(init_, vars, "db_init");
  ProcessResult out = RunProcess(argv, {log_path_});
  if (out.exit_code != 0)
    throw Error("seeding the database failed (exit " + std::to_string(out.exit_code) +
                    "): " + launch::FileTail(log_path_, 400),
                url, "check the command in the servers file's db_init");
}

}  // namespace fwbench::suite
