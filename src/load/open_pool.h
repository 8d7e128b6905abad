#pragma once
// OpenPool: the open model's connections to one target in one worker thread.
//
// Requests fall due on the target's schedule and wait here until a connection can carry them:
// the connection that most recently ended a response, else one that connected but has carried
// nothing yet, else a new one (connect, then send at once). The order matters for servers that
// serve one connection at a time: a connection that has been answered is one the server holds;
// a fresh one may wait in its listen backlog. At most
// `slots` connections are open at once (busy, connecting or idle; Options::max_in_flight split
// over the threads), so at most that many requests are in flight; further due requests wait
// in order. After a response the connection is idle; beyond `idle_cap` idle connections
// (Options::connections, --open-connections), the least recently used ones are closed.
// Bookkeeping only: the worker does the I/O, in this order after every batch of events:
// Dispatch (TakeIdle, else ToOpen), then OverCap.
#include <cstdint>
#include <deque>
#include <nlohmann/json.hpp>
#include <optional>
#include <vector>

#include "load/connection.h"

namespace fwbench::load {

// Over the whole run (warmup and unmeasured slices included).
struct PoolCounts {
  uint64_t opened = 0;            // connect attempts
  uint64_t closed_over_cap = 0;   // idle connections closed by the client (above the idle cap)
  uint64_t closed_by_server = 0;  // closed by the server: Connection: close, or while idle
  uint64_t peak_open = 0;         // most connections open at once (connecting included)
  uint64_t peak_in_flight = 0;    // most requests in flight at once
  uint64_t peak_waiting = 0;      // most due requests waiting for a connection at once

  // Adds `other`; peaks add up too (threads peak at different times: an upper bound).
  void Merge(const PoolCounts& other);
  nlohmann::json ToJson(int idle_cap, int max_in_flight) const;
};

class OpenPool {
 public:
  // Owns the worker's connection slots [first, first + slots).
  OpenPool(uint32_t first, uint32_t slots, int idle_cap);

  void Push(const Request& request);  // a request fell due
  size_t waiting() const { return waiting_.size(); }
  const Request& Oldest() const { return waiting_.front(); }
  Request Pop();

  // The idle connection to use (the order above), now busy; none when no connection is idle.
  std::optional<uint32_t> TakeIdle();
  // A free slot to connect on, now connecting: only while fewer connections are connecting
  // than requests wait (each will carry one) and a slot is free.
  std::optional<uint32_t> ToOpen();
  void Opened(uint32_t slot);  // connecting -> idle, behind every answered idle connection
  void Done(uint32_t slot);    // busy -> idle (its response ended, keep-alive)
  // The least recently used idle connection above the idle cap, now free: the worker closes it.
  std::optional<uint32_t> OverCap();
  // The connection was closed (failed, or closed by the server): its slot is free.
  void Free(uint32_t slot, bool by_server);

  const PoolCounts& counts() const { return counts_; }

 private:
  enum class Slot : uint8_t { kFree, kConnecting, kBusy, kIdle };
  Slot& At(uint32_t slot) { return state_[slot - first_]; }
  void Peaks();

  uint32_t first_;
  size_t idle_cap_;
  std::vector<Slot> state_;
  std::vector<uint32_t> free_;  // stack
  std::deque<uint32_t> idle_;   // back: most recently answered; front: unanswered, then oldest
  std::deque<Request> waiting_;
  size_t connecting_ = 0, busy_ = 0;
  PoolCounts counts_;
};

}  // namespace fwbench::load
