#pragma once
// `fwbench serve`: a pre-forked HTTP/1.1 server whose workers each embed their own CPython.
#include <string>

#include "embed/app_loader.h"

namespace fwbench::embed {

struct ServeOptions {
  launch::AppEntry app;  // resolved by the caller: a catalogue entry or a raw target
  AppSettings settings;
  int workers = 1;
  std::string host = "127.0.0.1";
  int port = 8000;                 // 0: any free port (printed in the "listening on" line)
  double graceful_timeout_s = 10;  // SIGTERM/SIGINT: how long workers may drain
};

// Binds the listening socket in this (master) process without SO_REUSEPORT, so a port in use
// is refused with a clear fwbench::Error. Forks the workers before any interpreter exists, and
// once all of them have imported the app prints "listening on http://HOST:PORT" on stdout.
// A worker that dies after it was ready is replaced; one that dies before (the app does not
// import) stops the server with an error. SIGTERM/SIGINT: the workers drain and are reaped
// (SIGKILL after graceful_timeout_s), then Serve returns. Workers get PR_SET_PDEATHSIG, so none
// outlives the master.
void Serve(const ServeOptions& options);

}  // namespace fwbench::embed
