#pragma once
// Plan: what every worker thread of one run shares, read-only during the run (except the two
// atomics), and the session windows' arithmetic. Internal to src/load.
#include <atomic>
#include <cstdint>
#include <vector>

#include "load/load.h"
#include "load/request_template.h"
#include "net/socket.h"

namespace fwbench::load {

// A span of the session in which the targets of `active` send (bit i: target i).
struct Window {
  int64_t start_ns = 0, end_ns = 0;  // steady clock
  uint64_t active = 0;
  bool measured = true;  // false: the active targets send, nothing is counted
};

// Counts of one target in one window: requests sent in it and completed (at any time), those
// that failed, and those still unanswered when the run ended.
struct SliceCounts {
  uint64_t requests = 0, errors = 0, unfinished = 0;
};

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

// The index of the window containing t, or -1.
int WindowAt(const Plan& plan, int64_t t);
// Is target `target` active in window `window` (-1: never)?
bool ActiveIn(const Plan& plan, int window, uint32_t target);
// May `target` send a request intended at t? Plain runs: until the end; sessions: in its
// windows.
bool Sendable(const Plan& plan, uint32_t target, int64_t t);
// The first time >= t at which `target` may send (sessions), or INT64_MAX when none is left.
int64_t NextSendable(const Plan& plan, uint32_t target, int64_t t);
// The next window boundary after t (sessions), or INT64_MAX.
int64_t NextBoundary(const Plan& plan, int64_t t);
// The window a request intended at t counts toward: -1 when it is not measured (warmup, an
// unmeasured window, outside every window).
int MeasuredWindow(const Plan& plan, int64_t intended_ns);

}  // namespace fwbench::load
