#pragma once
// Statistics for comparisons measured in rounds (see README.md, "Estimator").
//
// A round restarts the servers, then the apps of a group take turns in short slices, in a freshly
// randomized order per sub-round. A round yields one figure per app or pair of apps (a ratio of
// mean slice throughputs, an absolute req/s, a p99); rounds are the independent unit, so intervals
// are computed across rounds only. Everything here is deterministic and free of global state.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <vector>

namespace fwbench::stats {

// A point estimate across rounds with its interval.
struct Estimate {
  int n = 0;                        // rounds (for RatioOfIndependent: the smaller sample size)
  double value = 0;                 // point estimate; 0 when n == 0
  std::optional<double> low, high;  // the interval; both empty when n < 2
  // True when value/low/high come from the logs (geometric mean, interval symmetric on the log
  // scale); false for the arithmetic fallback used when a value is <= 0.
  bool log_scale = true;
  std::vector<double> per_round;  // the inputs, in order (empty for RatioOfIndependent)

  // Half the interval's width in percent of the estimate: 100 * (sqrt(high / low) - 1) on the log
  // scale, 100 * (high - low) / 2 / |value| otherwise (0 for a zero-width interval around 0).
  // +infinity when there is no interval.
  double HalfWidthPct() const;
};

// Per-round positive values (a ratio, or an absolute figure like req/s or p99): the geometric mean
// and a Student-t interval on the logs, exp(mean(log x) +- t(n-1) * sd(log x) / sqrt(n)). If any
// value is <= 0: the arithmetic mean and a t interval on the values themselves (log_scale false).
// `confidence` is in (0, 1). Throws fwbench::Error on a non-finite value or a bad confidence.
Estimate AcrossRounds(const std::vector<double>& per_round, double confidence = 0.95);

// The ratio of the mean slice throughputs of two apps in one round: mean(a) / mean(b), which is
// sum(a) / sum(b) for the usual equal slice counts (slices of equal duration, so this is the ratio
// of total requests over total time). Throws fwbench::Error when a or b is empty or mean(b) <= 0.
double RoundRatio(const std::vector<double>& a, const std::vector<double>& b);

// Two independent samples (e.g. `fwbench compare` of two results files): the ratio of the
// geometric means of a and b with a Welch t interval on the logs. If any value is <= 0: the ratio
// of arithmetic means with a delta-method Welch interval on the ratio (log_scale false). The
// interval needs at least 2 values on each side; n is min(|a|, |b|). Throws fwbench::Error when a
// or b is empty, on a non-finite value, when mean(b) <= 0 in the fallback, or on a bad confidence.
Estimate RatioOfIndependent(const std::vector<double>& a, const std::vector<double>& b,
                            double confidence = 0.95);

// The p-quantile of Student's t distribution with `dof` degrees of freedom (finite, > 0, need not
// be an integer) for p in [1e-10, 1 - 1e-10]; a two-sided 95% interval uses
// StudentTQuantile(0.975, dof). Inverts the regularized incomplete beta function (safeguarded
// Newton): relative error below 1e-9 for dof in [0.5, 1e6], slowly growing beyond (5e-8 at 1e8).
// Throws fwbench::Error outside that domain.
double StudentTQuantile(double p, double dof);

// A hierarchical bootstrap of the ratio, kept only for comparison with AcrossRounds (the coverage
// test and README.md): each resample draws rounds with replacement, then within each drawn round
// draws sub-rounds with replacement (slice i of a is paired with slice i of b), takes the round's
// RoundRatio and the geometric mean over rounds. value is the geometric mean of the observed
// RoundRatios; low/high are the 2.5% and 97.5% percentiles of the resampled statistic (empty when
// fewer than 2 rounds). Deterministic for a given seed (SplitMix64). Throws fwbench::Error when the
// round counts differ, a round's a and b differ in length or are empty, or resamples < 1.
Estimate HierarchicalBootstrapRatio(const std::vector<std::vector<double>>& a_slices_per_round,
                                    const std::vector<std::vector<double>>& b_slices_per_round,
                                    int resamples, uint64_t seed);

// {"n", value_key: value, "ci95": [low, high] | null, "half_width_pct": x | null, "per_round"}.
// "ci95" names the interval whatever confidence produced it; callers use 0.95.
nlohmann::json ToJson(const Estimate& e, const char* value_key);

}  // namespace fwbench::stats
