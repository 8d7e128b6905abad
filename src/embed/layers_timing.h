#pragma once
// The thread-CPU pass of `fwbench inproc --layers` (bench/layers/README.md, "Thread CPU
// time"). The markers patch the framework for the rest of a process, so the plain app and the
// marked one live in two processes: a twin forked before the interpreter starts loads the app
// the same way and installs the markers. Per route the two take turns, batch by batch (the plain
// one first in even batches, second in odd ones), on the same CPU, so the host's drift hits both
// alike. The twin's stack times every layer change with the thread CPU clock; a clock read costs
// hundreds of ns here (a system call in this VM), so each layer's time has the measured cost
// of the reads charged to it subtracted. What the markers cost besides is reported, as for
// instructions, as layers added up / total - 1.
#include <pybind11/pybind11.h>
#include <sys/types.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "embed/contract_cases.h"
#include "embed/layer_batches.h"
#include "embed/layer_stack.h"
#include "embed/layers_worker.h"
#include "embed/wsgi_bridge.h"

namespace fwbench::embed {

// The thread CPU ns one timed stack change costs (a clock read and the stack operation): the
// least of a few tight loops of Enter/Leave pairs on a scratch stack.
double MeasureClockReadNs();

// Calls per batch so that one batch spends about `batch_s` of thread CPU, given `warmup_ns`
// spent by `warmup_calls` calls; between 5 and 100000.
int CallsPerBatch(int64_t warmup_ns, int warmup_calls, double batch_s);

class Channel;

// The twin of the thread-CPU pass. Constructed with `fork` true it forks at once, before the
// interpreter starts, so that each process loads the app itself (no database connection or
// interpreter state crosses the fork); both then run the same setup, and the twin installs
// the markers. With `fork` false it does nothing (the instruction pass).
class LayerTwin {
 public:
  explicit LayerTwin(bool fork);
  ~LayerTwin();  // the parent waits for the twin (killing it first when leaving early)
  LayerTwin(const LayerTwin&) = delete;
  LayerTwin& operator=(const LayerTwin&) = delete;

  bool is_twin() const { return twin_; }

  // Twin side: `install` puts the markers in and returns the marked bridge (whose stack is
  // `stack`); then answers the parent's batches until it is done, and exits the process.
  [[noreturn]] void Serve(LayerBatches& batches, LayerStack& stack,
                          const std::function<WsgiBridge&()>& install,
                          const std::vector<RouteCase>& cases, const LayersOptions& options);
  // Twin side: tells the parent what went wrong and exits the process.
  [[noreturn]] void Fail(const std::string& what);

  // Parent side: fills rows[i]["thread_cpu"] for cases[i]: calls_per_batch, and per batch
  // `plain` (ns per request through `plain`), `instrumented` (the twin's batch), `layer_sum`
  // and `layers` {name: ns per request with the clock reads subtracted}; `clock_read_ns` and
  // `clock_reads_per_request`. Throws fwbench::Error when the twin fails (its message).
  void Drive(LayerBatches& batches, WsgiBridge& plain, const std::vector<RouteCase>& cases,
             const LayersOptions& options, nlohmann::json& rows);

 private:
  bool twin_ = false;
  pid_t pid_ = 0;
  bool finished_ = false;
  std::unique_ptr<Channel> channel_;
};

}  // namespace fwbench::embed
