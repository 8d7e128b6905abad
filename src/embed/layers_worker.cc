#include "embed/layers_worker.h"

#include <cstdio>
#include <functional>
#include <optional>

#include "common/error.h"
#include "common/paths.h"
#include "embed/app_loader.h"
#include "embed/contract_cases.h"
#include "embed/layer_batches.h"
#include "embed/layer_module.h"
#include "embed/layer_stack.h"
#include "embed/layers_timing.h"
#include "embed/python_error.h"
#include "embed/python_host.h"
#include "embed/run_in_child.h"
#include "embed/wsgi_bridge.h"

namespace py = pybind11;

namespace fwbench::embed {
namespace {

// fwbench_layers.install(app, framework): the app with the layer markers installed.
py::object InstallMarkers(const py::object& app, const launch::AppEntry& entry) {
  try {
    py::list sys_path = py::module_::import("sys").attr("path");
    sys_path.append((SourceDir() / "apps" / "common").string());
    py::object framework =
        entry.name.empty() ? py::object(py::none()) : py::object(py::str(entry.name));
    return py::module_::import("fwbench_layers").attr("install")(app, framework);
  } catch (py::error_already_set& error) {
    throw Error("cannot install the layer markers:\n" + FormatPythonError(error),
                "apps/common/fwbench_layers",
                "frameworks with markers are listed in bench/layers/README.md");
  }
}

// The callgrind batches of the marked app, for every case (rows[i] is cases[i]'s row; the
// plain batches ran in MeasureFramework). `install` puts the markers in and returns the
// marked bridge.
void CountLayers(LayerBatches& batches, LayerStack& stack,
                 const std::function<WsgiBridge&()>& install, const std::string& framework,
                 const std::string& profile, const std::vector<RouteCase>& cases,
                 const LayersOptions& options, std::string& first_error, nlohmann::json& rows) {
  const int calls = options.iterations;
  WsgiBridge& layered = install();
  for (size_t i = 0; i < cases.size(); ++i) {
    const RouteCase& item = cases[i];
    first_error.clear();
    int unbalanced_before = stack.unbalanced();
    batches.WarmUp(layered, item.request, options.warmup);
    for (int layer = 0; layer < kLayerCount; ++layer) {
      batches.Dump(layered, item.request, calls, layer,
                   LayerDumpLabel(framework, profile, item.route, LayerNames()[layer]));
    }
    batches.Dump(layered, item.request, calls, LayerStack::kAllLayers,
                 LayerDumpLabel(framework, profile, item.route, "all"));
    nlohmann::json& row = rows[i];
    row["unbalanced"] = stack.unbalanced() - unbalanced_before;
    if (!first_error.empty() && !row.contains("first_error")) row["first_error"] = first_error;
  }
}

nlohmann::json MeasureIn(LayerTwin& twin, const launch::AppEntry& entry, const std::string& profile,
                         const std::vector<RouteCase>& cases, const LayersOptions& options);

// One framework x profile, in its own (forked) process.
nlohmann::json MeasureFramework(const launch::AppEntry& entry, const std::string& profile,
                                const std::vector<RouteCase>& cases, const LayersOptions& options) {
  // The thread-CPU pass forks its marked twin here, before the interpreter starts: both
  // processes run what follows, the twin until it serves (layers_timing.h).
  LayerTwin twin(options.unit == LayerUnit::kThreadCpu);
  try {
    return MeasureIn(twin, entry, profile, cases, options);
  } catch (const std::exception& e) {
    if (twin.is_twin()) twin.Fail(e.what());
    throw;
  }
}

nlohmann::json MeasureIn(LayerTwin& twin, const launch::AppEntry& entry, const std::string& profile,
                         const std::vector<RouteCase>& cases, const LayersOptions& options) {
  const std::string framework = AppLabel(entry);
  if (!entry.dir.empty()) std::filesystem::current_path(entry.dir);
  PythonHost host(VenvPython(), options.hash_seed);
  py::object app = LoadWsgiApp(entry, {profile, options.database_url});
  std::string first_error;
  ErrorSink sink = [&first_error](std::string_view text) {
    if (first_error.empty()) first_error = text;
  };
  ServerIdentity identity{"127.0.0.1", 80, false, "fwbench-inproc"};
  LayerStack stack;
  RegisterLayerModule(stack);
  LayerBatches batches(stack, options.random_seed);
  WsgiBridge plain(app, identity, sink);
  CallgrindStartInstrumentation();  // a no-op outside valgrind
  nlohmann::json out = {{"python", host.PythonVersion()}, {"results", nlohmann::json::array()}};
  out["versions"][framework] = PackageVersion(entry.version_module);
  // Every route once around before anything is measured, so both phases see the same app
  // state (e.g. Django checks its DB connection on every request once one is open).
  for (const RouteCase& item : cases) batches.WarmUp(plain, item.request, options.warmup);
  nlohmann::json& rows = out["results"];
  const bool instructions = options.unit == LayerUnit::kInstructions;
  for (const RouteCase& item : cases) {
    first_error.clear();
    int status = plain.Call(item.request).status;
    if (instructions) {
      batches.WarmUp(plain, item.request, options.warmup);
      batches.Dump(plain, item.request, options.iterations, LayerStack::kAllLayers,
                   LayerDumpLabel(framework, profile, item.route, "plain"));
    }
    rows.push_back({{"framework", framework},
                    {"profile", profile},
                    {"route", item.route},
                    {"case", item.case_name},
                    {"method", item.request.method},
                    {"path", item.request.target},
                    {"status", status},
                    {"expected_status", item.expected_status},
                    {"ok", status == item.expected_status}});
    if (!first_error.empty()) rows.back()["first_error"] = first_error;
  }
  // The markers patch the framework for the rest of the process: every plain batch of the
  // instruction count runs before them; the thread-CPU pass installs them in a twin process.
  std::optional<WsgiBridge> layered;
  auto install = [&]() -> WsgiBridge& {
    layered.emplace(InstallMarkers(app, entry), identity, sink);
    layered->SetLayerStack(&stack);
    return *layered;
  };
  if (instructions) {
    CountLayers(batches, stack, install, framework, profile, cases, options, first_error, rows);
  } else if (twin.is_twin()) {
    twin.Serve(batches, stack, install, cases, options);
  } else {
    twin.Drive(batches, plain, cases, options, rows);
  }
  return out;
}

}  // namespace

std::string AppLabel(const launch::AppEntry& app) { return app.name.empty() ? app.wsgi : app.name; }

std::string LayerDumpLabel(const std::string& framework, const std::string& profile,
                           const std::string& route, const std::string& what) {
  return kLayerDumpPrefix + framework + "|" + profile + "|" + route + "|" + what;
}

nlohmann::json RunLayersWorker(const LayersOptions& options) {
  std::vector<RouteCase> cases = RepresentativeCases(ReadContract(), options.route);
  nlohmann::json doc = {
      {"python", ""}, {"versions", nlohmann::json::object()}, {"results", nlohmann::json::array()}};
  for (const launch::AppEntry& entry : options.frameworks) {
    for (const std::string& profile : options.profiles) {
      std::string label = AppLabel(entry) + "/" + profile;
      std::fprintf(stderr, "layers: %s (%zu routes)\n", label.c_str(), cases.size());
      nlohmann::json part =
          RunInChild(label, [&] { return MeasureFramework(entry, profile, cases, options); });
      doc["python"] = part["python"];
      doc["versions"].update(part["versions"]);
      for (auto& row : part["results"]) doc["results"].push_back(row);
    }
  }
  return doc;
}

}  // namespace fwbench::embed
