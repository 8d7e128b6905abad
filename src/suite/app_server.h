#pragma once
// Starts one reference app under one server, from the server's command template.
#include <filesystem>
#include <string>
#include <vector>

#include "launch/server.h"
#include "launch/server_template.h"
#include "suite/frameworks.h"

namespace fwbench::suite {

struct AppServerConfig {
  const launch::ServerTemplate* server = nullptr;
  const Framework* framework = nullptr;
  std::string profile, database_url;
  int workers = 1, threads = 1;
  std::vector<int> cpus;              // server pinning
  std::filesystem::path log_path;     // the server's stdout and stderr, appended
  std::filesystem::path fwbench_exe;  // {fwbench}
  double ready_timeout_s = 60;
  std::string probe_path = "/json";
  std::string hash_seed;  // PYTHONHASHSEED for every process of the server; "" leaves it unset
};

// Picks a free loopback port, renders the template and starts the server with the app's
// environment (FWBENCH_PROFILE, DATABASE_URL, PYTHONHASHSEED, the framework's env and PYTHONPATH,
// the venv first in PATH), in the app's folder. Throws fwbench::Error when it does not get ready.
launch::Server StartAppServer(const AppServerConfig& config);

}  // namespace fwbench::suite
