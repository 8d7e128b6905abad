// `fwbench apps`: the app catalogue, resolved (launch/app_catalog.h). With --json it prints the
// fwbench.apps/1 document the Python tools read instead of parsing apps/frameworks.json.
#include <cstdio>
#include <memory>

#include "cli/commands.h"
#include "launch/app_catalog.h"

namespace fwbench::cli {
namespace {

void PrintTable(const launch::AppCatalog& catalog) {
  std::printf("catalogue %s (default profile %s)\n", catalog.file.c_str(), launch::kDefaultProfile);
  for (const auto& [name, e] : catalog.apps) {
    std::printf("%s: %s %s in %s\n", name.c_str(), e.interface.c_str(), e.wsgi.c_str(),
                e.dir.c_str());
    for (const auto& p : e.sys_path) std::printf("  sys.path %s\n", p.c_str());
    for (const auto& [k, v] : e.env) std::printf("  env %s=%s\n", k.c_str(), v.c_str());
  }
}

}  // namespace

void AddAppsCommand(CLI::App& app) {
  auto frameworks_file = std::make_shared<std::string>(launch::DefaultCatalogFile().string());
  auto as_json = std::make_shared<bool>(false);
  CLI::App* cmd = app.add_subcommand(
      "apps", "Print the app catalogue, resolved: each app's folder, sys.path, WSGI target, env");
  cmd->add_option("--frameworks", *frameworks_file,
                  "The app catalogue (default: apps/frameworks.json)");
  cmd->add_flag("--json", *as_json, "Print the fwbench.apps/1 document (apps/README.md)");
  cmd->callback([frameworks_file, as_json] {
    const launch::AppCatalog catalog = launch::LoadAppCatalog(*frameworks_file);
    if (*as_json) {
      std::printf("%s\n", launch::CatalogJson(catalog).dump(2).c_str());
    } else {
      PrintTable(catalog);
    }
  });
}

}  // namespace fwbench::cli
