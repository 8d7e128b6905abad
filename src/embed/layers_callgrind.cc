#include "embed/layers_callgrind.h"

#include <stdlib.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <sstream>

#include "common/atomic_file.h"
#include "common/error.h"
#include "common/paths.h"
#include "common/quantile.h"
#include "common/run_process.h"
#include "embed/callgrind_dumps.h"
#include "embed/contract_cases.h"
#include "embed/layer_stack.h"

namespace fs = std::filesystem;

namespace fwbench::embed {
namespace {

constexpr const char* kWhere = "fwbench inproc --layers";
constexpr const char* kNsUnit =
    "thread CPU ns (CLOCK_THREAD_CPUTIME_ID) per request, not under callgrind: the median of "
    "ns_batches batches; per layer with the measured cost of the clock reads that split it "
    "and its share of the markers' own measured cost subtracted";

// The first executable `name` on $PATH, or "" when there is none.
std::string FindOnPath(const std::string& name) {
  const char* path = std::getenv("PATH");
  std::istringstream dirs(path ? path : "");
  for (std::string dir; std::getline(dirs, dir, ':');) {
    if (dir.empty()) continue;
    fs::path candidate = fs::path(dir) / name;
    if (::access(candidate.c_str(), X_OK) == 0) return candidate.string();
  }
  return "";
}

std::string FindValgrind() {
  if (!CallgrindClientRequestsBuilt()) {
    throw Error("this fwbench was built without <valgrind/callgrind.h>", kWhere,
                "install the Debian package valgrind (apt-get install valgrind; scripts/setup "
                "does) and rebuild");
  }
  std::string valgrind = FindOnPath("valgrind");
  if (valgrind.empty()) {
    throw Error("callgrind is missing: no valgrind on PATH", kWhere,
                "install the Debian package valgrind (apt-get install valgrind; scripts/setup "
                "does)");
  }
  return valgrind;
}

// A temporary folder /tmp/fwbench-layers-XXXXXX, removed with everything in it at the end of
// its scope. Always under /tmp (not $TMPDIR): the worker runs in it, and a path of another
// length moves the measured process's allocations (bench/layers/README.md, "Reproducible").
class TempDir {
 public:
  TempDir() {
    std::string pattern = "/tmp/fwbench-layers-XXXXXX";
    if (!::mkdtemp(pattern.data())) {
      throw Error("cannot create a temporary folder", pattern, "check that /tmp is writable");
    }
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

// env(1) starting the worker in `dir` with a fixed environment and nothing else: the
// environment is copied into the process (os.environ among others), so its size and content
// move every later allocation, and with them the addresses that id()-keyed dicts hash; two
// shells' environments differ (bench/layers/README.md, "Reproducible"). PATH for valgrind's
// own helpers, a UTF-8 C locale, UTC, and the hash seed (the embedded interpreter fixes its
// own; this is for anything else Python starts).
std::vector<std::string> FixedEnvironment(const fs::path& dir, unsigned long hash_seed) {
  std::string env = FindOnPath("env");
  if (env.empty()) {
    throw Error("env(1) is missing from PATH", kWhere, "install coreutils");
  }
  return {env,
          "-i",
          "--chdir=" + dir.string(),
          "PATH=/usr/bin:/bin",
          "LANG=C.UTF-8",
          "LC_ALL=C.UTF-8",
          "TZ=UTC",
          "PYTHONHASHSEED=" + std::to_string(hash_seed)};
}

std::vector<std::string> WorkerArgs(const LayersOptions& options, LayerUnit unit,
                                    const fs::path& json) {
  std::vector<std::string> args = {fs::read_symlink("/proc/self/exe").string(), "inproc",
                                   "--layers-worker"};
  if (unit == LayerUnit::kThreadCpu) {
    args.insert(args.end(),
                {"--layers-unit", "thread-cpu", "--ns-batches", std::to_string(options.ns_batches),
                 "--ns-batch-s", std::to_string(options.ns_batch_s)});
  }
  if (!options.frameworks_file.empty()) {
    args.insert(args.end(), {"--frameworks", fs::absolute(options.frameworks_file).string()});
  }
  for (const auto& app : options.frameworks)
    args.insert(args.end(), {"--framework", AppLabel(app)});
  for (const auto& profile : options.profiles) args.insert(args.end(), {"--profile", profile});
  if (!options.route.empty()) args.insert(args.end(), {"--route", options.route});
  for (const auto& dir : options.python_path) {
    args.insert(args.end(), {"--pythonpath", fs::absolute(dir).string()});
  }
  args.insert(args.end(), {"--iterations", std::to_string(options.iterations), "--warmup",
                           std::to_string(options.warmup), "--json", json.string()});
  if (!options.database_url.empty()) {
    args.insert(args.end(), {"--database-url", options.database_url});
  }
  return args;
}

// --callgrind-dir: the dumps copied from the work folder into `keep` (made if missing).
void KeepDumps(const fs::path& work, const std::string& keep) {
  std::error_code error;
  const fs::path dir = fs::absolute(keep);
  fs::create_directories(dir, error);
  for (const auto& file : fs::directory_iterator(work, error)) {
    if (error) break;
    if (file.path().filename().string().rfind("callgrind.out.", 0) != 0) continue;
    fs::copy_file(file.path(), dir / file.path().filename(), fs::copy_options::overwrite_existing,
                  error);
    if (error) break;
  }
  if (error) {
    throw Error("cannot keep the dumps in " + dir.string() + ": " + error.message(),
                "--callgrind-dir", "give a writable folder");
  }
}

std::string Tail(const std::string& text, size_t lines) {
  size_t pos = text.size();
  for (size_t n = 0; n <= lines && pos != std::string::npos && pos > 0; ++n) {
    pos = text.rfind('\n', pos - 1);
  }
  return pos == std::string::npos ? text : text.substr(pos + 1);
}

int64_t PerRequest(uint64_t instructions, int calls) {
  return std::llround(static_cast<double>(instructions) / calls);
}

double MedianOf(const nlohmann::json& samples) {
  return Median(samples.get<std::vector<double>>());
}

// Per batch, what the markers cost on their own (ns per request): the twin's batch with the
// markers but no clock reads, less the plain batch beside it. Zero for every batch when the
// worker did not run untimed batches (files written before they existed).
std::vector<double> MarkerCosts(const nlohmann::json& in) {
  const nlohmann::json& plain = in.at("plain");
  std::vector<double> costs(plain.size(), 0.0);
  if (!in.contains("untimed")) return costs;
  for (size_t b = 0; b < plain.size() && b < in["untimed"].size(); ++b)
    costs[b] = in["untimed"][b].get<double>() - plain[b].get<double>();
  return costs;
}

// The ns fields of `row` from the thread-CPU worker's row for the same case (layers_timing.h).
// Per batch, each layer's charged time (clock reads already subtracted) less its share of what
// the markers cost on their own, shared by the layer's count of charged intervals (a marker
// call sits at each one); then the medians over the batches, rounded to whole ns. What is
// left between the layers' sum and the plain batch is what the clock-read calibration missed:
// `hook_overhead_ns`, pair by pair, then the median.
void AddThreadCpu(const nlohmann::json& timed, nlohmann::json& row) {
  const nlohmann::json& in = timed.at("thread_cpu");
  const nlohmann::json& plain = in.at("plain");
  const std::vector<double> marker = MarkerCosts(in);
  const bool split = in.contains("layer_reads");
  const size_t batches = plain.size();
  std::vector<double> sums(batches, 0.0);
  for (auto& [name, layer] : row["layers"].items()) {
    const nlohmann::json& series = in.at("layers").at(name);
    const int index = LayerIndex(name);
    std::vector<double> values;
    for (size_t b = 0; b < batches && b < series.size(); ++b) {
      double ns = series[b].get<double>();
      if (split && marker[b] != 0) {
        const auto reads = in["layer_reads"][b].get<std::vector<double>>();
        double all = 0;
        for (double r : reads) all += r;
        if (all > 0 && index >= 0 && static_cast<size_t>(index) < reads.size())
          ns -= marker[b] * reads[index] / all;
      }
      values.push_back(ns);
      sums[b] += ns;
    }
    layer["ns"] = std::llround(Median(values));
  }
  if (!split) {  // no per-layer read counts: the twin's own sums, less the markers' cost
    for (size_t b = 0; b < batches && b < in.at("layer_sum").size(); ++b)
      sums[b] = in["layer_sum"][b].get<double>() - marker[b];
  }
  row["total_ns"] = std::llround(MedianOf(plain));
  row["instrumented_ns"] = std::llround(MedianOf(in.at("instrumented")));
  row["layer_sum_ns"] = std::llround(Median(sums));
  row["marker_ns"] = in.contains("untimed") ? nlohmann::json(std::llround(Median(marker)))
                                            : nlohmann::json(nullptr);
  // Pair by pair (a plain batch and the marked ones beside it), then the median: the host's
  // speed changes between pairs far more than within one.
  std::vector<double> ratios;
  for (size_t b = 0; b < batches; ++b) {
    if (plain[b].get<double>() > 0) ratios.push_back(sums[b] / plain[b].get<double>());
  }
  row["hook_overhead_ns"] = ratios.empty() ? 0.0 : Median(ratios) - 1;
  row["thread_cpu"] = {{"calls_per_batch", in.at("calls_per_batch")},
                       {"batches", batches},
                       {"clock_read_ns", std::round(in.at("clock_read_ns").get<double>())},
                       {"clock_reads_per_request", in.at("clock_reads_per_request")}};
}

// The thread-CPU worker's row for (framework, profile, route), or nullptr.
const nlohmann::json* FindTimedRow(const nlohmann::json* timing, const nlohmann::json& row) {
  if (!timing) return nullptr;
  for (const auto& timed : timing->at("results")) {
    if (timed.at("framework") == row.at("framework") && timed.at("profile") == row.at("profile") &&
        timed.at("route") == row.at("route") && timed.contains("thread_cpu")) {
      return &timed;
    }
  }
  return nullptr;
}

// Runs a worker; throws with its stderr tail when it fails or writes no `json`.
void RunWorker(const std::vector<std::string>& argv, const fs::path& json, const char* what) {
  ProcessResult run = RunProcess(argv);
  if (run.exit_code != 0 || !fs::exists(json)) {
    throw Error(std::string("the layers worker ") + what + " failed (exit " +
                    std::to_string(run.exit_code) + "):\n" + Tail(run.err, 30),
                kWhere, "fix the error above; the worker runs `fwbench inproc --layers-worker`");
  }
}

}  // namespace

nlohmann::json BuildLayersDocument(const LayersOptions& options, const nlohmann::json& worker,
                                   const std::map<std::string, uint64_t>& dumps,
                                   const std::string& valgrind_version,
                                   const nlohmann::json* timing) {
  nlohmann::json doc = {
      {"schema", "fwbench.layers/1"},
      {"tool", {{"name", "fwbench"}, {"version", Version()}, {"commit", GitCommit()}}},
      {"config",
       {{"iterations", options.iterations},
        {"warmup", options.warmup},
        {"database_url", options.database_url},
        {"python_hash_seed", options.hash_seed},
        {"random_seed", options.random_seed},
        {"unit", "callgrind Ir (instructions executed) per request"},
        {"valgrind", valgrind_version},
        {"ns_unit", timing ? nlohmann::json(kNsUnit) : nlohmann::json(nullptr)},
        {"ns_batches", options.ns_batches},
        {"ns_batch_s", options.ns_batch_s}}},
      {"python", worker.value("python", "")},
      {"versions", worker.value("versions", nlohmann::json::object())},
      {"layer_names", LayerNames()},
      {"results", nlohmann::json::array()}};
  for (const auto& in : worker.at("results")) {
    std::string framework = in.at("framework"), profile = in.at("profile"), route = in.at("route");
    auto ir = [&](const std::string& what) {
      std::string label = LayerDumpLabel(framework, profile, route, what);
      auto it = dumps.find(label);
      if (it == dumps.end()) {
        throw Error("no callgrind dump for batch '" + label + "'", kWhere,
                    "the worker stopped early or was not run under callgrind; rerun");
      }
      return it->second;
    };
    nlohmann::json row = in;
    uint64_t plain = ir("plain"), all = ir("all"), sum = 0;
    nlohmann::json layers = nlohmann::json::object();
    for (const std::string& name : LayerNames()) {
      uint64_t layer = ir(name);
      sum += layer;
      layers[name] = {{"instructions", PerRequest(layer, options.iterations)}, {"ns", nullptr}};
    }
    row["total_instructions"] = PerRequest(plain, options.iterations);
    row["total_ns"] = nullptr;
    row["instrumented_instructions"] = PerRequest(all, options.iterations);
    row["layer_sum_instructions"] = PerRequest(sum, options.iterations);
    row["hook_overhead"] = plain ? static_cast<double>(sum) / plain - 1 : 0.0;
    row["attribution_gap"] = all ? static_cast<double>(sum) / all - 1 : 0.0;
    row["layers"] = layers;
    if (const nlohmann::json* timed = FindTimedRow(timing, row)) AddThreadCpu(*timed, row);
    doc["results"].push_back(row);
  }
  return doc;
}

nlohmann::json RunLayers(const LayersOptions& options) {
  if (options.frameworks.empty()) {
    throw Error("no framework to measure", kWhere, "give at least one catalogue entry");
  }
  size_t routes = RepresentativeCases(ReadContract(), options.route).size();
  std::string valgrind = FindValgrind();
  TempDir work;
  // The worker's paths are relative to its cwd (the work folder): with its environment fixed
  // too, nothing in the measured process depends on where the folder is or who started it.
  const fs::path worker_json = "worker.json";
  std::vector<std::string> argv = FixedEnvironment(work.path(), options.hash_seed);
  argv.insert(argv.end(),
              {valgrind, "--tool=callgrind", "--instr-atstart=no", "--collect-atstart=no",
               "--dump-line=no", "--callgrind-out-file=callgrind.out.%p"});
  for (auto& arg : WorkerArgs(options, LayerUnit::kInstructions, worker_json)) {
    argv.push_back(std::move(arg));
  }
  std::fprintf(stderr,
               "layers: %zu framework(s) x %zu profile(s) x %zu route(s) under callgrind, "
               "%d batches of %d calls per route (this takes minutes)\n",
               options.frameworks.size(), options.profiles.size(), routes, kLayerCount + 2,
               options.iterations);
  RunWorker(argv, work.path() / worker_json, "under callgrind");
  if (!options.callgrind_dir.empty()) KeepDumps(work.path(), options.callgrind_dir);
  std::string version = RunProcess({valgrind, "--version"}).out;
  while (!version.empty() && version.back() == '\n') version.pop_back();
  nlohmann::json timing;
  if (options.thread_cpu) {
    const fs::path timing_json = "timing.json";
    std::vector<std::string> native = FixedEnvironment(work.path(), options.hash_seed);
    for (auto& arg : WorkerArgs(options, LayerUnit::kThreadCpu, timing_json)) {
      native.push_back(std::move(arg));
    }
    std::fprintf(stderr, "layers: thread CPU time, %d batches per route and phase\n",
                 options.ns_batches);
    RunWorker(native, work.path() / timing_json, "timing thread CPU");
    timing = ReadJsonFile(work.path() / timing_json);
  }
  return BuildLayersDocument(options, ReadJsonFile(work.path() / worker_json),
                             ReadCallgrindDumps(work.path(), kLayerDumpPrefix), version,
                             options.thread_cpu ? &timing : nullptr);
}

bool AllLayerRowsOk(const nlohmann::json& doc) {
  for (const auto& row : doc.at("results")) {
    if (!row.value("ok", false) || row.value("unbalanced", 0) != 0) return false;
  }
  return true;
}

}  // namespace fwbench::embed
