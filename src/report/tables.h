#pragma once
// The per-route tables: for every route and server configuration, each framework's metrics
// (the registry's columns, common/metrics.h: peak throughput, latency at a fixed open-loop
// rate, CPU per request, RSS per worker, cold start, ...), then one row per framework
// comparison (results.h Comparison: the ratio across rounds with its 95% interval, rounds,
// whether the target was reached). Built once; rendered as Markdown here, as HTML and JSON
// elsewhere.
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "common/metrics.h"
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
  // Per metric of the registry with a per-framework column (metrics::Display::cell), only those
  // measured: the estimate with its 95% interval from the peak cell (TableCell::kPeak: the
  // closed-loop cell of highest req/s) or the latency cell (kLatency: the open-loop cell at the
  // lowest rate, else the peak). "cold_start_ms" is the cell's own cold start
  // (Cell::cold_start_ms, no interval), the open-loop cell's when the peak has none.
  std::map<std::string, Measure> values;
  int peak_concurrency = 0;
  std::optional<double> latency_rate;  // the open-loop rate the latencies were measured at
  // The server fell behind that rate (estimated req/s below 95% of it): its latencies measure
  // the queue, not the framework. Holds the req/s it reached.
  std::optional<double> saturated_at;
  std::optional<double> cold_compile_ms;  // first start after a bytecode-cache wipe
  // The highest error ratio (metric "error_ratio": socket errors, 4xx and 5xx over responses)
  // of the cells the row shows, when above 0: their req/s counts error responses too.
  std::optional<double> error_ratio;
  std::string status;  // "ok", or why nothing was measured
  // Closed-loop levels left out of the peak because a connection completed nothing there
  // (Cell::starved): "c32: 28/32". When every closed level is starved (and there is no
  // open-loop cell) the row has no peak and its status says so.
  std::vector<std::string> starved;

  const Measure* Value(const std::string& metric) const;  // null when not measured
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
  // Per metric with a comparison column (metrics::Display::ratio), only those available:
  // RatioColumn::kInterval, the comparison's ratio across rounds with its 95% interval;
  // kOfEstimates, the ratio of the two cells' estimates (no interval). Latency metrics are
  // left out when a server was saturated.
  std::map<std::string, Measure> values;

  const Measure* Value(const std::string& metric) const;  // null when not available
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
  // The metrics shown as columns, in registry order: every metric with a column whose
  // Display::always is set, the others once some ok cell of the results has them.
  std::vector<const metrics::Metric*> columns;        // per-framework table
  std::vector<const metrics::Metric*> ratio_columns;  // comparison table
};

// The text of a metric's per-framework cell: the value (scaled, to `digits` significant
// digits, with its [95% CI] when Display::interval), then what belongs beside it: after req/s
// the starved levels (StarvedText) and the error ratio (ErrorsText), after the cold start the
// compile start (ColdStartText). "–" when not measured.
std::string ValueText(const FrameworkRow& row, const metrics::Metric& metric, int digits);
// The text of a comparison cell: the ratio with its [95% CI] when it has one, to 3 significant
// digits, then " ⚠" when the row is noisy and `metric` is its primary. "–" when not available.
std::string RatioText(const RatioRow& row, const metrics::Metric& metric);
// " (errors: 1.2%)" after the req/s of a row whose cells had errors, else "".
std::string ErrorsText(const FrameworkRow& row);
// The per-framework table's own columns follow this metric's: the peak's concurrency ("c")
// and the latency's open-loop rate. True for req/s.
bool LevelColumnsFollow(const metrics::Metric& metric);
// The per-framework table's columns after config and framework (metrics and level columns).
size_t ColumnCount(const RouteTable& table);

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
// `columns`: the table's ratio_columns (each a key, null when the row lacks it).
nlohmann::json ToJson(const RatioRow& r, const std::vector<const metrics::Metric*>& columns);
nlohmann::json ToJson(const RouteTable& table);

}  // namespace fwbench::report
