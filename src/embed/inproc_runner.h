#pragma once
// `fwbench inproc`: each contract route through each framework's WSGI callable, no network.
// Each (framework, profile) runs in its own forked process with its own interpreter, because
// the apps read their profile at import time and Django's settings are process-wide.
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "launch/app_catalog.h"

namespace fwbench::embed {

struct InprocOptions {
  std::vector<launch::AppEntry> frameworks;  // resolved by the caller (launch/app_catalog.h)
  std::vector<std::string> profiles = {"minimal", "standard"};
  std::string route;      // empty: every contract route
  int iterations = 2000;  // timed calls per case, split into `samples` batches
  int samples = 5;
  std::string database_url;     // empty: the apps' default (<root>/var/fwbench.db)
  bool python_baseline = true;  // also time the pure-Python loop (for the bridge overhead)
};

// Runs everything and returns a fwbench.inproc/1 document (results/SCHEMA.md). A result whose
// status differs from the contract's expectation carries "ok": false and the first logged
// error; throws fwbench::Error when a child process fails to start the app.
nlohmann::json RunInproc(const InprocOptions& options);

// True when every result in `doc` has "ok": true.
bool AllResultsOk(const nlohmann::json& doc);

}  // namespace fwbench::embed
