#pragma once
// One client connection of a worker thread and the requests it carries. Internal to src/load.
#include <cstdint>
#include <string>
#include <vector>

#include "common/fd.h"
#include "net/http.h"

namespace fwbench::load {

// A request whose intended send time has come: sent (in a Connection's ring) or, in the open
// model, waiting for a connection (OpenPool).
struct Request {
  uint32_t route = 0;
  int32_t window = -1;  // the plan window it counts toward; -1: not measured
  int64_t intended_ns = 0;
  int64_t sent_ns = 0;  // 0 until sent
  bool measured() const { return window >= 0; }
};

// What one connection slot did in the measured period (closed model; the slot is reopened
// after every close and keeps its counts).
struct ConnectionCounts {
  uint64_t completed = 0;  // responses counted in the report
  uint64_t timeouts = 0;   // requests that timed out
  uint64_t errors = 0;     // every error counted for the slot (timeouts included)
};

enum class State { kClosed, kConnecting, kOpen };

struct Connection {
  uint32_t target = 0;
  Fd fd;
  net::HttpParser parser{net::HttpParser::Kind::kResponse, false};
  State state = State::kClosed;
  std::string out;  // pending request bytes (capacity reused)
  size_t out_sent = 0;
  bool want_write = false;
  std::vector<Request> ring;  // `pipeline` slots
  size_t head = 0, inflight = 0;
  bool connect_uncounted = false;
  int64_t connect_started_ns = 0, retry_at_ns = 0;
  ConnectionCounts counts;

  Request& front() { return ring[head]; }
};

}  // namespace fwbench::load
