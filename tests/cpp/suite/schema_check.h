#pragma once
// A small JSON Schema checker for the keywords results/schema/*.json use: type, required,
// properties, items, enum, const, minimum and local $ref. Test-only.
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace fwbench::testing {

// Every violation as "JSON-pointer: problem"; empty when `doc` is valid against `schema`.
std::vector<std::string> CheckSchema(const nlohmann::json& schema, const nlohmann::json& doc);

// The JSON Schema file of the document's own version: "schema": "fwbench.<name>/<major>" maps
// to <schema_dir>/<name>.v<major>.json (fwbench.results/2 -> results.v2.json). Empty when the
// document has no such "schema" field.
std::filesystem::path SchemaFileFor(const nlohmann::json& doc,
                                    const std::filesystem::path& schema_dir);

// CheckSchema against the file SchemaFileFor picks (pass SourceDir() / "results/schema"). A
// document without a "schema" field, or of a version with no schema file, is one violation.
std::vector<std::string> CheckAgainstItsSchema(const nlohmann::json& doc,
                                               const std::filesystem::path& schema_dir);

}  // namespace fwbench::testing
