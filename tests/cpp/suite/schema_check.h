#pragma once
// A small JSON Schema checker for the keywords results/schema/*.json use: type, required,
// properties, items, enum, const, minimum and local $ref. Test-only.
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace fwbench::testing {

// Every violation as "JSON-pointer: problem"; empty when `doc` is valid against `schema`.
std::vector<std::string> CheckSchema(const nlohmann::json& schema, const nlohmann::json& doc);

}  // namespace fwbench::testing
