#include "report/stats.h"

#include <algorithm>
#include <cmath>

namespace fwbench::report {
namespace {

// Number of arrangements of m x-values among m + n with U = u, for every u (0..m*n), by the
// recurrence c(u; i, j) = c(u - j; i - 1, j) + c(u; i, j - 1), keeping one row per i.
std::vector<double> ExactUCounts(int m, int n) {
  if (m > n) std::swap(m, n);                   // the distribution is symmetric in the two sizes
  std::vector<std::vector<double>> cur(m + 1);  // cur[i]: counts for (i, j)
  for (int i = 0; i <= m; ++i) cur[i].assign(1, 1.0);  // j = 0: U is 0
  for (int j = 1; j <= n; ++j) {
    for (int i = 1; i <= m; ++i) {  // cur[i - 1] already holds (i - 1, j)
      std::vector<double> next(i * j + 1, 0.0);
      for (size_t u = 0; u < cur[i].size(); ++u) next[u] += cur[i][u];
      for (size_t u = 0; u < cur[i - 1].size(); ++u) next[u + j] += cur[i - 1][u];
      cur[i] = std::move(next);
    }
  }
  return cur[m];
}

// P(U >= u) under the null hypothesis.
double ExactSurvival(int m, int n, int u) {
  const std::vector<double> counts = ExactUCounts(m, n);
  double total = 0, tail = 0;
  for (size_t k = 0; k < counts.size(); ++k) {
    total += counts[k];
    if (static_cast<int>(k) >= u) tail += counts[k];
  }
  return tail / total;
}

double NormalSurvival(double z) { return 0.5 * std::erfc(z / std::sqrt(2.0)); }

}  // namespace

double GeometricMean(const std::vector<double>& values) {
  if (values.empty()) return 0;
  double sum = 0;
  for (double v : values) {
    if (!(v > 0)) return 0;
    sum += std::log(v);
  }
  return std::exp(sum / static_cast<double>(values.size()));
}

MannWhitney MannWhitneyU(const std::vector<double>& x, const std::vector<double>& y,
                         bool asymptotic) {
  MannWhitney r;
  const size_t n1 = x.size(), n2 = y.size();
  if (n1 == 0 || n2 == 0) return r;
  std::vector<std::pair<double, int>> all;  // value, sample (0 = x)
  for (double v : x) all.emplace_back(v, 0);
  for (double v : y) all.emplace_back(v, 1);
  std::sort(all.begin(), all.end());
  const size_t n = all.size();
  double rank_sum_x = 0, tie_term = 0;
  bool ties = false;
  for (size_t i = 0; i < n;) {
    size_t j = i;
    while (j < n && all[j].first == all[i].first) ++j;
    const double t = static_cast<double>(j - i);
    const double avg_rank = (static_cast<double>(i + 1) + static_cast<double>(j)) / 2.0;
    for (size_t k = i; k < j; ++k) {
      if (all[k].second == 0) rank_sum_x += avg_rank;
    }
    if (t > 1) ties = true;
    tie_term += t * t * t - t;
    i = j;
  }
  const double m = static_cast<double>(n1), k = static_cast<double>(n2);
  r.u1 = rank_sum_x - m * (m + 1) / 2.0;
  const double u = std::max(r.u1, m * k - r.u1);
  // The most extreme arrangement has probability 1 / C(n1 + n2, n1).
  r.min_p = std::min(
      1.0, 2.0 * std::exp(std::lgamma(m + 1) + std::lgamma(k + 1) - std::lgamma(m + k + 1)));
  if (!asymptotic && !ties && std::min(n1, n2) <= 8) {
    r.exact = true;
    r.p_value = std::min(1.0, 2.0 * ExactSurvival(static_cast<int>(n1), static_cast<int>(n2),
                                                  static_cast<int>(std::lround(u))));
    return r;
  }
  const double total = m + k;
  const double mu = m * k / 2.0;
  const double sigma = std::sqrt(m * k / 12.0 * ((total + 1) - tie_term / (total * (total - 1))));
  if (sigma == 0) return r;  // every value equal: no evidence either way
  const double z = (u - mu - 0.5) / sigma;
  r.p_value = std::min(1.0, 2.0 * NormalSurvival(z));
  return r;
}

}  // namespace fwbench::report
