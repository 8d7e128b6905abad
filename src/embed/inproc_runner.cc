#include "embed/inproc_runner.h"

#include <cstdio>
#include <filesystem>

#include "common/error.h"
#include "common/paths.h"
#include "embed/app_loader.h"
#include "embed/contract_cases.h"
#include "embed/inproc_timer.h"
#include "embed/python_host.h"
#include "embed/run_in_child.h"
#include "embed/wsgi_bridge.h"

namespace py = pybind11;

namespace fwbench::embed {
namespace {

nlohmann::json MeasureFramework(const launch::AppEntry& entry, const std::string& profile,
                                const std::vector<RouteCase>& cases, const InprocOptions& options) {
  const std::string& framework = entry.name;
  if (!entry.dir.empty()) std::filesystem::current_path(entry.dir);
  PythonHost host(VenvPython());
  py::object app = LoadWsgiApp(entry, {profile, options.database_url});
  std::string first_error;
  WsgiBridge bridge(app, {"127.0.0.1", 80, false, "fwbench-inproc"},
                    [&first_error](std::string_view text) {
                      if (first_error.empty()) first_error = text;
                    });
  InprocTimer timer(app, bridge);
  nlohmann::json out = {{"python", host.PythonVersion()}, {"results", nlohmann::json::array()}};
  out["versions"][framework] = PackageVersion(entry.version_module);
  for (const RouteCase& item : cases) {
    first_error.clear();
    CaseTiming t =
        timer.Time(item.request, options.iterations, options.samples, options.python_baseline);
    nlohmann::json row = {{"framework", framework},
                          {"profile", profile},
                          {"route", item.route},
                          {"case", item.case_name},
                          {"method", item.request.method},
                          {"path", item.request.target},
                          {"status", t.status},
                          {"expected_status", item.expected_status},
                          {"ok", t.status == item.expected_status},
                          {"iterations", options.iterations},
                          {"ns_per_request", t.bridge_ns},
                          {"ns_per_request_samples", t.bridge_samples}};
    if (options.python_baseline) {
      row["python_loop_ns_per_request"] = t.python_ns;
      row["python_loop_ns_per_request_samples"] = t.python_samples;
      row["bridge_overhead"] = t.python_ns > 0 ? t.bridge_ns / t.python_ns - 1 : 0.0;
    }
    if (!first_error.empty()) row["first_error"] = first_error;
    out["results"].push_back(row);
  }
  return out;
}

}  // namespace

nlohmann::json RunInproc(const InprocOptions& options) {
  std::vector<RouteCase> cases = RepresentativeCases(ReadContract(), options.route);
  if (options.frameworks.empty()) {
    throw Error("no framework to measure", "fwbench inproc", "give at least one catalogue entry");
  }
  nlohmann::json doc = {
      {"schema", "fwbench.inproc/1"},
      {"tool", {{"name", "fwbench"}, {"version", Version()}, {"commit", GitCommit()}}},
      {"config",
       {{"iterations", options.iterations},
        {"samples", options.samples},
        {"database_url", options.database_url},
        {"python_baseline", options.python_baseline}}},
      {"python", ""},
      {"versions", nlohmann::json::object()},
      {"results", nlohmann::json::array()}};
  for (const launch::AppEntry& entry : options.frameworks) {
    for (const std::string& profile : options.profiles) {
      std::string label = entry.name + "/" + profile;
      std::fprintf(stderr, "inproc: %s (%zu routes)\n", label.c_str(), cases.size());
      nlohmann::json part =
          RunInChild(label, [&] { return MeasureFramework(entry, profile, cases, options); });
      doc["python"] = part["python"];
      doc["versions"].update(part["versions"]);
      for (auto& row : part["results"]) doc["results"].push_back(row);
    }
  }
  return doc;
}

bool AllResultsOk(const nlohmann::json& doc) {
  for (const auto& row : doc.at("results")) {
    if (!row.value("ok", false)) return false;
  }
  return true;
}

}  // namespace fwbench::embed
