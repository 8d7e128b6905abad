#pragma once
// Runs a helper program to its end (apps/dbtool.py, the chart script, the app-size tool) and
// collects what it printed. No shell: argv goes to posix_spawn as given.
#include <string>
#include <vector>

namespace fwbench {

struct ProcessResult {
  int exit_code = -1;  // 128 + N when killed by signal N
  std::string out;     // everything it wrote to stdout
  std::string err;     // everything it wrote to stderr
};

// Spawns argv[0] (a path) with `argv`, waits for it to exit and returns its output. Throws
// fwbench::Error naming the program when it cannot be started (missing, not executable).
ProcessResult RunProcess(const std::vector<std::string>& argv);

// RunProcess, then throws fwbench::Error with `what`, the exit code and the tail of stderr when
// the exit code is not 0; returns stdout.
std::string RunProcessOrThrow(const std::vector<std::string>& argv, const std::string& what,
                              const std::string& fix);

}  // namespace fwbench
