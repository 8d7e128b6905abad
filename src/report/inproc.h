#pragma once
// fwbench.inproc/1 documents (results/SCHEMA.md): framework cost per request with no server.
#include <filesystem>
#include <string>
#include <vector>

#include "report/matrix.h"

namespace fwbench::report {

struct InprocRow {
  std::string framework, profile, route;
  double ns_per_request = 0;
  std::vector<double> samples;
};

// Throws fwbench::Error naming the file and field when malformed.
std::vector<InprocRow> LoadInproc(const std::filesystem::path& path);

// Performance measure: geometric mean of ns/request over the routes every framework ran.
MeasureInput InprocMeasure(const std::vector<InprocRow>& rows);
// A Markdown table: route x framework, ns/request.
std::string RenderInprocMarkdown(const std::vector<InprocRow>& rows);

}  // namespace fwbench::report
