#pragma once
// Statistics one worker thread collects without locks, merged after the run.
#include <array>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <vector>

#include "load/connection.h"
#include "load/histogram.h"

namespace fwbench::load {

enum class ErrorKind { kConnect, kRead, kWrite, kTimeout, kParse };
inline constexpr int kErrorKinds = 5;

struct RouteStats {
  uint64_t requests = 0, bytes_read = 0, connects = 0;
  uint64_t unfinished = 0;           // measured, but neither answered nor failed when the run ended
  std::array<uint64_t, 5> status{};  // 1xx..5xx
  std::array<uint64_t, kErrorKinds> errors{};
  Histogram corrected, uncorrected;  // microseconds

  void CountStatus(int code);
  void Merge(const RouteStats& other);
  uint64_t error_count() const;
  // The schema's Stats object; rps = requests / elapsed_s.
  nlohmann::json ToJson(double elapsed_s) const;
};

// One second of the measured period.
struct Second {
  uint64_t requests = 0, errors = 0;
  Histogram latency{60'000'000, 2};  // corrected latency, µs, 2 digits (p99 per second)
};

// Per-second buckets, grown as time passes (one allocation per second, off the hot path).
class TimeSeries {
 public:
  Second& At(uint64_t second);
  void Merge(const TimeSeries& other);
  struct Counts {
    uint64_t requests = 0, errors = 0;
  };
  // Requests and errors over every second so far.
  Counts Totals() const;
  // [{"t_s", "requests", "errors", "p99_us"}...], up to `seconds` entries.
  nlohmann::json ToJson(uint64_t seconds) const;

 private:
  std::vector<Second> seconds_;
};

// A closed-model connection that completed nothing counts as starved only when the
// connections completed at least this many requests on average (otherwise the window was too
// short to tell a starved connection from a slow route).
inline constexpr double kStarvedJudgeMean = 5;

// The closed model's per-connection counts, in slot order: {"count", "completed_min",
// "completed_median", "completed_max", "completed_none" (connections that completed nothing),
// "judged" (the mean completed per connection is at least kStarvedJudgeMean), "starved"
// (completed_none when judged, else 0),
// "timeouts_max_per_connection", "errors_max_per_connection", and the arrays "completed",
// "timeouts", "errors"}.
nlohmann::json ConnectionsJson(const std::vector<ConnectionCounts>& connections);

// {"count", "mean_us", ..., "histogram"} for one latency histogram.
nlohmann::json LatencyJson(const Histogram& h);

}  // namespace fwbench::load
