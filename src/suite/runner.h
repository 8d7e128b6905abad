#pragma once
// Runs a suite: every cell of the matrix, verified first, interleaved, repeated, written to
// a fwbench.results/1 file after every repetition, resumable.
#include <atomic>
#include <filesystem>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "load/load.h"
#include "suite/suite.h"

namespace fwbench::suite {

struct VerifyOutcome {
  bool passed = false;
  int checks = 0;
  std::vector<std::string> failures;  // "route rule: detail", one per failed check
};

// The load generator (fwbench::load::Run in fwbench; a fake in unit tests).
using LoadFn = std::function<nlohmann::json(const load::Options&, const std::atomic<bool>&)>;
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
};

struct RunReport {
  int ok = 0, failed = 0, excluded = 0, incomplete = 0;
  int reused = 0;  // finished cells taken over from an earlier run
  bool interrupted = false;
};

// Runs the suite until done or until `stop` becomes true (then the repetition in flight is
// dropped, the file is written and the servers stopped). A server that dies mid-cell fails
// that cell and the next cell restarts it. Throws fwbench::Error for problems that stop the
// whole run (bad servers or frameworks file, unknown names, pinning, unwritable output).
RunReport RunSuite(const Suite& suite, const RunOptions& options, const LoadFn& load,
                   const VerifyFn& verify, const std::atomic<bool>& stop);

// The load options of one cell: route requests, load level, the suite's load settings.
load::Options CellLoadOptions(const Suite& suite, size_t route, size_t level, int port);

}  // namespace fwbench::suite
