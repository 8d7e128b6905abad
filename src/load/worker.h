#pragma once
// Worker: one thread's share of the load. It owns an epoll loop and its connections. Closed
// model: every connection is kept `pipeline` requests deep. Open model: each request is sent
// at its intended time on an idle connection, or on a new one (open_pool.h). Its statistics
// are read after Run() returns.
#include <atomic>
#include <cstdint>
#include <memory>
#include <vector>

#include "load/plan.h"
#include "load/tally.h"

namespace fwbench::load {

// One worker's part of the load, per target.
struct Share {
  int index = 0, workers = 1;  // this worker among `workers` (open-model schedule offset)
  int connections = 1;         // closed: connections; open: idle connections kept
  int max_in_flight = 1;       // open: connections open (so requests in flight) at once
};

class Worker {
 public:
  Worker(Plan& plan, const std::atomic<bool>& stop, const Share& share, uint64_t seed);
  ~Worker();
  void Run();

  std::vector<TargetStats> targets;  // one per plan target, filled by Run()
  int64_t finished_ns = 0;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The steady clock in nanoseconds.
int64_t NowNs();

}  // namespace fwbench::load
