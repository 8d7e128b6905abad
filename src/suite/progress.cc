#include "suite/progress.h"

#include <unistd.h>

#include <cmath>

namespace fwbench::suite {

Progress::Progress(int total, bool enabled, std::FILE* out)
    : total_(total), enabled_(enabled), tty_(::isatty(::fileno(out)) != 0), out_(out) {}

std::string Progress::Clock(double seconds) const {
  long s = std::lround(seconds);
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%ld:%02ld", s / 60, s % 60);
  return buffer;
}

void Progress::Begin(const std::string& cell_id, int round, int rounds) {
  double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  // Past the planned total, the run is adding rounds while its budget lasts.
  std::string eta = done_ >= total_ ? "budget"
                    : done_ > 0     ? Clock(elapsed / done_ * (total_ - done_))
                                    : "?";
  std::string count = done_ < total_ ? std::to_string(done_ + 1) + "/" + std::to_string(total_)
                                     : "+" + std::to_string(done_ + 1 - total_);
  current_ = "[" + count + "] " + cell_id + " round " + std::to_string(round) + "/" +
             std::to_string(rounds) + " | elapsed " + Clock(elapsed) + " ETA " + eta;
  Draw(current_ + " | running", false);
}

void Progress::Live(double rps, uint64_t errors) {
  char buffer[96];
  std::snprintf(buffer, sizeof buffer, " | now %.0f req/s, %llu errors", rps,
                static_cast<unsigned long long>(errors));
  Draw(current_ + buffer, false);
}

void Progress::End(double rps, long errors, const std::string& note) {
  ++done_;
  char buffer[96];
  std::snprintf(buffer, sizeof buffer, " | %.0f req/s, %ld errors", rps, errors);
  Draw(current_ + (note.empty() ? std::string(buffer) : " | " + note), true);
}

void Progress::Note(const std::string& text) { Draw("  " + text, true); }

void Progress::Finish() {
  if (enabled_ && tty_) std::fputc('\n', out_);
}

void Progress::Draw(const std::string& text, bool final_line) {
  if (!enabled_) return;
  if (tty_) {
    std::fprintf(out_, "\r\033[K%s", text.c_str());
    if (final_line && text.rfind("  ", 0) == 0) std::fputc('\n', out_);
  } else if (final_line) {
    std::fprintf(out_, "%s\n", text.c_str());
  }
  std::fflush(out_);
}

LiveTicker::LiveTicker(Progress& progress, const load::LiveCounters& live)
    : progress_(progress), live_(live), thread_([this] { Loop(); }) {}

LiveTicker::~LiveTicker() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    done_ = true;
  }
  wake_.notify_one();
  thread_.join();
}

void LiveTicker::Loop() {
  using Clock = std::chrono::steady_clock;
  uint64_t last = live_.responses.load(std::memory_order_relaxed);
  Clock::time_point last_at = Clock::now();
  std::unique_lock<std::mutex> lock(mutex_);
  while (!wake_.wait_for(lock, std::chrono::seconds(1), [this] { return done_; })) {
    uint64_t now = live_.responses.load(std::memory_order_relaxed);
    Clock::time_point now_at = Clock::now();
    double seconds = std::chrono::duration<double>(now_at - last_at).count();
    progress_.Live(seconds > 0 ? static_cast<double>(now - last) / seconds : 0,
                   live_.errors.load(std::memory_order_relaxed));
    last = now;
    last_at = now_at;
  }
}

}  // namespace fwbench::suite
