#pragma once
// `fwbench report`: results files in, tables.md + SVG charts + report.html + report.json out.
// Same inputs, same bytes: nothing depends on the clock, the locale or map iteration order.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "report/matrix.h"

namespace fwbench::report {

struct ReportOptions {
  std::vector<std::filesystem::path> results;   // fwbench.results/1 or /2, one or more
  std::optional<std::filesystem::path> inproc;  // fwbench.inproc/1
  // fwbench.layers/1: adds "Where a request's instructions go" (per-route tables and
  // layers.svg) to tables.md and report.html, and "layers" to report.json.
  std::optional<std::filesystem::path> layers;
  // fwbench.flamegraphs/1: adds one line per flame graph to that section (its SVG linked as
  // the document gives it, relative to the report's folder; whether its shares agree), and
  // "flamegraphs" to report.json.
  std::optional<std::filesystem::path> flamegraphs;
  std::optional<std::filesystem::path> weights;  // default <root>/src/report/use_cases.json
  // fwbench.appsize/1. When absent, src/report/appsize.py measures the apps now and writes
  // <out>/appsize.json (import times make that file differ run to run; pass it back in with
  // --appsize to regenerate a report exactly).
  std::optional<std::filesystem::path> appsize;
  std::filesystem::path out;
  std::filesystem::path root;  // the repository (apps/, src/report/); SourceDir() by default
  bool charts = true;          // false: skip the matplotlib step (tests of the data path)
  // The framework every other one is compared with (ratios, effects, charts). Default: the
  // last framework of the results' order, which is the suite's `frameworks` order; the suites
  // list it last (django for ["flask", "django"] and ["flask", "falcon", "django"]), so every
  // other framework has a comparison with it (results/SCHEMA.md, `comparisons`).
  std::optional<std::string> reference;
};

struct ReportOutcome {
  std::vector<UseCaseResult> use_cases;
  std::filesystem::path html;
};

// Throws fwbench::Error (naming file and field) for malformed or mismatched inputs.
ReportOutcome GenerateReport(const ReportOptions& options);

}  // namespace fwbench::report
