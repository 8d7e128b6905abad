#pragma once
// Layer markers for `fwbench inproc --layers` (bench/layers/README.md): the instrumented
// framework (apps/common/fwbench_layers) and the bridge push and pop named layers on a small
// stack, and callgrind collects instructions only while the batch's target layer is on top.
// Running the same batch once per target layer splits a request's instructions into layers
// whose sum is, by construction, every instruction of the batch.
#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace fwbench::embed {

// The layers, in the order the documents list them.
enum class Layer : int {
  kServer,         // the C++ front end and bridge
  kAdapter,        // the framework's WSGI entry: building the request object, contexts
  kRouting,        // URL matching
  kMiddleware,     // middleware / request hooks, before and after the view
  kView,           // the route's own code
  kOrm,            // query building and row mapping
  kDb,             // the DB-API driver and engine: execute, fetch, commit, rollback
  kTemplate,       // template rendering
  kSerialization,  // JSON encoding
  kResponse,       // building the response object and its headers, iterating and closing it
};
inline constexpr int kLayerCount = 10;

// "server", "adapter", ... in enum order.
const std::vector<std::string>& LayerNames();
// The index of `name` in LayerNames(), or -1.
int LayerIndex(std::string_view name);

// True when this binary was built with <valgrind/callgrind.h> (the client requests work).
bool CallgrindClientRequestsBuilt();
// True when running under valgrind.
bool RunningUnderValgrind();
// This thread's CPU time (CLOCK_THREAD_CPUTIME_ID), in ns.
int64_t ThreadCpuNs();

// Thread CPU time charged to each layer by a timing LayerStack (the ns unit).
struct LayerTimes {
  std::array<int64_t, kLayerCount> ns{};     // CPU time while the layer was on top
  std::array<int64_t, kLayerCount> reads{};  // clock reads charged to the layer (intervals)
};

// Callgrind client requests; no-ops outside valgrind.
void CallgrindStartInstrumentation();
void CallgrindDumpStats(const std::string& label);

class LayerStack {
 public:
  static constexpr int kAllLayers = -1;  // collect every layer
  static constexpr int kNoLayer = -2;    // collect nothing (warm-up)

  // Starts a batch: the stack is [server] and callgrind collects while `target` is on top
  // (always, for kAllLayers). Collection is off outside batches.
  void Arm(int target);
  // Ends a batch: collection off, stack emptied.
  void Disarm();
  // Timing on: while armed, every stack change first reads the thread CPU clock and charges
  // the time since the previous read to the layer on top (one read counted against it), so
  // each charged interval holds one clock read's own cost. times() adds up over batches
  // until ResetTimes(). Off by default (the callgrind batches).
  void SetTiming(bool on) { timing_ = on; }
  const LayerTimes& times() const { return times_; }
  void ResetTimes() { times_ = LayerTimes{}; }

  void Enter(int layer);
  // Pops `layer` and whatever is above it; counts an unbalanced leave when it is not on the
  // stack.
  void Leave(int layer);
  int Depth() const { return static_cast<int>(stack_.size()); }
  // Pops down to `depth` (a marked call restores the depth it started at, even on error).
  void Truncate(int depth);
  // Leave() calls for a layer that was not on the stack, plus requests that did not end
  // at depth 1; a correct instrumentation keeps it 0.
  int unbalanced() const { return unbalanced_; }
  void CountUnbalanced() { ++unbalanced_; }

 private:
  void Update();
  void Charge();

  std::vector<int> stack_;
  int target_ = kAllLayers;
  bool armed_ = false;
  bool collecting_ = false;
  int unbalanced_ = 0;
  bool timing_ = false;
  int64_t last_read_ns_ = 0;
  LayerTimes times_;
};

// Enters `layer` on `stack` (when not null) for its lifetime.
class LayerScope {
 public:
  LayerScope(LayerStack* stack, Layer layer);
  ~LayerScope();
  LayerScope(const LayerScope&) = delete;
  LayerScope& operator=(const LayerScope&) = delete;

 private:
  LayerStack* stack_;
  int depth_ = 0;
};

}  // namespace fwbench::embed

// The exported marker functions every layer boundary goes through. Never inlined, so a
// profiler can name them (e.g. callgrind --toggle-collect=fwbench_layer_enter).
extern "C" {
void fwbench_layer_enter(fwbench::embed::LayerStack* stack, int layer);
void fwbench_layer_leave(fwbench::embed::LayerStack* stack, int layer);
}
