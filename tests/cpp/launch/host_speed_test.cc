#include "launch/host_speed.h"

#include <gtest/gtest.h>

#include "common/error.h"
#include "common/paths.h"

namespace fwbench::launch {
namespace {

TEST(HostSpeedProbe, MeasuresAPlausibleRateOnTheGivenCpu) {
  HostSpeedProbe probe(VenvPython(), {0});
  double speed = probe.Measure();
  // Million iterations of a dict-and-string loop per second: CPython does about 1.5 on this
  // VM; no interpreter does a thousand.
  EXPECT_GT(speed, 0);
  EXPECT_LT(speed, 1000);
}

TEST(HostSpeedProbe, AMissingInterpreterIsAClearError) {
  HostSpeedProbe probe("/nonexistent/python3", {});
  try {
    probe.Measure();
    FAIL() << "expected an error";
  } catch (const Error& e) {
    std::string what = e.what();
    EXPECT_NE(what.find("/nonexistent/python3"), std::string::npos) << what;
  }
}

}  // namespace
}  // namespace fwbench::launch
