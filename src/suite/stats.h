#pragma once
// Summaries of repeated measurements: median, 95% bootstrap CI, coefficient of variation.
#include <nlohmann/json.hpp>
#include <vector>

#include "common/quantile.h"

namespace fwbench::suite {

struct Summary {
  int n = 0;
  double median = 0;
  double ci_low = 0, ci_high = 0;  // 95% percentile bootstrap of the median
  double cv = 0;                   // sample stdev / mean; 0 when n < 2 or mean is 0
  bool noisy = false;              // cv > kNoisyCv
  std::vector<double> values;
};

inline constexpr double kNoisyCv = 0.05;
inline constexpr int kBootstrapResamples = 2000;
inline constexpr unsigned long long kBootstrapSeed = 0x5eed2026;

// Summarizes `values`. Deterministic: the bootstrap uses a fixed seed and its own generator.
// With n = 1, ci is [v, v] and cv is 0; with n = 0 everything is 0.
Summary Summarize(const std::vector<double>& values);

// {"n", "median", "ci95": [lo, hi], "cv", "noisy", "values"}
nlohmann::json ToJson(const Summary& summary);

}  // namespace fwbench::suite
