#pragma once
// The load generator's public interface. Everything else in src/load/ is internal.
// The report it returns is the "fwbench.load/1" document described in results/SCHEMA.md.
#include <atomic>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

namespace fwbench::load {

struct RequestSpec {
  std::string name;  // statistics key; defaults to "METHOD path"
  std::string method = "GET";
  std::string path = "/";
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  double weight = 1.0;
  // Values substituted for "{param}" in path, drawn uniformly per request (e.g. queries=1..20).
  std::vector<std::string> param_values;
};

enum class Arrival { kUniform, kPoisson };

// Counts a caller may watch while Run() works, e.g. for a live progress line. Updated with
// relaxed atomics for every measured response and error.
struct LiveCounters {
  std::atomic<uint64_t> responses{0};
  std::atomic<uint64_t> errors{0};
};

struct Options {
  std::string host = "127.0.0.1";
  int port = 80;
  int threads = 1;
  int connections = 10;
  double duration_s = 10;
  uint64_t max_requests = 0;  // 0: bounded by duration only
  double warmup_s = 0;
  double rate = 0;  // total requests/s; 0 selects the closed model
  Arrival arrival = Arrival::kUniform;
  int pipeline = 1;
  double timeout_s = 2;
  std::vector<std::pair<std::string, std::string>> headers;  // added to every request
  std::vector<RequestSpec> requests;                         // weighted mix; at least one
  LiveCounters* live = nullptr;                              // not owned; must outlive Run()
};

// Parses "http://host:port/path" into host, port and a single GET request for path.
// Throws fwbench::Error for anything else (https, missing host, bad port).
Options OptionsFromUrl(const std::string& url);

// Reads the request-mix file format (results/SCHEMA.md, "request file") into `options`: appends
// its requests (clear options.requests first to send only the file's mix, as --requests-file
// does) and its global "headers". Throws fwbench::Error naming the bad entry.
void AddRequestsFromJson(const nlohmann::json& doc, Options& options);

// Runs the load until duration, max_requests, or `stop` becomes true (then it stops early and
// still reports what was measured). Returns the fwbench.load/1 report. Thread-safe and
// reentrant: no global state; threads - 1 extra threads are started and joined. Throws
// fwbench::Error for invalid options or an unresolvable host (never for server misbehaviour,
// which is counted in the report).
nlohmann::json Run(const Options& options, const std::atomic<bool>& stop);

}  // namespace fwbench::load
