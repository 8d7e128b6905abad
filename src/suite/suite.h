#pragma once
// The suite file ("fwbench.suite/1", JSON): what `fwbench run` measures. bench/suites/*.json
// are examples; results/SCHEMA.md documents every field.
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "load/load.h"

namespace fwbench::suite {

struct Route {
  std::string name;                         // a contract route name or a mix name
  std::vector<load::RequestSpec> requests;  // one, or the weighted mix
  nlohmann::json source;                    // as written
  // The databases this route is measured on: a subset of the suite's; empty is all of them.
  // A route that never touches the database (e.g. /json) needs only one.
  std::vector<std::string> databases;
  bool MeasuredOn(const std::string& db) const;
};

struct LoadLevel {
  std::string model;          // "closed" | "open"
  int concurrency = 0;        // closed: connections
  double rate = 0;            // open: total requests/s
  std::string Label() const;  // "closed-c64" | "open-r500"
};

// The host-speed check around each repetition (launch/host_speed.h, suite/host_gate.h).
struct HostCheck {
  bool enabled = true;
  double min_speed = 0.75;  // a probe below this fraction of the run's best: disturbed
  int retries = 0;          // times a disturbed repetition is measured again
  double wait_s = 10;       // before a repetition, how long to wait for a slow host to recover
};

// Paired measurement (suite/group_run.h): the apps of a group run at once and are measured
// interleaved, slice by slice, round after round; servers restart between rounds.
struct Paired {
  std::string mode = "slices";  // "slices": one app at a time; "duet": all apps at once
  double slice_s = 0.5;         // one slice; the measured time per app per round is duration_s
  double warmup_max_s = 6;      // warmup runs at least warmup_s, then until no trend, up to this
  double trend_pct = 3;         // steady: the warmup's last slices change by less than this
  double target_pct = 3;        // a comparison is noisy while its 95% half-width exceeds this
  int max_rounds = 10;          // rounds beyond `repetitions` are added up to this...
  double budget_s = 0;          // ...while the run is younger than this (0: none added)
  // Measured slices per app per round: duration_s / slice_s, rounded, at least 1.
  int Slices(double duration_s) const;
};

// The proxies a suite knows: "none" (clients talk to the app server) and "nginx" (nginx in
// front of it, configured as bench/servers.json says for that server).
const std::vector<std::string>& KnownProxies();

// What a suite compares within a group (suite/matrix.h): "frameworks" (the default: a group is
// one server, db, route and level, and its apps are the frameworks x profiles) or "servers" (a
// group is one framework, db, route and level, and its apps are the servers x profiles).
const std::vector<std::string>& KnownCompareAxes();

struct Suite {
  std::string name;
  std::string compare = "frameworks";  // KnownCompareAxes()
  std::vector<std::string> frameworks, profiles, servers, databases;
  // Per server name: the proxies it is measured behind, in order ("none", "nginx"). Every
  // server has at least one. From servers[i].proxy, else the top-level "proxy" (default "none").
  std::map<std::string, std::vector<std::string>> proxies;
  std::vector<Route> routes;
  std::vector<LoadLevel> levels;       // closed levels first, then open
  int workers = 1;                     // server processes, equal for every server
  int threads = 1;                     // threads per worker, for the servers that use threads
  std::string server_cpus, load_cpus;  // CPU lists; "" is no pinning
  int load_threads = 1;
  int open_connections = 64;
  std::string arrival = "uniform";  // open model
  double timeout_s = 2;
  double warmup_s = 1, duration_s = 5;
  int repetitions = 1;  // rounds every group gets (more are added up to paired.max_rounds)
  double ready_timeout_s = 60;
  std::string probe_path = "/json";
  HostCheck host_check;
  Paired paired;
  std::filesystem::path servers_file, frameworks_file;  // absolute after parsing
  nlohmann::json source;                                // the whole file as written
};

// Parses suite text. Relative paths resolve against the repository root (SourceDir()).
// Throws fwbench::Error "FILE:LINE: FIELD: problem; fix" for any wrong, missing or unknown
// field (LINE is where the field's key is, when it can be found).
Suite ParseSuite(const std::string& text, const std::string& file);

// Reads and parses a suite file.
Suite LoadSuite(const std::filesystem::path& path);

}  // namespace fwbench::suite
