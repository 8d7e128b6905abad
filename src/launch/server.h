#pragma once
// A running HTTP server: spawned, probed until it answers 200, stopped with its own signal.
#include <string>

#include "launch/process.h"

namespace fwbench::launch {

struct ServerLaunch {
  SpawnOptions spawn;  // spawn.log_path keeps its stderr
  std::string host = "127.0.0.1";
  int port = 0;
  std::string probe_path = "/json";
  double ready_timeout_s = 30;
  int stop_signal = 15;  // SIGTERM
  double stop_timeout_s = 10;
};

class Server {
 public:
  // Spawns and waits for the first 200. Throws fwbench::Error with the probe's last error and
  // the tail of the server's log when it exits or does not answer in time (it is stopped).
  static Server Start(const ServerLaunch& launch);

  // Launch until the first 200 on the probe path.
  double cold_start_ms() const { return cold_start_ms_; }
  int port() const { return launch_.port; }
  std::string base_url() const;
  Process& process() { return process_; }
  // Stop signal, then SIGKILL to the group after stop_timeout_s. True when it exited in time.
  bool Stop();
  // The last `bytes` of the server's log, for error messages.
  std::string LogTail(size_t bytes = 600) const;

 private:
  ServerLaunch launch_;
  Process process_;
  double cold_start_ms_ = 0;
};

// The last `bytes` of a file, or "" when it cannot be read.
std::string FileTail(const std::string& path, size_t bytes);

}  // namespace fwbench::launch
