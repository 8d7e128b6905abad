#include "suite/stats.h"

#include <algorithm>
#include <cmath>
#include <cstdint>

#include "common/splitmix.h"

namespace fwbench::suite {

Summary Summarize(const std::vector<double>& values) {
  Summary s;
  s.values = values;
  s.n = static_cast<int>(values.size());
  if (s.n == 0) return s;
  s.median = Median(values);
  s.ci_low = s.ci_high = s.median;
  if (s.n < 2) return s;
  double mean = 0;
  for (double v : values) mean += v;
  mean /= s.n;
  double ss = 0;
  for (double v : values) ss += (v - mean) * (v - mean);
  double stdev = std::sqrt(ss / (s.n - 1));
  s.cv = mean != 0 ? stdev / std::fabs(mean) : 0;
  s.noisy = s.cv > kNoisyCv;
  SplitMix64 random{kBootstrapSeed};
  std::vector<double> medians, resample(values.size());
  medians.reserve(kBootstrapResamples);
  for (int b = 0; b < kBootstrapResamples; ++b) {
    for (double& v : resample) v = values[random.Next() % values.size()];
    medians.push_back(Median(resample));
  }
  s.ci_low = Quantile(medians, 0.025);
  s.ci_high = Quantile(medians, 0.975);
  return s;
}

nlohmann::json ToJson(const Summary& s) {
  return {{"n", s.n},   {"median", s.median}, {"ci95", {s.ci_low, s.ci_high}},
          {"cv", s.cv}, {"noisy", s.noisy},   {"values", s.values}};
}

}  // namespace fwbench::suite
