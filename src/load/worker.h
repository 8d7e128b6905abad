#pragma once
// Worker: one thread's share of the load. It owns an epoll loop and M connections and keeps
// every connection `pipeline` requests deep (closed model) or sends each request at its
// intended time (open model). Its statistics are read after Run() returns.
#include <atomic>
#include <cstdint>
#include <memory>
#include <vector>

#include "load/load.h"
#include "load/request_template.h"
#include "load/stats.h"
#include "net/socket.h"

namespace fwbench::load {

// A span of the session in which the targets of `active` send (bit i: target i).
struct Window {
  int64_t start_ns = 0, end_ns = 0;  // steady clock
  uint64_t active = 0;
  bool measured = true;  // false: the active targets send, nothing is counted
};

// Counts of one target in one window: requests sent in it and completed (at any time).
struct SliceCounts {
  uint64_t requests = 0, errors = 0;
};

// What every worker shares, read-only during the run (except the two atomics).
// A plain run has one target and one window [measure_start_ns, end_ns); sending starts at
// start_ns (warmup). A session (`sliced`) sends to a target only inside its windows, measures
// everything it sends there, and drains what is in flight after the last window.
struct Plan {
  Options options;
  std::vector<net::Endpoint> targets;
  std::vector<Window> windows;  // in time order, non-overlapping
  bool sliced = false;
  std::vector<RouteTemplate> routes;
  RoutePicker picker;
  int64_t start_ns = 0;             // steady clock
  int64_t measure_start_ns = 0;     // start + warmup
  int64_t end_ns = 0;               // measure start + duration
  std::atomic<uint64_t> issued{0};  // measured requests sent (for max_requests)
  std::atomic<bool> budget_spent{false};
};

class Worker {
 public:
  // `first_connection`: the global index of this worker's first connection (open-model spacing).
  // `connections` per target.
  Worker(Plan& plan, const std::atomic<bool>& stop, int connections, int first_connection,
         uint64_t seed);
  ~Worker();
  void Run();

  struct TargetStats {
    std::vector<RouteStats> routes;  // one per plan route
    RouteStats unattributed;         // errors before any request was sent (e.g. connect)
    TimeSeries timeseries;
    std::vector<SliceCounts> windows;  // one per plan window
  };
  std::vector<TargetStats> targets;  // one per plan target
  int64_t finished_ns = 0;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The steady clock in nanoseconds.
int64_t NowNs();

}  // namespace fwbench::load
