#pragma once
// `fwbench compare A.json B.json`: per cell present in both, B/A of one metric's median with a
// two-sided Mann-Whitney U test over repetitions (as Google Benchmark's tools/compare.py),
// a geometric-mean summary, and a verdict that can gate CI.
#include <string>
#include <vector>

#include "report/results.h"

namespace fwbench::report {

struct CompareOptions {
  std::string metric =
      "rps";  // rps | p50_us | p99_us | p999_us | cpu_us_per_request | rss_peak_bytes_per_worker
  double threshold = 0.05;  // relative change that counts as a regression
  double alpha = 0.05;      // significance level of the U test
};

struct CompareRow {
  std::string id;
  double a = 0, b = 0, ratio = 0;  // medians and b / a
  int n_a = 0, n_b = 0;
  double p_value = 1;
  bool exact = false;
  bool testable = false;  // the sample sizes can reach p < alpha at all
  bool regressed = false;
  bool improved = false;
};

struct CompareOutcome {
  std::string metric;
  bool higher_is_better = true;
  std::vector<CompareRow> rows;        // in A's cell order
  std::vector<std::string> only_in_a;  // cell ids
  std::vector<std::string> only_in_b;
  double geomean_ratio = 0;
  int regressions = 0;
};

// A regression is a change beyond the threshold in the bad direction that is significant
// (p < alpha). When the repetitions are too few for any p < alpha (e.g. 3 vs 3: min p = 0.1),
// the ratio alone decides and the row says "untestable". Throws fwbench::Error for an unknown
// metric or when no cell matches.
CompareOutcome Compare(const ResultsSet& a, const ResultsSet& b, const CompareOptions& options);

// The text table printed by the command.
std::string RenderCompare(const CompareOutcome& outcome, const CompareOptions& options);

}  // namespace fwbench::report
