#pragma once
// Short helper commands (version queries, database setup) whose output fwbench reads.
#include <string>
#include <vector>

namespace fwbench::launch {

struct CommandOutput {
  int exit_code = -1;  // -1 when it could not run or was killed
  std::string out;     // its stdout
};

// Runs argv (no shell interpretation: every argument is quoted) and waits for it. Its stderr
// is appended to stderr_path, or discarded when empty. Never throws.
CommandOutput RunCommand(const std::vector<std::string>& argv, const std::string& stderr_path);

}  // namespace fwbench::launch
