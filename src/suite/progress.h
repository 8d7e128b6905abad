#pragma once
// The live progress line: cell i/n, elapsed, ETA, the current req/s and errors.
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <string>
#include <thread>

#include "load/load.h"

namespace fwbench::suite {

class Progress {
 public:
  // `total` group rounds planned. On a terminal the line is redrawn in place; otherwise (logs,
  // tests) one line per event. Disabled when `enabled` is false.
  Progress(int total, bool enabled, std::FILE* out = stderr);

  // Before a group round starts. Past `total`, the count reads "+N" (rounds added).
  void Begin(const std::string& cell_id, int round, int rounds);
  // While it runs: req/s over the last second and errors so far (redraws on a terminal only).
  void Live(double rps, uint64_t errors);
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

// Calls progress.Live() about once a second from `live` until destroyed. Nothing else may
// draw on `progress` meanwhile.
class LiveTicker {
 public:
  LiveTicker(Progress& progress, const load::LiveCounters& live);
  ~LiveTicker();
  LiveTicker(const LiveTicker&) = delete;
  LiveTicker& operator=(const LiveTicker&) = delete;

 private:
  void Loop();
  Progress& progress_;
  const load::LiveCounters& live_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool done_ = false;
  std::thread thread_;
};

}  // namespace fwbench::suite
