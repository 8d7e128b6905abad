#include "report/flamegraphs.h"

#include "common/atomic_file.h"
#include "report/format.h"
#include "report/json_fields.h"

namespace fwbench::report {
namespace {

using Json = nlohmann::json;

constexpr const char* kSchema = "fwbench.flamegraphs/1";
constexpr const char* kFix =
    "write the file with bench/flamegraphs.sh (bench/layers/flamegraphs.py); its shape is in "
    "that script";

std::optional<bool> OptionalBool(const JsonFields& f, const nlohmann::json& object,
                                 const std::string& path, const std::string& key) {
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) return std::nullopt;
  return f.Bool(object, path, key);
}

}  // namespace

FlameGraphs LoadFlameGraphs(const std::filesystem::path& path) {
  const nlohmann::json doc = ReadJsonFile(path);
  JsonFields f(path.string());
  const std::string schema = f.String(doc, "", "schema");
  if (schema != kSchema)
    f.Fail("schema", "is \"" + schema + "\"; expected \"" + kSchema + "\"",
           std::string("pass --flamegraphs a flamegraphs.json; ") + kFix);
  FlameGraphs out{path.filename().string(),
                  f.OptionalString(doc, "", "command").value_or(""),
                  f.OptionalNumber(doc, "", "tolerance_pp"),
                  {}};
  const auto& graphs = f.Array(doc, "", "graphs");
  for (size_t i = 0; i < graphs.size(); ++i) {
    const std::string p = FieldPath("graphs", i);
    FlameGraph g{f.String(graphs[i], p, "framework"),
                 f.String(graphs[i], p, "route"),
                 f.OptionalString(graphs[i], p, "path").value_or(""),
                 f.String(graphs[i], p, "svg"),
                 f.OptionalNumber(graphs[i], p, "max_abs_diff_pp"),
                 OptionalBool(f, graphs[i], p, "agrees"),
                 f.OptionalString(graphs[i], p, "not_compared").value_or("")};
    if (g.svg.empty()) f.Fail(FieldPath(p, "svg"), "is empty; expected the SVG's path", kFix);
    out.graphs.push_back(std::move(g));
  }
  return out;
}

std::string FlameGraphVerdict(const FlameGraph& g, std::optional<double> tolerance_pp) {
  if (!g.agrees)
    return "not compared" + (g.not_compared.empty() ? std::string() : ": " + g.not_compared);
  std::string detail;
  if (g.max_abs_diff_pp) detail = "largest difference " + Fixed(*g.max_abs_diff_pp, 1) + " pp";
  if (tolerance_pp)
    detail += (detail.empty() ? "" : "; ") + std::string("tolerance ") + Sig(*tolerance_pp) + " pp";
  return std::string(*g.agrees ? "sampled layer shares agree"
                               : "sampled layer shares do NOT agree") +
         " with the instrumented ones" + (detail.empty() ? "" : " (" + detail + ")");
}

std::string FlameGraphLabel(const FlameGraph& g) {
  return g.framework + " " + (g.path.empty() ? "/" + g.route : g.path);
}

Json ToJson(const FlameGraphs& fg) {
  Json graphs = Json::array();
  for (const FlameGraph& g : fg.graphs)
    graphs.push_back({{"framework", g.framework},
                      {"route", g.route},
                      {"svg", g.svg},
                      {"agrees", g.agrees ? Json(*g.agrees) : Json()},
                      {"max_abs_diff_pp", g.max_abs_diff_pp ? Json(*g.max_abs_diff_pp) : Json()},
                      {"verdict", FlameGraphVerdict(g, fg.tolerance_pp)}});
  return {{"file", fg.file}, {"command", fg.command}, {"graphs", graphs}};
}

}  // namespace fwbench::report
