#include "load/tally.h"

#include <algorithm>

namespace fwbench::load {

Tally::Tally(const Plan& plan, std::vector<TargetStats>& targets) : plan_(plan), targets_(targets) {
  targets_.resize(plan.targets.size());
  for (auto& target : targets_) {
    target.routes.resize(plan.routes.size());
    target.windows.resize(plan.windows.size());
  }
}

bool Tally::Counted(const Request& r, int64_t now) const {
  return r.measured() && (plan_.sliced || Measuring(now));
}

uint64_t Tally::SecondOf(int64_t t) const {
  return static_cast<uint64_t>(std::max<int64_t>(0, t - plan_.measure_start_ns) / 1'000'000'000);
}

void Tally::Error(uint32_t target, int64_t now) {
  ++targets_[target].timeseries.At(SecondOf(now)).errors;
}

void Tally::Response(uint32_t target, const Request& r, int status, int64_t now, bool open_model,
                     ConnectionCounts& connection) {
  if (!Counted(r, now)) {
    if (r.measured()) Unfinished(target, r);  // a plain run's response after the duration
    return;
  }
  TargetStats& t = targets_[target];
  ++t.windows[r.window].requests;
  ++connection.completed;
  RouteStats& stats = t.routes[r.route];
  ++stats.requests;
  stats.CountStatus(status);
  const uint64_t corrected_us = static_cast<uint64_t>(now - r.intended_ns) / 1000;
  if (open_model) stats.corrected.Record(corrected_us);
  stats.uncorrected.Record(static_cast<uint64_t>(now - r.sent_ns) / 1000);
  Second& s = t.timeseries.At(SecondOf(now));
  ++s.requests;
  s.latency.Record(corrected_us);
}

void Tally::Failed(uint32_t target, const Request& r, ErrorKind kind, int64_t now,
                   ConnectionCounts* connection) {
  if (!Counted(r, now)) {
    if (r.measured()) Unfinished(target, r);
    return;
  }
  ++targets_[target].routes[r.route].errors[static_cast<int>(kind)];
  ++targets_[target].windows[r.window].errors;
  Error(target, now);
  if (!connection) return;
  ++connection->errors;
  connection->timeouts += kind == ErrorKind::kTimeout;
}

void Tally::Unfinished(uint32_t target, const Request& r) {
  ++targets_[target].routes[r.route].unfinished;
  ++targets_[target].windows[r.window].unfinished;
}

void Tally::Unattributed(uint32_t target, ErrorKind kind, int64_t now,
                         ConnectionCounts& connection) {
  const int window = plan_.sliced ? WindowAt(plan_, now) : (Measuring(now) ? 0 : -1);
  const bool counts = plan_.sliced
                          ? ActiveIn(plan_, window, target) && plan_.windows[window].measured
                          : window == 0;
  if (!counts) return;
  ++targets_[target].unattributed.errors[static_cast<int>(kind)];
  ++targets_[target].windows[window].errors;
  ++connection.errors;
  Error(target, now);
}

void Tally::PublishLive(LiveCounters* live) {
  if (!live) return;
  TimeSeries::Counts total;
  for (const auto& target : targets_) {
    const TimeSeries::Counts t = target.timeseries.Totals();
    total.requests += t.requests;
    total.errors += t.errors;
  }
  live->responses.fetch_add(total.requests - published_.requests, std::memory_order_relaxed);
  live->errors.fetch_add(total.errors - published_.errors, std::memory_order_relaxed);
  published_ = total;
}

}  // namespace fwbench::load
