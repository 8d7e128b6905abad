#pragma once
// The databases a suite run measures against, set up on first use and seeded once per run.
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace fwbench::suite {

class Databases {
 public:
  // `dir` holds the SQLite file and the PostgreSQL cluster; `init` is the seeding command
  // (a template with {database_url}); `vars` fill its other placeholders.
  Databases(std::filesystem::path dir, std::vector<std::string> init,
            std::map<std::string, std::string> vars, std::string log_path);
  ~Databases();  // stops a PostgreSQL cluster it started
  Databases(const Databases&) = delete;
  Databases& operator=(const Databases&) = delete;

  // The DATABASE_URL for "sqlite" or "postgres", created and seeded on first use.
  // Throws fwbench::Error with the log's tail when setup or seeding fails.
  std::string Url(const std::string& kind);

 private:
  void Seed(const std::string& url);
  std::filesystem::path dir_;
  std::vector<std::string> init_;
  std::map<std::string, std::string> vars_;
  std::string log_path_;
  std::map<std::string, std::string> urls_;
  bool postgres_started_ = false;
};

}  // namespace fwbench::suite
