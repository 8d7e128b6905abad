#pragma once
// One round of one group: the apps that share (server, db, route, load level), all running,
// warmed up until their throughput stops trending, then measured interleaved in slices
// (suite.paired.mode) by one load session whose connections to every app stay open.
#include <atomic>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "common/splitmix.h"
#include "launch/server.h"
#include "load/load.h"
#include "suite/matrix.h"
#include "suite/progress.h"
#include "suite/suite.h"

namespace fwbench::suite {

// The load generator's paired session (fwbench::load::RunSession; a fake in unit tests).
using SessionFn =
    std::function<load::SessionReport(const load::SessionOptions&, const std::atomic<bool>&)>;

struct GroupApp {
  const CellSpec* cell = nullptr;
  launch::Server* server = nullptr;  // running, verified
};

struct AppRound {
  bool ok = false;
  nlohmann::json repetition;  // when ok: a Repetition of results/SCHEMA.md (v2)
  std::string reason;         // when not: why, e.g. "server exited with code 3 during ..."
  double rps = 0;
  long errors = 0;
};

struct GroupRound {
  bool interrupted = false;
  std::vector<AppRound> apps;  // in the order of the apps given
};

// Measures `apps` (one or more) for one round. A server that dies fails only its own app: the
// reason names its exit status, which is waited for (up to 5 s) before it is written, so it
// does not depend on which watcher saw the death first. `rng` draws the slice orders.
GroupRound MeasureGroup(const Suite& suite, const std::vector<GroupApp>& apps, int round,
                        SplitMix64& rng, const SessionFn& session, Progress& progress,
                        const std::atomic<bool>& stop);

// The load options of one cell: route requests, load level, the suite's load settings.
load::Options CellLoadOptions(const Suite& suite, size_t route, size_t level, int port);

}  // namespace fwbench::suite
