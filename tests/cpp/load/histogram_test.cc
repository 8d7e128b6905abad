// The histogram against exact percentiles of known samples, within its stated error
// (relative bucket width < 1/1024 with 3 significant digits).
#include "load/histogram.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>

#include "common/error.h"

namespace fwbench::load {
namespace {

uint64_t ExactPercentile(std::vector<uint64_t> sorted, double p) {
  const size_t rank = std::max<size_t>(1, static_cast<size_t>(std::ceil(p / 100 * sorted.size())));
  return sorted[rank - 1];
}

std::vector<uint64_t> LogNormalSamples(size_t n, unsigned seed) {
  std::mt19937_64 gen(seed);
  std::lognormal_distribution<double> dist(std::log(500.0), 1.5);  // µs, long tail
  std::vector<uint64_t> out;
  for (size_t i = 0; i < n; ++i) out.push_back(std::min<uint64_t>(59'000'000, 1 + dist(gen)));
  std::sort(out.begin(), out.end());
  return out;
}

TEST(Histogram, PercentilesWithinStatedError) {
  const auto samples = LogNormalSamples(200'000, 1);
  Histogram h;
  for (uint64_t v : samples) h.Record(v);
  EXPECT_EQ(h.count(), samples.size());
  EXPECT_EQ(h.min(), samples.front());
  EXPECT_EQ(h.max(), samples.back());
  for (double p : {1.0, 25.0, 50.0, 90.0, 99.0, 99.9, 99.99, 100.0}) {
    const double exact = static_cast<double>(ExactPercentile(samples, p));
    const double got = static_cast<double>(h.Percentile(p));
    EXPECT_GE(got, exact) << "p" << p;  // the bucket's highest value: never below
    EXPECT_LE(got - exact, exact / 1024 + 1) << "p" << p;
  }
}

TEST(Histogram, SmallValuesAreExact) {
  Histogram h;
  for (uint64_t v = 0; v < 2048; ++v) h.Record(v);
  EXPECT_EQ(h.Percentile(50), 1023u);
  EXPECT_EQ(h.Percentile(100), 2047u);
  for (uint64_t v : {0ull, 1ull, 1000ull, 2047ull}) EXPECT_EQ(h.ValueAt(h.IndexOf(v)), v);
}

TEST(Histogram, BucketsCoverTheirValues) {
  Histogram h;
  for (uint64_t v : {2048ull, 2049ull, 4095ull, 123456ull, 59'999'999ull, 60'000'000ull}) {
    const size_t i = h.IndexOf(v);
    EXPECT_LE(h.ValueAt(i), v);
    EXPECT_GE(h.HighestAt(i), v);
    EXPECT_LT(static_cast<double>(h.HighestAt(i) - h.ValueAt(i)), v / 1024.0 + 1);
  }
}

TEST(Histogram, MergeEqualsRecordingEverything) {
  const auto a = LogNormalSamples(50'000, 2), b = LogNormalSamples(70'000, 3);
  Histogram ha, hb, all;
  for (uint64_t v : a) ha.Record(v), all.Record(v);
  for (uint64_t v : b) hb.Record(v), all.Record(v);
  ha.Merge(hb);
  EXPECT_EQ(ha.count(), all.count());
  for (double p : {50.0, 99.0, 99.9}) EXPECT_EQ(ha.Percentile(p), all.Percentile(p));
  EXPECT_DOUBLE_EQ(ha.mean(), all.mean());
  EXPECT_THROW(ha.Merge(Histogram(60'000'000, 2)), Error);
}

TEST(Histogram, JsonRoundTripKeepsPercentiles) {
  Histogram h;
  for (uint64_t v : LogNormalSamples(10'000, 4)) h.Record(v);
  const Histogram back = Histogram::FromJson(h.ToJson());
  EXPECT_EQ(back.count(), h.count());
  for (double p : {50.0, 90.0, 99.0, 99.9}) EXPECT_EQ(back.Percentile(p), h.Percentile(p));
  auto bad = h.ToJson();
  bad["counts"].push_back({1'000'000, 1});
  EXPECT_THROW(Histogram::FromJson(bad), Error);
}

TEST(Histogram, ClampsAboveHighest) {
  Histogram h;
  h.Record(1'000'000'000);
  EXPECT_EQ(h.max(), 60'000'000u);
  EXPECT_EQ(h.Percentile(50), 60'000'000u);
}

}  // namespace
}  // namespace fwbench::load
