#pragma once
// The comparisons of a results file (results/SCHEMA.md, fwbench.results/2): per group and
// profile, every pair of frameworks (or of servers, suite.compare "servers"), a/b ratios per
// round and across rounds.
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "suite/suite.h"

namespace fwbench::suite {

// The cell's "group" ("embedded/sqlite/json/closed-c32"): what the apps measured together share.
std::string GroupOf(const nlohmann::json& cell);

// The value a cell has on the compared axis: its framework ("frameworks"), or its server label
// ("servers": "uwsgi", "uwsgi+nginx" behind a proxy).
std::string AxisValue(const nlohmann::json& cell, const std::string& axis);

// Builds the "comparisons" array from `cells` (results cells with repetitions): a before b in
// `order` (the values of `axis`, suite/matrix.h CompareOrder), same profile and group, both with
// at least one round. Framework comparisons are as they always were; server comparisons add
// "axis": "server", "server_a" and "server_b" (labels), and their framework_a == framework_b.
// Rounds pair by their "round" number; a round only one side has is left out. Each comparison
// metric of the registry (common/metrics.h) gets per-round ratios a/b of that round's positive
// values; across rounds, stats::AcrossRounds. `primary` is rps for a closed-model level in mode
// "slices", else cpu_us_per_request (in a duet the apps share the CPUs, and at an open-model rate
// both serve the same req/s); `reached` when the primary's half-width <= target.
nlohmann::json BuildComparisons(const nlohmann::json& cells, const std::vector<std::string>& order,
                                const Paired& paired, const std::string& axis = "frameworks");

// The cells of the comparisons in `comparisons` that have not reached their target, each with
// the widest primary half-width (%) among them: how far it is from the target, infinity when
// there is no interval yet. Cells of comparisons that reached it are absent.
std::map<std::string, double> CellsShortOfTarget(const nlohmann::json& comparisons);

}  // namespace fwbench::suite
