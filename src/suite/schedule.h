#pragma once
// The slice schedule of one paired session, and the warmup's steady-state test.
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "common/splitmix.h"
#include "load/load.h"

namespace fwbench::suite {

// `subrounds` sub-rounds of the apps 0..apps-1, back to back from time zero, each slice
// slice_s long. mode "slices": in every sub-round each app gets exactly one slice, in an order
// drawn afresh from `rng` (Fisher-Yates). mode "duet": one slice per sub-round in which every
// app is active. Either way each app gets subrounds * slice_s of measured time. The first
// `settle` sub-rounds come on top and are not measured: the connections carry their first
// requests (a new connection can cost a server more, e.g. a thread and a database connection).
std::vector<load::SliceSpec> PlanSlices(const std::string& mode, size_t apps, int subrounds,
                                        double slice_s, SplitMix64& rng, int settle = 0);

// The order in which an added round visits blocks: by `widths` (each block's widest interval
// still short of the target, in %; negative: nothing short), widest first, so a budget that
// runs out mid-round leaves out the best-measured blocks. Ties keep their given (random) order.
std::vector<size_t> WidestFirst(const std::vector<double>& widths);

// The sub-round a slice of PlanSlices(mode, apps, ...) belongs to, counting the settling ones.
int SubroundOf(const std::string& mode, size_t apps, size_t slice);

// How much a series of per-slice throughputs still moves: the least-squares line through the
// last `window` values; `change_pct` is its change across them and `se_pct` that change's
// standard error, both in % of their mean. A series shorter than `window` (or with a mean of
// 0) has both +infinity.
struct Trend {
  double change_pct, se_pct;
  // No trend worth waiting for: the change is below `limit_pct`, or within twice its
  // standard error (the slices are too noisy to show one).
  bool Steady(double limit_pct) const {
    return std::fabs(change_pct) < limit_pct || std::fabs(change_pct) < 2 * se_pct;
  }
};
Trend FitTrend(const std::vector<double>& values, size_t window = 4);

}  // namespace fwbench::suite
