#include "suite/host_gate.h"

#include <gtest/gtest.h>

#include <deque>

namespace fwbench::suite {
namespace {

// Probes return `speeds` in order (the last one forever); sleeps are counted, not slept.
struct FakeHost {
  std::deque<double> speeds;
  int probes = 0;
  double slept = 0;
  HostGate Gate(HostCheck check) {
    return HostGate(
        check,
        [this] {
          ++probes;
          double v = speeds.front();
          if (speeds.size() > 1) speeds.pop_front();
          return v;
        },
        [this](double s) { slept += s; });
  }
};

HostCheck Check(double min_speed = 0.6, double wait_s = 3) {
  HostCheck check;
  check.min_speed = min_speed;
  check.wait_s = wait_s;
  return check;
}

TEST(HostGate, CalibrationKeepsTheBestProbe) {
  FakeHost host{{5, 9, 7}};
  HostGate gate = host.Gate(Check());
  gate.Calibrate(3);
  EXPECT_DOUBLE_EQ(gate.reference(), 9);
}

TEST(HostGate, QuietHostIsNotDisturbed) {
  FakeHost host{{10, 10, 9, 8}};
  HostGate gate = host.Gate(Check());
  gate.Calibrate(2);
  std::atomic<bool> stop{false};
  double before = gate.Before(stop);
  nlohmann::json result = gate.After(before);
  EXPECT_FALSE(result["disturbed"].get<bool>());
  EXPECT_DOUBLE_EQ(result["speed_before"].get<double>(), 0.9);
  EXPECT_DOUBLE_EQ(result["speed_after"].get<double>(), 0.8);
  EXPECT_DOUBLE_EQ(host.slept, 0);
}

TEST(HostGate, WaitsForASlowHostToRecoverThenGoesOn) {
  FakeHost host{{10, 2, 3, 9, 9}};
  HostGate gate = host.Gate(Check());
  gate.Calibrate(1);
  std::atomic<bool> stop{false};
  EXPECT_DOUBLE_EQ(gate.Before(stop), 9);
  EXPECT_DOUBLE_EQ(host.slept, 2);
  EXPECT_FALSE(gate.After(9)["disturbed"].get<bool>());
}

TEST(HostGate, WaitIsBoundedAndASlowAfterProbeMarksItDisturbed) {
  FakeHost host{{10, 1}};
  HostGate gate = host.Gate(Check(0.6, 3));
  gate.Calibrate(1);
  std::atomic<bool> stop{false};
  double before = gate.Before(stop);
  EXPECT_DOUBLE_EQ(host.slept, 3);
  nlohmann::json result = gate.After(before);
  EXPECT_TRUE(result["disturbed"].get<bool>());
  EXPECT_EQ(DisturbedReason(result), "host slowed to 0.10 of the run's best probe");
}

TEST(HostGate, StopEndsTheWait) {
  FakeHost host{{10, 1}};
  HostGate gate = host.Gate(Check(0.6, 100));
  gate.Calibrate(1);
  std::atomic<bool> stop{true};
  gate.Before(stop);
  EXPECT_DOUBLE_EQ(host.slept, 0);
}

TEST(HostGate, AFasterProbeRaisesTheReference) {
  FakeHost host{{5, 5, 20}};
  HostGate gate = host.Gate(Check());
  gate.Calibrate(1);
  std::atomic<bool> stop{false};
  double before = gate.Before(stop);
  nlohmann::json result = gate.After(before);
  EXPECT_DOUBLE_EQ(gate.reference(), 20);
  EXPECT_TRUE(result["disturbed"].get<bool>());  // the before probe was a quarter of the best
}

TEST(HostGate, DisabledNeverProbes) {
  FakeHost host{{10}};
  HostCheck check = Check();
  check.enabled = false;
  HostGate gate = host.Gate(check);
  gate.Calibrate();
  std::atomic<bool> stop{false};
  EXPECT_TRUE(gate.After(gate.Before(stop)).is_null());
  EXPECT_EQ(host.probes, 0);
}

}  // namespace
}  // namespace fwbench::suite
