#include "suite/host_gate.h"

#include <algorithm>
#include <cstdio>

namespace fwbench::suite {

HostGate::HostGate(HostCheck check, ProbeFn probe, SleepFn sleep)
    : check_(check), probe_(std::move(probe)), sleep_(std::move(sleep)) {}

double HostGate::Probe() {
  double speed = probe_();
  reference_ = std::max(reference_, speed);
  return speed;
}

void HostGate::Calibrate(int probes) {
  if (!check_.enabled) return;
  for (int i = 0; i < probes; ++i) Probe();
}

double HostGate::Before(const std::atomic<bool>& stop) {
  if (!check_.enabled) return 0;
  double speed = Probe();
  for (double waited = 0; Slow(speed) && waited + 1 <= check_.wait_s && !stop; waited += 1) {
    sleep_(1);
    speed = Probe();
  }
  return speed;
}

nlohmann::json HostGate::After(double before) {
  if (!check_.enabled) return nullptr;
  double after = Probe();
  double ref = reference_ > 0 ? reference_ : 1;
  return {{"speed_before", before / ref},
          {"speed_after", after / ref},
          {"reference", reference_},
          {"disturbed", Slow(before) || Slow(after)}};
}

std::string DisturbedReason(const nlohmann::json& host) {
  double slowest = std::min(host.value("speed_before", 1.0), host.value("speed_after", 1.0));
  char text[96];
  std::snprintf(text, sizeof text, "host slowed to %.2f of the run's best probe", slowest);
  return text;
}

}  // namespace fwbench::suite
