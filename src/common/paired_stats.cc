#include "common/paired_stats.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <numbers>
#include <string>

#include "common/error.h"
#include "common/quantile.h"
#include "common/splitmix.h"

namespace fwbench::stats {
namespace {

std::string Str(double x) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.17g", x);
  return buffer;
}

void CheckConfidence(double confidence, const char* where) {
  if (!(confidence > 0 && confidence < 1))
    throw Error("confidence " + Str(confidence) + " is not in (0, 1)", where);
}

void CheckFinite(const std::vector<double>& values, const char* where, const char* name) {
  for (size_t i = 0; i < values.size(); ++i)
    if (!std::isfinite(values[i]))
      throw Error("non-finite value " + Str(values[i]),
                  std::string(where) + ", " + name + "[" + std::to_string(i) + "]");
}

bool AllPositive(const std::vector<double>& values) {
  return std::all_of(values.begin(), values.end(), [](double v) { return v > 0; });
}

// log(v / values[0]) for each value: relative to the first so that a single value or a constant
// series comes back exactly as values[0] * exp(0).
std::vector<double> LogsRelativeToFirst(const std::vector<double>& values) {
  std::vector<double> logs;
  logs.reserve(values.size());
  for (double v : values) logs.push_back(std::log(v / values[0]));
  return logs;
}

// Sample mean and variance (n - 1 denominator; 0 when n < 2). Shifting by the first value keeps a
// constant series exactly constant (variance exactly 0) and the sums small.
struct Moments {
  double mean = 0, variance = 0;
};
Moments MeanAndVariance(const std::vector<double>& x) {
  Moments m;
  if (x.empty()) return m;
  const double shift = x[0];
  double sum = 0;
  for (double v : x) sum += v - shift;
  const double n = static_cast<double>(x.size());
  const double centered_mean = sum / n;
  m.mean = shift + centered_mean;
  if (x.size() < 2) return m;
  double ss = 0;
  for (double v : x) ss += (v - shift - centered_mean) * (v - shift - centered_mean);
  m.variance = ss / (n - 1);
  return m;
}

// log Gamma(x) for x > 0 (Lanczos, g = 7, 9 terms; ~1e-15 relative). Local because std::lgamma
// may write the global signgam.
double LogGamma(double x) {
  static constexpr double kCoefficients[] = {
      0.99999999999980993,  676.5203681218851,     -1259.1392167224028,
      771.32342877765313,   -176.61502916214059,   12.507343278686905,
      -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7};
  if (x < 0.5)  // reflection: Gamma(x) Gamma(1 - x) = pi / sin(pi x)
    return std::log(std::numbers::pi / std::sin(std::numbers::pi * x)) - LogGamma(1 - x);
  x -= 1;
  double sum = kCoefficients[0];
  for (int i = 1; i < 9; ++i) sum += kCoefficients[i] / (x + i);
  const double t = x + 7.5;
  return 0.5 * std::log(2 * std::numbers::pi) + (x + 0.5) * std::log(t) - t + std::log(sum);
}

// Continued fraction of the incomplete beta function (modified Lentz), valid and fast for
// x < (a + 1) / (a + b + 2). y = 1 - x, passed separately to keep its precision.
double BetaContinuedFraction(double a, double b, double x) {
  constexpr double kTiny = 1e-300, kEpsilon = 1e-16;
  const int max_iterations = 1000 + static_cast<int>(20 * std::sqrt(std::max(a, b)));
  double c = 1, d = 1 - (a + b) * x / (a + 1);
  if (std::fabs(d) < kTiny) d = kTiny;
  d = 1 / d;
  double h = d;
  for (int m = 1; m <= max_iterations; ++m) {
    const double m2 = 2.0 * m;
    double aa = m * (b - m) * x / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d;
    if (std::fabs(d) < kTiny) d = kTiny;
    c = 1 + aa / c;
    if (std::fabs(c) < kTiny) c = kTiny;
    d = 1 / d;
    h *= d * c;
    aa = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d;
    if (std::fabs(d) < kTiny) d = kTiny;
    c = 1 + aa / c;
    if (std::fabs(c) < kTiny) c = kTiny;
    d = 1 / d;
    const double delta = d * c;
    h *= delta;
    if (std::fabs(delta - 1) < kEpsilon) return h;
  }
  throw Error("incomplete beta continued fraction did not converge for a=" + Str(a) +
              " b=" + Str(b) + " x=" + Str(x));
}

// Regularized incomplete beta I_x(a, b), with y = 1 - x given separately.
double IncompleteBeta(double a, double b, double x, double y) {
  if (x <= 0) return 0;
  if (y <= 0) return 1;
  const double log_front =
      LogGamma(a + b) - LogGamma(a) - LogGamma(b) + a * std::log(x) + b * std::log(y);
  if (x < (a + 1) / (a + b + 2)) return std::exp(log_front) * BetaContinuedFraction(a, b, x) / a;
  return 1 - std::exp(log_front) * BetaContinuedFraction(b, a, y) / b;
}

// P(T > t) for t >= 0: I_{dof / (dof + t^2)}(dof / 2, 1 / 2) / 2.
double StudentTUpperTail(double t, double dof) {
  const double t2 = t * t;
  return 0.5 * IncompleteBeta(dof / 2, 0.5, dof / (dof + t2), t2 / (dof + t2));
}

double StudentTDensity(double t, double dof, double log_norm) {
  return std::exp(log_norm - (dof + 1) / 2 * std::log1p(t * t / dof));
}

// Half the width of a t interval.
double THalfWidth(double confidence, double dof, double standard_error) {
  if (standard_error == 0) return 0;
  return StudentTQuantile((1 + confidence) / 2, dof) * standard_error;
}

}  // namespace

double Estimate::HalfWidthPct() const {
  if (!low || !high) return std::numeric_limits<double>::infinity();
  if (log_scale) return 100 * (std::sqrt(*high / *low) - 1);
  const double half = (*high - *low) / 2;
  if (half == 0) return 0;
  if (value == 0) return std::numeric_limits<double>::infinity();
  return 100 * half / std::fabs(value);
}

double StudentTQuantile(double p, double dof) {
  if (!(p >= 1e-10 && p <= 1 - 1e-10))
    throw Error("probability " + Str(p) + " is not in [1e-10, 1 - 1e-10]", "StudentTQuantile");
  if (!(dof > 0 && std::isfinite(dof)))
    throw Error("degrees of freedom " + Str(dof) + " are not positive and finite",
                "StudentTQuantile");
  if (p == 0.5) return 0;
  const double sign = p > 0.5 ? 1 : -1;
  const double tail = p > 0.5 ? 1 - p : p;  // find t > 0 with P(T > t) = tail
  const double log_norm =
      LogGamma((dof + 1) / 2) - LogGamma(dof / 2) - 0.5 * std::log(dof * std::numbers::pi);
  // Bracket [lo, hi] with P(T > lo) > tail >= P(T > hi), then safeguarded Newton.
  double lo = 0, hi = 2;
  while (StudentTUpperTail(hi, dof) > tail) {
    lo = hi;
    hi *= 2;
  }
  double t = (lo + hi) / 2;
  for (int i = 0; i < 200; ++i) {
    const double excess = StudentTUpperTail(t, dof) - tail;  // decreasing in t
    if (excess == 0) return sign * t;
    (excess > 0 ? lo : hi) = t;
    double next = t + excess / StudentTDensity(t, dof, log_norm);
    if (!(next > lo && next < hi)) next = (lo + hi) / 2;
    if (std::fabs(next - t) <= 1e-15 * t || hi - lo <= 1e-15 * hi) return sign * next;
    t = next;
  }
  return sign * t;
}

Estimate AcrossRounds(const std::vector<double>& per_round, double confidence) {
  CheckConfidence(confidence, "AcrossRounds");
  CheckFinite(per_round, "AcrossRounds", "per_round");
  Estimate e;
  e.n = static_cast<int>(per_round.size());
  e.per_round = per_round;
  if (e.n == 0) return e;
  e.log_scale = AllPositive(per_round);
  const Moments m = MeanAndVariance(e.log_scale ? LogsRelativeToFirst(per_round) : per_round);
  const double scale = per_round[0];
  e.value = e.log_scale ? scale * std::exp(m.mean) : m.mean;
  if (e.n < 2) return e;
  const double half = THalfWidth(confidence, e.n - 1, std::sqrt(m.variance / e.n));
  if (e.log_scale) {
    e.low = scale * std::exp(m.mean - half);
    e.high = scale * std::exp(m.mean + half);
  } else {
    e.low = m.mean - half;
    e.high = m.mean + half;
  }
  return e;
}

double RoundRatio(const std::vector<double>& a, const std::vector<double>& b) {
  if (a.empty() || b.empty())
    throw Error("a round needs at least one slice of each app (a has " + std::to_string(a.size()) +
                    ", b has " + std::to_string(b.size()) + ")",
                "RoundRatio");
  double sum_a = 0, sum_b = 0;
  for (double v : a) sum_a += v;
  for (double v : b) sum_b += v;
  const double mean_a = sum_a / static_cast<double>(a.size());
  const double mean_b = sum_b / static_cast<double>(b.size());
  if (!(mean_b > 0) || !std::isfinite(mean_a) || !std::isfinite(mean_b))
    throw Error("mean slice throughputs " + Str(mean_a) + " / " + Str(mean_b) +
                    " do not make a ratio (the denominator must be positive, both finite)",
                "RoundRatio");
  return mean_a / mean_b;
}

Estimate RatioOfIndependent(const std::vector<double>& a, const std::vector<double>& b,
                            double confidence) {
  CheckConfidence(confidence, "RatioOfIndependent");
  CheckFinite(a, "RatioOfIndependent", "a");
  CheckFinite(b, "RatioOfIndependent", "b");
  if (a.empty() || b.empty())
    throw Error("both samples need at least one value (a has " + std::to_string(a.size()) +
                    ", b has " + std::to_string(b.size()) + ")",
                "RatioOfIndependent");
  Estimate e;
  e.n = static_cast<int>(std::min(a.size(), b.size()));
  e.log_scale = AllPositive(a) && AllPositive(b);
  const Moments ma = MeanAndVariance(e.log_scale ? LogsRelativeToFirst(a) : a);
  const Moments mb = MeanAndVariance(e.log_scale ? LogsRelativeToFirst(b) : b);
  const double scale = a[0] / b[0];  // of the log-scale estimates
  const double na = static_cast<double>(a.size()), nb = static_cast<double>(b.size());
  // Variance components of the estimate of log(ratio), or of the ratio (delta method).
  double ca = ma.variance / na, cb = mb.variance / nb;
  if (e.log_scale) {
    e.value = scale * std::exp(ma.mean - mb.mean);
  } else {
    if (!(mb.mean > 0))
      throw Error("mean of b is " + Str(mb.mean) + "; a ratio needs a positive denominator",
                  "RatioOfIndependent");
    e.value = ma.mean / mb.mean;
    ca /= mb.mean * mb.mean;
    cb *= e.value * e.value / (mb.mean * mb.mean);
  }
  if (a.size() < 2 || b.size() < 2) return e;
  const double variance = ca + cb;
  double half = 0;
  if (variance > 0) {
    const double dof = variance * variance / (ca * ca / (na - 1) + cb * cb / (nb - 1));  // Welch
    half = THalfWidth(confidence, dof, std::sqrt(variance));
  }
  if (e.log_scale) {
    e.low = scale * std::exp(ma.mean - mb.mean - half);
    e.high = scale * std::exp(ma.mean - mb.mean + half);
  } else {
    e.low = e.value - half;
    e.high = e.value + half;
  }
  return e;
}

Estimate HierarchicalBootstrapRatio(const std::vector<std::vector<double>>& a_slices_per_round,
                                    const std::vector<std::vector<double>>& b_slices_per_round,
                                    int resamples, uint64_t seed) {
  const char* where = "HierarchicalBootstrapRatio";
  if (a_slices_per_round.size() != b_slices_per_round.size())
    throw Error("a has " + std::to_string(a_slices_per_round.size()) + " rounds, b has " +
                    std::to_string(b_slices_per_round.size()),
                where);
  if (resamples < 1) throw Error("resamples is " + std::to_string(resamples), where);
  const size_t rounds = a_slices_per_round.size();
  std::vector<double> ratios;
  for (size_t r = 0; r < rounds; ++r) {
    const auto &a = a_slices_per_round[r], &b = b_slices_per_round[r];
    const std::string round = where + (", round " + std::to_string(r));
    if (a.empty() || a.size() != b.size())
      throw Error("slices are paired by sub-round: a has " + std::to_string(a.size()) + ", b has " +
                      std::to_string(b.size()),
                  round);
    for (size_t i = 0; i < a.size(); ++i)
      if (!(a[i] > 0 && b[i] > 0 && std::isfinite(a[i]) && std::isfinite(b[i])))
        throw Error("slice " + std::to_string(i) + " is not positive and finite (" + Str(a[i]) +
                        ", " + Str(b[i]) + ")",
                    round);
    ratios.push_back(RoundRatio(a, b));
  }
  Estimate e = AcrossRounds(ratios);  // value: the geometric mean of the observed ratios
  e.low.reset();
  e.high.reset();
  if (rounds < 2) return e;
  SplitMix64 random{seed};
  std::vector<double> log_means;
  log_means.reserve(static_cast<size_t>(resamples));
  for (int i = 0; i < resamples; ++i) {
    double sum_log = 0;
    for (size_t k = 0; k < rounds; ++k) {
      const size_t r = random.Next() % rounds;
      const auto &a = a_slices_per_round[r], &b = b_slices_per_round[r];
      double sum_a = 0, sum_b = 0;
      for (size_t s = 0; s < a.size(); ++s) {
        const size_t j = random.Next() % a.size();
        sum_a += a[j];
        sum_b += b[j];
      }
      sum_log += std::log(sum_a / sum_b);
    }
    log_means.push_back(sum_log / static_cast<double>(rounds));
  }
  e.low = std::exp(Quantile(log_means, 0.025));
  e.high = std::exp(Quantile(std::move(log_means), 0.975));
  return e;
}

nlohmann::json ToJson(const Estimate& e, const char* value_key) {
  nlohmann::json j = {{"n", e.n}, {value_key, e.value}, {"per_round", e.per_round}};
  if (e.low && e.high) {
    j["ci95"] = nlohmann::json::array({*e.low, *e.high});
    const double half_width = e.HalfWidthPct();
    j["half_width_pct"] = std::isfinite(half_width) ? nlohmann::json(half_width) : nullptr;
  } else {
    j["ci95"] = nullptr;
    j["half_width_pct"] = nullptr;
  }
  return j;
}

}  // namespace fwbench::stats
