#pragma once
// The framework comparisons of a results file: read from a fwbench.results/2 file's
// `comparisons`, or derived from a fwbench.results/1 file's rounds with the estimator the v2
// runner uses (stats::AcrossRounds on the per-round ratios), so the report has one statistical
// method for every ratio it shows.
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "report/json_fields.h"
#include "report/results.h"

namespace fwbench::report {

// What a comparison derived from a v1 file is judged against: the v2 runner's default target
// on its primary metric, req/s.
inline constexpr double kDerivedTargetPct = 3;
inline constexpr const char* kDerivedPrimary = "rps";

// Validates a v2 file's `comparisons` array against its `cells`: every field of the spec, the
// named cells exist, belong to framework_a/framework_b and share profile and group, the primary
// metric is present, noisy == !reached. Comparisons of servers ("axis": "server") are left out.
// Throws fwbench::Error naming the file and the field ("comparisons[2].b").
std::vector<Comparison> ParseComparisons(const JsonFields& f, const nlohmann::json& comparisons,
                                         const std::vector<Cell>& cells);

// A v1 file's comparisons: for every two ok cells with the same MatchKey whose frameworks come
// in `framework_order` as a before b, the repetitions are paired by round number and each
// comparison metric of the registry (common/metrics.h) gets stats::AcrossRounds over the per-round
// ratios a/b (rounds where either value is missing or not positive are left out of that metric). A
// pair with no common round for req/s gives no comparison. Mode "sequential", primary req/s, target
// kDerivedTargetPct. Deterministic; in the order of `cells`.
std::vector<Comparison> DeriveComparisons(const std::vector<Cell>& cells,
                                          const std::vector<std::string>& framework_order);

// The half-width in percent of the primary metric's interval; empty when it has none (n < 2).
std::optional<double> PrimaryHalfWidthPct(const Comparison& c);

}  // namespace fwbench::report
