// `fwbench report RESULTS.json... --out DIR`: tables.md, SVG charts, report.html, report.json,
// then the decision matrix's answer per use case on stdout. --layers and --flamegraphs add the
// per-layer section (layers.h).
#include <cstdio>

#include "cli/commands.h"
#include "report/html.h"
#include "report/report.h"

namespace fwbench::cli {

void AddReportCommand(CLI::App& app) {
  auto inproc_path = std::make_shared<std::string>();
  auto layers = std::make_shared<std::string>();
  auto flamegraphs = std::make_shared<std::string>();
  auto weights = std::make_shared<std::string>();
  auto appsize = std::make_shared<std::string>();
  auto out = std::make_shared<std::string>();
  auto reference = std::make_shared<std::string>();
  auto results = std::make_shared<std::vector<std::string>>();
  CLI::App* cmd = app.add_subcommand(
      "report", "Write tables.md, SVG charts, report.html and report.json from results files");
  cmd->add_option("results", *results, "fwbench.results/1 or /2 files (one machine, one format)")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_option("--inproc", *inproc_path, "fwbench.inproc/1 file (in-process framework cost)")
      ->check(CLI::ExistingFile);
  cmd->add_option("--layers", *layers,
                  "fwbench.layers/1 file (`fwbench inproc --layers`): per-route tables and "
                  "layers.svg, instructions per layer")
      ->check(CLI::ExistingFile);
  cmd->add_option("--flamegraphs", *flamegraphs,
                  "fwbench.flamegraphs/1 file (bench/flamegraphs.sh): links each flame graph "
                  "(its svg path as written, relative to --out) with whether it agrees")
      ->check(CLI::ExistingFile);
  cmd->add_option(
         "--weights", *weights,
         "use-case weights and method (fwbench.weights/2); default src/report/use_cases.json")
      ->check(CLI::ExistingFile);
  cmd->add_option("--appsize", *appsize,
                  "saved fwbench.appsize/1; default: measure now into DIR/appsize.json")
      ->check(CLI::ExistingFile);
  cmd->add_option("--reference", *reference,
                  "framework the others are compared with (ratios, matrix points, charts); "
                  "default: the last framework of the results");
  cmd->add_option("--out", *out, "output folder")->required();
  cmd->callback([=] {
    report::ReportOptions o;
    for (const auto& r : *results) o.results.emplace_back(r);
    if (!inproc_path->empty()) o.inproc = *inproc_path;
    if (!layers->empty()) o.layers = *layers;
    if (!flamegraphs->empty()) o.flamegraphs = *flamegraphs;
    if (!weights->empty()) o.weights = *weights;
    if (!appsize->empty()) o.appsize = *appsize;
    if (!reference->empty()) o.reference = *reference;
    o.out = *out;
    const report::ReportOutcome outcome = report::GenerateReport(o);
    std::printf("Decision matrix, winner per use case:\n%s\nreport: %s\n",
                report::RenderAnswerText(outcome.use_cases).c_str(), outcome.html.c_str());
  });
}

}  // namespace fwbench::cli
