#include "common/line_process.h"

#include <gtest/gtest.h>

#include <string>

#include "common/error.h"

namespace fwbench {
namespace {

// A helper that answers each line with "got <line>", until its input ends.
const char* kEcho = "while read -r line; do echo \"got $line\"; done";

TEST(LineProcess, AnswersEachQuestionWithOneLineInOrder) {
  LineProcess helper({"/bin/sh", "-c", kEcho});
  EXPECT_EQ(helper.Ask("one"), "got one");
  EXPECT_EQ(helper.Ask("{\"a\": [1, 2]}"), "got {\"a\": [1, 2]}");
  EXPECT_EQ(helper.Ask("three"), "got three");
}

TEST(LineProcess, AnAnswerSplitOverSeveralWritesIsOneLine) {
  LineProcess helper(
      {"/bin/sh", "-c", "while read -r line; do printf 'part1 '; sleep 0.05; echo part2; done"});
  EXPECT_EQ(helper.Ask("x"), "part1 part2");
  EXPECT_EQ(helper.Ask("y"), "part1 part2");
}

TEST(LineProcess, AHelperThatExitsGivesItsCodeAndStderr) {
  LineProcess helper({"/bin/sh", "-c", "read -r line; echo 'no database here' >&2; exit 4"});
  try {
    helper.Ask("question");
    FAIL() << "no error";
  } catch (const Error& e) {
    const std::string text = e.what();
    EXPECT_NE(text.find("closed its output"), std::string::npos) << text;
    EXPECT_NE(text.find("exited with code 4"), std::string::npos) << text;
    EXPECT_NE(text.find("no database here"), std::string::npos) << text;
  }
}

TEST(LineProcess, NoAnswerInTimeIsAnError) {
  LineProcess helper({"/bin/sh", "-c", "read -r line; exec sleep 30"});
  try {
    helper.Ask("question", 0.2);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("no answer within"), std::string::npos) << e.what();
  }
}  // the destructor kills the sleeping helper after its grace period

TEST(LineProcess, AMissingProgramIsAClearError) {
  EXPECT_THROW(LineProcess({"/nonexistent/fwbench-helper"}), Error);
}

}  // namespace
}  // namespace fwbench
