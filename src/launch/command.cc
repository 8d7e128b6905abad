#include "launch/command.h"

#include <sys/wait.h>

#include <cstdio>

namespace fwbench::launch {
namespace {

std::string Quote(const std::string& arg) {
  std::string out = "'";
  for (char c : arg) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

}  // namespace

CommandOutput RunCommand(const std::vector<std::string>& argv, const std::string& stderr_path) {
  std::string line;
  for (const auto& arg : argv) line += Quote(arg) + " ";
  line += "2>>" + (stderr_path.empty() ? std::string("/dev/null") : Quote(stderr_path));
  line += " </dev/null";
  CommandOutput result;
  FILE* pipe = ::popen(line.c_str(), "re");
  if (!pipe) return result;
  char buffer[4096];
  size_t n;
  while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) result.out.append(buffer, n);
  int status = ::pclose(pipe);
  if (status != -1 && WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
  return result;
}

}  // namespace fwbench::launch
