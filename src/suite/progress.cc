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
  std::string eta = done_ > 0 ? Clock(elapsed / done_ * (total_ - done_)) : "?";
  current_ = "[" + std::to_string(done_ + 1) + "/" + std::to_string(total_) + "] " + cell_id +
             " rep " + std::to_string(round) + "/" + std::to_string(rounds) + " | elapsed " +
             Clock(elapsed) + " ETA " + eta;
  Draw(current_ + " | running", false);
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

}  // namespace fwbench::suite
