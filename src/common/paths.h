#pragma once
// Where fwbench finds its own tree: the apps, the venv and the suites.
#include <filesystem>
#include <string>

namespace fwbench {

// The repository root: $FWBENCH_ROOT when set, else the source dir compiled in.
std::filesystem::path SourceDir();
// The venv fwbench runs Python from: $FWBENCH_VENV when set (`fwbench run --venv DIR` sets
// it, so the servers it starts inherit it), else <root>/.venv.
std::filesystem::path VenvDir();
// The venv's interpreter, VenvDir()/bin/python. The only Python fwbench ever runs.
std::filesystem::path VenvPython();
// "0.1.0", and the git commit the binary was built from ("-dirty" with local changes).
std::string Version();
std::string GitCommit();

}  // namespace fwbench
