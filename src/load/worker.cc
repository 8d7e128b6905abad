#include "load/worker.h"

#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cmath>
#include <ctime>
#include <optional>

#include "common/splitmix.h"
#include "load/connection.h"
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

}  // namespace

struct Worker::Impl {
  Worker& self;
  Plan& plan;
  const std::atomic<bool>& stop;
  const Options& opt;
  const bool open_model;
  const size_t depth;         // requests in flight per connection (open model: 1)
  const uint32_t per_target;  // connection slots per target
  int64_t interval_ns = 0;    // open model: mean gap between this worker's requests to a target
  int64_t drain_end_ns = 0;   // sliced: in-flight requests may complete until then
  net::EventLoop loop;
  std::vector<Connection> conns;    // target t owns [t * per_target, (t + 1) * per_target)
  std::vector<OpenPool> pools;      // open model: one per target
  std::vector<int64_t> next_due;    // open model: per target, the next intended send time
  std::vector<int64_t> open_after;  // open model: per target, no connect before (back-off)
  std::vector<char> buffer = std::vector<char>(kReadBufferBytes);
  SplitMix64 rng;
  Tally tally;
  uint64_t inflight_total = 0, waiting_total = 0;
  int64_t next_housekeeping_ns = 0;

  Impl(Worker& w, Plan& p, const std::atomic<bool>& s, const Share& share, uint64_t seed)
      : self(w),
        plan(p),
        stop(s),
        opt(p.options),
        open_model(p.options.rate > 0),
        depth(open_model ? 1 : static_cast<size_t>(std::max(1, p.options.pipeline))),
        per_target(static_cast<uint32_t>(open_model ? share.max_in_flight : share.connections)),
        loop(static_cast<int>(std::clamp<size_t>(per_target * p.targets.size(), 16, 1024))),
        conns(per_target * p.targets.size()),
        rng{seed},
        tally(p, w.targets) {
    drain_end_ns = plan.end_ns + static_cast<int64_t>(opt.timeout_s * 1e9);
    for (size_t i = 0; i < conns.size(); ++i) {
      conns[i].target = static_cast<uint32_t>(i / per_target);
      conns[i].ring.resize(depth);
      if (!open_model) conns[i].out.reserve(4096);
    }
    if (!open_model) return;
    interval_ns = static_cast<int64_t>(1e9 * share.workers / opt.rate);
    for (uint32_t t = 0; t < plan.targets.size(); ++t) {
      pools.emplace_back(t * per_target, per_target, share.connections);
      // Uniform: the workers' schedules interleave evenly; Poisson: independent streams.
      const int64_t first = plan.start_ns + (opt.arrival == Arrival::kPoisson
                                                 ? NextGap()
                                                 : interval_ns * share.index / share.workers);
      next_due.push_back(plan.sliced ? NextSendable(plan, t, first) : first);
      open_after.push_back(0);
    }
  }

  int64_t NextGap() {
    if (opt.arrival == Arrival::kUniform) return interval_ns;
    return static_cast<int64_t>(-std::log(1.0 - rng.Uniform()) * static_cast<double>(interval_ns));
  }

  uint64_t Token(const Connection& c) const { return static_cast<uint64_t>(&c - conns.data()); }
  TargetStats& Of(uint32_t target) { return self.targets[target]; }

  void Run() {
    const int64_t now = NowNs();
    if (!open_model)
      for (auto& c : conns) Connect(c, now);
    next_housekeeping_ns = now + kHousekeepingNs;
    int64_t boundary = plan.sliced ? NextBoundary(plan, now) : INT64_MAX;
    int64_t next_due_any = open_model ? SendDue(now) : INT64_MAX;
    while (true) {
      int64_t t = NowNs();
      if (Finished(t)) break;
      const int64_t wake = std::min(
          {next_housekeeping_ns, plan.sliced ? drain_end_ns : plan.end_ns, boundary, next_due_any});
      for (const epoll_event& ev : loop.Wait(std::max<int64_t>(0, (wake - t + 999) / 1000))) {
        Handle(conns[ev.data.u64], ev.events);
      }
      t = NowNs();
      if (t >= boundary) {  // a window opened or closed: idle connections of active targets go
        boundary = NextBoundary(plan, t);
        if (!open_model)
          for (auto& c : conns)
            if (c.state == State::kOpen && c.inflight == 0) Refill(c, t);
      }
      if (t >= next_housekeeping_ns) Housekeep(t);
      if (open_model) next_due_any = SendDue(t);
    }
    self.finished_ns = std::min(NowNs(), plan.end_ns);
    CountLeftovers();
    tally.PublishLive(opt.live);
    if (open_model) {
      for (uint32_t t = 0; t < pools.size(); ++t) Of(t).pool = pools[t].counts();
      return;
    }
    for (auto& target : self.targets)
      for (auto& r : target.routes) r.corrected = r.uncorrected;
    for (const Connection& c : conns) Of(c.target).connections.push_back(c.counts);
  }

  bool Finished(int64_t t) const {
    if (stop.load(std::memory_order_relaxed)) return true;
    const uint64_t outstanding = inflight_total + waiting_total;
    if (plan.sliced) return t >= drain_end_ns || (t >= plan.end_ns && outstanding == 0);
    if (t >= plan.end_ns) return true;
    return plan.budget_spent.load(std::memory_order_relaxed) && outstanding == 0;
  }

  // --- connection lifecycle -------------------------------------------------------------
  void Connect(Connection& c, int64_t now) {
    int error = 0;
    c.fd = net::ConnectTcp(plan.targets[c.target], &error);
    if (!c.fd) return ConnectFailed(c, now);
    c.state = State::kConnecting;
    c.connect_started_ns = now;
    c.connect_uncounted = true;
    loop.Add(c.fd.get(), EPOLLOUT, Token(c));
  }

  // Counted once per attempt. Closed model: the slot retries after a back-off; open model: the
  // slot is free and no connection to the target is opened during the back-off.
  void ConnectFailed(Connection& c, int64_t now) {
    tally.Unattributed(c.target, ErrorKind::kConnect, now, c.counts);
    Close(c);
    if (!open_model) {
      c.retry_at_ns = now + kConnectRetryNs;
      return;
    }
    pools[c.target].Free(static_cast<uint32_t>(Token(c)), false);
    open_after[c.target] = now + kConnectRetryNs;
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

  // Closes `c` with nothing counted in flight. Closed model: the slot reconnects at once;
  // open model: the slot is free, and the next due request finding no idle connection opens
  // a new one.
  void Recycle(Connection& c, int64_t now, bool by_server) {
    Close(c);
    if (open_model)
      pools[c.target].Free(static_cast<uint32_t>(Token(c)), by_server);
    else
      Connect(c, now);
  }

  // Every request in flight on `c` failed with `kind`; the connection is replaced.
  void Fail(Connection& c, ErrorKind kind, int64_t now) {
    if (c.state == State::kConnecting) return ConnectFailed(c, now);
    for (size_t i = 0; i < c.inflight; ++i)
      tally.Failed(c.target, c.ring[(c.head + i) % depth], kind, now, &c.counts);
    // e.g. garbage sent before any request
    if (c.inflight == 0) tally.Unattributed(c.target, kind, now, c.counts);
    Recycle(c, now, false);
  }

  // Measured requests still in flight or waiting for a connection when the run ends.
  void CountLeftovers() {
    for (const Connection& c : conns)
      for (size_t i = 0; i < c.inflight; ++i) {
        const Request& r = c.ring[(c.head + i) % depth];
        if (r.measured()) tally.Unfinished(c.target, r);
      }
    for (uint32_t t = 0; t < pools.size(); ++t)
      while (pools[t].waiting() > 0) {
        const Request r = pools[t].Pop();
        if (r.measured()) tally.Unfinished(t, r);
      }
  }

  // --- events ---------------------------------------------------------------------------
  void Handle(Connection& c, uint32_t events) {
    const int64_t now = NowNs();
    if (c.state == State::kConnecting) {
      if (net::ConnectError(c.fd.get()) != 0) return Fail(c, ErrorKind::kConnect, now);
      c.state = State::kOpen;
      loop.Modify(c.fd.get(), EPOLLIN, Token(c));
      if (open_model) return pools[c.target].Opened(static_cast<uint32_t>(Token(c)));
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
      if (c.inflight > 0 && c.front().measured())
        Of(c.target).routes[c.front().route].bytes_read += n;
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
    Recycle(c, now, true);  // an idle keep-alive connection the server closed: not an error
    return false;
  }

  // One response ended. Returns false when the connection was closed (and replaced).
  bool Complete(Connection& c, int64_t now) {
    const int status = c.parser.status();
    if (status >= 100 && status < 200 && status != 101) return true;     // informational
    if (c.inflight == 0) return Fail(c, ErrorKind::kParse, now), false;  // unsolicited
    const Request r = c.front();
    c.head = (c.head + 1) % depth;
    --c.inflight;
    --inflight_total;
    tally.Response(c.target, r, status, now, open_model, c.counts);
    if (!c.parser.keep_alive()) {
      Recycle(c, now, true);
      return false;
    }
    if (open_model) {
      pools[c.target].Done(static_cast<uint32_t>(Token(c)));
      return true;
    }
    c.parser.SetSkipBody(c.inflight > 0 && plan.routes[c.front().route].head);
    Refill(c, now);
    return c.state == State::kOpen;
  }

  // --- sending --------------------------------------------------------------------------
  // A request falling due at `intended_ns`, with its route and window; none when the request
  // budget is spent.
  std::optional<Request> Issue(int64_t intended_ns) {
    const int window = MeasuredWindow(plan, intended_ns);
    if (window >= 0 && opt.max_requests > 0) {
      if (plan.budget_spent.load(std::memory_order_relaxed)) return std::nullopt;
      const uint64_t before = plan.issued.fetch_add(1, std::memory_order_relaxed);
      if (before + 1 >= opt.max_requests) plan.budget_spent.store(true, std::memory_order_relaxed);
      if (before >= opt.max_requests) return std::nullopt;
    }
    const uint32_t route = plan.routes.size() == 1 ? 0 : plan.picker.Pick(rng.Uniform());
    return Request{.route = route, .window = window, .intended_ns = intended_ns};
  }

  // Appends `r` to what `c` sends next.
  void Put(Connection& c, Request r, int64_t now) {
    const auto& variants = plan.routes[r.route].variants;
    c.out.append(variants.size() == 1 ? variants[0] : variants[rng.Next() % variants.size()]);
    if (c.inflight == 0) c.parser.SetSkipBody(plan.routes[r.route].head);
    r.sent_ns = now;
    c.ring[(c.head + c.inflight) % depth] = r;
    ++c.inflight;
    ++inflight_total;
    if (c.connect_uncounted && r.measured()) {
      ++Of(c.target).routes[r.route].connects;
      c.connect_uncounted = false;
    }
  }

  // Closed model: keeps `c` `pipeline` requests deep while its target may send.
  void Refill(Connection& c, int64_t now) {
    while (c.inflight < depth && Sendable(plan, c.target, now)) {
      const auto r = Issue(now);
      if (!r) break;
      Put(c, *r, now);
    }
    if (c.out_sent < c.out.size()) Flush(c, now);
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
          loop.Modify(c.fd.get(), EPOLLIN | EPOLLOUT, Token(c));
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
      loop.Modify(c.fd.get(), EPOLLIN, Token(c));
    }
  }

  // Open model: queues every request whose time has come, hands the waiting ones to idle or
  // new connections, then closes idle connections above the cap. Returns the next intended
  // send time (INT64_MAX: none).
  int64_t SendDue(int64_t now) {
    int64_t next = INT64_MAX;
    for (uint32_t t = 0; t < pools.size(); ++t) {
      OpenPool& pool = pools[t];
      while (next_due[t] <= now && next_due[t] < plan.end_ns) {
        const auto r = Issue(next_due[t]);
        if (!r) {
          next_due[t] = INT64_MAX;  // the budget is spent
          break;
        }
        pool.Push(*r);
        ++waiting_total;
        next_due[t] += NextGap();
        if (plan.sliced) next_due[t] = NextSendable(plan, t, next_due[t]);
      }
      Dispatch(t, now);
      while (const auto slot = pool.OverCap()) Close(conns[*slot]);
      if (next_due[t] < plan.end_ns) next = std::min(next, next_due[t]);
    }
    return next;
  }

  // Open model: each waiting request, oldest first, goes out on the most recently idle
  // connection, else a new connection is opened for it (it is sent once connected).
  void Dispatch(uint32_t t, int64_t now) {
    OpenPool& pool = pools[t];
    while (pool.waiting() > 0) {
      if (const auto slot = pool.TakeIdle()) {
        Connection& c = conns[*slot];
        Put(c, pool.Pop(), now);
        --waiting_total;
        Flush(c, now);
        continue;
      }
      if (now < open_after[t]) return;
      const auto slot = pool.ToOpen();
      if (!slot) return;  // enough connecting, or max_in_flight connections open
      Connect(conns[*slot], now);
    }
  }

  // Timeouts, connect retries.
  void Housekeep(int64_t now) {
    next_housekeeping_ns = now + kHousekeepingNs;
    tally.PublishLive(opt.live);
    const int64_t timeout_ns = static_cast<int64_t>(opt.timeout_s * 1e9);
    for (auto& c : conns) {
      switch (c.state) {
        case State::kClosed:
          if (!open_model && now >= c.retry_at_ns) Connect(c, now);
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
    for (uint32_t t = 0; t < pools.size(); ++t) ExpireWaiting(t, now, timeout_ns);
  }

  // Open model: a request that waited for a connection longer than timeout_s is a timeout,
  // and is never sent.
  void ExpireWaiting(uint32_t t, int64_t now, int64_t timeout_ns) {
    OpenPool& pool = pools[t];
    while (pool.waiting() > 0 && now - pool.Oldest().intended_ns > timeout_ns) {
      const Request r = pool.Pop();
      --waiting_total;
      tally.Failed(t, r, ErrorKind::kTimeout, now, nullptr);
    }
  }
};

Worker::Worker(Plan& plan, const std::atomic<bool>& stop, const Share& share, uint64_t seed)
    : impl_(std::make_unique<Impl>(*this, plan, stop, share, seed)) {}

Worker::~Worker() = default;

void Worker::Run() { impl_->Run(); }

}  // namespace fwbench::load
