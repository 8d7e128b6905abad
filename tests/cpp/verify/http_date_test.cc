#include "verify/http_date.h"

#include <gtest/gtest.h>

namespace fwbench::verify {
namespace {

TEST(ParseHttpDate, ReadsAnImfFixdate) {
  EXPECT_EQ(ParseHttpDate("Sun, 06 Nov 1994 08:49:37 GMT"), std::optional<std::time_t>(784111777));
}

TEST(ParseHttpDate, RejectsOtherFormsAndImpossibleDates) {
  EXPECT_FALSE(ParseHttpDate("Sunday, 06-Nov-94 08:49:37 GMT"));  // RFC 850
  EXPECT_FALSE(ParseHttpDate("Sun Nov  6 08:49:37 1994"));        // asctime
  EXPECT_FALSE(ParseHttpDate("Sun, 06 Nov 1994 08:49:37 UTC"));
  EXPECT_FALSE(ParseHttpDate("Mon, 06 Nov 1994 08:49:37 GMT"));  // wrong weekday
  EXPECT_FALSE(ParseHttpDate("Tue, 31 Feb 2026 08:49:37 GMT"));
  EXPECT_FALSE(ParseHttpDate(""));
}

TEST(DateFreshnessProblem, AcceptsWithinTolerance) {
  std::time_t t = 784111777;
  EXPECT_EQ(DateFreshnessProblem("Sun, 06 Nov 1994 08:49:37 GMT", t + 5, 5), "");
  EXPECT_EQ(DateFreshnessProblem("Sun, 06 Nov 1994 08:49:37 GMT", t - 5, 5), "");
}

TEST(DateFreshnessProblem, NamesAStaleOrFutureDate) {
  std::time_t t = 784111777;
  EXPECT_EQ(DateFreshnessProblem("Sun, 06 Nov 1994 08:49:37 GMT", t + 60, 5),
            "Date 'Sun, 06 Nov 1994 08:49:37 GMT' is 60 s behind the clock (allowed 5 s)");
  EXPECT_NE(DateFreshnessProblem("Sun, 06 Nov 1994 08:49:37 GMT", t - 6, 5).find("ahead of"),
            std::string::npos);
  EXPECT_NE(DateFreshnessProblem("yesterday", t, 5).find("not an IMF-fixdate"), std::string::npos);
}

}  // namespace
}  // namespace fwbench::verify
