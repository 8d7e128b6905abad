// `fwbench inproc`: the cost of each contract route through each framework's WSGI callable,
// called from C++ with no network, as ns/request (fwbench.inproc/1, results/SCHEMA.md); with
// --layers, as callgrind instructions per request split into layers (fwbench.layers/1).
#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "cli/commands.h"
#include "common/atomic_file.h"
#include "common/error.h"
#include "embed/inproc_runner.h"
#include "embed/layers_callgrind.h"
#include "embed/layers_worker.h"
#include "launch/app_catalog.h"

namespace fwbench::cli {
namespace {

void PrintTable(const nlohmann::json& doc) {
  std::printf("%-8s %-9s %-20s %6s %14s %14s %9s\n", "fw", "profile", "route", "status",
              "bridge ns/req", "python ns/req", "overhead");
  for (const auto& row : doc["results"]) {
    double overhead = row.value("bridge_overhead", 0.0) * 100;
    std::printf("%-8s %-9s %-20s %6d %14.0f %14.0f %8.1f%%%s\n",
                row["framework"].get<std::string>().c_str(),
                row["profile"].get<std::string>().c_str(), row["route"].get<std::string>().c_str(),
                row["status"].get<int>(), row["ns_per_request"].get<double>(),
                row.value("python_loop_ns_per_request", 0.0), overhead,
                row["ok"].get<bool>() ? "" : "  UNEXPECTED STATUS");
  }
}

void PrintLayersTable(const nlohmann::json& doc) {
  std::printf("%-8s %-9s %-20s %12s", "fw", "profile", "route", "total Ir/req");
  for (const auto& name : doc["layer_names"])
    std::printf(" %10.10s", name.get<std::string>().c_str());
  std::printf(" %8s %12s %8s\n", "hooks", "total ns/req", "hooks ns");
  for (const auto& row : doc["results"]) {
    std::printf("%-8s %-9s %-20s %12lld", row["framework"].get<std::string>().c_str(),
                row["profile"].get<std::string>().c_str(), row["route"].get<std::string>().c_str(),
                row["total_instructions"].get<long long>());
    for (const auto& name : doc["layer_names"]) {
      std::printf(" %10lld",
                  row["layers"][name.get<std::string>()]["instructions"].get<long long>());
    }
    std::printf(" %+7.1f%%", 100 * row["hook_overhead"].get<double>());
    if (row["total_ns"].is_null()) {
      std::printf(" %12s %8s", "-", "-");
    } else {
      std::printf(" %12lld %+7.1f%%", row["total_ns"].get<long long>(),
                  100 * row["hook_overhead_ns"].get<double>());
    }
    std::printf("%s\n", row["ok"].get<bool>() ? "" : "  UNEXPECTED STATUS");
  }
}

// --framework: catalogue entries (every one when none is named); with --layers also a raw
// "module:callable" on --pythonpath, as `fwbench serve --app` takes it.
std::vector<launch::AppEntry> ResolveFrameworks(const std::vector<std::string>& names,
                                                const std::string& frameworks_file,
                                                const std::vector<std::string>& python_path,
                                                bool allow_targets) {
  const launch::AppCatalog catalog = launch::LoadAppCatalog(frameworks_file);
  std::vector<launch::AppEntry> entries;
  bool any_target = false;
  for (const auto& name : names.empty() ? catalog.Names() : names) {
    if (allow_targets && name.find(':') != std::string::npos) {
      std::vector<std::filesystem::path> paths(python_path.begin(), python_path.end());
      entries.push_back(launch::TargetEntry(name, paths, "fwbench inproc --layers --framework"));
      any_target = true;
    } else {
      entries.push_back(catalog.Find(name));
    }
  }
  if (!python_path.empty() && !any_target) {
    throw Error("--pythonpath goes with a module:callable --framework under --layers only",
                "fwbench inproc --pythonpath",
                "a framework's sys.path comes from its pythonpath in " + catalog.file.string());
  }
  return entries;
}

// --layers: callgrind instructions per layer; --layers-worker: the part under callgrind.
// `options` comes with the thread-CPU settings (--no-ns, --ns-batches, --ns-batch-s,
// --layers-unit) filled in.
void RunLayersMode(embed::LayersOptions options, const embed::InprocOptions& inproc,
                   std::vector<launch::AppEntry> frameworks, const std::string& frameworks_file,
                   const std::vector<std::string>& profiles,
                   const std::vector<std::string>& python_path, int warmup,
                   const std::string& callgrind_dir, bool iterations_given, bool worker,
                   const std::string& json_file) {
  options.frameworks = std::move(frameworks);
  options.frameworks_file = frameworks_file;
  if (!profiles.empty()) options.profiles = profiles;
  options.route = inproc.route;
  options.python_path.assign(python_path.begin(), python_path.end());
  if (iterations_given) options.iterations = inproc.iterations;
  options.warmup = warmup;
  options.database_url = inproc.database_url;
  options.callgrind_dir = callgrind_dir;
  if (worker) {
    WriteJsonAtomic(json_file, embed::RunLayersWorker(options));
    return;
  }
  nlohmann::json doc = embed::RunLayers(options);
  WriteJsonAtomic(json_file, doc);
  PrintLayersTable(doc);
  std::printf("wrote %s\n", json_file.c_str());
  if (!embed::AllLayerRowsOk(doc)) {
    throw Error("some routes answered an unexpected status or left a layer open", json_file,
                "see first_error and unbalanced in the file; for DB routes seed the DB with "
                "'fwbench db init' or apps/dbtool.py init --url URL");
  }
}

}  // namespace

void AddInprocCommand(CLI::App& app) {
  auto options = std::make_shared<embed::InprocOptions>();
  auto json_file = std::make_shared<std::string>();
  auto frameworks = std::make_shared<std::vector<std::string>>();
  auto frameworks_file = std::make_shared<std::string>(launch::DefaultCatalogFile().string());
  auto profiles = std::make_shared<std::vector<std::string>>();
  auto no_baseline = std::make_shared<bool>(false);
  auto layers = std::make_shared<bool>(false);
  auto layers_worker = std::make_shared<bool>(false);
  auto python_path = std::make_shared<std::vector<std::string>>();
  auto warmup = std::make_shared<int>(100);
  auto callgrind_dir = std::make_shared<std::string>();
  auto layers_options = std::make_shared<embed::LayersOptions>();
  auto no_ns = std::make_shared<bool>(false);
  CLI::App* cmd = app.add_subcommand(
      "inproc", "Time each contract route through each framework's WSGI callable, no network");
  cmd->add_option("--framework", *frameworks,
                  "Only these frameworks of the app catalogue (default: all); --layers also "
                  "takes 'module:callable' with --pythonpath");
  cmd->add_option("--frameworks", *frameworks_file,
                  "The app catalogue (default: apps/frameworks.json)");
  cmd->add_option("--profile", *profiles, "Only these profiles (default: minimal and standard)")
      ->check(CLI::IsMember({"minimal", "standard"}));
  cmd->add_option("--route", options->route, "Only this contract route (default: all)");
  CLI::Option* iterations =
      cmd->add_option("--iterations", options->iterations,
                      "Timed calls per route (--layers: calls per batch, default 20)")
          ->check(CLI::PositiveNumber);
  cmd->add_option("--samples", options->samples, "Batches the calls are split into")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--database-url", options->database_url,
                  "DATABASE_URL for the apps (default: sqlite file <root>/var/fwbench.db)");
  cmd->add_flag("--no-python-baseline", *no_baseline,
                "Skip the pure-Python loop used to report the bridge's overhead");
  cmd->add_flag("--layers", *layers,
                "Instructions per request split into layers, under callgrind "
                "(fwbench.layers/1; bench/layers/README.md)");
  cmd->add_flag("--layers-worker", *layers_worker, "The part of --layers that runs under callgrind")
      ->group("");
  cmd->add_option("--layers-unit", layers_options->unit, "What a --layers-worker measures")
      ->transform(CLI::CheckedTransformer(
          std::map<std::string, embed::LayerUnit>{{"instructions", embed::LayerUnit::kInstructions},
                                                  {"thread-cpu", embed::LayerUnit::kThreadCpu}},
          CLI::ignore_case))
      ->group("");
  cmd->add_flag("--no-ns", *no_ns,
                "--layers: instructions only, no thread-CPU pass (ns fields null)");
  cmd->add_option("--ns-batches", layers_options->ns_batches,
                  "--layers: thread-CPU batch pairs (plain, marked) per route (default 15)")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--ns-batch-s", layers_options->ns_batch_s,
                  "--layers: thread CPU seconds a batch aims at (default 0.1)")
      ->check(CLI::Range(0.001, 60.0));
  cmd->add_option("--pythonpath", *python_path,
                  "--layers: folders on sys.path for a 'module:callable' --framework");
  cmd->add_option("--warmup", *warmup, "--layers: unmeasured calls per route before its batches")
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--callgrind-dir", *callgrind_dir,
                  "--layers: keep callgrind's dumps here, one per batch (callgrind_annotate)");
  cmd->add_option("--json", *json_file,
                  "Write the fwbench.inproc/1 (--layers: fwbench.layers/1) document here")
      ->required();
  cmd->callback([options, json_file, frameworks, frameworks_file, profiles, no_baseline, layers,
                 layers_worker, python_path, warmup, iterations, callgrind_dir, layers_options,
                 no_ns] {
    const bool layers_mode = *layers || *layers_worker;
    const std::vector<launch::AppEntry> entries =
        ResolveFrameworks(*frameworks, *frameworks_file, *python_path, layers_mode);
    if (layers_mode) {
      layers_options->thread_cpu = !*no_ns;
      RunLayersMode(*layers_options, *options, entries, *frameworks_file, *profiles, *python_path,
                    *warmup, *callgrind_dir, iterations->count() > 0, *layers_worker, *json_file);
      return;
    }
    options->frameworks = entries;
    if (!profiles->empty()) options->profiles = *profiles;
    options->python_baseline = !*no_baseline;
    nlohmann::json doc = embed::RunInproc(*options);
    WriteJsonAtomic(*json_file, doc);
    PrintTable(doc);
    std::printf("wrote %s\n", json_file->c_str());
    if (!embed::AllResultsOk(doc)) {
      throw Error("some routes answered an unexpected status", *json_file,
                  "see first_error in the file; for DB routes seed the DB with "
                  "'fwbench db init' or apps/dbtool.py init --url URL");
    }
  });
}

}  // namespace fwbench::cli
