#include "suite/stats.h"

#include <algorithm>
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

nlohmann::json ConnectionsSummary(const nlohmann::json& repetitions) {
  uint64_t count = 0, min = UINT64_MAX, max = 0, starved = 0, starved_rounds = 0, timeouts = 0;
  std::vector<double> medians;
  for (const auto& rep : repetitions) {
    const nlohmann::json::json_pointer at("/load/connections");
    if (!rep.contains(at) || !rep.at(at).is_object()) continue;
    const auto& c = rep.at(at);
    count = std::max(count, c.value("count", uint64_t{0}));
    min = std::min(min, c.value("completed_min", uint64_t{0}));
    max = std::max(max, c.value("completed_max", uint64_t{0}));
    medians.push_back(c.value("completed_median", 0.0));
    const uint64_t s = c.value("starved", uint64_t{0});
    starved = std::max(starved, s);
    starved_rounds += s > 0;
    timeouts = std::max(timeouts, c.value("timeouts_max_per_connection", uint64_t{0}));
  }
  if (medians.empty()) return nullptr;
  return {{"count", count},
          {"completed_min", min},
          {"completed_median", Median(medians)},
          {"completed_max", max},
          {"starved", starved},
          {"starved_rounds", starved_rounds},
          {"timeouts_max_per_connection", timeouts}};
}

uint64_t UnfinishedTotal(const nlohmann::json& repetitions) {
  uint64_t total = 0;
  const nlohmann::json::json_pointer at("/load/overall/unfinished");
  for (const auto& rep : repetitions)
    if (rep.contains(at) && rep.at(at).is_number() && rep.at(at).get<double>() > 0)
      total += static_cast<uint64_t>(rep.at(at).get<double>());
  return total;
}

}  // namespace fwbench::suite
