#pragma once
// Shared by the embed tests: where the stray (must-be-ignored) Python files live.
#include <filesystem>

namespace fwbench::embed::testing {

// A temporary folder holding a fake flask package and stray_marker.py; PYTHONPATH, PYTHONHOME
// and the current directory point at it while the tests run.
std::filesystem::path StrayDir();

// The folder holding wsgi_conformance.py.
inline std::filesystem::path ConformanceDir() { return FWBENCH_EMBED_TEST_DIR; }

}  // namespace fwbench::embed::testing
