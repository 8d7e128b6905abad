#pragma once
// Where fwbench finds its own tree: the apps, the venv and the suites.
#include <filesystem>
#include <string>

namespace fwbench {

// The repository root: $FWBENCH_ROOT when set, else the source dir compiled in.
std::filesystem::path SourceDir();
// The venv's interpreter, <root>/.venv/bin/python. The only Python fwbench ever runs.
std::filesystem::path VenvPython();
// "0.1.0", and the git commit the binary was built from ("-dirty" with local changes).
std::string Version();
std::string GitCommit();

}  // namespace fwbench
