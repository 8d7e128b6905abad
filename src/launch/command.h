#pragma once
// Short helper commands (version queries, database setup) whose output fwbench reads.
#include <string>
#include <vector>

namespace fwbench::launch {

struct CommandOutput {
  int exit_code = -1;  // -1 when it could not run or was killed
  std::string out;     // its stdout
};

// Runs argv through /bin/sh (popen), every argument single-quoted so the shell expands nothing,
// with stdin from /dev/null, and waits for it. Its stderr is appended to stderr_path, or
// discarded when empty. Never throws. (common/run_process.h spawns without a shell and keeps
// stderr in memory; this one exists for helpers that leave daemons behind, e.g. scripts/pg
// start, whose stderr must go to a file rather than a pipe nobody drains.)
CommandOutput RunCommand(const std::vector<std::string>& argv, const std::string& stderr_path);

}  // namespace fwbench::launch
