// Google Benchmark of the in-process cost of each contract route, for ONE framework and
// profile per run (the apps read their profile at import time):
//   embed_bench [--app flask|django|module:attr] [--profile minimal|standard] [--route R]
//               [--batch N] [benchmark flags, e.g. --benchmark_min_time=2]
// Each route is timed twice: "bridge/<route>" calls the app through the C++ WSGI bridge, and
// "python/<route>" through a pure-Python loop over a prebuilt environ. Every benchmark
// iteration is a batch of --batch requests; the "ns_per_request" counter is per request.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstring>
#include <deque>
#include <string>
#include <vector>

#include "common/error.h"
#include "common/paths.h"
#include "embed/app_loader.h"
#include "embed/contract_cases.h"
#include "embed/inproc_timer.h"
#include "embed/python_host.h"
#include "launch/app_catalog.h"

namespace embed = fwbench::embed;

namespace {

struct Flags {
  std::string app = "flask";
  std::string profile = fwbench::launch::kDefaultProfile;
  std::string route;
  int batch = 64;
};

// Takes our flags out of argv, leaving Google Benchmark's.
Flags ParseFlags(int& argc, char** argv) {
  Flags flags;
  int kept = 1;
  for (int i = 1; i < argc; ++i) {
    auto take = [&](const char* name, std::string& into) {
      size_t n = std::strlen(name);
      if (std::strncmp(argv[i], name, n) == 0 && argv[i][n] == '=') {
        into = argv[i] + n + 1;
        return true;
      }
      if (std::strcmp(argv[i], name) == 0 && i + 1 < argc) {
        into = argv[++i];
        return true;
      }
      return false;
    };
    std::string batch;
    if (take("--app", flags.app) || take("--profile", flags.profile) ||
        take("--route", flags.route)) {
      continue;
    }
    if (take("--batch", batch)) {
      flags.batch = std::max(1, std::stoi(batch));
      continue;
    }
    argv[kept++] = argv[i];
  }
  argc = kept;
  return flags;
}

// `environ` must outlive the benchmark run (the registry itself lives until exit, after the
// interpreter is gone, so the lambdas hold no Python object of their own).
void Register(embed::InprocTimer& timer, const pybind11::dict& environ,
              const embed::RouteCase& item, int batch) {
  auto counters = [batch](benchmark::State& state, double total_ns) {
    state.counters["ns_per_request"] = total_ns / (static_cast<double>(state.iterations()) * batch);
    state.SetItemsProcessed(state.iterations() * batch);
  };
  benchmark::RegisterBenchmark(("bridge/" + item.route).c_str(), [&timer, item, batch, counters](
                                                                     benchmark::State& state) {
    double total = 0;
    for (auto _ : state) {
      double ns = timer.BridgeBatch(item.request, batch);
      total += ns * batch;
      state.SetIterationTime(ns * batch / 1e9);
    }
    counters(state, total);
  })->UseManualTime();
  benchmark::RegisterBenchmark(("python/" + item.route).c_str(), [&timer, &environ, item, batch,
                                                                  counters](
                                                                     benchmark::State& state) {
    double total = 0;
    for (auto _ : state) {
      double ns = timer.PythonBatch(environ, item.request.body, batch);
      total += ns * batch;
      state.SetIterationTime(ns * batch / 1e9);
    }
    counters(state, total);
  })->UseManualTime();
}

}  // namespace

int main(int argc, char** argv) {
  Flags flags = ParseFlags(argc, argv);
  benchmark::Initialize(&argc, argv);
  try {
    const fwbench::launch::AppEntry entry =
        flags.app.find(':') != std::string::npos
            ? fwbench::launch::TargetEntry(flags.app, {}, "embed_bench --app")
            : fwbench::launch::LoadAppCatalog(fwbench::launch::DefaultCatalogFile())
                  .Find(flags.app);
    if (!entry.dir.empty()) std::filesystem::current_path(entry.dir);
    embed::PythonHost host(fwbench::VenvPython());
    pybind11::object app = embed::LoadWsgiApp(entry, {flags.profile, ""});
    embed::WsgiBridge bridge(app, {"127.0.0.1", 80, false, "fwbench-bench"},
                             embed::StderrSink("[app] "));
    embed::InprocTimer timer(app, bridge);
    std::vector<embed::RouteCase> cases =
        embed::RepresentativeCases(embed::ReadContract(), flags.route);
    std::deque<pybind11::dict> environs;
    for (const auto& item : cases) {
      environs.push_back(bridge.BuildEnviron(item.request));
      Register(timer, environs.back(), item, flags.batch);
    }
    benchmark::AddCustomContext("app", flags.app);
    benchmark::AddCustomContext("profile", flags.profile);
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "embed_bench: error: %s\n", e.what());
    return 1;
  }
  return 0;
}
