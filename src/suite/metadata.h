#pragma once
// What a results file says about the machine and the software that produced it.
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace fwbench::suite {

// The Python distributions whose versions every results file records besides the frameworks':
// the apps' shared stack and the servers. The frameworks come from the app catalogue (each
// entry's version_module), so a framework added there is recorded without a change here.
std::vector<std::string> RecordedPackages();

// {"cpu_model", "cores", "kernel", "python", "python_executable", "venv", "python_build",
// "embedded_python", "versions": {dist: version or null}, "fwbench": {"version", "commit"}}.
// Versions and the build come from the venv's interpreter (importlib.metadata, sysconfig and
// its own /proc/self/maps); a package that is not installed is null; "python_build" is null
// when the interpreter could not be run. `frameworks`: the catalogue's version modules, recorded
// first (in that order), then RecordedPackages(), repeats dropped. Never throws.
nlohmann::json CollectMetadata(const std::vector<std::string>& frameworks = {});

// The Python program (for `python -c`) that prints the interpreter's build as JSON:
// {"version", "executable", "realpath", "base_executable", "compiler", "libpython": [loaded
// libpython files], "shared", "sysconfig_shared", "sysconfig_describes_executable", "pgo",
// "lto", "evidence", "config_args"}. pgo/lto are true, false or "unknown" (see SCHEMA.md).
std::string PythonBuildScript();

// The libpython the embedded server (fwbench serve) is linked against, from the build:
// {"libpython", "version"}.
nlohmann::json EmbeddedPython();

// Now, UTC, ISO 8601 with seconds: "2026-11-27T06:00:00Z".
std::string UtcNow();

}  // namespace fwbench::suite
