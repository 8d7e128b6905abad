#include "embed/inproc_timer.h"

#include <pybind11/eval.h>

#include <algorithm>
#include <chrono>

#include "common/quantile.h"

namespace py = pybind11;

namespace fwbench::embed {
namespace {

// The baseline: what a minimal pure-Python WSGI driver does per request.
constexpr const char* kPythonLoopSource = R"PY(
def python_loop(app, environ, body, n):
    from io import BytesIO
    from time import perf_counter_ns

    def start_response(status, headers, exc_info=None):
        return None

    t0 = perf_counter_ns()
    for _ in range(n):
        env = environ.copy()
        env['wsgi.input'] = BytesIO(body)
        result = app(env, start_response)
        try:
            for chunk in result:
                pass
        finally:
            close = getattr(result, 'close', None)
            if close is not None:
                close()
    return perf_counter_ns() - t0
)PY";

}  // namespace

InprocTimer::InprocTimer(py::object app, WsgiBridge& bridge)
    : app_(std::move(app)), bridge_(bridge) {
  py::dict scope;
  py::exec(kPythonLoopSource, scope);
  python_loop_ = scope["python_loop"];
}

double InprocTimer::BridgeBatch(const WsgiRequest& request, int n) {
  auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < n; ++i) bridge_.Call(request);
  std::chrono::duration<double, std::nano> elapsed = std::chrono::steady_clock::now() - start;
  return elapsed.count() / n;
}

double InprocTimer::PythonBatch(const py::dict& environ, const std::string& body, int n) {
  auto ns = python_loop_(app_, environ, py::bytes(body), n).cast<double>();
  return ns / n;
}

CaseTiming InprocTimer::Time(const WsgiRequest& request, int iterations, int samples,
                             bool python_baseline) {
  samples = std::max(samples, 1);
  int per_batch = std::max(iterations / samples, 1);
  CaseTiming timing;
  timing.status = bridge_.Call(request).status;
  py::dict environ = bridge_.BuildEnviron(request);
  int warmup = std::max(iterations / 10, 1);
  BridgeBatch(request, warmup);
  if (python_baseline) PythonBatch(environ, request.body, warmup);
  for (int s = 0; s < samples; ++s) {
    timing.bridge_samples.push_back(BridgeBatch(request, per_batch));
    if (python_baseline)
      timing.python_samples.push_back(PythonBatch(environ, request.body, per_batch));
  }
  timing.bridge_ns = Median(timing.bridge_samples);
  timing.python_ns = Median(timing.python_samples);
  return timing;
}

}  // namespace fwbench::embed
