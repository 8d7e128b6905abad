#pragma once
// Runs a suite: every cell of the matrix verified first, then measured in rounds: in each
// round the apps of a group (suite/matrix.h) run at once and are measured interleaved, slice
// by slice (suite/group_run.h); servers restart between rounds; rounds are added to the
// comparisons short of their target while the budget lasts. Written to a fwbench.results/2
// file after every group, resumable.
#include <atomic>
#include <filesystem>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "load/load.h"
#include "suite/group_run.h"
#include "suite/suite.h"

namespace fwbench::suite {

struct VerifyOutcome {
  bool passed = false;
  int checks = 0;
  std::vector<std::string> failures;  // "route rule: detail", one per failed check
};

// The contract check (fwbench::verify::Run in fwbench).
using VerifyFn = std::function<VerifyOutcome(
    const std::string& base_url, const std::string& profile, const std::string& database_url)>;

struct RunOptions {
  std::filesystem::path out;          // the results file; logs go to <out stem>.logs/ beside it
  bool fresh = false;                 // ignore an earlier file at `out` instead of resuming
  std::filesystem::path fwbench_exe;  // fills {fwbench} in server templates
  bool progress = true;               // the live progress line on stderr
  // The host-speed probe (steps/µs, higher is faster); empty: launch::HostSpeedProbe on the
  // suite's server CPUs. Tests give a fake.
  std::function<double()> host_probe;
  uint64_t seed = 0;  // slice orders and hash seeds; 0: a fresh random seed (in meta.paired)
};

struct RunReport {
  int ok = 0, failed = 0, excluded = 0, incomplete = 0;
  int reused = 0;  // finished cells taken over from an earlier run
  bool interrupted = false;
};

// Runs the suite until done or until `stop` becomes true (then the group in flight is
// dropped, the file is written and the servers stopped). A server that dies fails only its
// own cells; the next group restarts it. Throws fwbench::Error for problems that stop the
// whole run (bad servers or frameworks file, unknown names, pinning, unwritable output).
RunReport RunSuite(const Suite& suite, const RunOptions& options, const SessionFn& session,
                   const VerifyFn& verify, const std::atomic<bool>& stop);

}  // namespace fwbench::suite
