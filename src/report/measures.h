#pragma once
// Turns evidence into decision-matrix measures: the results (performance, ORM, templates),
// the app-size document written by src/report/appsize.py (learning curve, structure,
// flexibility, security defaults) and each framework's facts file (structure, community).
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

std::vector<MeasureInput> BuildMeasures(const Evidence& evidence);

}  // namespace fwbench::report
