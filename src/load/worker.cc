#include "load/worker.h"

#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <ctime>

#include "common/splitmix.h"
#include "net/event_loop.h"
#include "net/http.h"

namespace fwbench::load {

int64_t NowNs() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1'000'000'000LL + ts.tv_nsec;
}

namespace {

constexpr int64_t kHousekeepingNs = 5'000'000;   // timeouts and retries checked every 5 ms
constexpr int64_t kConnectRetryNs = 10'000'000;  // back-off after a failed connect
constexpr size_t kReadBufferBytes = 64 * 1024;

struct InFlight {
  uint32_t route = 0;
  int32_t window = -1;  // the plan window it was sent in and counts toward; -1: not measured
  bool measured = false;
  int64_t intended_ns = 0, sent_ns = 0;
};

enum class State { kClosed, kConnecting, kOpen };

struct Connection {
  uint32_t target = 0;
  net::Fd fd;
  net::HttpParser parser{net::HttpParser::Kind::kResponse, false};
  State state = State::kClosed;
  std::string out;  // pending request bytes (capacity reused)
  size_t out_sent = 0;
  bool want_write = false;
  std::vector<InFlight> ring;  // `pipeline` slots
  size_t head = 0, inflight = 0;
  bool connect_uncounted = false;
  int64_t connect_started_ns = 0, retry_at_ns = 0, next_due_ns = 0;

  InFlight& front() { return ring[head]; }
};

}  // namespace

struct Worker::Impl {
  Worker& self;
  Plan& plan;
  const std::atomic<bool>& stop;
  const Options& opt;
  const bool open_model;
  const size_t depth;
  const int per_target;      // connections per target in this worker
  int64_t interval_ns = 0;   // open model: mean gap between one connection's requests
  int64_t drain_end_ns = 0;  // sliced: in-flight requests may complete until then
  net::EventLoop loop;
  std::vector<Connection> conns;
  std::vector<char> buffer = std::vector<char>(kReadBufferBytes);
  SplitMix64 rng;
  uint64_t inflight_total = 0;
  int64_t next_housekeeping_ns = 0;
  TimeSeries::Counts published;  // what PublishLive() has added to opt.live so far

  Impl(Worker& w, Plan& p, const std::atomic<bool>& s, int n, int first, uint64_t seed)
      : self(w),
        plan(p),
        stop(s),
        opt(p.options),
        open_model(p.options.rate > 0),
        depth(static_cast<size_t>(std::max(1, p.options.pipeline))),
        per_target(n),
        loop(std::max<int>(16, n * static_cast<int>(p.targets.size()))),
        conns(static_cast<size_t>(n) * p.targets.size()),
        rng{seed} {
    const int total = std::max(1, opt.connections);
    if (open_model) interval_ns = static_cast<int64_t>(1e9 * total / opt.rate);
    drain_end_ns = plan.end_ns + static_cast<int64_t>(opt.timeout_s * 1e9);
    for (size_t i = 0; i < conns.size(); ++i) {
      Connection& c = conns[i];
      c.target = static_cast<uint32_t>(i / n);
      c.ring.resize(depth);
      c.out.reserve(4096);
      c.next_due_ns = plan.start_ns + FirstGap(first + static_cast<int>(i % n), total);
      if (plan.sliced) c.next_due_ns = NextSendable(c, c.next_due_ns);
    }
  }

  int64_t FirstGap(int global_index, int total) {
    if (opt.arrival == Arrival::kPoisson) return NextGap();
    return interval_ns * global_index / total;  // uniform: connections evenly staggered
  }
  int64_t NextGap() {
    if (opt.arrival == Arrival::kUniform) return interval_ns;
    return static_cast<int64_t>(-std::log(1.0 - rng.Uniform()) * static_cast<double>(interval_ns));
  }

  Worker::TargetStats& Of(const Connection& c) { return self.targets[c.target]; }
  RouteStats& Route(const Connection& c, uint32_t index) { return Of(c).routes[index]; }
  bool Measuring(int64_t t) const { return t >= plan.measure_start_ns && t < plan.end_ns; }
  uint64_t SecondOf(int64_t t) const {
    return static_cast<uint64_t>(std::max<int64_t>(0, t - plan.measure_start_ns) / 1'000'000'000);
  }

  // --- the session's windows (plan.sliced) ------------------------------------------------
  // The index of the window containing t, or -1.
  int WindowAt(int64_t t) const {
    const auto& w = plan.windows;
    auto it = std::upper_bound(w.begin(), w.end(), t,
                               [](int64_t v, const Window& x) { return v < x.start_ns; });
    if (it == w.begin()) return -1;
    --it;
    return t < it->end_ns ? static_cast<int>(it - w.begin()) : -1;
  }
  bool ActiveIn(int window, uint32_t target) const {
    return window >= 0 && (plan.windows[window].active >> target & 1U);
  }
  // May `c` send a request intended at t? Plain runs: until the end; sessions: in its windows.
  bool Sendable(const Connection& c, int64_t t) const {
    if (!plan.sliced) return t < plan.end_ns;
    return ActiveIn(WindowAt(t), c.target);
  }
  // The first time >= t at which `c` may send (sessions), or INT64_MAX when none is left.
  int64_t NextSendable(const Connection& c, int64_t t) const {
    if (Sendable(c, t)) return t;
    for (const Window& w : plan.windows)
      if (w.start_ns > t && (w.active >> c.target & 1U)) return w.start_ns;
    return INT64_MAX;
  }
  // The next window boundary after t (sessions), or INT64_MAX.
  int64_t NextBoundary(int64_t t) const {
    for (const Window& w : plan.windows) {
      if (w.start_ns > t) return w.start_ns;
      if (w.end_ns > t) return w.end_ns;
    }
    return INT64_MAX;
  }

  void Run() {
    const int64_t now = NowNs();
    for (auto& c : conns) Connect(c, now);
    next_housekeeping_ns = now + kHousekeepingNs;
    int64_t next_due = now;
    int64_t boundary = plan.sliced ? NextBoundary(now) : INT64_MAX;
    while (true) {
      int64_t t = NowNs();
      if (Finished(t)) break;
      int64_t wake =
          std::min({next_housekeeping_ns, plan.sliced ? drain_end_ns : plan.end_ns, boundary});
      if (open_model) wake = std::min(wake, next_due);
      for (const epoll_event& ev : loop.Wait(std::max<int64_t>(0, (wake - t + 999) / 1000))) {
        Handle(conns[ev.data.u64], ev.events);
      }
      t = NowNs();
      if (t >= boundary) {  // a window opened or closed: idle connections of active targets go
        boundary = NextBoundary(t);
        if (!open_model)
          for (auto& c : conns)
            if (c.state == State::kOpen && c.inflight == 0) Refill(c, t);
      }
      if (open_model) next_due = SendDue(t);
      if (t >= next_housekeeping_ns) Housekeep(t);
    }
    self.finished_ns = std::min(NowNs(), plan.end_ns);
    PublishLive();
    if (!open_model) {
      for (auto& target : self.targets)
        for (auto& r : target.routes) r.corrected = r.uncorrected;
    }
  }

  bool Finished(int64_t t) const {
    if (stop.load(std::memory_order_relaxed)) return true;
    if (plan.sliced) return t >= drain_end_ns || (t >= plan.end_ns && inflight_total == 0);
    if (t >= plan.end_ns) return true;
    return plan.budget_spent.load(std::memory_order_relaxed) && inflight_total == 0;
  }

  // --- connection lifecycle -------------------------------------------------------------
  void Connect(Connection& c, int64_t now) {
    int error = 0;
    c.fd = net::ConnectTcp(plan.targets[c.target], &error);
    if (!c.fd) {
      CountConnectError(c, now);
      c.retry_at_ns = now + kConnectRetryNs;
      return;
    }
    c.state = State::kConnecting;
    c.connect_started_ns = now;
    c.connect_uncounted = true;
    loop.Add(c.fd.get(), EPOLLOUT, static_cast<uint64_t>(&c - conns.data()));
  }

  void CountError(Connection& c, int64_t now) { ++Of(c).timeseries.At(SecondOf(now)).errors; }

  // Adds what was measured since the last call to opt.live: every housekeeping tick and at the
  // end, so the send/receive path never touches a shared counter.
  void PublishLive() {
    if (!opt.live) return;
    TimeSeries::Counts total;
    for (const auto& target : self.targets) {
      const TimeSeries::Counts t = target.timeseries.Totals();
      total.requests += t.requests;
      total.errors += t.errors;
    }
    opt.live->responses.fetch_add(total.requests - published.requests, std::memory_order_relaxed);
    opt.live->errors.fetch_add(total.errors - published.errors, std::memory_order_relaxed);
    published = total;
  }

  // Errors outside a request count in plain runs' measured period, or in a session window
  // where the connection's target is active (and toward that window).
  bool CountsOutsideRequest(const Connection& c, int64_t now, int* window) const {
    *window = plan.sliced ? WindowAt(now) : (Measuring(now) ? 0 : -1);
    if (!plan.sliced) return *window == 0;
    return ActiveIn(*window, c.target) && plan.windows[*window].measured;
  }

  void CountConnectError(Connection& c, int64_t now) {
    int window = -1;
    if (!CountsOutsideRequest(c, now, &window)) return;
    ++Of(c).unattributed.errors[static_cast<int>(ErrorKind::kConnect)];
    ++Of(c).windows[window].errors;
    CountError(c, now);
  }

  void Close(Connection& c) {
    c.fd.Reset();  // closing removes it from epoll
    c.state = State::kClosed;
    c.parser.Reset();
    c.out.clear();
    c.out_sent = 0;
    c.want_write = false;
    inflight_total -= c.inflight;
    c.inflight = 0;
    c.head = 0;
  }

  // Every request in flight on `c` failed with `kind`; the connection is replaced.
  void Fail(Connection& c, ErrorKind kind, int64_t now) {
    if (c.state == State::kConnecting) {
      CountConnectError(c, now);
      Close(c);
      c.retry_at_ns = now + kConnectRetryNs;
      return;
    }
    for (size_t i = 0; i < c.inflight; ++i) {
      const InFlight& f = c.ring[(c.head + i) % depth];
      if (!Counted(f, now)) continue;
      ++Route(c, f.route).errors[static_cast<int>(kind)];
      ++Of(c).windows[f.window].errors;
      CountError(c, now);
    }
    int window = -1;  // e.g. garbage sent before any request
    if (c.inflight == 0 && CountsOutsideRequest(c, now, &window)) {
      ++Of(c).unattributed.errors[static_cast<int>(kind)];
      ++Of(c).windows[window].errors;
      CountError(c, now);
    }
    Close(c);
    Connect(c, now);
  }

  // --- events ---------------------------------------------------------------------------
  void Handle(Connection& c, uint32_t events) {
    const int64_t now = NowNs();
    if (c.state == State::kConnecting) {
      if (net::ConnectError(c.fd.get()) != 0) return Fail(c, ErrorKind::kConnect, now);
      c.state = State::kOpen;
      loop.Modify(c.fd.get(), EPOLLIN, static_cast<uint64_t>(&c - conns.data()));
      return Refill(c, now);
    }
    if (c.state != State::kOpen) return;
    if (events & (EPOLLIN | EPOLLERR | EPOLLHUP)) {
      if (!Read(c, now)) return;
    }
    if ((events & EPOLLOUT) && c.state == State::kOpen) Flush(c, now);
  }

  // Returns false when the connection was closed.
  bool Read(Connection& c, int64_t now) {
    const ssize_t n = ::read(c.fd.get(), buffer.data(), buffer.size());
    if (n > 0) {
      if (c.inflight > 0 && c.front().measured) Route(c, c.front().route).bytes_read += n;
      size_t used = 0;
      while (used < static_cast<size_t>(n)) {
        const auto step = c.parser.Feed({buffer.data() + used, static_cast<size_t>(n) - used});
        used += step.consumed;
        if (step.error) return Fail(c, ErrorKind::kParse, now), false;
        if (step.complete && !Complete(c, now)) return false;
        if (!step.complete && step.consumed == 0) break;
      }
      return true;
    }
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) return true;
    if (n < 0) return Fail(c, ErrorKind::kRead, now), false;
    // EOF: a close-delimited body ends here; anything else in flight was cut off.
    const auto step = c.parser.FinishAtEof();
    if (step.complete) {
      Complete(c, now);
      if (c.state != State::kOpen) return false;
    }
    if (step.error || c.inflight > 0) return Fail(c, ErrorKind::kRead, now), false;
    Close(c);  // an idle keep-alive connection the server closed: not an error
    Connect(c, now);
    return false;
  }

  // One response ended. Returns false when the connection was closed (and replaced).
  bool Complete(Connection& c, int64_t now) {
    const int status = c.parser.status();
    if (status >= 100 && status < 200 && status != 101) return true;     // informational
    if (c.inflight == 0) return Fail(c, ErrorKind::kParse, now), false;  // unsolicited
    const InFlight f = c.front();
    c.head = (c.head + 1) % depth;
    --c.inflight;
    --inflight_total;
    if (Counted(f, now)) {
      ++Of(c).windows[f.window].requests;
      RouteStats& r = Route(c, f.route);
      ++r.requests;
      r.CountStatus(status);
      const uint64_t corrected_us = static_cast<uint64_t>(now - f.intended_ns) / 1000;
      // Closed model: intended == sent, so `corrected` is filled in once at the end.
      if (open_model) r.corrected.Record(corrected_us);
      r.uncorrected.Record(static_cast<uint64_t>(now - f.sent_ns) / 1000);
      Second& s = Of(c).timeseries.At(SecondOf(now));
      ++s.requests;
      s.latency.Record(corrected_us);
    }
    if (!c.parser.keep_alive()) {
      Close(c);
      Connect(c, now);
      return false;
    }
    c.parser.SetSkipBody(c.inflight > 0 && plan.routes[c.front().route].head);
    Refill(c, now);
    return c.state == State::kOpen;
  }

  // A measured request's outcome counts: in plain runs when it ends in the measured period;
  // in sessions always (sent in a window, it may end after it).
  bool Counted(const InFlight& f, int64_t now) const {
    return f.measured && (plan.sliced || Measuring(now));
  }

  // --- sending --------------------------------------------------------------------------
  void Refill(Connection& c, int64_t now) {
    if (open_model) {
      while (c.inflight < depth && c.next_due_ns <= now && c.next_due_ns < plan.end_ns &&
             Enqueue(c, c.next_due_ns, now)) {
        c.next_due_ns += NextGap();
        if (plan.sliced) c.next_due_ns = NextSendable(c, c.next_due_ns);
      }
    } else {
      while (c.inflight < depth && Sendable(c, now) && Enqueue(c, now, now)) {
      }
    }
    if (c.out_sent < c.out.size()) Flush(c, now);
  }

  // Appends one request; false when the request budget is spent.
  bool Enqueue(Connection& c, int64_t intended_ns, int64_t now) {
    int window =
        plan.sliced ? WindowAt(intended_ns) : (intended_ns >= plan.measure_start_ns ? 0 : -1);
    if (window >= 0 && !plan.windows[window].measured) window = -1;
    const bool measured = window >= 0;
    if (measured && opt.max_requests > 0) {
      if (plan.budget_spent.load(std::memory_order_relaxed)) return false;
      if (plan.issued.fetch_add(1, std::memory_order_relaxed) >= opt.max_requests) {
        plan.budget_spent.store(true, std::memory_order_relaxed);
        return false;
      }
    }
    const uint32_t route = plan.routes.size() == 1 ? 0 : plan.picker.Pick(rng.Uniform());
    const auto& variants = plan.routes[route].variants;
    const std::string& bytes =
        variants.size() == 1 ? variants[0] : variants[rng.Next() % variants.size()];
    c.out.append(bytes);
    if (c.inflight == 0) c.parser.SetSkipBody(plan.routes[route].head);
    c.ring[(c.head + c.inflight) % depth] = {route, window, measured, intended_ns, now};
    ++c.inflight;
    ++inflight_total;
    if (c.connect_uncounted && measured) {
      ++Route(c, route).connects;
      c.connect_uncounted = false;
    }
    if (measured && opt.max_requests > 0 &&
        plan.issued.load(std::memory_order_relaxed) >= opt.max_requests) {
      plan.budget_spent.store(true, std::memory_order_relaxed);
    }
    return true;
  }

  void Flush(Connection& c, int64_t now) {
    while (c.out_sent < c.out.size()) {
      const ssize_t n =
          ::send(c.fd.get(), c.out.data() + c.out_sent, c.out.size() - c.out_sent, MSG_NOSIGNAL);
      if (n > 0) {
        c.out_sent += static_cast<size_t>(n);
        continue;
      }
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        if (!c.want_write) {
          c.want_write = true;
          loop.Modify(c.fd.get(), EPOLLIN | EPOLLOUT, static_cast<uint64_t>(&c - conns.data()));
        }
        return;
      }
      if (n < 0 && errno == EINTR) continue;
      return Fail(c, ErrorKind::kWrite, now);
    }
    c.out.clear();
    c.out_sent = 0;
    if (c.want_write) {
      c.want_write = false;
      loop.Modify(c.fd.get(), EPOLLIN, static_cast<uint64_t>(&c - conns.data()));
    }
  }

  // Open model: sends every request whose time has come; returns the next intended time.
  int64_t SendDue(int64_t now) {
    int64_t next = plan.end_ns;
    if (plan.budget_spent.load(std::memory_order_relaxed)) return next;  // nothing more to send
    for (auto& c : conns) {
      if (c.state == State::kOpen && c.inflight < depth && c.next_due_ns <= now) Refill(c, now);
      // Only open connections set the wake-up; others wait for their connect event.
      if (c.state == State::kOpen && c.inflight < depth) next = std::min(next, c.next_due_ns);
    }
    return next;
  }

  // Timeouts, connect retries.
  void Housekeep(int64_t now) {
    next_housekeeping_ns = now + kHousekeepingNs;
    PublishLive();
    const int64_t timeout_ns = static_cast<int64_t>(opt.timeout_s * 1e9);
    for (auto& c : conns) {
      switch (c.state) {
        case State::kClosed:
          if (now >= c.retry_at_ns) Connect(c, now);
          break;
        case State::kConnecting:
          if (now - c.connect_started_ns > timeout_ns) Fail(c, ErrorKind::kConnect, now);
          break;
        case State::kOpen:
          if (c.inflight > 0 && now - c.front().sent_ns > timeout_ns) {
            Fail(c, ErrorKind::kTimeout, now);
          }
          break;
      }
    }
  }
};

Worker::Worker(Plan& plan, const std::atomic<bool>& stop, int connections, int first_connection,
               uint64_t seed)
    : targets(plan.targets.size()),
      impl_(std::make_unique<Impl>(*this, plan, stop, connections, first_connection, seed)) {
  for (auto& target : targets) {
    target.routes.resize(plan.routes.size());
    target.windows.resize(plan.windows.size());
  }
}

Worker::~Worker() = default;

void Worker::Run() { impl_->Run(); }

}  // namespace fwbench::load
