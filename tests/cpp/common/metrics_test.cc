// The metric registry: every metric resolves on a real repetition, directions are right, names
// are unique, the display roles agree with the comparison flag, and unknown names are refused.
#include "common/metrics.h"

#include <gtest/gtest.h>

#include <set>

#include "common/atomic_file.h"
#include "common/error.h"

namespace fwbench::metrics {
namespace {

const std::filesystem::path kFixture =
    std::filesystem::path(FWBENCH_TEST_SOURCE_DIR) / "tests/fixtures/results/fixture-v2-a.json";

TEST(Metrics, EveryPointerResolvesOnAFixtureRepetition) {
  const nlohmann::json doc = ReadJsonFile(kFixture);
  const nlohmann::json& rep = doc["cells"][0]["repetitions"][0];
  for (const Metric& m : All()) {
    ASSERT_EQ(m.pointer.substr(0, 1), "/") << m.name;
    const std::optional<double> v = ValueIn(rep, m);
    ASSERT_TRUE(v.has_value()) << m.name << " at " << m.pointer;
    EXPECT_EQ(*v, rep.at(nlohmann::json::json_pointer(std::string(m.pointer))).get<double>());
  }
}

TEST(Metrics, AbsentOrNonNumericValuesAreEmpty) {
  const Metric& rps = Get("rps");
  EXPECT_FALSE(ValueIn(nlohmann::json::object(), rps));
  EXPECT_FALSE(ValueIn(nlohmann::json{{"load", {{"overall", {{"rps", "fast"}}}}}}, rps));
  EXPECT_FALSE(ValueIn(nlohmann::json::array(), rps));
  EXPECT_EQ(ValueIn(nlohmann::json{{"load", {{"overall", {{"rps", 12.5}}}}}}, rps), 12.5);
}

TEST(Metrics, Directions) {
  EXPECT_TRUE(Get("rps").higher_is_better());
  for (const char* lower : {"p50_us", "p99_us", "p999_us", "cpu_us_per_request",
                            "rss_peak_bytes_per_worker", "cold_start_ms", "error_ratio",
                            "connects_per_request"})
    EXPECT_FALSE(Get(lower).higher_is_better()) << lower;
}

TEST(Metrics, NamesAreUniqueAndListedInOrder) {
  std::set<std::string_view> names;
  std::string listed;
  for (const Metric& m : All()) {
    EXPECT_TRUE(names.insert(m.name).second) << m.name << " twice";
    EXPECT_EQ(Find(m.name), &m);
    listed += (listed.empty() ? "" : ", ") + std::string(m.name);
  }
  EXPECT_EQ(Names(), listed);
  EXPECT_EQ(All().front().name, "rps");  // the report's peak and first column
}

TEST(Metrics, DisplayRolesAgreeWithTheComparisonFlag) {
  for (const Metric& m : All()) {
    // A ratio with an interval across rounds exists only for metrics the comparisons carry.
    if (m.display.ratio == RatioColumn::kInterval) EXPECT_TRUE(m.comparison) << m.name;
    if (m.display.cell != TableCell::kNone) EXPECT_FALSE(m.display.header.empty()) << m.name;
    if (m.display.ratio != RatioColumn::kNone)
      EXPECT_FALSE(m.display.ratio_header.empty()) << m.name;
    EXPECT_GT(m.display.scale, 0) << m.name;
    EXPECT_GE(m.display.digits, 1) << m.name;
    EXPECT_FALSE(m.unit.empty()) << m.name;
    EXPECT_EQ(m.estimator, Estimator::kAcrossRounds) << m.name;
  }
}

TEST(Metrics, UnknownMetricNamesTheKnownOnes) {
  EXPECT_EQ(Find("speed"), nullptr);
  try {
    Get("speed", "--metric");
    FAIL() << "expected an error";
  } catch (const Error& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("unknown metric 'speed'"), std::string::npos) << what;
    EXPECT_NE(what.find("--metric"), std::string::npos) << what;
    EXPECT_NE(what.find(Names()), std::string::npos) << what;
  }
}

}  // namespace
}  // namespace fwbench::metrics
