#pragma once
// `fwbench inproc --layers`: runs the layers worker (layers_worker.h) under valgrind
// --tool=callgrind, reads its dumps, then (unless options.thread_cpu is off) runs it again
// natively for thread CPU time, and returns a fwbench.layers/1 document (results/SCHEMA.md):
// per framework, profile and route, instructions and ns per request in total and per layer.
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "embed/layers_worker.h"

namespace fwbench::embed {

// Checks the options (frameworks, route), finds valgrind on PATH, runs the worker under
// callgrind and builds the document. Throws fwbench::Error: callgrind missing (naming the
// Debian package valgrind), an unknown framework or route, a failed worker (its stderr tail).
nlohmann::json RunLayers(const LayersOptions& options);

// The document for the worker's output and the dumps' instructions per label, with the ns
// fields from the thread-CPU worker's output `timing` (null fields when it is nullptr)
// (exposed for tests). Throws fwbench::Error when a batch's dump is missing.
nlohmann::json BuildLayersDocument(const LayersOptions& options, const nlohmann::json& worker,
                                   const std::map<std::string, uint64_t>& dumps,
                                   const std::string& valgrind_version,
                                   const nlohmann::json* timing = nullptr);

// True when every row answered its expected status with balanced markers.
bool AllLayerRowsOk(const nlohmann::json& doc);

}  // namespace fwbench::embed
