#include "suite/schedule.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace fwbench::suite {

std::vector<load::SliceSpec> PlanSlices(const std::string& mode, size_t apps, int subrounds,
                                        double slice_s, SplitMix64& rng, int settle) {
  std::vector<load::SliceSpec> slices;
  const uint64_t all = apps >= 64 ? ~0ULL : (1ULL << apps) - 1;
  double t = 0;
  std::vector<size_t> order(apps);
  for (int s = 0; s < settle + subrounds; ++s) {
    const bool measured = s >= settle;
    if (mode == "duet") {
      slices.push_back({t, slice_s, all, measured});
      t += slice_s;
      continue;
    }
    std::iota(order.begin(), order.end(), 0);
    for (size_t i = apps; i > 1; --i) std::swap(order[i - 1], order[rng.Next() % i]);
    for (size_t app : order) {
      slices.push_back({t, slice_s, 1ULL << app, measured});
      t += slice_s;
    }
  }
  return slices;
}

std::vector<size_t> WidestFirst(const std::vector<double>& widths) {
  std::vector<size_t> order(widths.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&widths](size_t x, size_t y) { return widths[x] > widths[y]; });
  return order;
}

int SubroundOf(const std::string& mode, size_t apps, size_t slice) {
  return static_cast<int>(mode == "duet" || apps == 0 ? slice : slice / apps);
}

Trend FitTrend(const std::vector<double>& values, size_t window) {
  const double inf = std::numeric_limits<double>::infinity();
  if (window < 3 || values.size() < window) return {inf, inf};
  const double* y = values.data() + values.size() - window;
  const double n = static_cast<double>(window);
  const double mean_x = (n - 1) / 2;
  double mean_y = 0;
  for (size_t i = 0; i < window; ++i) mean_y += y[i] / n;
  if (mean_y <= 0) return {inf, inf};
  double sxy = 0, sxx = 0;
  for (size_t i = 0; i < window; ++i) {
    sxy += (static_cast<double>(i) - mean_x) * (y[i] - mean_y);
    sxx += (static_cast<double>(i) - mean_x) * (static_cast<double>(i) - mean_x);
  }
  const double slope = sxy / sxx, intercept = mean_y - slope * mean_x;
  double residual = 0;
  for (size_t i = 0; i < window; ++i) {
    const double e = y[i] - (intercept + slope * static_cast<double>(i));
    residual += e * e;
  }
  const double slope_se = std::sqrt(residual / (n - 2) / sxx);
  return {slope * (n - 1) / mean_y * 100, slope_se * (n - 1) / mean_y * 100};
}

}  // namespace fwbench::suite
