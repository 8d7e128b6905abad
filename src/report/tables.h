#pragma once
// The per-route tables: for every route and server configuration, each framework's peak
// throughput, latency at a fixed open-loop rate, CPU per request, RSS per worker and cold
// start, then the framework ratios with bootstrap CIs. Built once; rendered as Markdown here,
// as HTML and JSON elsewhere.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "report/results.h"

namespace fwbench::report {

struct Measure {  // one number with its 95% CI over repetitions
  double value = 0, low = 0, high = 0;
  int n = 0;
  bool noisy = false;
};

struct FrameworkRow {
  std::string config;  // "gunicorn-sync · minimal · sqlite"
  std::string framework;
  std::optional<Measure> peak_rps;
  int peak_concurrency = 0;
  std::optional<double> latency_rate;  // the open-loop rate the latencies were measured at
  // The server fell behind that rate (median req/s below 95% of it): its latencies measure the
  // queue, not the framework. Holds the median req/s it reached.
  std::optional<double> saturated_at;
  std::optional<Measure> p50_us, p99_us, p999_us;
  std::optional<Measure> cpu_us_per_request, rss_bytes_per_worker;
  std::optional<double> cold_start_ms;
  std::string status;  // "ok", or why nothing was measured
};

struct RatioRow {  // numerator / denominator for one config
  std::string config, numerator, denominator;
  std::optional<Measure> rps, p99_us, cpu_us_per_request, rss_bytes_per_worker, cold_start_ms;
};

// The rate column's text: "200", "200 (saturated: 149)", or "closed".
std::string RateText(const FrameworkRow& row);

struct RouteTable {
  std::string route;
  std::vector<FrameworkRow> rows;  // config order, then framework order
  std::vector<RatioRow> ratios;
};

// Routes in order of first appearance; configs sorted by name.
std::vector<RouteTable> BuildRouteTables(const ResultsSet& results);

// The whole tables.md text.
std::string RenderTablesMarkdown(const ResultsSet& results, const std::vector<RouteTable>& tables);

nlohmann::json ToJson(const Measure& m);
nlohmann::json ToJson(const RouteTable& table);

}  // namespace fwbench::report
