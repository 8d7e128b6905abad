#include "report/stats.h"

#include <gtest/gtest.h>

namespace fwbench::report {
namespace {

TEST(Stats, MedianAndQuantile) {
  EXPECT_DOUBLE_EQ(Median({3, 1, 2}), 2);
  EXPECT_DOUBLE_EQ(Median({4, 1, 3, 2}), 2.5);
  EXPECT_DOUBLE_EQ(Median({}), 0);
  // NumPy: np.quantile([1, 2, 3, 4, 5], 0.9) == 4.6
  EXPECT_DOUBLE_EQ(Quantile({5, 4, 3, 2, 1}, 0.9), 4.6);
}

TEST(Stats, GeometricMean) {
  EXPECT_NEAR(GeometricMean({1, 4, 16}), 4, 1e-12);
  EXPECT_DOUBLE_EQ(GeometricMean({2, 0}), 0);  // not defined for non-positive values
  EXPECT_DOUBLE_EQ(GeometricMean({}), 0);
}

TEST(Stats, MannWhitneyExactMatchesScipy) {
  // scipy.stats.mannwhitneyu([1, 2, 3], [4, 5, 6]): statistic 0, pvalue 0.1 (exact).
  MannWhitney r = MannWhitneyU({1, 2, 3}, {4, 5, 6});
  EXPECT_TRUE(r.exact);
  EXPECT_DOUBLE_EQ(r.u1, 0);
  EXPECT_NEAR(r.p_value, 0.1, 1e-12);
  EXPECT_NEAR(r.min_p, 0.1, 1e-12);  // 3 vs 3 can never reach p < 0.05
  // SciPy's documentation example: males vs females, U1 = 17, exact p = 0.1111.
  r = MannWhitneyU({19, 22, 16, 29, 24}, {20, 11, 17, 12});
  EXPECT_TRUE(r.exact);
  EXPECT_DOUBLE_EQ(r.u1, 17);
  EXPECT_NEAR(r.p_value, 1.0 / 9.0, 1e-12);
}

TEST(Stats, MannWhitneyAsymptoticMatchesScipy) {
  // SciPy's documentation: method="asymptotic" on the same data gives 0.11134688653314041.
  MannWhitney r = MannWhitneyU({19, 22, 16, 29, 24}, {20, 11, 17, 12}, /*asymptotic=*/true);
  EXPECT_FALSE(r.exact);
  EXPECT_NEAR(r.p_value, 0.11134688653314041, 1e-12);
}

TEST(Stats, MannWhitneyTiesUseCorrectedNormalApproximation) {
  // Ranks 1, 3, 3, 5.5 for x: U1 = 2.5; tie term 3^3-3 + 2^3-2 = 30;
  // sigma = sqrt(16/12 * (9 - 30/56)), z = (13.5 - 8 - 0.5) / sigma, p = erfc(z / sqrt 2).
  MannWhitney r = MannWhitneyU({1, 2, 2, 3}, {2, 3, 4, 5});
  EXPECT_FALSE(r.exact);
  EXPECT_DOUBLE_EQ(r.u1, 2.5);
  EXPECT_NEAR(r.p_value, 0.13665824773814753, 1e-12);
}

TEST(Stats, MannWhitneyEdgeCases) {
  EXPECT_DOUBLE_EQ(MannWhitneyU({}, {1, 2}).p_value, 1);
  EXPECT_DOUBLE_EQ(MannWhitneyU({1, 1, 1}, {1, 1, 1}).p_value, 1);  // all tied: no evidence
  // 9 vs 9 fully separated: far below 0.05.
  EXPECT_LT(MannWhitneyU({1, 2, 3, 4, 5, 6, 7, 8, 9}, {11, 12, 13, 14, 15, 16, 17, 18, 19}).p_value,
            0.001);
}

}  // namespace
}  // namespace fwbench::report
