#pragma once
// Batches of one request through a bridge for `fwbench inproc --layers`: every batch starts
// from the same state (random.seed(seed), gc.collect()), runs its calls with the layer stack
// armed, and checks that each call left the stack at its bottom. Needs the GIL.
#include <pybind11/pybind11.h>

#include <cstdint>
#include <string>

#include "embed/layer_stack.h"
#include "embed/wsgi_bridge.h"

namespace fwbench::embed {

class LayerBatches {
 public:
  LayerBatches(LayerStack& stack, unsigned long random_seed);

  // `calls` unmeasured calls (collection off, markers live); returns their thread CPU ns.
  int64_t WarmUp(WsgiBridge& bridge, const WsgiRequest& request, int calls);
  // `calls` calls with `target` collected (callgrind), then one callgrind dump named `label`.
  void Dump(WsgiBridge& bridge, const WsgiRequest& request, int calls, int target,
            const std::string& label);
  // `calls` calls with every layer collected; returns their thread CPU ns. With the stack's
  // timing on, stack.times() gains the batch's split.
  int64_t Timed(WsgiBridge& bridge, const WsgiRequest& request, int calls);

 private:
  int64_t Run(WsgiBridge& bridge, const WsgiRequest& request, int calls, int target);

  LayerStack& stack_;
  unsigned long random_seed_;
  pybind11::object seed_, collect_;
};

}  // namespace fwbench::embed
