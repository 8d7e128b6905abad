#pragma once
// The report's SVG charts: C++ assembles the data, src/report/charts.py (matplotlib in the
// venv, deterministic SVG) draws them.
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "report/results.h"

namespace fwbench::report {

struct ChartFile {
  std::string file;   // "throughput.svg"
  std::string title;  // caption for the page
};

// The chart spec charts.py reads: throughput against concurrency, the latency percentile
// spectrum, CPU per request and memory per worker. Charts without data are omitted.
nlohmann::json BuildChartSpec(const ResultsSet& results);

// Writes every chart of `spec` into `out_dir` with `python script`. Returns the files made.
// Throws fwbench::Error with the script's output when it fails.
std::vector<ChartFile> DrawCharts(const nlohmann::json& spec, const std::filesystem::path& out_dir,
                                  const std::filesystem::path& python,
                                  const std::filesystem::path& script);

}  // namespace fwbench::report
