#pragma once
// A running HTTP server: spawned, probed until it answers 200, stopped with its own signal;
// optionally behind a reverse proxy (nginx) that it starts and stops with it.
#include <filesystem>
#include <optional>
#include <string>

#include "launch/process.h"

namespace fwbench::launch {

// A reverse proxy in front of the server: spawned right after it (its own process group, the
// same CPUs as the server by its spawn.cpus), listening on ServerLaunch::port.
struct ProxyLaunch {
  std::string name = "nginx";
  SpawnOptions spawn;
  std::filesystem::path error_log;  // tailed into errors
  int stop_signal = 15;             // SIGTERM: nginx's fast shutdown
  double stop_timeout_s = 10;
};

struct ServerLaunch {
  SpawnOptions spawn;  // spawn.log_path keeps its stderr
  std::string host = "127.0.0.1";
  int port = 0;  // where clients connect: the proxy's port when there is one
  std::string probe_path = "/json";
  double ready_timeout_s = 30;
  int stop_signal = 15;  // SIGTERM
  double stop_timeout_s = 10;
  std::optional<ProxyLaunch> proxy;  // the server then listens where its argv says, not `port`
};

class Server {
 public:
  // Spawns the server (and its proxy) and waits for the first 200 on `port`, through the proxy
  // when there is one. Throws fwbench::Error with the probe's last error and the tail of the
  // logs when either exits or it does not answer in time (both are stopped).
  static Server Start(const ServerLaunch& launch);

  // Launch until the first 200 on the probe path.
  double cold_start_ms() const { return cold_start_ms_; }
  int port() const { return launch_.port; }
  std::string base_url() const;
  Process& process() { return process_; }  // the app server
  Process* proxy_process() { return launch_.proxy ? &proxy_ : nullptr; }
  // The app server and its proxy both run.
  bool Running();
  // Why it is not running: "exited with code 3", "nginx exited with code 1"; "" while running.
  std::string ExitDescription();
  // Stops the proxy, then the server: stop signal, then SIGKILL to each group after its
  // stop_timeout_s. True when both exited in time.
  bool Stop();
  // The last `bytes` of the server's log (and of the proxy's error log), for error messages.
  std::string LogTail(size_t bytes = 600) const;

 private:
  ServerLaunch launch_;
  Process process_;
  Process proxy_;  // running only with launch_.proxy
  double cold_start_ms_ = 0;
};

// The last `bytes` of a file, or "" when it cannot be read.
std::string FileTail(const std::string& path, size_t bytes);

}  // namespace fwbench::launch
