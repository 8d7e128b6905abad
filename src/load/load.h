#pragma once
// The load generator's public interface. Everything else in src/load/ is internal.
// The report it returns is the "fwbench.load/1" document described in results/SCHEMA.md.
//
// The two load models.
//
// Closed model (rate == 0): `connections` connections per target, opened at the start and kept
// (reopened at once when closed); each keeps `pipeline` requests in flight and sends the next
// when a response ends. The report counts, per connection, the requests it completed and its
// timeouts and errors ("connections"): a connection that completed nothing in the measured
// period is "starved", such as 28 of 32 against uWSGI with 4 threads, each of which serves one
// kept-alive connection for as long as it stays open.
//
// Open model (rate > 0): requests fall due on the target's schedule (uniform or Poisson, `rate`
// per target), whatever the server does, and latency counts from the intended send time
// (coordinated omission corrected). A due request goes out at once on an idle open connection
// to its target (the one that most recently ended a response first); when none is idle, a new
// connection is opened for it and it is sent as soon as that connects, so its latency includes
// the connect. Nothing is opened in
// advance. Bounds, per target:
//   - idle connections: at most `connections` (--open-connections, suite
//     load.open_connections) are kept; after a response the least recently used idle ones
//     beyond it are closed by the client;
//   - open connections (busy, connecting or idle): at most `max_in_flight` (default
//     kDefaultMaxInFlight), so at most that many requests are in flight. A due request beyond
//     it waits, in order, for a connection (the wait counts in its latency); one that waited
//     longer than timeout_s is a timeout and is never sent. The loop and its memory stay
//     bounded by max_in_flight connections and rate * timeout_s waiting requests.
// A server closing a kept-alive connection (Connection: close, or its idle timeout) is not an
// error: the connection leaves the pool and the next request that finds none idle opens a new
// one. A request written to an idle connection at the moment the server closes it fails as a
// read or write error (not retried), as in wrk. `pipeline` must be 1.
//
// How the open model differs from wrk2 (giltene/wrk2, src/wrk.c): wrk2 opens its -c connections
// at the start (5 ms apart) and keeps them; each connection has its own schedule at
// rate/connections, sends its next request only after the previous response (catching up at
// twice its rate when behind), and is reopened at once when the server closes it. A server that
// serves one connection at a time until it closes or idles (gunicorn's sync worker blocks on an
// accepted connection until its request arrives; uWSGI with N threads holds N kept-alive
// connections) then sits on an idle connection while the requests due on the others wait
// behind it: at 200 req/s gunicorn sync served 70 req/s and uWSGI 10 req/s that way. Here the
// schedule belongs to the target, and connections follow the requests: while the server keeps
// up, one connection (or a few) carries them.
//
// Unfinished: a measured request with neither a response nor an error counted when the run
// ends (in flight, or waiting for a connection; in a plain run also one answered after the
// duration) is counted as "unfinished" per route, overall and per session slice.
#include <atomic>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

namespace fwbench::load {

struct RequestSpec {
  std::string name;  // statistics key; defaults to "METHOD path"
  std::string method = "GET";
  std::string path = "/";
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  double weight = 1.0;
  // Values substituted for "{param}" in path, drawn uniformly per request (e.g. queries=1..20).
  std::vector<std::string> param_values;
};

enum class Arrival { kUniform, kPoisson };

// Counts a caller may watch while Run() works, e.g. for a live progress line. Each worker adds
// what it measured every housekeeping tick (5 ms) and at the end, with relaxed atomics.
struct LiveCounters {
  std::atomic<uint64_t> responses{0};
  std::atomic<uint64_t> errors{0};
};

// Open model default for Options::max_in_flight.
inline constexpr int kDefaultMaxInFlight = 512;

struct Options {
  std::string host = "127.0.0.1";
  int port = 80;
  int threads = 1;
  // Closed model: connections per target, each kept `pipeline` requests deep. Open model: the
  // most idle connections kept open per target (--open-connections, suite
  // load.open_connections); see "The open model" above.
  int connections = 10;
  // Open model: the most connections open at once per target, so the most requests in flight;
  // due requests beyond it wait in order (0: kDefaultMaxInFlight).
  int max_in_flight = 0;
  double duration_s = 10;
  uint64_t max_requests = 0;  // 0: bounded by duration only
  double warmup_s = 0;
  double rate = 0;  // total requests/s; 0 selects the closed model
  Arrival arrival = Arrival::kUniform;
  int pipeline = 1;  // closed model only
  double timeout_s = 2;
  std::vector<std::pair<std::string, std::string>> headers;  // added to every request
  std::vector<RequestSpec> requests;                         // weighted mix; at least one
  LiveCounters* live = nullptr;                              // not owned; must outlive Run()
};

// Parses "http://host:port/path" into host, port and a single GET request for path.
// Throws fwbench::Error for anything else (https, missing host, bad port).
Options OptionsFromUrl(const std::string& url);

// Reads the request-mix file format (results/SCHEMA.md, "request file") into `options`: appends
// its requests (clear options.requests first to send only the file's mix, as --requests-file
// does) and its global "headers". Throws fwbench::Error naming the bad entry.
void AddRequestsFromJson(const nlohmann::json& doc, Options& options);

// A paired session: the same requests to several servers ("targets", one port each on
// options.host), each with its own connections: closed model, options.connections, all opened
// before the first slice and kept open; open model, as requests need them (above). In each
// slice only the targets in `active` send; the others' idle connections stay open, so a switch
// costs nothing. A request counts toward the slice it was
// sent in, whenever it completes; after the last slice nothing new is sent and what is in
// flight may finish for up to timeout_s. options.duration_s, warmup_s and max_requests are
// ignored; options.rate is per target.
struct SliceSpec {
  double start_s = 0, duration_s = 0;  // from the session's time zero
  uint64_t active = 0;                 // bit i: target i sends
  bool measured = true;                // false: sent, not counted (settling the connections)
};

struct SessionOptions {
  Options load;
  std::vector<int> ports;         // targets, at most 64
  std::vector<SliceSpec> slices;  // in time order, non-overlapping
  // Time zero on the steady clock (CLOCK_MONOTONIC, ns), so a caller can sample other things
  // at the slice boundaries; 0: 50 ms after the call (connections open in between).
  int64_t zero_ns = 0;
};

// Requests sent in a slice: answered (at any time), failed, and still unanswered when the
// session ended (`unfinished`: in flight, or in the open model waiting for a connection).
struct SliceResult {
  uint64_t requests = 0, errors = 0, unfinished = 0;
};

struct SessionReport {
  std::vector<nlohmann::json> targets;           // a fwbench.load/1 report per target
  std::vector<std::vector<SliceResult>> slices;  // [target][slice]
  int64_t zero_ns = 0;                           // time zero as run
};

// Runs a session; the per-target report's elapsed_s and rps cover the target's active measured
// slices.
// Throws fwbench::Error for invalid options (no targets, overlapping slices, > 64 targets).
SessionReport RunSession(const SessionOptions& options, const std::atomic<bool>& stop);

// Runs the load until duration, max_requests, or `stop` becomes true (then it stops early and
// still reports what was measured). Returns the fwbench.load/1 report. Thread-safe and
// reentrant: no global state; threads - 1 extra threads are started and joined. Throws
// fwbench::Error for invalid options or an unresolvable host (never for server misbehaviour,
// which is counted in the report).
nlohmann::json Run(const Options& options, const std::atomic<bool>& stop);

}  // namespace fwbench::load
