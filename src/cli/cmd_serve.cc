// `fwbench serve`: the pre-forked embedded-CPython HTTP/1.1 server (src/embed/prefork_server.h).
#include <memory>

#include "cli/commands.h"
#include "common/error.h"
#include "embed/prefork_server.h"
#include "launch/app_catalog.h"

namespace fwbench::cli {
namespace {

// --app: a catalogue entry (its own sys.path), or a raw module:callable on --pythonpath.
launch::AppEntry ResolveApp(const std::string& app, const std::string& frameworks_file,
                            const std::vector<std::string>& python_path) {
  if (app.find(':') != std::string::npos) {
    std::vector<std::filesystem::path> paths(python_path.begin(), python_path.end());
    return launch::TargetEntry(app, paths, "fwbench serve --app");
  }
  launch::AppCatalog catalog = launch::LoadAppCatalog(frameworks_file);
  if (!python_path.empty())
    throw Error("--pythonpath goes with a module:callable --app only", "fwbench serve --pythonpath",
                "a framework's sys.path comes from its pythonpath in " + catalog.file.string());
  return catalog.Find(app);
}

}  // namespace

void AddServeCommand(CLI::App& app) {
  auto options = std::make_shared<embed::ServeOptions>();
  auto app_name = std::make_shared<std::string>();
  auto frameworks_file = std::make_shared<std::string>(launch::DefaultCatalogFile().string());
  auto python_path = std::make_shared<std::vector<std::string>>();
  CLI::App* cmd = app.add_subcommand(
      "serve", "Serve a WSGI app from pre-forked workers that each embed CPython");
  cmd->add_option("--app", *app_name,
                  "A framework of the app catalogue (flask, django; see `fwbench apps`) or "
                  "module:callable")
      ->required();
  cmd->add_option("--frameworks", *frameworks_file,
                  "The app catalogue --app is looked up in (default: apps/frameworks.json)");
  cmd->add_option("--workers", options->workers, "Worker processes (one per core scales)")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--host", options->host, "Address to bind");
  cmd->add_option("--port", options->port, "Port to bind; 0 picks a free one")
      ->check(CLI::Range(0, 65535));
  cmd->add_option("--profile", options->settings.profile,
                  std::string("FWBENCH_PROFILE for the app (default: ") + launch::kDefaultProfile +
                      ", the apps' own default)")
      ->check(CLI::IsMember({"minimal", "standard"}));
  cmd->add_option("--database-url", options->settings.database_url,
                  "DATABASE_URL for the app (default: sqlite file <root>/var/fwbench.db)");
  cmd->add_option("--pythonpath", *python_path,
                  "sys.path entries, in order, for a module:callable --app");
  cmd->add_option("--graceful-timeout", options->graceful_timeout_s,
                  "Seconds workers may drain after SIGTERM/SIGINT before SIGKILL");
  cmd->callback([options, app_name, frameworks_file, python_path] {
    options->app = ResolveApp(*app_name, *frameworks_file, *python_path);
    embed::Serve(*options);
  });
}

}  // namespace fwbench::cli
