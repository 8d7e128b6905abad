#pragma once
// The report's SVG charts: C++ assembles the data, src/report/charts.py (matplotlib in the
// venv, deterministic SVG) draws them. Every panel names its series (at most kMaxSeries, so
// each stays readable); ratio charts compare each framework with the matrix's reference.
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "report/layers.h"
#include "report/matrix.h"
#include "report/results.h"

namespace fwbench::report {

inline constexpr int kMaxSeries = 6;

struct ChartFile {
  std::string file;   // "ratios.svg"
  std::string title;  // caption for the page
  std::string note;   // what to read, and what is left out
  std::vector<int> series_per_panel;
};

struct ChartInput {
  const ResultsSet* results = nullptr;
  const Matrix* matrix = nullptr;  // frameworks and reference
  const std::vector<UseCaseResult>* use_cases = nullptr;
  const nlohmann::json* appsize = nullptr;  // may be null: the footprint chart lacks those bars
  const LayersDoc* layers = nullptr;        // may be null: no layers.svg
};

// The chart spec charts.py reads: ratios.svg (forest plot of each framework's capacity ratio
// against the reference per route and server), servers.svg (req/s per server, one dot per
// framework), latency.svg (percentiles at the fixed open-loop rate, flagged cells left out),
// footprint.svg, usecases.svg (weighted points per criterion with P(win)), tornado.svg and,
// with input.layers, layers.svg (layers.h LayersChart). Charts without data are omitted.
// Every panel has "series": [{"name", ...}] of at most kMaxSeries entries, or of the chart's
// own "max_series" (layers.svg: one series per layer, up to kMaxLayers).
nlohmann::json BuildChartSpec(const ChartInput& input);

// Writes every chart of `spec` into `out_dir` with `python script`. Returns the files made.
// Throws fwbench::Error with the script's output when it fails.
std::vector<ChartFile> DrawCharts(const nlohmann::json& spec, const std::filesystem::path& out_dir,
                                  const std::filesystem::path& python,
                                  const std::filesystem::path& script);

}  // namespace fwbench::report
