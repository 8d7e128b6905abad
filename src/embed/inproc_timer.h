#pragma once
// Times one request through a WSGI app in this process: through the C++ bridge, and through a
// pure-Python loop with a prebuilt environ (the baseline the bridge's overhead is judged by).
#include <pybind11/pybind11.h>

#include <vector>

#include "embed/wsgi_bridge.h"

namespace fwbench::embed {

struct CaseTiming {
  int status = 0;                      // what the bridge answered
  double bridge_ns = 0;                // median of bridge_samples
  std::vector<double> bridge_samples;  // ns/request of each batch
  double python_ns = 0;                // median of python_samples; 0 when not measured
  std::vector<double> python_samples;
};

class InprocTimer {
 public:
  // `app` is the callable `bridge` wraps. Needs the GIL for its whole life.
  InprocTimer(pybind11::object app, WsgiBridge& bridge);

  // Warms up with iterations/10 calls, then runs `samples` batches of iterations/samples
  // calls each (at least one), alternating a bridge batch and (when `python_baseline`) a
  // pure-Python batch, so drift on a noisy machine hits both alike.
  CaseTiming Time(const WsgiRequest& request, int iterations, int samples, bool python_baseline);

  // One bridge batch of `n` calls; returns ns/request. Never inlined: callgrind counts the
  // instructions inside it (bench/inproc_callgrind.sh, --toggle-collect).
  [[gnu::noinline]] double BridgeBatch(const WsgiRequest& request, int n);
  // One pure-Python batch of `n` calls over `environ` (copied per call, fresh wsgi.input).
  // Never inlined, for the same reason.
  [[gnu::noinline]] double PythonBatch(const pybind11::dict& environ, const std::string& body,
                                       int n);

 private:
  pybind11::object app_;
  WsgiBridge& bridge_;
  pybind11::object python_loop_;
};

}  // namespace fwbench::embed
