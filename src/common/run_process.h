#pragma once
// Runs a helper program to its end (apps/dbtool.py, scripts/pg, version queries, the chart
// script) and collects what it printed. No shell: argv goes to posix_spawnp as given (argv[0]
// is a path, or a name looked up in PATH), with stdin from /dev/null.
#include <string>
#include <vector>

namespace fwbench {

struct ProcessResult {
  int exit_code = -1;  // 128 + N when killed by signal N
  std::string out;     // everything it wrote to stdout
  std::string err;     // everything it wrote to stderr
};

struct ProcessOptions {
  // Empty: stderr is collected into ProcessResult::err. Otherwise it is appended to this file
  // (created if missing) and err stays empty: for helpers that leave a daemon behind (scripts/pg
  // start), whose stderr must go to a file rather than to a pipe nobody drains afterwards.
  std::string stderr_path;
};

// Spawns argv[0] with `argv`, waits for it to exit and returns its output. Throws
// fwbench::Error naming the program when it cannot be started (missing, not executable).
ProcessResult RunProcess(const std::vector<std::string>& argv, const ProcessOptions& options = {});

// RunProcess, then throws fwbench::Error with `what`, the exit code and the tail of stderr when
// the exit code is not 0; returns stdout.
std::string RunProcessOrThrow(const std::vector<std::string>& argv, const std::string& what,
                              const std::string& fix);

}  // namespace fwbench
