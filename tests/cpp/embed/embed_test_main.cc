// Starts the one embedded interpreter for all embed tests, under a deliberately hostile
// environment: PYTHONPATH and PYTHONHOME point at a fake flask, and the current directory
// holds another. The host must ignore all three.
#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "common/paths.h"
#include "embed/python_host.h"
#include "embed_test_support.h"

namespace fs = std::filesystem;

namespace fwbench::embed::testing {

fs::path StrayDir() {
  return fs::temp_directory_path() / ("fwbench_embed_stray_" + std::to_string(::getpid()));
}

}  // namespace fwbench::embed::testing

namespace {

void PlantStrayFlask(const fs::path& dir) {
  fs::create_directories(dir / "flask");
  std::ofstream(dir / "flask" / "__init__.py") << "STRAY = True\n__version__ = 'stray'\n";
  std::ofstream(dir / "stray_marker.py") << "STRAY = True\n";
}

}  // namespace

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  fs::path stray = fwbench::embed::testing::StrayDir();
  PlantStrayFlask(stray);
  ::setenv("PYTHONPATH", stray.c_str(), 1);
  ::setenv("PYTHONHOME", (stray / "home").c_str(), 1);
  ::setenv("PYTHONNOUSERSITE", "", 1);
  fs::path previous = fs::current_path();
  fs::current_path(stray);
  int status = 1;
  {
    fwbench::embed::PythonHost host(fwbench::VenvPython());
    status = RUN_ALL_TESTS();
  }
  fs::current_path(previous);
  fs::remove_all(stray);
  return status;
}
