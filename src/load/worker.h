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

// What every worker shares, read-only during the run (except the two atomics).
struct Plan {
  Options options;
  net::Endpoint endpoint;
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
  Worker(Plan& plan, const std::atomic<bool>& stop, int connections, int first_connection,
         uint64_t seed);
  ~Worker();
  void Run();

  std::vector<RouteStats> routes;  // one per plan route
  RouteStats unattributed;         // errors before any request was sent (e.g. connect)
  TimeSeries timeseries;
  int64_t finished_ns = 0;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The steady clock in nanoseconds.
int64_t NowNs();

}  // namespace fwbench::load
