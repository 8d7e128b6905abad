#pragma once
// The per-route tables: for every route and server configuration, each framework's peak
// throughput, latency at a fixed open-loop rate, CPU per request, RSS per worker and cold
// start, then one row per framework comparison (results.h Comparison: the ratio across rounds
// with its 95% interval, rounds, whether the target was reached). Built once; rendered as
// Markdown here, as HTML and JSON elsewhere.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "report/results.h"

namespace fwbench::report {

struct Measure {  // one number with its 95% interval over rounds
  double value = 0;
  std::optional<double> low, high;  // empty when there is no interval (fewer than 2 rounds)
  int n = 0;
};

struct FrameworkRow {
  std::string config;  // "gunicorn-sync · minimal · sqlite"
  std::string framework;
  std::optional<Measure> peak_rps;
  int peak_concurrency = 0;
  std::optional<double> latency_rate;  // the open-loop rate the latencies were measured at
  // The server fell behind that rate (estimated req/s below 95% of it): its latencies measure
  // the queue, not the framework. Holds the req/s it reached.
  std::optional<double> saturated_at;
  std::optional<Measure> p50_us, p99_us, p999_us;
  std::optional<Measure> cpu_us_per_request, rss_bytes_per_worker;
  std::optional<double> cold_start_ms;
  std::optional<double> cold_compile_ms;  // first start after a bytecode-cache wipe
  std::string status;                     // "ok", or why nothing was measured
  // Closed-loop levels left out of the peak because a connection completed nothing there
  // (Cell::starved): "c32: 28/32". When every closed level is starved (and there is no
  // open-loop cell) the row has no peak and its status says so.
  std::vector<std::string> starved;
};

// One comparison: numerator / denominator in one config at one load level.
struct RatioRow {
  std::string config, numerator, denominator;
  std::string comparison;  // the Comparison's id
  std::string level;       // "c64" (closed loop, concurrency) or "r200" (open loop, rate)
  std::string mode;        // "slices", "duet", or "sequential" (derived from a v1 file)
  std::string primary;     // the metric the target applies to
  int rounds = 0;
  double target_pct = 0;
  std::optional<double> half_width_pct;  // of the primary metric; empty below 2 rounds
  bool reached = false;
  bool noisy = true;  // the primary metric's interval is wider than +-target_pct: marked ⚠
  // Open loop: a server fell below 95% of the offered rate, so no latency ratio is given.
  bool saturated = false;
  // Closed loop: a connection of either cell completed nothing (Comparison::starved): the
  // ratios stand for fewer connections than the level; the level is marked "starved".
  bool starved = false;
  // The comparison's ratios across rounds with their 95% intervals.
  std::optional<Measure> rps, p50_us, p99_us, cpu_us_per_request;
  // Ratios of the two cells' estimates, without an interval (not in comparisons).
  std::optional<double> rss_bytes_per_worker, cold_start_ms;
};

// "yes (±2.1% ≤ 3%)", "no (±7.2% > 3%)" or "no (1 round)".
std::string TargetText(const RatioRow& row);

// The cold start column's text: "812", "812 (compile: 1450)" or "–".
std::string ColdStartText(const FrameworkRow& row);

// The rate column's text: "200", "200 (saturated: 149)", or "closed".
std::string RateText(const FrameworkRow& row);
// " (starved: c32 28/32, c64 60/64)" after the req/s of a row with starved levels, else "".
std::string StarvedText(const FrameworkRow& row);
// The level column of a comparison: "c32", or "c32 starved".
std::string LevelText(const RatioRow& row);

struct RouteTable {
  std::string route;
  std::vector<FrameworkRow> rows;  // config order, then framework order
  std::vector<RatioRow> ratios;    // config order, pair order, closed loop by c, open by rate
};

// Routes in order of first appearance; configs sorted by name. Ratio rows come from
// results.comparisons whose two cells are ok.
std::vector<RouteTable> BuildRouteTables(const ResultsSet& results);

// What the per-cell numbers are (the estimator of the file's results format) and how the
// tables read; plain text, shared by tables.md and report.html.
std::string EstimatesNote(const ResultsSet& results);
// How the comparison rows are computed and read; plain text.
std::string RatiosNote(const ResultsSet& results);

// The whole tables.md text.
std::string RenderTablesMarkdown(const ResultsSet& results, const std::vector<RouteTable>& tables);

nlohmann::json ToJson(const Measure& m);
nlohmann::json ToJson(const RatioRow& r);
nlohmann::json ToJson(const RouteTable& table);

}  // namespace fwbench::report
