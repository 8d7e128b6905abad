#pragma once
// The worker of `fwbench inproc --layers`: for each framework x profile (a forked child each),
// every contract route's representative request in batches (bench/layers/README.md).
// Instructions (run under callgrind), one callgrind dump per batch:
//   plain       the app as the suite runs it (no markers): the uninstrumented total;
//   all         the app with apps/common/fwbench_layers installed, every layer collected;
//   <layer>     the same, collecting only while that layer is on top of the stack.
// Thread CPU time (run natively, layers_timing.h): per route `ns_batches` pairs of a plain
// batch and one of a twin process with the markers installed and every stack change timed.
// Every batch replays the same calls after random.seed(seed) and gc.collect(). Before the
// first batch every route is called `warmup` times, and again before its batches.
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "launch/app_catalog.h"

namespace fwbench::embed {

enum class LayerUnit { kInstructions, kThreadCpu };

struct LayersOptions {
  // Resolved by the caller (launch/app_catalog.h): catalogue entries or raw "module:callable"
  // targets. The worker process resolves them again from frameworks_file and python_path.
  std::vector<launch::AppEntry> frameworks;
  std::filesystem::path frameworks_file;  // the catalogue the entries come from
  std::vector<std::string> profiles = {"minimal", "standard"};
  std::string route;                               // empty: every contract route
  std::vector<std::filesystem::path> python_path;  // for "module:callable" targets
  int iterations = 20;                             // calls per batch
  int warmup = 100;                                // unmeasured calls before a route's batches
  std::string database_url;                        // empty: the apps' default
  unsigned long hash_seed = 0;                     // PYTHONHASHSEED of the embedded Python
  unsigned long random_seed = 1;                   // random.seed() before every batch
  std::string callgrind_dir;  // copy the dumps here (for callgrind_annotate); empty: do not
  LayerUnit unit = LayerUnit::kInstructions;  // what a worker measures
  bool thread_cpu = true;                     // RunLayers: also the thread-CPU pass (the ns fields)
  int ns_batches = 15;      // thread-CPU batch pairs per route (a plain and a marked batch)
  double ns_batch_s = 0.1;  // thread CPU time a batch aims at (its calls are fixed per route)
};

// The name a framework goes by in rows, labels and --framework: the catalogue key, or the
// "module:callable" of a raw target.
std::string AppLabel(const launch::AppEntry& app);

// The callgrind dump label of one batch: "fwbench-layers|fw|profile|route|what".
std::string LayerDumpLabel(const std::string& framework, const std::string& profile,
                           const std::string& route, const std::string& what);
inline constexpr const char* kLayerDumpPrefix = "fwbench-layers|";

// Runs the batches of options.unit (instructions: meant for valgrind --tool=callgrind
// --instr-atstart=no --collect-atstart=no) and returns {"python", "versions", "results":
// [{framework, profile, route, case, method, path, status, expected_status, ok, unbalanced,
// first_error?, thread_cpu? (layers_timing.h)}]}.
// Throws fwbench::Error when a child fails (an unknown framework for the layer markers, an app
// that does not import).
nlohmann::json RunLayersWorker(const LayersOptions& options);

}  // namespace fwbench::embed
