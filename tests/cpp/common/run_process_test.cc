#include "common/run_process.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "common/error.h"

namespace fwbench {
namespace {

TEST(RunProcess, CapturesOutputAndExitCode) {
  ProcessResult result = RunProcess({"/bin/sh", "-c", "echo out; echo err >&2; exit 3"});
  EXPECT_EQ(result.exit_code, 3);
  EXPECT_EQ(result.out, "out\n");
  EXPECT_EQ(result.err, "err\n");
}

TEST(RunProcess, PassesArgumentsWithoutAShell) {
  ProcessResult result = RunProcess({"/bin/echo", "a b", "$HOME", ";ls"});
  EXPECT_EQ(result.out, "a b $HOME ;ls\n");
}

TEST(RunProcess, ReadsLargeOutputOnBothStreams) {
  ProcessResult result =
      RunProcess({"/bin/sh", "-c", "head -c 300000 /dev/zero; head -c 300000 /dev/zero >&2"});
  EXPECT_EQ(result.out.size(), 300000u);
  EXPECT_EQ(result.err.size(), 300000u);
}

TEST(RunProcess, StderrToAFileIsAppendedAndADaemonHoldsNoPipe) {
  const std::filesystem::path log = std::filesystem::temp_directory_path() /
                                    ("fwbench-run-process-" + std::to_string(::getpid()));
  std::filesystem::remove(log);
  { std::ofstream(log) << "before\n"; }
  // The background sleep keeps stderr (the file) but not stdout: the call returns at once.
  ProcessResult result =
      RunProcess({"/bin/sh", "-c", "echo out; echo err >&2; (sleep 3 >/dev/null &) ; exit 0"},
                 {log.string()});
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(result.out, "out\n");
  EXPECT_EQ(result.err, "");
  std::ifstream in(log);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(text, "before\nerr\n");
  std::filesystem::remove(log);
}

TEST(RunProcess, LooksUpABareNameInPath) {
  EXPECT_EQ(RunProcess({"echo", "found"}).out, "found\n");
}

TEST(RunProcess, MissingProgramThrows) { EXPECT_THROW(RunProcess({"/no/such/program"}), Error); }

TEST(RunProcessOrThrow, FailureCarriesStderrAndCommand) {
  try {
    RunProcessOrThrow({"/bin/sh", "-c", "echo boom >&2; exit 2"}, "seeding x", "fix it");
    FAIL() << "no throw";
  } catch (const Error& e) {
    std::string what = e.what();
    EXPECT_NE(what.find("seeding x failed with exit code 2:\nboom"), std::string::npos) << what;
    EXPECT_NE(what.find("fix it"), std::string::npos) << what;
  }
}

}  // namespace
}  // namespace fwbench
