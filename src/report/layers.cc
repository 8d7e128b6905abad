#include "report/layers.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <set>

#include "common/atomic_file.h"
#include "report/format.h"
#include "report/json_fields.h"

namespace fwbench::report {
namespace {

using Json = nlohmann::json;

constexpr const char* kSchema = "fwbench.layers/1";
constexpr const char* kFix =
    "see results/SCHEMA.md (fwbench.layers/1); write the file with `fwbench inproc --layers "
    "--json FILE` (bench/layers.sh)";

std::string Joined(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

std::vector<std::string> LayerNames(const JsonFields& f, const Json& doc) {
  const Json& names = f.Array(doc, "", "layer_names");
  if (names.empty()) f.Fail("layer_names", "is empty; expected the layers' names", kFix);
  std::vector<std::string> out;
  for (size_t i = 0; i < names.size(); ++i) {
    const std::string p = FieldPath("layer_names", i);
    if (!names[i].is_string() || names[i].get<std::string>().empty())
      f.Fail(p, std::string("expected a layer's name, found ") + names[i].dump(), kFix);
    const std::string name = names[i].get<std::string>();
    if (std::find(out.begin(), out.end(), name) != out.end())
      f.Fail(p, "\"" + name + "\" is named twice", kFix);
    out.push_back(name);
  }
  return out;
}

LayerRow ReadRow(const JsonFields& f, const Json& row, const std::string& p,
                 const std::vector<std::string>& names) {
  LayerRow r;
  r.framework = f.String(row, p, "framework");
  r.profile = f.String(row, p, "profile");
  r.route = f.String(row, p, "route");
  r.method = f.OptionalString(row, p, "method").value_or("");
  r.path = f.OptionalString(row, p, "path").value_or("");
  if (auto query = f.OptionalString(row, p, "query"); query && !query->empty())
    r.path += "?" + *query;
  r.total_instructions = f.Number(row, p, "total_instructions");
  if (!(r.total_instructions > 0))
    f.Fail(FieldPath(p, "total_instructions"),
           "is " + Sig(r.total_instructions) + "; expected instructions per request above 0", kFix);
  if (row.contains("ok") && !row["ok"].is_null()) r.ok = f.Bool(row, p, "ok");
  r.status = f.OptionalNumber(row, p, "status");
  r.unbalanced = f.OptionalNumber(row, p, "unbalanced").value_or(0);
  r.total_ns = f.OptionalNumber(row, p, "total_ns");
  if (r.total_ns && !(*r.total_ns > 0))
    f.Fail(FieldPath(p, "total_ns"), "is " + Sig(*r.total_ns) + "; expected ns above 0 or null",
           kFix);
  const std::string lp = FieldPath(p, "layers");
  const Json& layers = f.Object(row, p, "layers");
  for (auto it = layers.begin(); it != layers.end(); ++it) {
    if (std::find(names.begin(), names.end(), it.key()) == names.end())
      f.Fail(FieldPath(lp, it.key()), "is not in layer_names (" + Joined(names) + ")",
             "name every layer of the rows in layer_names; " + std::string(kFix));
  }
  for (const auto& name : names) {
    const Json& layer = f.Object(layers, lp, name);
    const double n = f.Number(layer, FieldPath(lp, name), "instructions");
    if (n < 0)
      f.Fail(FieldPath(FieldPath(lp, name), "instructions"),
             "is " + Sig(n) + "; expected a count of 0 or more", kFix);
    r.instructions.push_back(n);
  }
  return r;
}

}  // namespace

double LayerRow::LayerSum() const {
  double sum = 0;
  for (double n : instructions) sum += n;
  return sum;
}

double LayerRow::HookOverhead() const {
  return total_instructions > 0 ? LayerSum() / total_instructions - 1 : NAN;
}

std::string LayerRow::Flag() const {
  if (!ok) return " (status " + (status ? Sig(*status) : std::string("not as expected")) + ")";
  if (unbalanced != 0) return " (" + Sig(unbalanced) + " markers left open)";
  return "";
}

std::string HooksText(const LayerRow& row) {
  const double fraction = row.HookOverhead();
  if (!std::isfinite(fraction)) return "n/a";
  const std::string text = Fixed(100 * fraction, 1);
  return (text[0] == '-' ? "" : "+") + text + "%";
}

std::vector<std::string> LayersDoc::Routes() const {
  std::vector<std::string> routes;
  for (const LayerRow& r : rows)
    if (std::find(routes.begin(), routes.end(), r.route) == routes.end()) routes.push_back(r.route);
  return routes;
}

LayersDoc LoadLayers(const std::filesystem::path& path) {
  const Json doc = ReadJsonFile(path);
  JsonFields f(path.string());
  const std::string schema = f.String(doc, "", "schema");
  if (schema != kSchema)
    f.Fail("schema", "is \"" + schema + "\"; expected \"" + kSchema + "\"",
           "pass --layers a file from `fwbench inproc --layers --json FILE`");
  LayersDoc out;
  out.file = path.filename().string();
  out.command = f.OptionalString(doc, "", "command").value_or("");
  if (auto it = doc.find("config"); it != doc.end() && it->is_object())
    out.unit = f.OptionalString(*it, "config", "unit").value_or("");
  out.layer_names = LayerNames(f, doc);
  const Json& results = f.Array(doc, "", "results");
  if (results.empty())
    f.Fail("results", "is empty; expected one row per framework, profile and route", kFix);
  std::set<std::string> seen;
  for (size_t i = 0; i < results.size(); ++i) {
    const std::string p = FieldPath("results", i);
    LayerRow row = ReadRow(f, results[i], p, out.layer_names);
    const std::string key = row.framework + "/" + row.profile + "/" + row.route;
    if (!seen.insert(key).second)
      f.Fail(p, "repeats framework/profile/route " + key,
             "keep one row per cell; " + std::string(kFix));
    out.rows.push_back(std::move(row));
  }
  return out;
}

std::string ThreadCpuText(const LayerRow& row) {
  if (!row.total_ns) return "n/a";
  char text[32];
  std::snprintf(text, sizeof text, "%.1f", *row.total_ns / 1000.0);
  return text;
}

bool LayersDoc::HasThreadCpu() const {
  return std::any_of(rows.begin(), rows.end(), [](const LayerRow& r) { return r.total_ns; });
}

std::string LayersNote(const LayersDoc& doc) {
  return "Instructions per request, split into layers, from " + doc.file + " (fwbench.layers/1" +
         (doc.command.empty() ? std::string() : "; command: `" + doc.command + "`") +
         "): each route's representative request through the embedded bridge, in-process, no "
         "socket. Unit: " +
         (doc.unit.empty() ? std::string("callgrind Ir per request") : doc.unit) +
         ". `total` is the app as the suite runs it, without markers; the layers come from the "
         "same app with the layer markers installed, one callgrind batch per layer. `hooks` is "
         "the layers added up / total - 1: what the markers cost." +
         (doc.HasThreadCpu()
              ? std::string(" `thread CPU µs` is the same request's thread CPU time without "
                            "markers, natively (median of batches; the file has it per layer too).")
              : std::string()) +
         " Method and each framework's boundaries: bench/layers/README.md.";
}

std::string LayersRouteTitle(const LayersDoc& doc, const std::string& route) {
  for (const LayerRow& r : doc.rows)
    if (r.route == route && !r.path.empty())
      return "/" + route + " (" + (r.method.empty() ? "" : r.method + " ") + r.path + ")";
  return "/" + route;
}

std::string RenderLayersMarkdown(const LayersDoc* doc, const FlameGraphs* flamegraphs,
                                 const std::string& chart_file) {
  std::string md = std::string("## ") + kLayersTitle + "\n\n";
  if (doc) {
    md += LayersNote(*doc) + "\n\n";
    if (!chart_file.empty()) md += "![Instructions per layer](" + chart_file + ")\n\n";
    std::string header = "| framework | profile | total |";
    std::string rule = "|---|---|---:|";
    for (const auto& name : doc->layer_names) {
      header += " " + MdCell(name) + " |";
      rule += "---:|";
    }
    const bool timed = doc->HasThreadCpu();
    header += timed ? " hooks | thread CPU µs |\n" : " hooks |\n";
    rule += timed ? "---:|---:|\n" : "---:|\n";
    for (const auto& route : doc->Routes()) {
      md += "### " + LayersRouteTitle(*doc, route) + "\n\n" + header + rule;
      for (const LayerRow& r : doc->rows) {
        if (r.route != route) continue;
        md += "| " + MdCell(r.framework + r.Flag()) + " | " + MdCell(r.profile) + " | " +
              Grouped(r.total_instructions) + " |";
        for (double n : r.instructions) md += " " + Grouped(n) + " |";
        md += " " + HooksText(r) + " |";
        md += timed ? " " + ThreadCpuText(r) + " |\n" : "\n";
      }
      md += "\n";
    }
  }
  if (flamegraphs) {
    md += "### Flame graphs\n\npy-spy flame graphs of a worker under load, from " +
          flamegraphs->file + " (fwbench.flamegraphs/1" +
          (flamegraphs->command.empty() ? std::string()
                                        : "; command: `" + flamegraphs->command + "`") +
          "), each with its sampled layer shares against the instrumented ones:\n\n";
    for (const FlameGraph& g : flamegraphs->graphs)
      md += "- [" + MdCell(FlameGraphLabel(g)) + "](" + g.svg +
            "): " + MdCell(FlameGraphVerdict(g, flamegraphs->tolerance_pp)) + "\n";
    md += "\n";
  }
  return md;
}

Json LayersChart(const LayersDoc& doc) {
  Json series = Json::array();
  for (const auto& name : doc.layer_names) series.push_back({{"name", name}});
  Json panels = Json::array();
  for (const auto& route : doc.Routes()) {
    Json rows = Json::array();
    for (const LayerRow& r : doc.rows) {
      if (r.route != route) continue;
      Json parts = Json::array();
      for (double n : r.instructions) parts.push_back(n / 1000.0);
      rows.push_back({{"label", r.framework + " · " + r.profile + r.Flag()},
                      {"framework", r.framework},
                      {"parts", parts},
                      {"total", r.total_instructions / 1000.0}});
    }
    panels.push_back({{"title", LayersRouteTitle(doc, route)}, {"series", series}, {"rows", rows}});
  }
  return {
      {"file", kLayersChartFile},
      {"kind", "stacked"},
      {"max_series", kMaxLayers},
      {"title",
       "Where a request's instructions go: per route, one bar per framework and "
       "profile, one segment per layer"},
      {"note", "Each bar is one request's instructions (callgrind, in-process, from " + doc.file +
                   ") split into the layers that executed them. The black tick is the total "
                   "without markers: a bar ending past it shows what the markers cost. Each panel "
                   "has its own scale."},
      {"xlabel", "thousand instructions per request"},
      {"panels", panels}};
}

Json ToJson(const LayersDoc& doc) {
  Json rows = Json::array();
  for (const LayerRow& r : doc.rows) {
    Json layers = Json::object();
    for (size_t i = 0; i < doc.layer_names.size(); ++i)
      layers[doc.layer_names[i]] = r.instructions[i];
    rows.push_back(
        {{"framework", r.framework},
         {"profile", r.profile},
         {"route", r.route},
         {"ok", r.ok && r.unbalanced == 0},
         {"total_instructions", r.total_instructions},
         {"hook_overhead", std::isfinite(r.HookOverhead()) ? Json(r.HookOverhead()) : Json()},
         {"total_ns", r.total_ns ? Json(*r.total_ns) : Json()},
         {"layers", layers}});
  }
  return {{"file", doc.file},
          {"command", doc.command},
          {"unit", doc.unit},
          {"layer_names", doc.layer_names},
          {"rows", rows}};
}

}  // namespace fwbench::report
