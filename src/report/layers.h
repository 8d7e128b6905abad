#pragma once
// fwbench.layers/1 documents (results/SCHEMA.md; `fwbench inproc --layers`): a request's
// instructions per layer, per framework, profile and route. The report shows them as
// "Where a request's instructions go": per route a table (framework, profile, total, one
// column per layer, hooks, and the thread CPU µs per request when the file has them) and the
// stacked-bar chart layers.svg. Columns and segments come from the document's layer_names, in its
// order; rows and routes keep the document's order.
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "report/flamegraphs.h"

namespace fwbench::report {

inline constexpr const char* kLayersChartFile = "layers.svg";
inline constexpr const char* kLayersTitle = "Where a request's instructions go";
// The most layers layers.svg can tell apart: the size of charts.py's LAYER_COLORS.
inline constexpr int kMaxLayers = 10;

struct LayerRow {
  std::string framework, profile, route;
  std::string method, path;          // the representative request ("GET", "/db"); may be empty
  double total_instructions = 0;     // per request, the app as the suite runs it (no markers)
  std::vector<double> instructions;  // per request, one per LayersDoc::layer_names, same order
  bool ok = true;                    // answered with its expected status
  std::optional<double> status;      // the status it answered with
  double unbalanced = 0;             // markers left open (0 unless the markers are wrong)
  std::optional<double> total_ns;    // thread CPU per request, no markers (null: not timed)

  double LayerSum() const;
  // Layers added up / total - 1: what the markers cost (n/a for a total of 0).
  double HookOverhead() const;
  // "" for a good row, else " (status 500)" or " (2 markers left open)".
  std::string Flag() const;
};

// The hooks column: HookOverhead as "+0.8%" (one decimal, signed), "n/a" without a total.
std::string HooksText(const LayerRow& row);
// The thread-CPU column: total_ns in µs with one decimal ("152.3"), "n/a" when not timed.
std::string ThreadCpuText(const LayerRow& row);

struct LayersDoc {
  std::string file;     // the document's file name (provenance)
  std::string command;  // how it was made; may be empty
  std::string unit;     // config.unit; may be empty
  std::vector<std::string> layer_names;
  std::vector<LayerRow> rows;  // the document's order

  std::vector<std::string> Routes() const;  // in order of first appearance
  bool HasThreadCpu() const;                // some row has total_ns
};

// Reads and checks a fwbench.layers/1 document. Throws fwbench::Error naming the file and
// field: a wrong schema, missing or empty layer_names or results, a layer in a row that
// layer_names does not name (or one it names missing from a row), a non-numeric or negative
// count, the same framework/profile/route twice.
LayersDoc LoadLayers(const std::filesystem::path& path);

// The method in one paragraph, shared by tables.md and report.html (plain text).
std::string LayersNote(const LayersDoc& doc);
// The route's heading text: "/db (GET /db)".
std::string LayersRouteTitle(const LayersDoc& doc, const std::string& route);

// The tables.md section: heading, note, the chart (when `chart_file` is given), per route a
// table, then one line per flame graph (when `flamegraphs` is given). Either may be absent.
std::string RenderLayersMarkdown(const LayersDoc* doc, const FlameGraphs* flamegraphs,
                                 const std::string& chart_file);

// layers.svg's spec for charts.py (kind "stacked"): one panel per route, one bar per row
// (framework · profile), one segment per layer in thousands of instructions, the total
// without markers as a tick; every panel's series are all layer_names (one shared legend).
nlohmann::json LayersChart(const LayersDoc& doc);

// report.json's "layers": the document's rows as the tables show them.
nlohmann::json ToJson(const LayersDoc& doc);

}  // namespace fwbench::report
