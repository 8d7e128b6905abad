#pragma once
// Finds a WSGI app by framework name or "module:attr" and imports it in the embedded Python.
#include <pybind11/pybind11.h>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace fwbench::embed {

struct AppSpec {
  std::string framework;  // the apps/frameworks.json name, empty for a raw "module:attr"
  std::string module;
  std::string attr;
  std::string version_module;  // whose version to report ("flask"), may be empty
  std::filesystem::path dir;   // the app's folder: processes that host it chdir there first
  std::vector<std::filesystem::path> python_path;  // prepended to sys.path, in order
  std::map<std::string, std::string> env;          // set in os.environ before the import
};

// The runtime settings every reference app reads from its environment.
struct AppSettings {
  std::string profile = "standard";  // FWBENCH_PROFILE: "minimal" | "standard"
  std::string database_url;          // DATABASE_URL; empty keeps the app's default
};

// Resolves `spec`: a framework name listed in <root>/apps/frameworks.json (its dir, pythonpath
// and env are used), or "module:attr" importable from `extra_python_path`. Throws
// fwbench::Error naming the spec and the known frameworks when it is neither.
AppSpec ResolveAppSpec(const std::string& spec,
                       const std::vector<std::filesystem::path>& extra_python_path = {});

// Framework names in apps/frameworks.json, sorted.
std::vector<std::string> KnownFrameworks();

// Sets the app's environment (spec.env, FWBENCH_PROFILE, DATABASE_URL), extends sys.path and
// imports module.attr. Needs the interpreter running and the GIL held. Throws fwbench::Error
// carrying the Python traceback when the import fails or the attribute is not callable.
pybind11::object LoadWsgiApp(const AppSpec& spec, const AppSettings& settings);

// The installed version of the distribution `module` ("flask" -> "3.1.3"); "" when unknown.
std::string PackageVersion(const std::string& module);

}  // namespace fwbench::embed
