#include "suite/app_server.h"

#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>

#include "common/atomic_file.h"
#include "common/error.h"
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
  for (const auto& p : config.framework->sys_path)
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

std::string ReadText(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) throw Error("cannot read proxy config template", path.string(), "check the path");
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// The proxy's launch: its config rendered into proxy_dir, its argv, the server's CPUs.
launch::ProxyLaunch ProxyFor(const AppServerConfig& config, int port, int upstream_port,
                             const std::map<std::string, std::string>& server_vars) {
  const launch::ProxyTemplate& proxy = *config.proxy;
  const launch::BehindTemplate& behind = config.server->behind.at(proxy.name);
  std::filesystem::create_directories(config.proxy_dir);
  auto vars =
      ProxyConfigVars(port, upstream_port, config.workers, config.threads, config.proxy_dir);
  const std::string where = "server " + config.server->name + " behind " + proxy.name;
  const std::filesystem::path conf = config.proxy_dir / (proxy.name + ".conf");
  WriteFileAtomic(conf, launch::RenderText(ReadText(behind.config), vars, behind.config.string()));
  for (const auto& [k, v] : server_vars) vars.try_emplace(k, v);
  vars["config"] = conf.string();
  launch::ProxyLaunch out;
  out.name = proxy.name;
  out.spawn.argv = launch::Render(proxy.argv, vars, where);
  out.spawn.argv[0] = ProxyProgram(proxy);
  out.spawn.env = {"PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin"};
  out.spawn.cwd = config.proxy_dir;
  out.spawn.log_path = config.log_path;
  out.spawn.cpus = config.cpus;
  out.error_log = config.proxy_dir / "error.log";
  out.stop_signal = launch::SignalNumber(proxy.stop_signal, "proxies." + proxy.name);
  out.stop_timeout_s = proxy.stop_timeout_s;
  return out;
}

}  // namespace

std::map<std::string, std::string> ProxyConfigVars(int port, int upstream_port, int workers,
                                                   int threads,
                                                   const std::filesystem::path& run_dir) {
  return {{"port", std::to_string(port)},
          {"upstream_port", std::to_string(upstream_port)},
          {"host", "127.0.0.1"},
          {"workers", std::to_string(workers)},
          {"threads", std::to_string(threads)},
          {"run_dir", run_dir.string()},
          {"root", SourceDir().string()},
          {"user_directive", ::geteuid() == 0
                                 ? "user root;  # fwbench runs as root: keep the workers' user"
                                 : "# not root: the workers run as fwbench's user"}};
}

std::string ProxyProgram(const launch::ProxyTemplate& proxy) {
  const char* path = std::getenv("PATH");
  std::string found = launch::FindProgram(proxy.argv.front(), path ? path : "");
  if (found.empty())
    throw Error("proxy program \"" + proxy.argv.front() +
                    "\" not found (looked in PATH, "
                    "/usr/sbin, /sbin, /usr/local/sbin)",
                "proxies." + proxy.name + ".argv",
                proxy.package.empty() ? "install " + proxy.name
                                      : "install the Debian package " + proxy.package +
                                            " (apt-get install " + proxy.package + ")");
  return found;
}

launch::Server StartAppServer(const AppServerConfig& config) {
  launch::ServerLaunch launch;
  launch.port = launch::FreeLoopbackPort();
  int server_port = launch.port;
  if (config.proxy) {
    do server_port = launch::FreeLoopbackPort();
    while (server_port == launch.port);
  }
  std::filesystem::path venv = VenvPython().parent_path().parent_path();
  std::map<std::string, std::string> vars = {
      {"port", std::to_string(server_port)},       {"host", launch.host},
      {"workers", std::to_string(config.workers)}, {"threads", std::to_string(config.threads)},
      {"python", VenvPython().string()},           {"venv", venv.string()},
      {"fwbench", config.fwbench_exe.string()},    {"root", SourceDir().string()},
      {"app_dir", config.framework->dir.string()}, {"wsgi", config.framework->wsgi},
      {"framework", config.framework->name},       {"profile", config.profile},
      {"database_url", config.database_url},
      {"frameworks_file", config.frameworks_file.string()}};
  const std::vector<std::string>* argv = &config.server->argv;
  if (config.proxy) {
    auto it = config.server->behind.find(config.proxy->name);
    if (it == config.server->behind.end())
      throw Error("server " + config.server->name + " has no behind." + config.proxy->name,
                  "servers file", "say how it runs behind " + config.proxy->name);
    if (!it->second.argv.empty()) argv = &it->second.argv;
    launch.proxy = ProxyFor(config, launch.port, server_port, vars);
  }
  launch.spawn.argv = launch::Render(*argv, vars, "server " + config.server->name);
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
    if (launch.proxy) {
      log << "=== fwbench: in front of it, on port " << launch.port << ":";
      for (const auto& arg : launch.proxy->spawn.argv) log << " " << arg;
      log << "\n";
    }
  }
  return launch::Server::Start(launch);
}

}  // namespace fwbench::suite
