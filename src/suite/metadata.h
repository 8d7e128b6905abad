#pragma once
// What a results file says about the machine and the software that produced it.
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace fwbench::suite {

// The Python distributions whose versions every results file records.
std::vector<std::string> RecordedPackages();

// {"cpu_model", "cores", "kernel", "python", "versions": {dist: version or null}, "fwbench":
// {"version", "commit"}}. Versions come from the venv's interpreter (importlib.metadata);
// a package that is not installed is null. Never throws.
nlohmann::json CollectMetadata();

// Now, UTC, ISO 8601 with seconds: "2026-11-27T06:00:00Z".
std::string UtcNow();

}  // namespace fwbench::suite
