// fwbench db init: creates and seeds the benchmark database through apps/dbtool.py.
#include <cstdio>

#include "cli/commands.h"
#include "verify/dbtool.h"

namespace fwbench::cli {

void AddDbCommand(CLI::App& app) {
  CLI::App* db = app.add_subcommand("db", "Manage the benchmark database");
  db->require_subcommand(1);
  auto url = std::make_shared<std::string>(verify::DefaultDatabaseUrl());
  CLI::App* init = db->add_subcommand(
      "init", "Create the World and Fortune tables and seed them (drops existing rows)");
  init->add_option("--url", *url, "DATABASE_URL: sqlite:////abs/file.db or postgresql://...")
      ->capture_default_str();
  init->callback([url] {
    std::string out = verify::InitDatabase(*url);
    std::fputs(out.c_str(), stdout);
  });
}

}  // namespace fwbench::cli
