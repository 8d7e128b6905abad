#pragma once
// Tells a quiet host from a slowed one around each repetition. A probe (the speed of a fixed
// Python loop, launch/host_speed.h) runs before and after; a repetition is "disturbed" when
// either probe is below check.min_speed of the best probe seen in the run. Before a
// repetition, a slow host gets up to check.wait_s to recover.
#include <atomic>
#include <functional>
#include <nlohmann/json.hpp>

#include "suite/suite.h"

namespace fwbench::suite {

class HostGate {
 public:
  using ProbeFn = std::function<double()>;  // higher is faster
  using SleepFn = std::function<void(double seconds)>;

  HostGate(HostCheck check, ProbeFn probe, SleepFn sleep);

  // The best of `probes` probes becomes the first reference. No-op when disabled.
  void Calibrate(int probes = 5);
  // Probes before a repetition, waiting (a probe a second) up to wait_s while the host is slow
  // or until `stop`. Returns the last probe; 0 when disabled.
  double Before(const std::atomic<bool>& stop);
  // Probes after the repetition. Returns {"speed_before", "speed_after", "reference",
  // "disturbed"} (speeds relative to the reference); null when disabled.
  nlohmann::json After(double before);

  double reference() const { return reference_; }

 private:
  double Probe();
  bool Slow(double speed) const { return speed < check_.min_speed * reference_; }

  HostCheck check_;
  ProbeFn probe_;
  SleepFn sleep_;
  double reference_ = 0;
};

// Why a repetition was discarded, for the progress line and the results:
// "host slowed to 0.42 of the run's best probe".
std::string DisturbedReason(const nlohmann::json& host);

}  // namespace fwbench::suite
