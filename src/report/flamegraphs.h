#pragma once
// fwbench.flamegraphs/1 documents (bench/layers/flamegraphs.py, run by bench/flamegraphs.sh):
// py-spy flame graphs of a worker under load, each with how far its sampled per-layer shares
// are from the instrumented ones of fwbench.layers/1. The report links each graph and says
// whether it agrees.
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace fwbench::report {

struct FlameGraph {
  std::string framework, route;
  std::string path;  // the request path, when the document gives it ("/json")
  // The SVG, relative to the document's folder as written ("flamegraphs/flask-minimal-json.svg");
  // the report links it as is, so the report belongs in that folder (results/).
  std::string svg;
  std::optional<double> max_abs_diff_pp;  // largest |sampled - instrumented| share, in pp
  std::optional<bool> agrees;             // empty: not compared
  std::string not_compared;               // why not, when not compared
};

struct FlameGraphs {
  std::string file;  // the document's file name (provenance)
  std::string command;
  std::optional<double> tolerance_pp;
  std::vector<FlameGraph> graphs;  // in the document's order
};

// Throws fwbench::Error naming the file and field when malformed (wrong schema, no graphs
// array, a graph without framework, route or svg, a wrongly typed field).
FlameGraphs LoadFlameGraphs(const std::filesystem::path& path);

// The verdict of one graph as plain text: "sampled layer shares agree with the instrumented
// ones (largest difference 4.2 pp; tolerance 10 pp)", "... do not agree ...", or
// "not compared: <why>".
std::string FlameGraphVerdict(const FlameGraph& graph, std::optional<double> tolerance_pp);
// The link text of one graph: "flask /json".
std::string FlameGraphLabel(const FlameGraph& graph);

// report.json's "flamegraphs": each graph with its link and verdict.
nlohmann::json ToJson(const FlameGraphs& flamegraphs);

}  // namespace fwbench::report
