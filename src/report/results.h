#pragma once
// The fwbench.results/1 and fwbench.results/2 documents (results/SCHEMA.md) as value types,
// validated on load. Both versions read into the same types: a v1 file's per-metric `median` is
// its estimate, and its framework comparisons are derived from its rounds (comparisons.h).
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "common/paired_stats.h"

namespace fwbench::report {

// A metric over rounds (repetitions): the cell's estimate with its 95% interval and the raw
// per-round values. v2: the geometric mean over rounds with a Student-t interval on the logs;
// v1: the median with the runner's bootstrap interval (which, over 3 repetitions, is about the
// min-max range).
struct Summary {
  int n = 0;
  double estimate = 0;
  double ci_low = 0, ci_high = 0;        // [estimate, estimate] when the file gives no interval
  std::optional<double> half_width_pct;  // v2 only; empty when n < 2 or in a v1 file
  double cv = 0;
  std::vector<double> values;  // per round, in the order of Cell::rounds
};

struct Cell {
  std::string id, framework, profile, server, db, route, model;
  int concurrency = 0;
  std::optional<double> rate;
  std::string status;  // "ok" | "failed" | "excluded" | "incomplete"
  std::string reason;
  std::string group;  // v2: "server/db/route/level" of the apps measured together; v1: empty
  bool verify_passed = false;
  int verify_checks = 0;
  std::optional<double> cold_start_ms;
  // The first start after a wipe of the app's bytecode cache (v2 files from issue 12 on).
  std::optional<double> cold_compile_ms;
  // Per metric of the registry (common/metrics.h) that the file summarises: "rps", ...
  std::map<std::string, Summary> summary;
  // The round number of each repetition, in file order (the `round` field; its 1-based
  // position when a v1 file predates that field). Summary::values follow the same order.
  std::vector<int> rounds;
  // Latency spectrum: {percentile, median over repetitions of corrected latency in us}.
  std::vector<std::pair<double, double>> spectrum;
  std::string file;  // where it was read from
  // Closed model: in some round a connection completed nothing (cell "starved"); the cell
  // measures fewer connections than its concurrency. Kept out of the tables' peak and the
  // matrix, and shown marked. starved_connections/connections: the worst round's.
  bool starved = false;
  int starved_connections = 0, connections = 0;
  // Open model: requests answered / requests that fell due (answered + errors + unfinished),
  // summed over the repetitions' load.overall. Empty when no repetition records `unfinished`
  // (files before issue 12).
  std::optional<double> served_fraction;

  bool ok() const { return status == "ok"; }
  const Summary* Metric(const std::string& name) const;
  // An open-loop cell whose server answered fewer than 95% of the requests that fell due in its
  // windows (served_fraction), or, for files without that count, whose req/s fell below 95% of
  // the nominal rate (or has no req/s): its latency measures the queue, not the framework. The
  // due count, not the nominal rate, is the yardstick: a Poisson schedule at 200/s puts 200 +- 14
  // requests in a 1 s window, so req/s alone would flag a server that kept up.
  bool Saturated() const;
  // Everything but the framework: cells with equal keys are compared across frameworks.
  std::string MatchKey() const;
};

// One framework pair (a before b in the suite's framework order) with the same profile in one
// group: the ratio a/b of each metric across rounds (the spec's `comparisons`).
struct Comparison {
  std::string id;    // "flask~django/minimal/embedded/sqlite/json/closed-c32"
  std::string a, b;  // cell ids
  std::string framework_a, framework_b, profile, server, db, route, model;
  int concurrency = 0;
  std::optional<double> rate;
  // "slices" | "duet" (v2, as the runner measured), or "sequential" for a comparison derived
  // from a v1 file, whose cells ran one after another within each round.
  std::string mode;
  std::string primary;  // the metric the target applies to ("rps" or "cpu_us_per_request")
  // a/b per metric (the file's; derived: the registry's comparison metrics, common/metrics.h),
  // only those measured. value is the ratio; low/high its 95% interval (empty when n < 2).
  std::map<std::string, stats::Estimate> metrics;
  double target_pct = 3;
  bool reached = false;  // the primary metric's interval half-width <= target_pct
  bool noisy = true;     // = !reached
  int rounds = 0;
  bool derived = false;  // true: computed by the report from a v1 file's rounds
  bool starved = false;  // either cell is starved (the file's "starved", or the cells')

  const stats::Estimate* Metric(const std::string& name) const;
};

struct Machine {
  std::string cpu_model, kernel, python;
  int cores = 0;
  std::map<std::string, std::string> versions;
  std::string fwbench_version, fwbench_commit;
  bool fixture = false;
};

struct ResultsSet {
  int schema_version = 0;  // the major version of fwbench.results: 1 or 2
  Machine machine;
  std::vector<std::string> files;
  std::vector<std::string> frameworks;  // in order of first appearance
  std::vector<Cell> cells;              // in file order
  std::vector<Comparison> comparisons;  // v2: the file's; v1: derived from the rounds

  // The comparison of cells `a_id` and `b_id` (in that order), or null.
  const Comparison* FindComparison(const std::string& a_id, const std::string& b_id) const;
};

// Reads and validates one results file. Throws fwbench::Error naming the file and the field.
ResultsSet LoadResultsFile(const std::filesystem::path& path);
// Validates a parsed document (fwbench.results/1 or /2); `file` names it in errors.
ResultsSet ParseResults(const nlohmann::json& doc, const std::string& file);
// Merges files measured on one machine with the same versions and the same results format;
// throws on a mismatch (machine, versions, format) or a cell id present twice, naming both
// files.
ResultsSet MergeResults(const std::vector<ResultsSet>& sets);

// "Intel Xeon ..., 2 cores, Linux 6.1.0; Python 3.11.7; django 5.2.19, flask 3.1.3; fwbench".
std::string DescribeMachine(const Machine& machine);

}  // namespace fwbench::report
