#include "load/plan.h"

#include <algorithm>
#include <climits>

namespace fwbench::load {

int WindowAt(const Plan& plan, int64_t t) {
  const auto& w = plan.windows;
  auto it = std::upper_bound(w.begin(), w.end(), t,
                             [](int64_t v, const Window& x) { return v < x.start_ns; });
  if (it == w.begin()) return -1;
  --it;
  return t < it->end_ns ? static_cast<int>(it - w.begin()) : -1;
}

bool ActiveIn(const Plan& plan, int window, uint32_t target) {
  return window >= 0 && (plan.windows[window].active >> target & 1U);
}

bool Sendable(const Plan& plan, uint32_t target, int64_t t) {
  if (!plan.sliced) return t < plan.end_ns;
  return ActiveIn(plan, WindowAt(plan, t), target);
}

int64_t NextSendable(const Plan& plan, uint32_t target, int64_t t) {
  if (Sendable(plan, target, t)) return t;
  for (const Window& w : plan.windows)
    if (w.start_ns > t && (w.active >> target & 1U)) return w.start_ns;
  return INT64_MAX;
}

int64_t NextBoundary(const Plan& plan, int64_t t) {
  for (const Window& w : plan.windows) {
    if (w.start_ns > t) return w.start_ns;
    if (w.end_ns > t) return w.end_ns;
  }
  return INT64_MAX;
}

int MeasuredWindow(const Plan& plan, int64_t intended_ns) {
  const int window =
      plan.sliced ? WindowAt(plan, intended_ns) : (intended_ns >= plan.measure_start_ns ? 0 : -1);
  return window >= 0 && plan.windows[window].measured ? window : -1;
}

}  // namespace fwbench::load
