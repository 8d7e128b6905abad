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
  if (launch.proxy) server.proxy_ = Process::Spawn(launch.proxy->spawn);  // RAII: both reaped
  ProbeResult probe = WaitForHttp200(launch.host, launch.port, launch.probe_path,
                                     launch.ready_timeout_s, [&] { return server.Running(); });
  if (!probe.ready) {
    std::string exit = server.Running() ? "" : " (" + server.ExitDescription() + ")";
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

bool Server::Running() {
  const bool server = process_.Running();  // reaps both, so each ExitDescription is known
  const bool proxy = !launch_.proxy || proxy_.Running();
  return server && proxy;
}

std::string Server::ExitDescription() {
  if (Running()) return "";
  if (!process_.Running()) return process_.ExitDescription();
  std::string exit = proxy_.ExitDescription();
  return launch_.proxy->name + " " + (exit.empty() ? "stopped" : exit);
}

bool Server::Stop() {
  bool in_time = true;
  if (launch_.proxy)
    in_time = proxy_.Stop(launch_.proxy->stop_signal, launch_.proxy->stop_timeout_s);
  return process_.Stop(launch_.stop_signal, launch_.stop_timeout_s) && in_time;
}

std::string Server::LogTail(size_t bytes) const {
  std::string tail = FileTail(launch_.spawn.log_path.string(), bytes);
  if (launch_.proxy) {
    std::string proxy = FileTail(launch_.proxy->error_log.string(), bytes);
    if (!proxy.empty()) tail += "\n[" + launch_.proxy->name + " error log] " + proxy;
  }
  return tail;
}

}  // namespace fwbench::launch
