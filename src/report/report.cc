#include "report/report.h"

#include <fstream>
#include <sstream>

#include "common/atomic_file.h"
#include "common/error.h"
#include "common/paths.h"
#include "common/run_process.h"
#include "report/charts.h"
#include "report/format.h"
#include "report/html.h"
#include "report/inproc.h"
#include "report/layers.h"
#include "report/measures.h"
#include "report/results.h"
#include "report/tables.h"

namespace fwbench::report {
namespace {

namespace fs = std::filesystem;

std::string ReadText(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error("cannot read " + path.string(), "fwbench report", "check the file exists");
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Reads the given app-size document, or measures the apps now into <out>/appsize.json.
nlohmann::json AppSize(const ReportOptions& o, std::vector<std::string>& notes) {
  fs::path path;
  if (o.appsize) {
    path = *o.appsize;
    notes.push_back("Learning curve, structure, flexibility and security evidence: " +
                    path.filename().string() + " (written by src/report/appsize.py).");
  } else {
    path = o.out / "appsize.json";
    RunProcessOrThrow({VenvPython().string(), (o.root / "src/report/appsize.py").string(), "--root",
                       o.root.string(), "--out", path.string()},
                      "measuring the apps' size (src/report/appsize.py)",
                      "run scripts/setup; pass --appsize FILE to use a saved measurement");
    notes.push_back(
        "Learning curve, structure, flexibility and security evidence: appsize.json, measured now "
        "by src/report/appsize.py.");
  }
  nlohmann::json doc = ReadJsonFile(path);
  CheckAppSize(doc, path.string());
  return doc;
}

std::string MatrixMarkdown(const Matrix& matrix, const std::vector<UseCaseResult>& use_cases) {
  std::string md = "## Decision matrix\n\nPoints per criterion against " + matrix.reference +
                   " (-1 to 1; " + matrix.reference +
                   " is 0; see report.html for the method and every piece of evidence).\n\n| "
                   "criterion |";
  std::string sep = "|---|";
  for (const auto& fw : matrix.frameworks) {
    md += " " + fw + " |";
    sep += "---:|";
  }
  md += "\n" + sep + "\n";
  for (const CriterionRow& row : matrix.rows) {
    md += "| " + row.criterion.label + " |";
    for (const auto& fw : matrix.frameworks)
      md += row.has_data() ? " " + Fixed(row.points.at(fw), 2) + " |" : " no data |";
    md += "\n";
  }
  md += "\n| use case | article | winner | P(win) |";
  sep = "|---|---|---|---:|";
  for (const auto& fw : matrix.frameworks) {
    md += " " + fw + " |";
    sep += "---:|";
  }
  md += " margin | how robust | evidence missing |\n" + sep + "---:|---|---|\n";
  for (const UseCaseResult& r : use_cases) {
    md += "| " + MdCell(r.use_case.label) + " | " +
          (r.use_case.article_pick.empty() ? "–" : r.use_case.article_pick) + " | **" + r.winner +
          "** | " + Fixed(r.p_win.at(r.winner), 2) + " |";
    for (const auto& fw : matrix.frameworks) md += " " + Fixed(r.scores.at(fw), 2) + " |";
    std::string missing;
    for (const auto& m : r.missing_evidence) missing += (missing.empty() ? "" : "; ") + m;
    md += " " + Fixed(r.margin, 2) + " | " + MdCell(DescribeSensitivity(r)) + " | " +
          MdCell(missing.empty() ? "–" : missing) + " |\n";
  }
  return md + "\n";
}

}  // namespace

ReportOutcome GenerateReport(const ReportOptions& o) {
  const fs::path root = o.root.empty() ? SourceDir() : o.root;
  ReportOptions opts = o;
  opts.root = root;
  std::vector<ResultsSet> sets;
  for (const auto& path : o.results) sets.push_back(LoadResultsFile(path));
  const ResultsSet results = MergeResults(sets);
  std::vector<std::string> notes;
  std::string inputs;
  for (const auto& f : results.files)
    inputs += (inputs.empty() ? "" : ", ") + fs::path(f).filename().string();
  notes.push_back("Performance, ORM and template evidence: " + inputs + " (fwbench.results/" +
                  std::to_string(results.schema_version) + ").");
  notes.push_back(
      results.schema_version == 1
          ? "Framework ratios: the report pairs the two cells' repetitions by round and takes the "
            "geometric mean of the per-round ratios with a 95% Student-t interval on the logs "
            "(src/common/paired_stats.h), the estimator fwbench.results/2 files carry."
          : "Framework ratios: the file's comparisons (per-round ratios of interleaved "
            "measurements; geometric mean with a 95% Student-t interval on the logs).");

  std::vector<InprocRow> inproc;
  if (o.inproc) {
    inproc = LoadInproc(*o.inproc);
    notes.push_back("In-process cost: " + o.inproc->filename().string() + " (fwbench.inproc/1).");
  }
  std::optional<LayersDoc> layers;
  if (o.layers) {
    layers = LoadLayers(*o.layers);
    notes.push_back("Instructions per layer: " + o.layers->filename().string() +
                    " (fwbench.layers/1" +
                    (layers->command.empty() ? "" : "; command: " + layers->command) + ").");
  }
  std::optional<FlameGraphs> flamegraphs;
  if (o.flamegraphs) {
    flamegraphs = LoadFlameGraphs(*o.flamegraphs);
    notes.push_back(
        "Flame graphs: " + o.flamegraphs->filename().string() + " (fwbench.flamegraphs/1" +
        (flamegraphs->command.empty() ? "" : "; command: " + flamegraphs->command) + ").");
  }
  fs::create_directories(o.out);
  const nlohmann::json appsize = AppSize(opts, notes);
  Evidence evidence{.results = &results,
                    .appsize = &appsize,
                    .facts = LoadFacts(root / "apps", results.frameworks)};
  for (const auto& [fw, doc] : evidence.facts)
    notes.push_back("Facts for " + fw + ": apps/" + fw +
                    "/facts.json (each with its source and date).");
  const fs::path weights_path = o.weights.value_or(root / "src/report/use_cases.json");
  const nlohmann::json weights_doc = ReadJsonFile(weights_path);
  const std::vector<UseCase> use_cases = LoadUseCases(weights_doc, weights_path.string());
  const Method method = LoadMethod(weights_doc, weights_path.string());
  notes.push_back("Use-case weights and method parameters: " + weights_path.filename().string() +
                  ".");
  const std::string reference = o.reference.value_or(results.frameworks.back());

  auto measures_for = [&](const std::map<std::string, RouteEvidence>& routes) {
    MeasureSet set = BuildMeasures(evidence, reference, routes);
    if (!inproc.empty()) set.measures.push_back(InprocMeasure(inproc));
    return set;
  };
  const Matrix matrix =
      ScoreMatrix(results.frameworks, reference, measures_for({}).measures, method);
  ReportOutcome outcome;
  for (const UseCase& uc : use_cases) {
    const MeasureSet set = measures_for(uc.evidence);
    UseCaseResult r =
        EvaluateUseCase(ScoreMatrix(results.frameworks, reference, set.measures, method), uc);
    r.evidence_used = set.evidence_used;
    r.missing_evidence = set.missing_evidence;
    outcome.use_cases.push_back(std::move(r));
  }
  const std::vector<RouteTable> tables = BuildRouteTables(results);

  PageInput page{
      .results = &results, .tables = &tables, .matrix = &matrix, .use_cases = &outcome.use_cases};
  std::vector<ChartFile> charts;  // every chart drawn, layers.svg included
  if (o.charts) {
    charts = DrawCharts(BuildChartSpec(ChartInput{&results, &matrix, &outcome.use_cases, &appsize,
                                                  layers ? &*layers : nullptr}),
                        o.out, VenvPython(), root / "src/report/charts.py");
    for (const auto& chart : charts) {
      const std::string svg = InlineSvg(ReadText(o.out / chart.file));
      if (chart.file == kLayersChartFile) {  // drawn in its own section
        page.layers_chart = chart;
        page.layers_chart_svg = svg;
        continue;
      }
      page.charts.push_back(chart);
      page.chart_svgs.push_back(svg);
    }
  }
  page.notes = notes;
  page.layers = layers ? &*layers : nullptr;
  page.flamegraphs = flamegraphs ? &*flamegraphs : nullptr;

  std::string md = RenderTablesMarkdown(results, tables);
  if (!inproc.empty()) md += RenderInprocMarkdown(inproc);
  if (layers || flamegraphs)
    md += RenderLayersMarkdown(page.layers, page.flamegraphs,
                               page.layers_chart ? page.layers_chart->file : "");
  md += MatrixMarkdown(matrix, outcome.use_cases);
  for (const auto& chart : page.charts) md += "![" + chart.title + "](" + chart.file + ")\n\n";
  WriteFileAtomic(o.out / "tables.md", md);

  nlohmann::json doc = {{"schema", "fwbench.report/1"},
                        {"machine", DescribeMachine(results.machine)},
                        {"fixture", results.machine.fixture},
                        {"inputs", notes},
                        {"frameworks", results.frameworks},
                        {"tables", nlohmann::json::array()},
                        {"reference", reference},
                        {"method", ToJson(method)},
                        {"matrix", ToJson(matrix)},
                        {"use_cases", nlohmann::json::array()},
                        {"charts", nlohmann::json::array()},
                        {"appsize", appsize}};
  for (const auto& t : tables) doc["tables"].push_back(ToJson(t));
  doc["results_schema"] = "fwbench.results/" + std::to_string(results.schema_version);
  for (const auto& r : outcome.use_cases) doc["use_cases"].push_back(ToJson(r));
  for (const auto& c : charts)
    doc["charts"].push_back(
        {{"file", c.file}, {"title", c.title}, {"series_per_panel", c.series_per_panel}});
  if (layers) doc["layers"] = ToJson(*layers);
  if (flamegraphs) doc["flamegraphs"] = ToJson(*flamegraphs);
  WriteJsonAtomic(o.out / "report.json", doc);

  outcome.html = o.out / "report.html";
  WriteFileAtomic(outcome.html, RenderHtml(page));
  return outcome;
}

}  // namespace fwbench::report
