#pragma once
// report.html: one self-contained page (inline CSS and SVG, no scripts, no external fetches)
// with the answer per use case, the decision matrix with its evidence, charts and tables.
#include <optional>
#include <string>
#include <vector>

#include "report/charts.h"
#include "report/flamegraphs.h"
#include "report/layers.h"
#include "report/matrix.h"
#include "report/results.h"
#include "report/tables.h"

namespace fwbench::report {

struct PageInput {
  const ResultsSet* results = nullptr;
  const std::vector<RouteTable>* tables = nullptr;
  const Matrix* matrix = nullptr;
  const std::vector<UseCaseResult>* use_cases = nullptr;
  std::vector<ChartFile> charts;
  std::vector<std::string> chart_svgs;  // the SVG text of each chart, same order
  std::vector<std::string> notes;       // provenance lines (inputs and how they were made)
  // "Where a request's instructions go", shown when either is given (--layers, --flamegraphs).
  const LayersDoc* layers = nullptr;
  const FlameGraphs* flamegraphs = nullptr;
  std::optional<ChartFile> layers_chart;  // layers.svg, drawn in that section (not in `charts`)
  std::string layers_chart_svg;
};

std::string RenderHtml(const PageInput& page);

// "<svg ...>...</svg>" from an SVG file's text: drops the XML declaration and DOCTYPE.
std::string InlineSvg(const std::string& svg_file_text);

// One line per use case: "small_app: flask (7.9 vs 6.1, margin 1.8; flips if ...)".
std::string RenderAnswerText(const std::vector<UseCaseResult>& use_cases);
// The sensitivity as a sentence.
std::string DescribeSensitivity(const UseCaseResult& r);

}  // namespace fwbench::report
