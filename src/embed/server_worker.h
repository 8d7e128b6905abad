#pragma once
// One worker of `fwbench serve`: its own interpreter, one thread holding the GIL, one epoll loop
// over the shared listening socket and its keep-alive connections.
#include <string>

#include "embed/app_bridge.h"
#include "embed/app_loader.h"

namespace fwbench::embed {

struct WorkerConfig {
  launch::AppEntry app;  // resolved by the caller
  AppSettings settings;
  ServerIdentity server;
  double drain_timeout_s = 10;           // after SIGTERM: how long in-flight requests may take
  size_t max_request_bytes = 16u << 20;  // larger requests get 413 and the connection closes
  int ready_fd = -1;                     // gets one byte once the app is imported, then is closed
};

// Runs in a freshly forked child that has no interpreter yet (the parent must have blocked
// SIGTERM and SIGINT). Starts Python, imports the app behind the bridge of its interface
// (LoadAppBridge; the loop sees only the AppBridge seam), then serves `listen_fd` until SIGTERM,
// SIGINT or the parent's death (PR_SET_PDEATHSIG): it stops accepting, finishes the requests
// it has, closes idle keep-alive connections and returns. Returns the process exit code: 0
// after a drain, 3 when the app could not be loaded (the error is printed to stderr).
int RunWorker(int listen_fd, const WorkerConfig& config);

}  // namespace fwbench::embed
