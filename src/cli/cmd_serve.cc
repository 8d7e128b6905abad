// `fwbench serve`: the pre-forked embedded-CPython HTTP/1.1 server (src/embed/prefork_server.h).
#include <memory>

#include "cli/commands.h"
#include "embed/prefork_server.h"

namespace fwbench::cli {

void AddServeCommand(CLI::App& app) {
  auto options = std::make_shared<embed::ServeOptions>();
  auto python_path = std::make_shared<std::vector<std::string>>();
  CLI::App* cmd = app.add_subcommand(
      "serve", "Serve a WSGI app from pre-forked workers that each embed CPython");
  cmd->add_option("--app", options->app,
                  "A framework from apps/frameworks.json (flask, django) or module:attr")
      ->required();
  cmd->add_option("--workers", options->workers, "Worker processes (one per core scales)")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--host", options->host, "Address to bind");
  cmd->add_option("--port", options->port, "Port to bind; 0 picks a free one")
      ->check(CLI::Range(0, 65535));
  cmd->add_option("--profile", options->settings.profile, "FWBENCH_PROFILE for the app")
      ->check(CLI::IsMember({"minimal", "standard"}));
  cmd->add_option("--database-url", options->settings.database_url,
                  "DATABASE_URL for the app (default: sqlite file <root>/var/fwbench.db)");
  cmd->add_option("--pythonpath", *python_path, "Extra sys.path entries for a module:attr app");
  cmd->add_option("--graceful-timeout", options->graceful_timeout_s,
                  "Seconds workers may drain after SIGTERM/SIGINT before SIGKILL");
  cmd->callback([options, python_path] {
    for (const auto& p : *python_path) options->python_path.emplace_back(p);
    embed::Serve(*options);
  });
}

}  // namespace fwbench::cli
