#include "common/paths.h"

#include <cstdlib>

#include "fwbench_git_commit.h"  // generated at build time by src/common/git_commit.cmake

namespace fwbench {

std::filesystem::path SourceDir() {
  if (const char* root = std::getenv("FWBENCH_ROOT"); root && *root) return root;
  return FWBENCH_SOURCE_DIR;
}

std::filesystem::path VenvDir() {
  if (const char* venv = std::getenv("FWBENCH_VENV"); venv && *venv) return venv;
  return SourceDir() / ".venv";
}

std::filesystem::path VenvPython() { return VenvDir() / "bin" / "python"; }

std::string Version() { return FWBENCH_VERSION; }

std::string GitCommit() { return FWBENCH_GIT_COMMIT; }

}  // namespace fwbench
