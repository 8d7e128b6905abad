#pragma once
// The terminal summary of a fwbench.load/1 report, as compact as wrk's.
#include <nlohmann/json.hpp>
#include <string>

namespace fwbench::load {

// Header line, latency table, counts, errors, Requests/sec. `distribution` adds the
// percentile table (wrk's --latency) and one line per route when there are several.
std::string FormatSummary(const nlohmann::json& report, bool distribution);

}  // namespace fwbench::load
