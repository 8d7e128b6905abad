#pragma once
// CPU of each app's process tree in each slice of a paired session: a thread that wakes at
// every slice boundary and reads /proc for every app.
#include <sys/types.h>

#include <atomic>
#include <cstdint>
#include <thread>
#include <vector>

#include "load/load.h"

namespace fwbench::suite {

// One app's process trees: its server's and, behind a proxy, the proxy's (0: none).
struct AppTrees {
  pid_t server = 0;
  pid_t proxy = 0;
};

class SliceCpu {
 public:
  // Samples each app's trees at zero_ns + each slice's start and at the last end (steady
  // clock, ns), until Finish() or `stop`.
  SliceCpu(std::vector<AppTrees> apps, const std::vector<load::SliceSpec>& slices, int64_t zero_ns,
           const std::atomic<bool>& stop);
  ~SliceCpu();
  SliceCpu(const SliceCpu&) = delete;
  SliceCpu& operator=(const SliceCpu&) = delete;

  // Joins the thread; then [app][slice]: CPU seconds of that app's trees (server and proxy)
  // in the slice, its tail after the slice included in the next one (0 where a boundary was
  // missed, e.g. after a stop).
  std::vector<std::vector<double>> Finish();
  // After Finish: [app][slice], the proxy's tree alone (all 0 for an app without a proxy).
  std::vector<std::vector<double>> ProxyCpu() const;

 private:
  void Loop();
  static std::vector<std::vector<double>> Deltas(const std::vector<std::vector<double>>& totals,
                                                 size_t apps);
  std::vector<AppTrees> apps_;
  std::vector<int64_t> boundaries_;  // steady ns: slice starts, then the last end
  const std::atomic<bool>& stop_;
  // [boundary][app]: CPU seconds, -1 missed; of server + proxy, and of the proxy alone.
  std::vector<std::vector<double>> totals_, proxy_totals_;
  std::thread thread_;
};

// Seconds on CPU of a process tree's live threads, from schedstat (nanoseconds, so a 0.25 s
// slice is not rounded to 10 ms ticks); user+sys ticks when schedstat is unavailable. -1 when
// the root is gone.
double TreeCpuSeconds(pid_t root);

}  // namespace fwbench::suite
