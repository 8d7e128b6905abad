#pragma once
// Imports a resolved WSGI app (launch/app_catalog.h) in the embedded Python. The caller (the
// CLI) resolves it: a catalogue entry or a raw "module:callable"; embed reads no catalogue.
#include <pybind11/pybind11.h>

#include <string>

#include "launch/app_catalog.h"

namespace fwbench::embed {

// The runtime settings every reference app reads from its environment.
struct AppSettings {
  std::string profile = launch::kDefaultProfile;  // FWBENCH_PROFILE: "minimal" | "standard"
  std::string database_url;                       // DATABASE_URL; empty keeps the app's default
};

// Sets the app's environment (app.env, FWBENCH_PROFILE, DATABASE_URL), puts app.sys_path in
// front of sys.path in order and imports app.module.callable. Needs the interpreter running and
// the GIL held; the caller has already chdir'd to app.dir. Throws fwbench::Error carrying the
// Python traceback when the import fails or the attribute is not callable, and naming the
// entry's interface field when the app is not a WSGI one.
pybind11::object LoadWsgiApp(const launch::AppEntry& app, const AppSettings& settings);

// The installed version of the distribution `module` ("flask" -> "3.1.3"); "" when unknown.
std::string PackageVersion(const std::string& module);

}  // namespace fwbench::embed
