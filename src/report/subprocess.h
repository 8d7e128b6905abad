#pragma once
// Runs a program with an argv (no shell) and collects what it printed.
#include <string>
#include <vector>

namespace fwbench::report {

struct ProcessResult {
  int exit_code = -1;  // -1 when killed by a signal
  std::string output;  // stdout and stderr, interleaved
};

// Runs argv[0] with the arguments; waits for it. Throws fwbench::Error when it cannot start.
ProcessResult RunProcess(const std::vector<std::string>& argv);

}  // namespace fwbench::report
