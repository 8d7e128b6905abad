#pragma once
// Statistics over repetitions: medians, geometric means and the Mann-Whitney U test (as Google
// Benchmark's tools/compare.py uses, via SciPy). Ratios and their intervals come from
// common/paired_stats.h, the one estimator of the tree.
#include <vector>

#include "common/quantile.h"  // Median, Quantile

namespace fwbench::report {

// exp(mean(log(x))). Returns 0 when empty or when any value is not positive.
double GeometricMean(const std::vector<double>& values);

struct MannWhitney {
  double u1 = 0;       // U statistic of the first sample
  double p_value = 1;  // two-sided
  bool exact = false;  // exact null distribution, else normal approximation
  double min_p = 1;    // smallest two-sided p these sample sizes can give (exact, no ties)
};

// Two-sided Mann-Whitney U test, like scipy.stats.mannwhitneyu(x, y, method="auto"): the
// exact distribution when there are no ties and either sample has at most 8 values; otherwise
// the normal approximation with tie correction and continuity correction. p = 1 when either
// sample is empty.
// `asymptotic` forces the normal approximation (scipy's method="asymptotic").
MannWhitney MannWhitneyU(const std::vector<double>& x, const std::vector<double>& y,
                         bool asymptotic = false);

}  // namespace fwbench::report
