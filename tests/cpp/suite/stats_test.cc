#include "suite/stats.h"

#include <gtest/gtest.h>

namespace fwbench::suite {
namespace {

TEST(Stats, MedianOfOddAndEvenCounts) {
  EXPECT_DOUBLE_EQ(Median({3, 1, 2}), 2);
  EXPECT_DOUBLE_EQ(Median({4, 1, 2, 3}), 2.5);
  EXPECT_DOUBLE_EQ(Median({}), 0);
}

TEST(Stats, SingleValueHasAPointIntervalAndNoVariation) {
  Summary s = Summarize({42});
  EXPECT_EQ(s.n, 1);
  EXPECT_DOUBLE_EQ(s.ci_low, 42);
  EXPECT_DOUBLE_EQ(s.ci_high, 42);
  EXPECT_DOUBLE_EQ(s.cv, 0);
  EXPECT_FALSE(s.noisy);
}

TEST(Stats, IntervalBracketsTheMedianAndIsReproducible) {
  std::vector<double> values = {100, 103, 98, 101, 99, 102, 97};
  Summary a = Summarize(values), b = Summarize(values);
  EXPECT_DOUBLE_EQ(a.median, 100);
  EXPECT_LE(a.ci_low, a.median);
  EXPECT_GE(a.ci_high, a.median);
  EXPECT_GE(a.ci_low, 97);
  EXPECT_LE(a.ci_high, 103);
  EXPECT_DOUBLE_EQ(a.ci_low, b.ci_low);
  EXPECT_DOUBLE_EQ(a.ci_high, b.ci_high);
}

TEST(Stats, CoefficientOfVariationFlagsNoise) {
  Summary quiet = Summarize({100, 101, 99});
  EXPECT_NEAR(quiet.cv, 0.01, 1e-9);
  EXPECT_FALSE(quiet.noisy);
  Summary noisy = Summarize({80, 100, 120});
  EXPECT_NEAR(noisy.cv, 0.2, 1e-9);
  EXPECT_TRUE(noisy.noisy);
}

TEST(Stats, JsonHasTheDocumentedFields) {
  nlohmann::json j = ToJson(Summarize({1, 2, 3}));
  for (const char* key : {"n", "median", "ci95", "cv", "noisy", "values"})
    EXPECT_TRUE(j.contains(key)) << key;
  EXPECT_EQ(j["ci95"].size(), 2u);
}

}  // namespace
}  // namespace fwbench::suite
