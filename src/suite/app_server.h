#pragma once
// Starts one reference app under one server, from the server's command template.
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "launch/app_catalog.h"
#include "launch/server.h"
#include "launch/server_template.h"

namespace fwbench::suite {

struct AppServerConfig {
  const launch::ServerTemplate* server = nullptr;
  const launch::AppEntry* framework = nullptr;
  std::filesystem::path frameworks_file;  // {frameworks_file}: the catalogue it came from
  std::string profile, database_url;
  int workers = 1, threads = 1;
  std::vector<int> cpus;              // server pinning
  std::filesystem::path log_path;     // the server's stdout and stderr, appended
  std::filesystem::path fwbench_exe;  // {fwbench}
  double ready_timeout_s = 60;
  std::string probe_path = "/json";
  std::string hash_seed;  // PYTHONHASHSEED for every process of the server; "" leaves it unset
  // Behind a proxy: the proxy, how this server runs behind it (server->behind), and the
  // folder for its config, pid, error log and temp files (created, private to this server).
  const launch::ProxyTemplate* proxy = nullptr;
  std::filesystem::path proxy_dir;
};

// Picks a free loopback port, renders the template and starts the server with the app's
// environment (FWBENCH_PROFILE, DATABASE_URL, PYTHONHASHSEED, the framework's env and PYTHONPATH,
// the venv first in PATH), in the app's folder. Behind a proxy, the server listens on a second
// free loopback port ({port} in its argv), the proxy's config is rendered into proxy_dir and
// the proxy listens on the first, pinned to the same CPUs; readiness is probed through it.
// Throws fwbench::Error when it does not get ready or the proxy's program is missing.
launch::Server StartAppServer(const AppServerConfig& config);

// The placeholders of a proxy config template: {port} (public), {upstream_port} (the app
// server's), {host}, {workers}, {threads}, {run_dir}, {root}, {user_directive} ("user root;"
// when fwbench runs as root, so nginx's workers do not switch to nobody; a comment otherwise).
std::map<std::string, std::string> ProxyConfigVars(int port, int upstream_port, int workers,
                                                   int threads,
                                                   const std::filesystem::path& run_dir);

// The proxy's program as it will be executed (PATH, then /usr/sbin and /sbin). Throws
// fwbench::Error naming the package to install when it is not found.
std::string ProxyProgram(const launch::ProxyTemplate& proxy);

}  // namespace fwbench::suite
