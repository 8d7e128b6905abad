#include "embed/app_loader.h"

#include "common/error.h"
#include "embed/python_error.h"

namespace py = pybind11;

namespace fwbench::embed {

py::object LoadWsgiApp(const launch::AppEntry& app, const AppSettings& settings) {
  const std::string& where = app.wsgi;
  if (app.interface != "wsgi")
    throw Error("app \"" + app.name + "\" is an " + app.interface + " app, not a WSGI one",
                "frameworks." + app.name + ".interface",
                "measure it under a server of its interface (bench/servers.json)");
  try {
    py::object environ = py::module_::import("os").attr("environ");
    for (const auto& [name, value] : app.env) environ[py::str(name)] = value;
    environ["FWBENCH_PROFILE"] = settings.profile;
    if (!settings.database_url.empty()) environ["DATABASE_URL"] = settings.database_url;
    py::list sys_path = py::module_::import("sys").attr("path");
    for (auto it = app.sys_path.rbegin(); it != app.sys_path.rend(); ++it) {
      sys_path.insert(0, it->string());
    }
    py::object wsgi = py::module_::import(app.module.c_str()).attr(app.callable.c_str());
    if (!PyCallable_Check(wsgi.ptr())) {
      throw Error("the WSGI app is not callable", where, "point --app at the WSGI callable");
    }
    return wsgi;
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
