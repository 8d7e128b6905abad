#include "suite/suite.h"

#include <gtest/gtest.h>

#include "common/error.h"
#include "common/paths.h"
#include "suite/matrix.h"

namespace fwbench::suite {
namespace {

const char* kGood = R"({
  "schema": "fwbench.suite/1",
  "frameworks": ["flask", "django"],
  "profiles": ["minimal"],
  "servers": ["embedded", "gunicorn-sync"],
  "databases": ["sqlite"],
  "routes": ["json", {"name": "q", "path": "/queries?queries=20"},
             {"name": "mix", "mix": [{"path": "/json", "weight": 3}, {"path": "/db"}]}],
  "load": {"closed": [8, 32], "open": [100]},
  "duration_s": 2,
  "repetitions": 3
})";

std::string ErrorOf(const std::string& text) {
  try {
    ParseSuite(text, "bad.json");
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

std::string Replace(std::string text, const std::string& from, const std::string& to) {
  text.replace(text.find(from), from.size(), to);
  return text;
}

TEST(SuiteFile, ParsesEveryField) {
  Suite s = ParseSuite(kGood, "good.json");
  EXPECT_EQ(s.frameworks.size(), 2u);
  ASSERT_EQ(s.routes.size(), 3u);
  EXPECT_EQ(s.routes[0].requests[0].path, "/json");
  EXPECT_EQ(s.routes[1].requests[0].path, "/queries?queries=20");
  EXPECT_EQ(s.routes[2].requests.size(), 2u);
  EXPECT_DOUBLE_EQ(s.routes[2].requests[0].weight, 3);
  ASSERT_EQ(s.levels.size(), 3u);
  EXPECT_EQ(s.levels[0].Label(), "closed-c8");
  EXPECT_EQ(s.levels[2].Label(), "open-r100");
  EXPECT_EQ(s.repetitions, 3);
  EXPECT_EQ(s.servers_file, SourceDir() / "bench" / "servers.json");
}

TEST(SuiteFile, BadValueNamesFieldAndLine) {
  std::string e = ErrorOf(Replace(kGood, "[8, 32]", "[8, -4]"));
  EXPECT_NE(e.find("load.closed[1]"), std::string::npos) << e;
  EXPECT_NE(e.find("bad.json:9"), std::string::npos) << e;
  EXPECT_NE(e.find("-4"), std::string::npos) << e;
}

TEST(SuiteFile, UnknownFieldIsReportedWithTheKnownOnes) {
  std::string e = ErrorOf(Replace(kGood, "\"repetitions\"", "\"repetitons\""));
  EXPECT_NE(e.find("repetitons"), std::string::npos) << e;
  EXPECT_NE(e.find("unknown field"), std::string::npos) << e;
  EXPECT_NE(e.find("bad.json:11"), std::string::npos) << e;
}

TEST(SuiteFile, MissingAndWrongFieldsAreNamed) {
  EXPECT_NE(ErrorOf(Replace(kGood, "\"duration_s\": 2,", "")).find("duration_s"),
            std::string::npos);
  EXPECT_NE(ErrorOf(Replace(kGood, "\"minimal\"", "\"fancy\"")).find("profiles[0]"),
            std::string::npos);
  EXPECT_NE(ErrorOf(Replace(kGood, "\"sqlite\"", "\"mysql\"")).find("databases[0]"),
            std::string::npos);
  EXPECT_NE(ErrorOf(Replace(kGood, "\"path\": \"/db\"", "\"path\": \"db\"")).find("path"),
            std::string::npos);
  EXPECT_NE(ErrorOf(Replace(kGood, "fwbench.suite/1", "fwbench.suite/2")).find("schema"),
            std::string::npos);
}

TEST(SuiteFile, HostCheckDefaultsAndFields) {
  Suite defaults = ParseSuite(kGood, "good.json");
  EXPECT_TRUE(defaults.host_check.enabled);
  EXPECT_EQ(defaults.host_check.retries, 0);
  Suite s = ParseSuite(Replace(kGood, "\"repetitions\": 3",
                               "\"repetitions\": 3, \"host_check\": {\"min_speed\": 0.5, "
                               "\"retries\": 2, \"wait_s\": 4, \"enabled\": false}"),
                       "good.json");
  EXPECT_FALSE(s.host_check.enabled);
  EXPECT_DOUBLE_EQ(s.host_check.min_speed, 0.5);
  EXPECT_EQ(s.host_check.retries, 2);
  EXPECT_DOUBLE_EQ(s.host_check.wait_s, 4);
  std::string e = ErrorOf(Replace(kGood, "\"repetitions\": 3",
                                  "\"repetitions\": 3, \"host_check\": {\"min_speed\": 1.5}"));
  EXPECT_NE(e.find("host_check.min_speed"), std::string::npos) << e;
  e = ErrorOf(
      Replace(kGood, "\"repetitions\": 3", "\"repetitions\": 3, \"host_check\": {\"retry\": 1}"));
  EXPECT_NE(e.find("host_check.retry"), std::string::npos) << e;
  EXPECT_NE(e.find("unknown field"), std::string::npos) << e;
}

TEST(SuiteFile, SyntaxErrorNamesTheLine) {
  std::string e = ErrorOf(Replace(kGood, "\"duration_s\": 2,", "\"duration_s\": 2,,"));
  EXPECT_NE(e.find("bad.json:10"), std::string::npos) << e;
}

TEST(SuiteFile, ShippedSuitesParse) {
  for (const char* name : {"quick", "default", "full"})
    EXPECT_NO_THROW(LoadSuite(SourceDir() / "bench" / "suites" / (std::string(name) + ".json")))
        << name;
}

TEST(Matrix, ExpandsEveryCombinationWithStableIds) {
  Suite s = ParseSuite(kGood, "good.json");
  auto cells = ExpandCells(s);
  EXPECT_EQ(cells.size(), 2u * 1 * 2 * 1 * 3 * 3);
  EXPECT_EQ(cells[0].id, "flask/minimal/embedded/sqlite/json/closed-c8");
}

TEST(Matrix, InterleavesFrameworksAndRotatesWhoGoesFirst) {
  Suite s = ParseSuite(kGood, "good.json");
  auto cells = ExpandCells(s);
  auto blocks = PlanBlocks(s, cells);
  ASSERT_EQ(blocks.size(), 3u * 2);  // rounds x servers
  EXPECT_EQ(blocks[0].round, 1);
  EXPECT_EQ(blocks.back().round, 3);
  const Block& b = blocks[0];
  ASSERT_EQ(b.cells.size(), 2u * 3 * 3);
  for (size_t i = 0; i + 1 < b.cells.size(); i += 2) {
    const CellSpec &x = cells[b.cells[i]], &y = cells[b.cells[i + 1]];
    EXPECT_NE(x.framework, y.framework);  // each level runs both frameworks back to back
    EXPECT_EQ(x.route, y.route);
    EXPECT_EQ(x.level, y.level);
  }
  EXPECT_NE(cells[b.cells[0]].framework, cells[b.cells[2]].framework);  // first one rotates
  std::set<size_t> all;
  for (const Block& block : blocks)
    if (block.round == 1) all.insert(block.cells.begin(), block.cells.end());
  EXPECT_EQ(all.size(), cells.size());
}

}  // namespace
}  // namespace fwbench::suite
