#include "launch/host_speed.h"

#include <exception>
#include <string>
#include <thread>

#include "common/error.h"
#include "common/run_process.h"
#include "launch/cpu_list.h"

namespace fwbench::launch {
namespace {

// One slice is about 3 ms on a quiet 2.4 GHz core; the whole probe about 40 ms plus start-up.
constexpr const char* kProbe = R"(
import time
def work(n):
    d, s = {}, 0
    for i in range(n):
        k = "k%d" % (i & 1023)
        d[k] = d.get(k, 0) + i
        s += len(k)
    return s
work(2000)
rates = []
for _ in range(10):
    t0 = time.perf_counter()
    work(5000)
    rates.append(5000 / (time.perf_counter() - t0) / 1e6)
rates.sort()
print((rates[4] + rates[5]) / 2)
)";

}  // namespace

HostSpeedProbe::HostSpeedProbe(std::filesystem::path python, std::vector<int> cpus)
    : python_(std::move(python)), cpus_(std::move(cpus)) {}

double HostSpeedProbe::Measure() const {
  ProcessResult result;
  std::exception_ptr failure;
  std::thread runner([&] {  // the child inherits this thread's affinity, not the caller's
    try {
      PinCurrentThread(cpus_);
      result = RunProcess({python_.string(), "-I", "-S", "-c", kProbe});
    } catch (...) {
      failure = std::current_exception();
    }
  });
  runner.join();
  if (failure) std::rethrow_exception(failure);
  double speed = 0;
  try {
    speed = std::stod(result.out);
  } catch (const std::exception&) {
  }
  if (result.exit_code != 0 || speed <= 0)
    throw Error("the host-speed probe did not run (exit " + std::to_string(result.exit_code) +
                    "): " + result.err.substr(0, 300),
                python_.string(),
                "check the venv (scripts/setup), or set \"host_check\": {\"enabled\": false}");
  return speed;
}

}  // namespace fwbench::launch
