// `fwbench compare A.json B.json`: B/A per cell with its 95% interval across rounds and a
// Mann-Whitney U p-value; exit 2 when the chosen metric's interval lies beyond the threshold on
// the bad side, so it can gate CI.
#include <cstdio>

#include "cli/commands.h"
#include "common/metrics.h"
#include "report/compare.h"
#include "report/results.h"

namespace fwbench::cli {

void AddCompareCommand(CLI::App& app) {
  auto a = std::make_shared<std::string>();
  auto b = std::make_shared<std::string>();
  auto options = std::make_shared<report::CompareOptions>();
  CLI::App* cmd = app.add_subcommand(
      "compare",
      "Compare two results files cell by cell (B/A with a 95% interval, Mann-Whitney U); exit 2 "
      "on a regression");
  cmd->add_option("A", *a, "baseline fwbench.results/1 or /2")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_option("B", *b, "candidate fwbench.results/1 or /2")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_option("--metric", options->metric, "one of " + metrics::Names())->capture_default_str();
  cmd->add_option("--threshold", options->threshold,
                  "relative change the whole interval must exceed to count as a regression")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 10.0));
  cmd->add_option("--alpha", options->alpha, "1 - confidence of the interval (0.05: 95%)")
      ->capture_default_str()
      ->check(CLI::Range(0.001, 0.5));
  cmd->callback([=] {
    const report::ResultsSet ra = report::LoadResultsFile(*a);
    const report::ResultsSet rb = report::LoadResultsFile(*b);
    if (ra.machine.cpu_model != rb.machine.cpu_model) {
      std::fprintf(stderr, "fwbench compare: warning: different machines (\"%s\" vs \"%s\")\n",
                   ra.machine.cpu_model.c_str(), rb.machine.cpu_model.c_str());
    }
    const report::CompareOutcome outcome = report::Compare(ra, rb, *options);
    std::fputs(report::RenderCompare(outcome, *options).c_str(), stdout);
    if (outcome.regressions > 0) throw CLI::RuntimeError(2);
  });
}

}  // namespace fwbench::cli
