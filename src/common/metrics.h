#pragma once
// The registry of per-cell metrics: every figure a results file summarises per cell
// (results/SCHEMA.md `Cell.summary`) and compares per framework pair (`comparisons[].metrics`),
// with where it sits in a repetition, its unit, which direction is better, how it is summarised
// across rounds and how the report shows it. The suite's summary and comparisons, the report's
// parser, tables, page, charts and matrix, and `fwbench compare` loop over All(); adding a
// metric is one row in metrics.cc (plus its line in results/SCHEMA.md).
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace fwbench::metrics {

enum class Better { kHigher, kLower };

// How a cell's per-round values become its Summary (common/paired_stats.h).
enum class Estimator {
  // stats::AcrossRounds: the geometric mean with a Student-t 95% interval on the logs; the
  // arithmetic mean with a t interval on the values when a value is <= 0.
  kAcrossRounds,
};

// Which cell of a route's configuration the report's per-framework table takes the metric from.
enum class TableCell {
  kNone,     // not a column
  kPeak,     // the closed-loop cell of highest req/s (throughput and what it costs)
  kLatency,  // the open-loop cell at the lowest rate, or the peak when there is none; a
             // comparison drops it when a server was saturated (its latency is queueing)
};

// How the report's comparison table shows a/b.
enum class RatioColumn {
  kNone,         // not a column
  kInterval,     // the comparison's ratio across rounds with its interval (needs `comparison`)
  kOfEstimates,  // the ratio of the two cells' estimates, without an interval
};

struct Display {
  std::string_view header;        // per-framework column: "p99 µs"
  std::string_view ratio_header;  // comparison column: "p99"
  TableCell cell = TableCell::kNone;
  RatioColumn ratio = RatioColumn::kNone;
  double scale = 1;       // shown = stored * scale (bytes -> MiB)
  std::string_view unit;  // of the shown value: "MiB"
  int digits = 3;         // significant digits in tables.md (the page uses 3 throughout)
  bool interval = false;  // the per-framework column shows the [95% CI]
  // The columns are shown even when no cell has the metric. False for metrics added after the
  // published results were measured: their columns appear once some cell carries them, so the
  // published tables regenerate unchanged.
  bool always = true;
};

struct Metric {
  std::string_view name;     // the key in Cell.summary and Comparison.metrics: "p99_us"
  std::string_view pointer;  // JSON pointer into one repetition: "/load/overall/rps"
  std::string_view unit;     // of the stored value: "req/s", "us", "bytes", "ms", "ratio"
  Better better;
  Estimator estimator = Estimator::kAcrossRounds;
  // The suite's comparisons carry a/b of it per round with an interval across rounds (the
  // report derives the same for a fwbench.results/1 file).
  bool comparison = false;
  std::string_view description;  // one line for help text
  Display display;

  bool higher_is_better() const { return better == Better::kHigher; }
};

// Every metric, in the order the report shows its columns.
std::span<const Metric> All();
// The metric called `name`, or null.
const Metric* Find(std::string_view name);
// The metric called `name`; throws fwbench::Error naming it and listing the known ones, with
// `where` (e.g. "--metric") as the place of the mistake.
const Metric& Get(std::string_view name, const std::string& where = "metric");
// "rps, p50_us, ..." (every name, in order), for help text and errors.
std::string Names();

// The metric's value in one repetition (a number at `pointer`); empty when absent or not a
// number.
std::optional<double> ValueIn(const nlohmann::json& repetition, const Metric& metric);

}  // namespace fwbench::metrics
