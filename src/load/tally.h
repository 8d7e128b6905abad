#pragma once
// Tally: where each outcome of a request counts, for one worker thread. A measured request
// (intended in the measured period, or in a measured session window) ends in exactly one of:
// a response, an error, or "unfinished" (no outcome counted by the time the run ends; in a
// plain run also an outcome after the end of the duration). Internal to src/load.
#include <cstdint>
#include <vector>

#include "load/connection.h"
#include "load/open_pool.h"
#include "load/plan.h"
#include "load/stats.h"

namespace fwbench::load {

// What one worker measured for one target; merged over the workers after the run.
struct TargetStats {
  std::vector<RouteStats> routes;  // one per plan route
  RouteStats unattributed;         // errors outside any request (e.g. connect)
  TimeSeries timeseries;
  std::vector<SliceCounts> windows;           // one per plan window
  std::vector<ConnectionCounts> connections;  // closed model: one per connection slot
  PoolCounts pool;                            // open model
};

class Tally {
 public:
  // `targets`: one per plan target, sized here.
  Tally(const Plan& plan, std::vector<TargetStats>& targets);

  // A measured request's outcome counts: in plain runs when it ends in the measured period
  // (after it: unfinished); in sessions always (sent in a window, it may end after it).
  bool Counted(const Request& r, int64_t now) const;

  // The response to `r` with `status` arrived at `now`. `open_model`: the corrected latency is
  // recorded now (closed model: once at the end, equal to the uncorrected one).
  void Response(uint32_t target, const Request& r, int status, int64_t now, bool open_model,
                ConnectionCounts& connection);
  // `r` failed with `kind`; `connection` is null for a request that was never sent.
  void Failed(uint32_t target, const Request& r, ErrorKind kind, int64_t now,
              ConnectionCounts* connection);
  // A measured request with no outcome counted: unfinished.
  void Unfinished(uint32_t target, const Request& r);
  // An error outside any request (a connect, bytes while idle): counted in plain runs' measured
  // period, or in a measured session window where `target` is active.
  void Unattributed(uint32_t target, ErrorKind kind, int64_t now, ConnectionCounts& connection);

  // Adds what was counted since the last call to `live` (may be null).
  void PublishLive(LiveCounters* live);

 private:
  bool Measuring(int64_t t) const { return t >= plan_.measure_start_ns && t < plan_.end_ns; }
  uint64_t SecondOf(int64_t t) const;
  void Error(uint32_t target, int64_t now);

  const Plan& plan_;
  std::vector<TargetStats>& targets_;
  TimeSeries::Counts published_;
};

}  // namespace fwbench::load
