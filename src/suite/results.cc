#include "suite/results.h"

#include <vector>

#include "common/atomic_file.h"
#include "common/error.h"
#include "common/metrics.h"
#include "suite/stats.h"

namespace fwbench::suite {

void ResultsFile::LoadEarlier() {
  if (!std::filesystem::exists(path_)) return;
  nlohmann::json earlier = ReadJsonFile(path_);
  if (!earlier.is_object() || earlier.value("schema", "") != "fwbench.results/2")
    throw Error("not a fwbench.results/2 file, refusing to overwrite it", path_.string(),
                "give another --out, or --fresh to start over (a fwbench.results/1 file from an "
                "older fwbench cannot be resumed)");
  earlier_meta_ = earlier.value("meta", nlohmann::json::object());
  for (const auto& cell : earlier.value("cells", nlohmann::json::array()))
    if (cell.contains("id") && cell["id"].is_string()) earlier_cells_[cell["id"]] = cell;
}

void ResultsFile::AddCell(const std::string& id, const nlohmann::json& definition,
                          const nlohmann::json& fields) {
  nlohmann::json cell = fields;
  cell["id"] = id;
  cell["status"] = "incomplete";
  cell["reason"] = nullptr;
  cell["verify"] = nullptr;
  cell["cold_start_ms"] = nullptr;
  cell["cold_compile_ms"] = nullptr;
  cell["repetitions"] = nlohmann::json::array();
  cell["summary"] = nlohmann::json::object();
  cell["definition"] = definition;
  auto earlier = earlier_cells_.find(id);
  if (earlier != earlier_cells_.end() &&
      earlier->second.value("definition", nlohmann::json()) == definition) {
    std::string status = earlier->second.value("status", "");
    if (status == "ok" || status == "excluded" || status == "incomplete") {
      cell = earlier->second;
      ++reused_;
    }
  }
  index_[id] = doc_["cells"].size();
  doc_["cells"].push_back(cell);
}

nlohmann::json& ResultsFile::Cell(const std::string& id) {
  auto it = index_.find(id);
  if (it == index_.end()) throw Error("no such cell " + id, "results");
  return doc_["cells"][it->second];
}

void ResultsFile::AddRepetition(const std::string& id, nlohmann::json repetition, int planned) {
  nlohmann::json& cell = Cell(id);
  cell["repetitions"].push_back(std::move(repetition));
  Summarize(cell);
  cell["status"] = static_cast<int>(cell["repetitions"].size()) >= planned ? "ok" : "incomplete";
  cell["reason"] = nullptr;
}

void ResultsFile::AddDiscarded(const std::string& id, nlohmann::json repetition,
                               const std::string& reason) {
  repetition["reason"] = reason;
  nlohmann::json& cell = Cell(id);
  if (!cell.contains("discarded")) cell["discarded"] = nlohmann::json::array();
  cell["discarded"].push_back(std::move(repetition));
}

void ResultsFile::MarkFailed(const std::string& id, const std::string& reason) {
  nlohmann::json& cell = Cell(id);
  cell["status"] = "failed";
  cell["reason"] = reason;
}

void ResultsFile::MarkExcluded(const std::string& id, const std::string& reason) {
  nlohmann::json& cell = Cell(id);
  cell["status"] = "excluded";
  cell["reason"] = reason;
}

int ResultsFile::RepetitionsDone(const std::string& id) {
  return static_cast<int>(Cell(id)["repetitions"].size());
}

bool ResultsFile::Finished(const std::string& id, int planned) {
  const nlohmann::json& cell = Cell(id);
  std::string status = cell["status"];
  if (status == "excluded" || status == "failed") return true;
  return static_cast<int>(cell["repetitions"].size()) >= planned;
}

// Compact JSON: every repetition carries its serialized histograms, and indenting them would
// quadruple the file.
void ResultsFile::Save() const { WriteFileAtomic(path_, doc_.dump() + "\n"); }

void Summarize(nlohmann::json& cell) {
  using nlohmann::json;
  json summary = json::object();
  for (const metrics::Metric& metric : metrics::All()) {
    std::vector<double> values;  // a repetition without the figure counts as 0
    for (const auto& rep : cell["repetitions"])
      values.push_back(metrics::ValueIn(rep, metric).value_or(0));
    switch (metric.estimator) {
      case metrics::Estimator::kAcrossRounds:
        summary[std::string(metric.name)] = ToJson(suite::Summarize(values));
        break;
    }
  }
  int disturbed = 0;
  for (const auto& rep : cell["repetitions"])
    disturbed +=
        rep.contains("host") && rep["host"].is_object() && rep["host"].value("disturbed", false);
  summary["host_disturbed"] = disturbed;
  // The cell's cold start is the same estimate as every other metric (its interval is
  // summary.cold_start_ms.ci95), not a median of the rounds.
  cell["cold_start_ms"] =
      cell["repetitions"].empty() ? json(nullptr) : summary["cold_start_ms"]["estimate"];
  cell["summary"] = summary;
  cell["connections"] = ConnectionsSummary(cell["repetitions"]);
  cell["starved"] = cell["connections"].is_object() && cell["connections"]["starved"] > 0;
  cell["unfinished"] = UnfinishedTotal(cell["repetitions"]);
}

}  // namespace fwbench::suite
