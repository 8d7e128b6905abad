#pragma once
// Turns evidence into decision-matrix measures, one per underlying quantity (the list and the
// reasons are in src/report/README.md, "Measures"): the results (cost per request, p99 at a
// fixed rate, cold start, RSS, as effects with intervals from the framework comparisons), the
// app-size document written by src/report/appsize.py (learning curve, install size of the
// app's stack, security defaults) and each framework's facts file (structure, community).
// Quantities shown but not scored carry the reason in MeasureInput::not_scored.
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "report/matrix.h"
#include "report/results.h"

namespace fwbench::report {

// apps/<framework>/facts.json (fwbench.facts/1), validated: every fact has "value",
// "source" and "as_of". Frameworks without a facts file are absent from the map.
std::map<std::string, nlohmann::json> LoadFacts(const std::filesystem::path& apps_dir,
                                                const std::vector<std::string>& frameworks);
// Validates one facts document; `file` names it in errors.
void CheckFacts(const nlohmann::json& doc, const std::string& file);

// Checks the fwbench.appsize/1 header; throws naming the file otherwise.
void CheckAppSize(const nlohmann::json& doc, const std::string& file);

struct Evidence {
  const ResultsSet* results = nullptr;
  const nlohmann::json* appsize = nullptr;  // null: criteria that need it have no data
  std::map<std::string, nlohmann::json> facts;
};

struct MeasureSet {
  std::vector<MeasureInput> measures;
  std::vector<std::string> evidence_used;     // "performance: /json, /orders"
  std::vector<std::string> missing_evidence;  // "/updates (orm): not in the results; ..."
};

// `routes` overrides the default routes of the results measures per criterion (a use case's
// own evidence); a criterion's fallback routes are used only while none of its own routes has
// a comparison in the results, and that is reported in missing_evidence. A criterion with a
// measure list keeps only those measures scored; the others say "not this use case's evidence".
MeasureSet BuildMeasures(const Evidence& evidence, const std::string& reference,
                         const std::map<std::string, RouteEvidence>& routes = {});

// "json" matches the route "json"; "queries" also matches named variants such as "queries-20".
bool RouteMatches(const std::string& route, const std::vector<std::string>& wanted);

// Why a cell's figures are not drawn or scored as valid data ("saturated", ...); empty if valid.
std::string CellFlag(const Cell& cell);

}  // namespace fwbench::report
