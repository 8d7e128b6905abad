#include "common/run_process.h"

#include <gtest/gtest.h>

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
