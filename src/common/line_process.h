#pragma once
// A helper program kept running to answer questions: one line to its stdin, one line back
// from its stdout (apps/dbtool.py serve). No shell, as RunProcess; stderr is kept for errors.
#include <sys/types.h>

#include <string>
#include <vector>

#include "common/fd.h"

namespace fwbench {

class LineProcess {
 public:
  // Starts argv[0]. Throws fwbench::Error naming the program when it cannot be started.
  explicit LineProcess(const std::vector<std::string>& argv);
  // Closes its stdin (the end of its questions) and waits up to 5 s for it to exit, then
  // kills it.
  ~LineProcess();
  LineProcess(const LineProcess&) = delete;
  LineProcess& operator=(const LineProcess&) = delete;

  // Writes `line` and a newline, returns the next line it prints (without the newline).
  // Throws fwbench::Error with its exit status and stderr tail when it exits or closes stdout
  // first, or when no answer comes within `timeout_s` (then the helper is killed: a late
  // answer would be taken for the next question's).
  std::string Ask(const std::string& line, double timeout_s = 120);

 private:
  // `what`, its exit status once known (waiting up to 1 s when `exiting`) and stderr tail.
  std::string Failure(const std::string& what, bool exiting = false);
  std::string command_;
  pid_t pid_ = -1;
  Fd in_, out_, err_;
  std::string buffer_;  // read from stdout, not yet returned
};

}  // namespace fwbench
