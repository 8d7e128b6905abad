#include "embed/layers_timing.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace fwbench::embed {
namespace {

constexpr int kCalibrationPairs = 20000;
constexpr int kCalibrationRounds = 5;

}  // namespace

double MeasureClockReadNs() {
  double least = std::numeric_limits<double>::infinity();
  for (int round = 0; round < kCalibrationRounds; ++round) {
    LayerStack scratch;
    scratch.SetTiming(true);
    scratch.Arm(LayerStack::kNoLayer);
    for (int i = 0; i < kCalibrationPairs; ++i) {
      fwbench_layer_enter(&scratch, static_cast<int>(Layer::kView));
      fwbench_layer_leave(&scratch, static_cast<int>(Layer::kView));
    }
    scratch.Disarm();
    int64_t ns = 0, reads = 0;
    for (int layer = 0; layer < kLayerCount; ++layer) {
      ns += scratch.times().ns[layer];
      reads += scratch.times().reads[layer];
    }
    if (reads > 0) least = std::min(least, static_cast<double>(ns) / reads);
  }
  return least;
}

int CallsPerBatch(int64_t warmup_ns, int warmup_calls, double batch_s) {
  double per_call = static_cast<double>(warmup_ns) / std::max(warmup_calls, 1);
  double calls = per_call > 0 ? batch_s * 1e9 / per_call : 100000;
  return static_cast<int>(std::clamp(std::llround(calls), 5LL, 100000LL));
}

void TimePlain(LayerBatches& batches, WsgiBridge& plain, const std::vector<RouteCase>& cases,
               const LayersOptions& options, nlohmann::json& rows) {
  for (size_t i = 0; i < cases.size(); ++i) {
    const WsgiRequest& request = cases[i].request;
    const int warmup = std::max(options.warmup, 10);
    const int calls =
        CallsPerBatch(batches.WarmUp(plain, request, warmup), warmup, options.ns_batch_s);
    nlohmann::json samples = nlohmann::json::array();
    for (int b = 0; b < options.ns_batches; ++b) {
      samples.push_back(static_cast<double>(batches.Timed(plain, request, calls)) / calls);
    }
    rows[i]["thread_cpu"] = {{"calls_per_batch", calls}, {"plain", samples}};
  }
}

void TimeMarked(LayerBatches& batches, LayerStack& stack, WsgiBridge& marked,
                const std::vector<RouteCase>& cases, const LayersOptions& options,
                nlohmann::json& rows) {
  for (size_t i = 0; i < cases.size(); ++i) {
    const WsgiRequest& request = cases[i].request;
    nlohmann::json& out = rows[i]["thread_cpu"];
    const int calls = out.at("calls_per_batch").get<int>();
    stack.SetTiming(false);
    batches.WarmUp(marked, request, options.warmup);
    const double read_ns = MeasureClockReadNs();
    out["clock_read_ns"] = read_ns;
    nlohmann::json instrumented = nlohmann::json::array(), sums = nlohmann::json::array();
    nlohmann::json layers = nlohmann::json::object();
    int64_t reads_total = 0;
    stack.SetTiming(true);
    for (int b = 0; b < options.ns_batches; ++b) {
      stack.ResetTimes();
      int64_t batch_ns = batches.Timed(marked, request, calls);
      instrumented.push_back(static_cast<double>(batch_ns) / calls);
      double sum = 0;
      for (int layer = 0; layer < kLayerCount; ++layer) {
        const int64_t reads = stack.times().reads[layer];
        double ns = (static_cast<double>(stack.times().ns[layer]) - read_ns * reads) / calls;
        layers[LayerNames()[layer]].push_back(ns);
        sum += ns;
        reads_total += reads;
      }
      sums.push_back(sum);
    }
    stack.SetTiming(false);
    out["instrumented"] = instrumented;
    out["layer_sum"] = sums;
    out["layers"] = layers;
    out["clock_reads_per_request"] =
        static_cast<double>(reads_total) / (static_cast<double>(calls) * options.ns_batches);
  }
}

}  // namespace fwbench::embed
