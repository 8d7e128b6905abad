#pragma once
// The live progress line: cell i/n, elapsed, ETA, the last req/s and errors.
#include <chrono>
#include <cstdio>
#include <string>

namespace fwbench::suite {

class Progress {
 public:
  // `total` repetitions to run. On a terminal the line is redrawn in place; otherwise (logs,
  // tests) one line per event. Disabled when `enabled` is false.
  Progress(int total, bool enabled, std::FILE* out = stderr);

  // Before a repetition starts.
  void Begin(const std::string& cell_id, int round, int rounds);
  // After it ended: its req/s and error count, or a failure note.
  void End(double rps, long errors, const std::string& note = "");
  // A message on its own line (server start, exclusion), keeping the progress line intact.
  void Note(const std::string& text);
  void Finish();

 private:
  std::string Clock(double seconds) const;
  void Draw(const std::string& text, bool final_line);
  int total_, done_ = 0;
  bool enabled_, tty_;
  std::FILE* out_;
  std::string current_;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

}  // namespace fwbench::suite
