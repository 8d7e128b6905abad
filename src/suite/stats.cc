#include "suite/stats.h"

#include <cmath>

#include "common/quantile.h"

namespace fwbench::suite {

Summary Summarize(const std::vector<double>& values) {
  Summary s;
  s.estimate = stats::AcrossRounds(values);
  s.median = Median(values);
  if (values.size() < 2) return s;
  double mean = 0;
  for (double v : values) mean += v;
  mean /= static_cast<double>(values.size());
  double ss = 0;
  for (double v : values) ss += (v - mean) * (v - mean);
  const double stdev = std::sqrt(ss / static_cast<double>(values.size() - 1));
  s.cv = mean != 0 ? stdev / std::fabs(mean) : 0;
  return s;
}

nlohmann::json ToJson(const Summary& s) {
  const nlohmann::json e = stats::ToJson(s.estimate, "estimate");
  return {{"n", e["n"]},
          {"estimate", e["estimate"]},
          {"ci95", e["ci95"]},
          {"half_width_pct", e["half_width_pct"]},
          {"median", s.median},
          {"cv", s.cv},
          {"values", e["per_round"]}};
}

}  // namespace fwbench::suite
