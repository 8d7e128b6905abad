#pragma once
// The results file ("fwbench.results/2", results/SCHEMA.md): built cell by cell and
// rewritten atomically after every finished group round, so an interruption keeps what ended.
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <string>

namespace fwbench::suite {

class ResultsFile {
 public:
  explicit ResultsFile(std::filesystem::path path) : path_(std::move(path)) {}

  // Reads an earlier run at path() to resume it; no file is fine. Throws fwbench::Error when
  // the file exists but is not a fwbench.results/2 document.
  void LoadEarlier();

  // Adds the cell in the current suite's order. Earlier data is kept when `definition`
  // equals the earlier one and its status is "ok", "excluded" or "incomplete" (a failed cell
  // is measured again). `fields` are the cell's identifying fields (framework, route, ...).
  void AddCell(const std::string& id, const nlohmann::json& definition,
               const nlohmann::json& fields);

  nlohmann::json& Cell(const std::string& id);
  nlohmann::json& Meta() { return doc_["meta"]; }
  const nlohmann::json& Document() const { return doc_; }
  const nlohmann::json& EarlierMeta() const { return earlier_meta_; }
  int Reused() const { return reused_; }
  const std::filesystem::path& path() const { return path_; }

  // Appends a repetition and recomputes the cell's summary; status becomes "ok" once it has
  // `planned` repetitions, else stays "incomplete".
  void AddRepetition(const std::string& id, nlohmann::json repetition, int planned);
  // Keeps a repetition measured on a disturbed host in cell["discarded"], with `reason`; it
  // counts toward nothing.
  void AddDiscarded(const std::string& id, nlohmann::json repetition, const std::string& reason);
  void MarkFailed(const std::string& id, const std::string& reason);
  // Replaces the top-level "comparisons" (suite/comparisons.h).
  void SetComparisons(nlohmann::json comparisons) { doc_["comparisons"] = std::move(comparisons); }
  void MarkExcluded(const std::string& id, const std::string& reason);
  int RepetitionsDone(const std::string& id);
  // ok with every planned repetition, excluded, or failed: nothing left to run in this run.
  bool Finished(const std::string& id, int planned);

  void Save() const;  // atomic; throws fwbench::Error naming the path

 private:
  std::filesystem::path path_;
  nlohmann::json doc_ = {{"schema", "fwbench.results/2"},
                         {"meta", nlohmann::json::object()},
                         {"cells", nlohmann::json::array()},
                         {"comparisons", nlohmann::json::array()}};
  nlohmann::json earlier_meta_;
  std::map<std::string, nlohmann::json> earlier_cells_;
  std::map<std::string, size_t> index_;
  int reused_ = 0;
};

// Recomputes cell["summary"] from cell["repetitions"]: one Summary (suite/stats.h) per metric of
// the registry (common/metrics.h), from the value at its pointer in each repetition (0 where
// a repetition lacks it); summary.host_disturbed counts the kept
// repetitions whose host check found the host slowed (retries ran out). Also sets
// cell["connections"] (ConnectionsSummary), cell["starved"] (a connection completed nothing in
// some round) and cell["unfinished"] (UnfinishedTotal).
void Summarize(nlohmann::json& cell);

}  // namespace fwbench::suite
