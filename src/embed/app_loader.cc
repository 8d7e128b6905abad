#include "embed/app_loader.h"

#include <algorithm>

#include "common/atomic_file.h"
#include "common/error.h"
#include "common/paths.h"
#include "embed/python_error.h"

namespace py = pybind11;
namespace fs = std::filesystem;

namespace fwbench::embed {
namespace {

fs::path FrameworksFile() { return SourceDir() / "apps" / "frameworks.json"; }

// A path from frameworks.json: absolute as is, else relative to the repository root.
fs::path RootPath(const std::string& value) {
  fs::path path(value);
  return path.is_absolute() ? path : SourceDir() / path;
}

void SplitModuleAttr(const std::string& text, AppSpec& spec, const std::string& where) {
  size_t colon = text.find(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == text.size()) {
    throw Error(
        "'" + text + "' is not a framework name nor a 'module:attr' WSGI spec",
        where, "use one of: " + [] {
          std::string names;
          for (const auto& n : KnownFrameworks()) names += n + " ";
          return names;
        }() + "or a spec like 'myapp.wsgi:application'");
  }
  spec.module = text.substr(0, colon);
  spec.attr = text.substr(colon + 1);
}

}  // namespace

std::vector<std::string> KnownFrameworks() {
  std::vector<std::string> names;
  if (!fs::exists(FrameworksFile())) return names;
  nlohmann::json doc = ReadJsonFile(FrameworksFile());
  const nlohmann::json frameworks = doc.value("frameworks", nlohmann::json::object());
  for (const auto& [name, entry] : frameworks.items()) {
    names.push_back(name);
  }
  std::sort(names.begin(), names.end());
  return names;
}

AppSpec ResolveAppSpec(const std::string& spec, const std::vector<fs::path>& extra_python_path) {
  AppSpec resolved;
  resolved.python_path = extra_python_path;
  if (spec.find(':') != std::string::npos) {
    SplitModuleAttr(spec, resolved, "--app");
    return resolved;
  }
  nlohmann::json frameworks =
      fs::exists(FrameworksFile())
          ? ReadJsonFile(FrameworksFile()).value("frameworks", nlohmann::json::object())
          : nlohmann::json::object();
  if (!frameworks.contains(spec)) SplitModuleAttr(spec, resolved, "--app");
  const nlohmann::json& entry = frameworks[spec];
  resolved.framework = spec;
  std::string where = FrameworksFile().string() + " frameworks." + spec;
  SplitModuleAttr(entry.value("wsgi", std::string()), resolved, where + ".wsgi");
  if (entry.contains("dir")) resolved.dir = RootPath(entry["dir"]);
  resolved.version_module = entry.value("version_module", spec);
  if (!entry.contains("pythonpath") && !resolved.dir.empty()) {
    resolved.python_path.push_back(resolved.dir);
  } else if (entry.contains("pythonpath")) {
    const auto& extra = entry["pythonpath"];
    if (extra.is_string()) {
      resolved.python_path.push_back(RootPath(extra));
    } else {
      for (const auto& item : extra) resolved.python_path.push_back(RootPath(item));
    }
  }
  const nlohmann::json env = entry.value("env", nlohmann::json::object());
  for (const auto& [name, value] : env.items()) {
    resolved.env[name] = value.get<std::string>();
  }
  return resolved;
}

py::object LoadWsgiApp(const AppSpec& spec, const AppSettings& settings) {
  std::string where = spec.module + ":" + spec.attr;
  try {
    py::object environ = py::module_::import("os").attr("environ");
    for (const auto& [name, value] : spec.env) environ[py::str(name)] = value;
    environ["FWBENCH_PROFILE"] = settings.profile;
    if (!settings.database_url.empty()) environ["DATABASE_URL"] = settings.database_url;
    py::list sys_path = py::module_::import("sys").attr("path");
    for (auto it = spec.python_path.rbegin(); it != spec.python_path.rend(); ++it) {
      sys_path.insert(0, fs::absolute(*it).string());
    }
    py::object app = py::module_::import(spec.module.c_str()).attr(spec.attr.c_str());
    if (!PyCallable_Check(app.ptr())) {
      throw Error("the WSGI app is not callable", where, "point --app at the WSGI callable");
    }
    return app;
  } catch (py::error_already_set& error) {
    throw Error("cannot import the WSGI app:\n" + FormatPythonError(error), where,
                "check the spec, --pythonpath and that the app imports in the venv");
  }
}

std::string PackageVersion(const std::string& module) {
  if (module.empty()) return "";
  try {
    return py::module_::import("importlib.metadata").attr("version")(module).cast<std::string>();
  } catch (py::error_already_set&) {
    return "";
  }
}

}  // namespace fwbench::embed
