#pragma once
// How fast the host runs Python on the server's cores right now. On a shared VM a neighbour
// on the same physical core halves the speed of interpreted code for tens of seconds at a
// time (measured here: a bimodal 1.0 / 0.5), and a repetition measured then says more about
// the host than about the server. The probe is a fixed pure-Python loop (dict and string
// work, like a request handler's) in the venv interpreter, pinned to the server's CPUs and
// timed inside the interpreter, so start-up does not count.
#include <filesystem>
#include <vector>

namespace fwbench::launch {

class HostSpeedProbe {
 public:
  HostSpeedProbe(std::filesystem::path python, std::vector<int> cpus);

  // Million loop iterations per second: the median of ten timed slices. Higher is faster.
  // Throws fwbench::Error when the interpreter does not run or prints no number.
  double Measure() const;

 private:
  std::filesystem::path python_;
  std::vector<int> cpus_;
};

}  // namespace fwbench::launch
