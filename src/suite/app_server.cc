#include "suite/app_server.h"

#include <unistd.h>

#include <fstream>
#include <map>

#include "common/paths.h"
#include "launch/port.h"
#include "suite/metadata.h"

extern char** environ;

namespace fwbench::suite {
namespace {

std::vector<std::string> ServerEnvironment(const AppServerConfig& config) {
  std::map<std::string, std::string> env;
  for (char** e = environ; *e; ++e) {
    std::string kv = *e;
    size_t eq = kv.find('=');
    if (eq != std::string::npos) env[kv.substr(0, eq)] = kv.substr(eq + 1);
  }
  std::filesystem::path venv = VenvPython().parent_path().parent_path();
  env.erase("PYTHONHOME");
  env["VIRTUAL_ENV"] = venv.string();
  env["PATH"] = (venv / "bin").string() + ":" + env["PATH"];
  std::string pythonpath;
  for (const auto& p : config.framework->pythonpath)
    pythonpath += (pythonpath.empty() ? "" : ":") + p.string();
  env["PYTHONPATH"] = pythonpath;
  env["PYTHONUNBUFFERED"] = "1";
  env["FWBENCH_PROFILE"] = config.profile;
  env["DATABASE_URL"] = config.database_url;
  if (!config.hash_seed.empty()) env["PYTHONHASHSEED"] = config.hash_seed;
  for (const auto& [k, v] : config.framework->env) env[k] = v;
  for (const auto& [k, v] : config.server->env) env[k] = v;
  std::vector<std::string> out;
  for (const auto& [k, v] : env) out.push_back(k + "=" + v);
  return out;
}

}  // namespace

launch::Server StartAppServer(const AppServerConfig& config) {
  launch::ServerLaunch launch;
  launch.port = launch::FreeLoopbackPort();
  std::filesystem::path venv = VenvPython().parent_path().parent_path();
  std::map<std::string, std::string> vars = {
      {"port", std::to_string(launch.port)},       {"host", launch.host},
      {"workers", std::to_string(config.workers)}, {"threads", std::to_string(config.threads)},
      {"python", VenvPython().string()},           {"venv", venv.string()},
      {"fwbench", config.fwbench_exe.string()},    {"root", SourceDir().string()},
      {"app_dir", config.framework->dir.string()}, {"wsgi", config.framework->wsgi},
      {"framework", config.framework->name},       {"profile", config.profile},
      {"database_url", config.database_url}};
  launch.spawn.argv = launch::Render(config.server->argv, vars, "server " + config.server->name);
  launch.spawn.env = ServerEnvironment(config);
  launch.spawn.cwd = config.framework->dir;
  launch.spawn.log_path = config.log_path;
  launch.spawn.cpus = config.cpus;
  launch.probe_path = config.probe_path;
  launch.ready_timeout_s = config.ready_timeout_s;
  launch.stop_signal = launch::SignalNumber(config.server->stop_signal, config.server->name);
  launch.stop_timeout_s = config.server->stop_timeout_s;
  {
    std::ofstream log(config.log_path, std::ios::app);
    log << "=== fwbench " << UtcNow() << ": starting";
    for (const auto& arg : launch.spawn.argv) log << " " << arg;
    log << "\n";
  }
  return launch::Server::Start(launch);
}

}  // namespace fwbench::suite
