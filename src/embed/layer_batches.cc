#include "embed/layer_batches.h"

namespace py = pybind11;

namespace fwbench::embed {

LayerBatches::LayerBatches(LayerStack& stack, unsigned long random_seed)
    : stack_(stack),
      random_seed_(random_seed),
      seed_(py::module_::import("random").attr("seed")),
      collect_(py::module_::import("gc").attr("collect")) {}

int64_t LayerBatches::WarmUp(WsgiBridge& bridge, const WsgiRequest& request, int calls) {
  return Run(bridge, request, calls, LayerStack::kNoLayer);
}

void LayerBatches::Dump(WsgiBridge& bridge, const WsgiRequest& request, int calls, int target,
                        const std::string& label) {
  Run(bridge, request, calls, target);
  CallgrindDumpStats(label);
}

int64_t LayerBatches::Timed(WsgiBridge& bridge, const WsgiRequest& request, int calls) {
  return Run(bridge, request, calls, LayerStack::kAllLayers);
}

int64_t LayerBatches::Run(WsgiBridge& bridge, const WsgiRequest& request, int calls, int target) {
  seed_(random_seed_);
  collect_();
  const int64_t start = ThreadCpuNs();
  stack_.Arm(target);
  for (int i = 0; i < calls; ++i) {
    bridge.Call(request);
    if (stack_.Depth() != 1) {  // a marker left a layer open: count it, start clean
      stack_.CountUnbalanced();
      stack_.Truncate(1);
    }
  }
  stack_.Disarm();
  return ThreadCpuNs() - start;
}

}  // namespace fwbench::embed
