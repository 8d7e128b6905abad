// The binary names the commit it was built from, not the one CMake was configured at.
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <memory>
#include <string>

#include "common/paths.h"

namespace {

std::string GitHead() {
  std::string command =
      "git -C '" + fwbench::SourceDir().string() + "' rev-parse --short=12 HEAD 2>/dev/null";
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(::popen(command.c_str(), "r"), ::pclose);
  if (!pipe) return "";
  std::array<char, 64> buffer{};
  std::string out;
  while (std::fgets(buffer.data(), buffer.size(), pipe.get())) out += buffer.data();
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  return out;
}

TEST(GitCommit, IsTheCheckoutsHead) {
  const std::string head = GitHead();
  if (head.empty()) GTEST_SKIP() << "not a git checkout";
  const std::string built = fwbench::GitCommit();
  EXPECT_EQ(built.substr(0, head.size()), head)
      << "rebuild: the binary was built from another commit";
  EXPECT_TRUE(built.size() == head.size() || built.substr(head.size()) == "-dirty") << built;
}

}  // namespace
