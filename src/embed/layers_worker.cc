#include "embed/layers_worker.h"

#include <cstdio>

#include "common/error.h"
#include "common/paths.h"
#include "embed/app_loader.h"
#include "embed/contract_cases.h"
#include "embed/layer_module.h"
#include "embed/layer_stack.h"
#include "embed/python_error.h"
#include "embed/python_host.h"
#include "embed/run_in_child.h"
#include "embed/wsgi_bridge.h"

namespace py = pybind11;

namespace fwbench::embed {
namespace {

// Runs batches of one request and dumps each batch's instructions under its label.
class BatchRunner {
 public:
  BatchRunner(LayerStack& stack, const LayersOptions& options)
      : stack_(stack),
        options_(options),
        seed_(py::module_::import("random").attr("seed")),
        collect_(py::module_::import("gc").attr("collect")) {}

  // `calls` unmeasured calls (collection off, markers live).
  void WarmUp(WsgiBridge& bridge, const WsgiRequest& request, int calls) {
    Prepare();
    stack_.Arm(LayerStack::kNoLayer);
    for (int i = 0; i < calls; ++i) CallOnce(bridge, request);
    stack_.Disarm();
  }

  // options.iterations calls collecting `target`, then one dump named `label`.
  void Batch(WsgiBridge& bridge, const WsgiRequest& request, int target, const std::string& label) {
    Prepare();
    stack_.Arm(target);
    for (int i = 0; i < options_.iterations; ++i) CallOnce(bridge, request);
    stack_.Disarm();
    CallgrindDumpStats(label);
  }

 private:
  void Prepare() {
    seed_(options_.random_seed);
    collect_();
  }

  void CallOnce(WsgiBridge& bridge, const WsgiRequest& request) {
    bridge.Call(request);
    if (stack_.Depth() != 1) {  // a marker left a layer open: count it, start clean
      stack_.CountUnbalanced();
      stack_.Truncate(1);
    }
  }

  LayerStack& stack_;
  const LayersOptions& options_;
  py::object seed_, collect_;
};

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

nlohmann::json MeasureFramework(const launch::AppEntry& entry, const std::string& profile,
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
  BatchRunner runner(stack, options);
  WsgiBridge plain(app, identity, sink);
  CallgrindStartInstrumentation();
  nlohmann::json out = {{"python", host.PythonVersion()}, {"results", nlohmann::json::array()}};
  out["versions"][framework] = PackageVersion(entry.version_module);
  // Every route once around before anything is counted, so both phases see the same app
  // state (e.g. Django checks its DB connection on every request once one is open).
  for (const RouteCase& item : cases) runner.WarmUp(plain, item.request, options.warmup);
  for (const RouteCase& item : cases) {
    first_error.clear();
    int status = plain.Call(item.request).status;
    runner.WarmUp(plain, item.request, options.warmup);
    runner.Batch(plain, item.request, LayerStack::kAllLayers,
                 LayerDumpLabel(framework, profile, item.route, "plain"));
    out["results"].push_back({{"framework", framework},
                              {"profile", profile},
                              {"route", item.route},
                              {"case", item.case_name},
                              {"method", item.request.method},
                              {"path", item.request.target},
                              {"status", status},
                              {"expected_status", item.expected_status},
                              {"ok", status == item.expected_status}});
    if (!first_error.empty()) out["results"].back()["first_error"] = first_error;
  }
  py::object marked = InstallMarkers(app, entry);
  WsgiBridge layered(marked, identity, sink);
  layered.SetLayerStack(&stack);
  for (size_t i = 0; i < cases.size(); ++i) {
    const RouteCase& item = cases[i];
    first_error.clear();
    int unbalanced_before = stack.unbalanced();
    runner.WarmUp(layered, item.request, options.warmup);
    for (int layer = 0; layer < kLayerCount; ++layer) {
      runner.Batch(layered, item.request, layer,
                   LayerDumpLabel(framework, profile, item.route, LayerNames()[layer]));
    }
    runner.Batch(layered, item.request, LayerStack::kAllLayers,
                 LayerDumpLabel(framework, profile, item.route, "all"));
    nlohmann::json& row = out["results"][i];
    row["unbalanced"] = stack.unbalanced() - unbalanced_before;
    if (!first_error.empty() && !row.contains("first_error")) row["first_error"] = first_error;
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
