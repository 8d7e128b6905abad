#pragma once
// The fwbench.results/1 documents (results/SCHEMA.md) as value types, validated on load.
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace fwbench::report {

// A metric over repetitions: median with its 95% CI and the raw values.
struct Summary {
  int n = 0;
  double median = 0;
  double ci_low = 0, ci_high = 0;
  double cv = 0;
  bool noisy = false;
  std::vector<double> values;
};

struct Cell {
  std::string id, framework, profile, server, db, route, model;
  int concurrency = 0;
  std::optional<double> rate;
  std::string status;  // "ok" | "failed" | "excluded" | "incomplete"
  std::string reason;
  bool verify_passed = false;
  int verify_checks = 0;
  std::optional<double> cold_start_ms;
  std::map<std::string, Summary> summary;  // "rps", "p99_us", ... (only those present)
  // Latency spectrum: {percentile, median over repetitions of corrected latency in us}.
  std::vector<std::pair<double, double>> spectrum;
  std::string file;  // where it was read from

  bool ok() const { return status == "ok"; }
  const Summary* Metric(const std::string& name) const;
  // An open-loop cell whose server fell below 95% of the offered rate (or has no req/s): its
  // latency measures the queue, not the framework.
  bool Saturated() const;
  // Everything but the framework: cells with equal keys are compared across frameworks.
  std::string MatchKey() const;
};

struct Machine {
  std::string cpu_model, kernel, python;
  int cores = 0;
  std::map<std::string, std::string> versions;
  std::string fwbench_version, fwbench_commit;
  bool fixture = false;
};

struct ResultsSet {
  Machine machine;
  std::vector<std::string> files;
  std::vector<std::string> frameworks;  // in order of first appearance
  std::vector<Cell> cells;              // in file order
};

// Reads and validates one results file. Throws fwbench::Error naming the file and the field.
ResultsSet LoadResultsFile(const std::filesystem::path& path);
// Validates a parsed document; `file` names it in errors.
ResultsSet ParseResults(const nlohmann::json& doc, const std::string& file);
// Merges files measured on one machine with the same versions; throws on a mismatch (machine,
// versions) or a cell id present twice, naming both files.
ResultsSet MergeResults(const std::vector<ResultsSet>& sets);

// "Intel Xeon ..., 2 cores, Linux 6.1.0; Python 3.11.7; django 5.2.19, flask 3.1.3; fwbench".
std::string DescribeMachine(const Machine& machine);

}  // namespace fwbench::report
