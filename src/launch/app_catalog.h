#pragma once
// The app catalogue (apps/frameworks.json): where each reference app lives and how a server
// imports it. This is its one reader: the suite, `fwbench serve`, `fwbench inproc` and, through
// `fwbench apps --json`, the Python tools take resolved entries from here.
//
// The launch rule (apps/README.md, "Launching"): an app runs with cwd = dir; sys.path gets, in
// front of the interpreter's own entries, dir and then each pythonpath entry in the order
// written, an entry already listed being dropped; env is set before the import; the server
// imports wsgi ("module:callable"). Relative paths resolve against the repository root.
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace fwbench::launch {

// FWBENCH_PROFILE when nobody chooses one; apps/common/fwbench_common/config.py agrees.
inline constexpr char kDefaultProfile[] = "minimal";

// The app interfaces an entry of frameworks.json or servers.json may name ("interface"); an
// entry without one is "wsgi". A server runs an app only when both name the same interface.
const std::vector<std::string>& KnownInterfaces();

// Reads spec["interface"] ("wsgi" when absent). Throws fwbench::Error naming `where`.interface
// and the known values when it is not a string or not one of KnownInterfaces().
std::string ParseInterface(const nlohmann::json& spec, const std::string& where);

// One app, resolved: absolute paths, the sys.path list under the launch rule.
struct AppEntry {
  std::string name;                             // the catalogue key; empty for a raw target
  std::filesystem::path dir;                    // absolute cwd; empty for a raw target
  std::string interface = "wsgi";               // "wsgi" | "asgi" (KnownInterfaces)
  std::string wsgi;                             // "module:callable"
  std::string module, callable;                 // wsgi split at the colon
  std::vector<std::filesystem::path> sys_path;  // absolute, in order, no repeats
  std::map<std::string, std::string> env;       // set before the import
  std::string version_module;  // whose version to report; default: the name; may be empty
  nlohmann::json source;       // the entry as written, for results metadata
};

struct AppCatalog {
  std::filesystem::path file;  // absolute
  std::map<std::string, AppEntry> apps;

  // Throws fwbench::Error naming the file, the known names and how to add one.
  const AppEntry& Find(const std::string& name) const;
  std::vector<std::string> Names() const;  // sorted
};

// <root>/apps/frameworks.json.
std::filesystem::path DefaultCatalogFile();

// Reads and resolves a catalogue. Throws fwbench::Error naming the file, the field and the fix
// for a missing file, invalid JSON, a missing or mistyped field, an unknown field or a wsgi
// value that is not "module:callable".
AppCatalog LoadAppCatalog(const std::filesystem::path& file);

// A raw "module:callable" (no catalogue entry) importable from python_path, in order; `where`
// names the flag in the error when `target` is not of that form.
AppEntry TargetEntry(const std::string& target,
                     const std::vector<std::filesystem::path>& python_path,
                     const std::string& where);

// The resolved catalogue as `fwbench apps --json` prints it ("fwbench.apps/1",
// apps/README.md): file, default_profile, launch_rule and frameworks.NAME.{dir, interface, wsgi,
// module, callable, sys_path, env, version_module}.
nlohmann::json CatalogJson(const AppCatalog& catalog);

}  // namespace fwbench::launch
