#include "load/stats.h"

#include <algorithm>
#include <numeric>

#include "common/quantile.h"

namespace fwbench::load {

void RouteStats::CountStatus(int code) {
  const int cls = code / 100;
  if (cls >= 1 && cls <= 5) ++status[cls - 1];
}

void RouteStats::Merge(const RouteStats& other) {
  requests += other.requests;
  bytes_read += other.bytes_read;
  connects += other.connects;
  unfinished += other.unfinished;
  for (size_t i = 0; i < status.size(); ++i) status[i] += other.status[i];
  for (size_t i = 0; i < errors.size(); ++i) errors[i] += other.errors[i];
  corrected.Merge(other.corrected);
  uncorrected.Merge(other.uncorrected);
}

uint64_t RouteStats::error_count() const {
  uint64_t sum = 0;
  for (uint64_t e : errors) sum += e;
  return sum;
}

nlohmann::json LatencyJson(const Histogram& h) {
  return {{"count", h.count()},
          {"mean_us", h.mean()},
          {"stdev_us", h.stdev()},
          {"min_us", h.min()},
          {"p50_us", h.Percentile(50)},
          {"p90_us", h.Percentile(90)},
          {"p99_us", h.Percentile(99)},
          {"p999_us", h.Percentile(99.9)},
          {"p9999_us", h.Percentile(99.99)},
          {"max_us", h.max()},
          {"histogram", h.ToJson()}};
}

nlohmann::json RouteStats::ToJson(double elapsed_s) const {
  return {
      {"requests", requests},
      {"rps", elapsed_s > 0 ? static_cast<double>(requests) / elapsed_s : 0.0},
      {"bytes_read", bytes_read},
      {"connects", connects},
      {"unfinished", unfinished},
      {"connects_per_request",
       requests ? static_cast<double>(connects) / static_cast<double>(requests) : 0.0},
      {"status",
       {{"1xx", status[0]},
        {"2xx", status[1]},
        {"3xx", status[2]},
        {"4xx", status[3]},
        {"5xx", status[4]}}},
      {"errors",
       {{"connect", errors[0]},
        {"read", errors[1]},
        {"write", errors[2]},
        {"timeout", errors[3]},
        {"parse", errors[4]}}},
      {"latency",
       {{"corrected", LatencyJson(corrected)}, {"uncorrected", LatencyJson(uncorrected)}}},
  };
}

nlohmann::json ConnectionsJson(const std::vector<ConnectionCounts>& connections) {
  std::vector<uint64_t> completed, timeouts, errors;
  std::vector<double> sorted;
  uint64_t starved = 0;
  for (const ConnectionCounts& c : connections) {
    completed.push_back(c.completed);
    timeouts.push_back(c.timeouts);
    errors.push_back(c.errors);
    sorted.push_back(static_cast<double>(c.completed));
    starved += c.completed == 0;
  }
  auto max_of = [](const std::vector<uint64_t>& v) {
    return v.empty() ? uint64_t{0} : *std::max_element(v.begin(), v.end());
  };
  // A connection that completed nothing is evidence of starvation only when the others were
  // served enough that a zero is no accident of a short window: in a closed loop a served
  // connection completes about the mean, so a zero beside a mean of kJudgeMean is the server's
  // doing; beside a mean of 1 (a slow route in a 1 s window) it is the window's.
  const double mean = sorted.empty() ? 0.0
                                     : std::accumulate(sorted.begin(), sorted.end(), 0.0) /
                                           static_cast<double>(sorted.size());
  const bool judged = mean >= kStarvedJudgeMean;
  return {{"count", connections.size()},
          {"completed_min",
           completed.empty() ? uint64_t{0} : *std::min_element(completed.begin(), completed.end())},
          {"completed_median", Median(sorted)},
          {"completed_max", max_of(completed)},
          {"completed_none", starved},
          {"judged", judged},
          {"starved", judged ? starved : 0},
          {"timeouts_max_per_connection", max_of(timeouts)},
          {"errors_max_per_connection", max_of(errors)},
          {"completed", completed},
          {"timeouts", timeouts},
          {"errors", errors}};
}

Second& TimeSeries::At(uint64_t second) {
  while (seconds_.size() <= second) seconds_.emplace_back();
  return seconds_[second];
}

void TimeSeries::Merge(const TimeSeries& other) {
  for (size_t i = 0; i < other.seconds_.size(); ++i) {
    Second& mine = At(i);
    mine.requests += other.seconds_[i].requests;
    mine.errors += other.seconds_[i].errors;
    mine.latency.Merge(other.seconds_[i].latency);
  }
}

TimeSeries::Counts TimeSeries::Totals() const {
  Counts total;
  for (const Second& s : seconds_) {
    total.requests += s.requests;
    total.errors += s.errors;
  }
  return total;
}

nlohmann::json TimeSeries::ToJson(uint64_t seconds) const {
  nlohmann::json out = nlohmann::json::array();
  for (size_t i = 0; i < seconds_.size() && i < seconds; ++i) {
    const Second& s = seconds_[i];
    out.push_back({{"t_s", i},
                   {"requests", s.requests},
                   {"errors", s.errors},
                   {"p99_us", s.latency.Percentile(99)}});
  }
  return out;
}

}  // namespace fwbench::load
