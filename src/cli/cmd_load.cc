// fwbench load URL: the load generator's command line, with wrk's flag names.
#include <atomic>
#include <cstdio>
#include <optional>
#include <thread>

#include "cli/commands.h"
#include "cli/stop_on_signal.h"
#include "common/atomic_file.h"
#include "common/error.h"
#include "load/load.h"
#include "load/summary.h"

namespace fwbench::cli {
namespace {

// "10" and "10s" are seconds; "500ms", "2m", "1h" as written.
double ParseDuration(const std::string& text, const char* flag) {
  size_t end = 0;
  double value = -1;
  try {
    value = std::stod(text, &end);
  } catch (const std::exception&) {
  }
  const std::string unit = text.substr(end == 0 ? text.size() : end);
  const double scale = unit.empty() || unit == "s" ? 1
                       : unit == "ms"              ? 1e-3
                       : unit == "us"              ? 1e-6
                       : unit == "m"               ? 60
                       : unit == "h"               ? 3600
                                                   : -1;
  if (end == 0 || scale < 0 || value < 0) {
    throw Error(std::string("bad duration '") + text + "'", flag, "use e.g. 10s, 500ms, 1m");
  }
  return value * scale;
}

struct Flags {
  std::string url, duration = "10s", warmup = "0s", timeout = "2s", method, body, requests_file,
                   json, arrival = "uniform";
  int threads = 1, connections = 10, pipeline = 1, open_connections = 0, max_in_flight = 0;
  double rate = 0;
  uint64_t requests = 0;
  bool latency = false;
  std::vector<std::string> headers;
};

load::Options ToOptions(const Flags& f) {
  load::Options o = load::OptionsFromUrl(f.url);
  o.threads = f.threads;
  o.connections = f.connections;
  o.duration_s = ParseDuration(f.duration, "--duration");
  o.warmup_s = ParseDuration(f.warmup, "--warmup");
  o.timeout_s = ParseDuration(f.timeout, "--timeout");
  o.rate = f.rate;
  o.arrival = f.arrival == "poisson" ? load::Arrival::kPoisson : load::Arrival::kUniform;
  o.pipeline = f.pipeline;
  o.max_requests = f.requests;
  o.max_in_flight = f.max_in_flight;
  if (f.open_connections > 0 || f.max_in_flight > 0) {
    if (!(f.rate > 0))
      throw Error("--open-connections and --max-in-flight apply to the open model", "fwbench load",
                  "add --rate N, or drop them");
    if (f.open_connections > 0) o.connections = f.open_connections;
  }
  for (const auto& h : f.headers) {
    const size_t colon = h.find(':');
    if (colon == std::string::npos || colon == 0) {
      throw Error("bad header '" + h + "'", "-H", "write it as 'Name: value'");
    }
    const size_t value = h.find_first_not_of(' ', colon + 1);
    o.headers.emplace_back(h.substr(0, colon), value == std::string::npos ? "" : h.substr(value));
  }
  if (!f.method.empty()) o.requests[0].method = f.method;
  o.requests[0].body = f.body;
  if (!f.method.empty() || !f.body.empty()) {
    o.requests[0].name = o.requests[0].method + " " + o.requests[0].path;
  }
  if (!f.requests_file.empty()) {
    o.requests.clear();  // the file's mix replaces the URL's single request
    load::AddRequestsFromJson(ReadJsonFile(f.requests_file), o);
  }
  return o;
}

}  // namespace

void AddLoadCommand(CLI::App& app) {
  auto flags = std::make_shared<Flags>();
  CLI::App* cmd = app.add_subcommand("load", "Drive an HTTP/1.1 server and measure it (like wrk)");
  cmd->add_option("url", flags->url, "http://host:port/path")->required();
  cmd->add_option("-t,--threads", flags->threads, "Threads, one event loop each")
      ->capture_default_str();
  cmd->add_option("-c,--connections", flags->connections, "Connections in total")
      ->capture_default_str();
  cmd->add_option("-d,--duration", flags->duration, "Measured duration, e.g. 10s, 1m")
      ->capture_default_str();
  cmd->add_option("-H,--header", flags->headers, "Header added to every request, 'Name: value'");
  cmd->add_option("--timeout", flags->timeout, "Per-request timeout")->capture_default_str();
  cmd->add_flag("--latency", flags->latency, "Print the latency distribution and routes");
  cmd->add_option("-R,--rate", flags->rate, "Open model: total requests/s (0: closed model)");
  cmd->add_option("--open-connections", flags->open_connections,
                  "Open model: idle connections kept (default: -c)");
  cmd->add_option("--max-in-flight", flags->max_in_flight,
                  "Open model: connections open at once, so requests in flight (default 512)");
  cmd->add_option("--arrival", flags->arrival, "Open-model spacing")
      ->check(CLI::IsMember({"uniform", "poisson"}))
      ->capture_default_str();
  cmd->add_option("--requests", flags->requests, "Stop after this many measured requests");
  cmd->add_option("--warmup", flags->warmup, "Unmeasured warm-up before the duration")
      ->capture_default_str();
  cmd->add_option("--pipeline", flags->pipeline, "Closed model: requests in flight per connection")
      ->capture_default_str();
  cmd->add_option("--method", flags->method, "Request method (default GET)");
  cmd->add_option("--body", flags->body, "Request body");
  cmd->add_option("--requests-file", flags->requests_file,
                  "JSON request mix (results/SCHEMA.md, request file); replaces the URL's path");
  cmd->add_option("--json", flags->json, "Write the fwbench.load/1 report here (atomically)");
  cmd->callback([flags] {
    const load::Options options = ToOptions(*flags);
    std::atomic<bool> stop{false};
    nlohmann::json report;
    {
      StopOnSignal on_signal(stop, "fwbench load: stopping early, reporting what was measured");
      report = load::Run(options, stop);
    }
    std::fputs(load::FormatSummary(report, flags->latency).c_str(), stdout);
    std::fflush(stdout);
    if (!flags->json.empty()) WriteJsonAtomic(flags->json, report);
  });
}

}  // namespace fwbench::cli
