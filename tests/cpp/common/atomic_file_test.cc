#include "common/atomic_file.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "common/error.h"

namespace fs = std::filesystem;

namespace {

fs::path TempDir() {
  fs::path dir = fs::temp_directory_path() / ("fwbench_atomic_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  return dir;
}

TEST(AtomicFile, WritesAndReplaces) {
  fs::path file = TempDir() / "out.json";
  fwbench::WriteJsonAtomic(file, {{"a", 1}});
  fwbench::WriteJsonAtomic(file, {{"a", 2}});
  EXPECT_EQ(fwbench::ReadJsonFile(file)["a"], 2);
  int entries = 0;
  for ([[maybe_unused]] auto& e : fs::directory_iterator(file.parent_path())) ++entries;
  EXPECT_EQ(entries, 1) << "no temporary file is left behind";
}

TEST(AtomicFile, UnwritablePlaceIsAClearError) {
  // /proc refuses new files, as a full or read-only disk would.
  EXPECT_THROW(fwbench::WriteFileAtomic("/proc/fwbench-cannot-write/x.json", "{}"), fwbench::Error);
}

TEST(AtomicFile, BadJsonNamesTheFile) {
  fs::path file = TempDir() / "bad.json";
  std::ofstream(file) << "{\"a\": ";
  try {
    fwbench::ReadJsonFile(file);
    FAIL() << "expected an error";
  } catch (const fwbench::Error& e) {
    EXPECT_NE(std::string(e.what()).find("bad.json"), std::string::npos) << e.what();
  }
}

}  // namespace
