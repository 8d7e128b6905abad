#pragma once
// The thread-CPU pass of `fwbench inproc --layers` (bench/layers/README.md, "Thread CPU
// time"): per route, `ns_batches` batches of the plain app (its total), then the same number
// with the layer markers installed and the stack timing every change. A clock read costs
// hundreds of ns here (a system call in this VM), so each layer's time has the measured cost
// of the reads charged to it subtracted; what the markers cost besides is reported, as for
// instructions, as layers added up / total - 1.
#include <pybind11/pybind11.h>

#include <cstdint>
#include <nlohmann/json.hpp>
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

// Plain phase: fills rows[i]["thread_cpu"] = {calls_per_batch, plain: [ns/request per batch]}
// for cases[i] through the uninstrumented `plain` bridge.
void TimePlain(LayerBatches& batches, WsgiBridge& plain, const std::vector<RouteCase>& cases,
               const LayersOptions& options, nlohmann::json& rows);

// Marked phase (after TimePlain, same rows): turns the stack's timing on and adds per batch
// `instrumented` (ns/request of the whole batch), `layer_sum` and `layers` {name: ns/request
// with the clock reads subtracted}, `clock_read_ns` and `clock_reads_per_request`.
void TimeMarked(LayerBatches& batches, LayerStack& stack, WsgiBridge& marked,
                const std::vector<RouteCase>& cases, const LayersOptions& options,
                nlohmann::json& rows);

}  // namespace fwbench::embed
