#include "embed/layer_stack.h"

#include <time.h>

#if __has_include(<valgrind/callgrind.h>)
#include <valgrind/callgrind.h>
#define FWBENCH_HAVE_CALLGRIND 1
#else
#define FWBENCH_HAVE_CALLGRIND 0
#endif

namespace fwbench::embed {

const std::vector<std::string>& LayerNames() {
  static const std::vector<std::string> names = {
      "server", "adapter", "routing",  "middleware",    "view",
      "orm",    "db",      "template", "serialization", "response"};
  return names;
}

int LayerIndex(std::string_view name) {
  const auto& names = LayerNames();
  for (size_t i = 0; i < names.size(); ++i) {
    if (names[i] == name) return static_cast<int>(i);
  }
  return -1;
}

int64_t ThreadCpuNs() {
  timespec now{};
  ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return static_cast<int64_t>(now.tv_sec) * 1'000'000'000 + now.tv_nsec;
}

bool CallgrindClientRequestsBuilt() { return FWBENCH_HAVE_CALLGRIND != 0; }

bool RunningUnderValgrind() {
#if FWBENCH_HAVE_CALLGRIND
  return RUNNING_ON_VALGRIND != 0;
#else
  return false;
#endif
}

void CallgrindStartInstrumentation() {
#if FWBENCH_HAVE_CALLGRIND
  CALLGRIND_START_INSTRUMENTATION;
#endif
}

void CallgrindDumpStats(const std::string& label) {
#if FWBENCH_HAVE_CALLGRIND
  CALLGRIND_DUMP_STATS_AT(label.c_str());
#else
  (void)label;
#endif
}

void LayerStack::Arm(int target) {
  stack_.clear();
  stack_.reserve(64);
  stack_.push_back(static_cast<int>(Layer::kServer));
  target_ = target;
  armed_ = true;
  if (timing_) last_read_ns_ = ThreadCpuNs();
  Update();
}

void LayerStack::Disarm() {
  Charge();
  armed_ = false;
  stack_.clear();
  Update();
}

void LayerStack::Enter(int layer) {
  Charge();
  stack_.push_back(layer);
  Update();
}

void LayerStack::Leave(int layer) {
  for (size_t i = stack_.size(); i > 1; --i) {  // never pops the batch's [server] bottom
    if (stack_[i - 1] == layer) {
      Charge();
      stack_.resize(i - 1);
      Update();
      return;
    }
  }
  ++unbalanced_;
}

void LayerStack::Truncate(int depth) {
  if (depth < 0) depth = 0;
  if (static_cast<int>(stack_.size()) > depth) {
    Charge();
    stack_.resize(static_cast<size_t>(depth));
  }
  Update();
}

void LayerStack::Charge() {
  if (!timing_ || !armed_ || stack_.empty()) return;
  const int64_t now = ThreadCpuNs();
  const auto top = static_cast<size_t>(stack_.back());
  if (top < static_cast<size_t>(kLayerCount)) {
    times_.ns[top] += now - last_read_ns_;
    ++times_.reads[top];
  }
  last_read_ns_ = now;
}

void LayerStack::Update() {
  bool want = armed_ && !stack_.empty() && (target_ == kAllLayers || stack_.back() == target_);
  if (want == collecting_) return;
  collecting_ = want;
#if FWBENCH_HAVE_CALLGRIND
  CALLGRIND_TOGGLE_COLLECT;
#endif
}

LayerScope::LayerScope(LayerStack* stack, Layer layer) : stack_(stack) {
  if (!stack_) return;
  depth_ = stack_->Depth();
  fwbench_layer_enter(stack_, static_cast<int>(layer));
}

LayerScope::~LayerScope() {
  if (stack_) stack_->Truncate(depth_);
}

}  // namespace fwbench::embed

extern "C" {

[[gnu::noinline, gnu::used, gnu::visibility("default")]] void fwbench_layer_enter(
    fwbench::embed::LayerStack* stack, int layer) {
  stack->Enter(layer);
}

[[gnu::noinline, gnu::used, gnu::visibility("default")]] void fwbench_layer_leave(
    fwbench::embed::LayerStack* stack, int layer) {
  stack->Leave(layer);
}

}  // extern "C"
