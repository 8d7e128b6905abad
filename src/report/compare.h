#pragma once
// `fwbench compare A.json B.json`: per cell present in both, the ratio B/A of one metric with
// its 95% interval (stats::RatioOfIndependent: Welch t on the logs of the per-round values,
// `summary.<metric>.values`), the two-sided Mann-Whitney U p-value (as Google Benchmark's
// tools/compare.py reports it), a geometric-mean summary, and a verdict that can gate CI.
// Reads fwbench.results/1 and /2 files, and one of each.
#include <optional>
#include <string>
#include <vector>

#include "report/results.h"

namespace fwbench::report {

struct CompareOptions {
  std::string metric = "rps";  // a metric of the registry (common/metrics.h)
  double threshold = 0.05;  // relative change that counts as a regression
  double alpha = 0.05;      // 1 - the confidence of the interval (0.05: a 95% interval)
};

struct CompareRow {
  std::string id;
  double a = 0, b = 0;              // geometric means of the per-round values
  double ratio = 0;                 // b / a: the ratio of the geometric means
  std::optional<double> low, high;  // its interval; empty when a side has fewer than 2 values
  int n_a = 0, n_b = 0;
  double p_value = 1;  // Mann-Whitney U, two-sided (informational: the interval decides)
  bool exact = false;
  bool regressed = false;
  bool improved = false;
};

struct CompareOutcome {
  std::string metric;
  bool higher_is_better = true;
  std::vector<CompareRow> rows;        // in A's cell order
  std::vector<std::string> only_in_a;  // cell ids
  std::vector<std::string> only_in_b;
  std::vector<std::string> no_values;  // in both, but a side has no positive value of the metric
  double geomean_ratio = 0;
  int regressions = 0;
};

// A regression is an interval that lies entirely beyond the threshold on the bad side, which
// the registry's direction gives (higher is better, e.g. rps: high < 1 - threshold; lower is
// better, e.g. latency, CPU, RSS: low > 1 + threshold); an improvement likewise on
// the good side. Without an interval (a side has one value) the ratio alone decides and the row
// says so. Values that are not positive (a v1 runner wrote 0 for a missing figure) are left
// out. Throws fwbench::Error for an unknown metric or when no cell matches.
CompareOutcome Compare(const ResultsSet& a, const ResultsSet& b, const CompareOptions& options);

// The text table printed by the command.
std::string RenderCompare(const CompareOutcome& outcome, const CompareOptions& options);

}  // namespace fwbench::report
