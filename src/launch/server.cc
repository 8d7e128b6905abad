#include "launch/server.h"

#include <chrono>
#include <fstream>

#include "common/error.h"
#include "launch/probe.h"

namespace fwbench::launch {

std::string FileTail(const std::string& path, size_t bytes) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) return "";
  std::streamoff size = in.tellg();
  std::streamoff from = size > static_cast<std::streamoff>(bytes) ? size - bytes : 0;
  in.seekg(from);
  std::string text(static_cast<size_t>(size - from), '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  return text;
}

Server Server::Start(const ServerLaunch& launch) {
  Server server;
  server.launch_ = launch;
  server.process_ = Process::Spawn(launch.spawn);
  Process& process = server.process_;
  ProbeResult probe = WaitForHttp200(launch.host, launch.port, launch.probe_path,
                                     launch.ready_timeout_s, [&] { return process.Running(); });
  if (!probe.ready) {
    std::string exit = process.Running() ? "" : " (" + process.ExitDescription() + ")";
    server.Stop();
    throw Error("server not ready after " + std::to_string(probe.waited_ms / 1000) +
                    " s: " + probe.error + exit + "; log tail: " + server.LogTail(),
                launch.spawn.argv.empty() ? "launch" : launch.spawn.argv.front(),
                "see the full log at " + launch.spawn.log_path.string());
  }
  server.cold_start_ms_ = std::chrono::duration<double, std::milli>(
                              std::chrono::steady_clock::now() - process.started())
                              .count();
  return server;
}

std::string Server::base_url() const {
  return "http://" + launch_.host + ":" + std::to_string(launch_.port);
}

bool Server::Stop() { return process_.Stop(launch_.stop_signal, launch_.stop_timeout_s); }

std::string Server::LogTail(size_t bytes) const {
  return FileTail(launch_.spawn.log_path.string(), bytes);
}

}  // namespace fwbench::launch
