#pragma once
// Summaries of a metric measured once per repetition (round) of a cell: the geometric mean with a
// Student-t 95% interval on the logs (common/paired_stats.h), plus the median and the coefficient
// of variation for reading the spread at a glance.
#include <nlohmann/json.hpp>
#include <vector>

#include "common/paired_stats.h"
#include "common/quantile.h"  // Median, used with summaries

namespace fwbench::suite {

struct Summary {
  // stats::AcrossRounds(values): n, the point estimate (geometric mean, or arithmetic mean when a
  // value is <= 0), the 95% interval (none when n < 2) and the values themselves (per_round).
  stats::Estimate estimate;
  double median = 0;  // 0 when n == 0
  double cv = 0;      // sample stdev / |arithmetic mean|; 0 when n < 2 or the mean is 0
};

// Summarizes `values` (one per repetition, in order; finite). Deterministic.
Summary Summarize(const std::vector<double>& values);

// {"n", "estimate", "ci95": [lo, hi] | null, "half_width_pct": x | null, "median", "cv",
//  "values"}; ci95 and half_width_pct are null when n < 2.
nlohmann::json ToJson(const Summary& summary);

// A cell's closed-model connection counts over its repetitions (each one's load.connections,
// results/SCHEMA.md): {"count", "completed_min", "completed_median" (median of the rounds'
// medians), "completed_max", "starved" (most connections that completed nothing in one
// round), "starved_rounds", "timeouts_max_per_connection"}; null when no repetition has them
// (open model, or a file from before they existed).
nlohmann::json ConnectionsSummary(const nlohmann::json& repetitions);

// Measured requests left unfinished over the repetitions (load.overall.unfinished).
uint64_t UnfinishedTotal(const nlohmann::json& repetitions);

}  // namespace fwbench::suite
