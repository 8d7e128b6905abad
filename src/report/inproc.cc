#include "report/inproc.h"

#include <map>
#include <set>

#include "common/atomic_file.h"
#include "report/format.h"
#include "report/json_fields.h"
#include "report/stats.h"

namespace fwbench::report {

std::vector<InprocRow> LoadInproc(const std::filesystem::path& path) {
  const nlohmann::json doc = ReadJsonFile(path);
  JsonFields f(path.string());
  const std::string schema = f.String(doc, "", "schema");
  if (schema != "fwbench.inproc/1")
    f.Fail("schema", "is \"" + schema + "\"; expected \"fwbench.inproc/1\"",
           "pass --inproc a file from 'fwbench inproc --json'");
  std::vector<InprocRow> rows;
  const auto& results = f.Array(doc, "", "results");
  for (size_t i = 0; i < results.size(); ++i) {
    const std::string p = FieldPath("results", i);
    InprocRow row{f.String(results[i], p, "framework"),
                  f.String(results[i], p, "profile"),
                  f.String(results[i], p, "route"),
                  f.Number(results[i], p, "ns_per_request"),
                  {}};
    if (auto it = results[i].find("ns_per_request_samples");
        it != results[i].end() && it->is_array()) {
      for (const auto& v : *it)
        if (v.is_number()) row.samples.push_back(v.get<double>());
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

MeasureInput InprocMeasure(const std::vector<InprocRow>& rows) {
  MeasureInput m{.criterion = "performance",
                 .id = "perf_inproc",
                 .label = "In-process framework cost (no server)",
                 .unit = "ns/request",
                 .direction = Direction::kLowerIsBetter,
                 .source = "inproc: fwbench inproc",
                 .not_scored =
                     "not scored: the same quantity as the cost per request measured "
                     "under the servers (perf_cost, orm_cost, tpl_cost), without one"};
  std::set<std::string> frameworks;
  std::map<std::string, std::map<std::string, double>> by_key;  // profile/route -> fw -> ns
  for (const auto& r : rows) {
    frameworks.insert(r.framework);
    by_key[r.profile + "/" + r.route][r.framework] = r.ns_per_request;
  }
  std::map<std::string, std::vector<double>> per_fw;
  for (const auto& [key, values] : by_key) {
    if (values.size() != frameworks.size()) continue;
    for (const auto& [fw, v] : values) per_fw[fw].push_back(v);
  }
  for (const auto& [fw, values] : per_fw) {
    m.values[fw] = GeometricMean(values);
    m.evidence[fw] = Sig(m.values[fw]) + " ns/request (geometric mean over " +
                     std::to_string(values.size()) + " routes)";
  }
  return m;
}

std::string RenderInprocMarkdown(const std::vector<InprocRow>& rows) {
  std::string md =
      "## In-process framework cost (no server, no socket)\n\n| profile | route | framework | "
      "ns/request |\n|---|---|---|---:|\n";
  for (const auto& r : rows)
    md += "| " + r.profile + " | " + r.route + " | " + r.framework + " | " +
          Sig(r.ns_per_request, 4) + " |\n";
  return md + "\n";
}

}  // namespace fwbench::report
