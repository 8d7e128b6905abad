// `fwbench inproc`: the cost of each contract route through each framework's WSGI callable,
// called from C++ with no network, as ns/request (fwbench.inproc/1, results/SCHEMA.md).
#include <cstdio>
#include <memory>

#include "cli/commands.h"
#include "common/atomic_file.h"
#include "common/error.h"
#include "embed/inproc_runner.h"
#include "launch/app_catalog.h"

namespace fwbench::cli {
namespace {

void PrintTable(const nlohmann::json& doc) {
  std::printf("%-8s %-9s %-20s %6s %14s %14s %9s\n", "fw", "profile", "route", "status",
              "bridge ns/req", "python ns/req", "overhead");
  for (const auto& row : doc["results"]) {
    double overhead = row.value("bridge_overhead", 0.0) * 100;
    std::printf("%-8s %-9s %-20s %6d %14.0f %14.0f %8.1f%%%s\n",
                row["framework"].get<std::string>().c_str(),
                row["profile"].get<std::string>().c_str(), row["route"].get<std::string>().c_str(),
                row["status"].get<int>(), row["ns_per_request"].get<double>(),
                row.value("python_loop_ns_per_request", 0.0), overhead,
                row["ok"].get<bool>() ? "" : "  UNEXPECTED STATUS");
  }
}

}  // namespace

void AddInprocCommand(CLI::App& app) {
  auto options = std::make_shared<embed::InprocOptions>();
  auto json_file = std::make_shared<std::string>();
  auto framework = std::make_shared<std::string>();
  auto frameworks_file = std::make_shared<std::string>(launch::DefaultCatalogFile().string());
  auto profile = std::make_shared<std::string>();
  auto no_baseline = std::make_shared<bool>(false);
  CLI::App* cmd = app.add_subcommand(
      "inproc", "Time each contract route through each framework's WSGI callable, no network");
  cmd->add_option("--framework", *framework, "Only this framework (default: all)");
  cmd->add_option("--frameworks", *frameworks_file,
                  "The app catalogue (default: apps/frameworks.json)");
  cmd->add_option("--profile", *profile, "Only this profile (default: minimal and standard)")
      ->check(CLI::IsMember({"minimal", "standard"}));
  cmd->add_option("--route", options->route, "Only this contract route (default: all)");
  cmd->add_option("--iterations", options->iterations, "Timed calls per route")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--samples", options->samples, "Batches the calls are split into")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--database-url", options->database_url,
                  "DATABASE_URL for the apps (default: sqlite file <root>/var/fwbench.db)");
  cmd->add_flag("--no-python-baseline", *no_baseline,
                "Skip the pure-Python loop used to report the bridge's overhead");
  cmd->add_option("--json", *json_file, "Write the fwbench.inproc/1 document here")->required();
  cmd->callback([options, json_file, framework, frameworks_file, profile, no_baseline] {
    const launch::AppCatalog catalog = launch::LoadAppCatalog(*frameworks_file);
    const std::vector<std::string> names =
        framework->empty() ? catalog.Names() : std::vector<std::string>{*framework};
    for (const auto& name : names) options->frameworks.push_back(catalog.Find(name));
    if (!profile->empty()) options->profiles = {*profile};
    options->python_baseline = !*no_baseline;
    nlohmann::json doc = embed::RunInproc(*options);
    WriteJsonAtomic(*json_file, doc);
    PrintTable(doc);
    std::printf("wrote %s\n", json_file->c_str());
    if (!embed::AllResultsOk(doc)) {
      throw Error("some routes answered an unexpected status", *json_file,
                  "see first_error in the file; for DB routes seed the DB with "
                  "'fwbench db init' or apps/dbtool.py init --url URL");
    }
  });
}

}  // namespace fwbench::cli
