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
  bool measured = false;
  int64_t intended_ns = 0, sent_ns = 0;
};

enum class State { kClosed, kConnecting, kOpen };

struct Connection {
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
  int64_t interval_ns = 0;  // open model: mean gap between one connection's requests
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
        loop(std::max(16, n)),
        conns(n),
        rng{seed} {
    const int total = std::max(1, opt.connections);
    if (open_model) interval_ns = static_cast<int64_t>(1e9 * total / opt.rate);
    for (int i = 0; i < n; ++i) {
      conns[i].ring.resize(depth);
      conns[i].out.reserve(4096);
      conns[i].next_due_ns = plan.start_ns + FirstGap(first + i, total);
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

  RouteStats& Route(uint32_t index) { return self.routes[index]; }
  bool Measuring(int64_t t) const { return t >= plan.measure_start_ns && t < plan.end_ns; }
  uint64_t SecondOf(int64_t t) const {
    return static_cast<uint64_t>((t - plan.measure_start_ns) / 1'000'000'000);
  }

  void Run() {
    const int64_t now = NowNs();
    for (auto& c : conns) Connect(c, now);
    next_housekeeping_ns = now + kHousekeepingNs;
    int64_t next_due = now;
    while (true) {
      int64_t t = NowNs();
      if (Finished(t)) break;
      int64_t wake = std::min(next_housekeeping_ns, plan.end_ns);
      if (open_model) wake = std::min(wake, next_due);
      for (const epoll_event& ev : loop.Wait(std::max<int64_t>(0, (wake - t + 999) / 1000))) {
        Handle(conns[ev.data.u64], ev.events);
      }
      t = NowNs();
      if (open_model) next_due = SendDue(t);
      if (t >= next_housekeeping_ns) Housekeep(t);
    }
    self.finished_ns = std::min(NowNs(), plan.end_ns);
    PublishLive();
    if (!open_model) {
      for (auto& r : self.routes) r.corrected = r.uncorrected;
    }
  }

  bool Finished(int64_t t) const {
    if (stop.load(std::memory_order_relaxed) || t >= plan.end_ns) return true;
    return plan.budget_spent.load(std::memory_order_relaxed) && inflight_total == 0;
  }

  // --- connection lifecycle -------------------------------------------------------------
  void Connect(Connection& c, int64_t now) {
    int error = 0;
    c.fd = net::ConnectTcp(plan.endpoint, &error);
    if (!c.fd) {
      CountConnectError(now);
      c.retry_at_ns = now + kConnectRetryNs;
      return;
    }
    c.state = State::kConnecting;
    c.connect_started_ns = now;
    c.connect_uncounted = true;
    loop.Add(c.fd.get(), EPOLLOUT, static_cast<uint64_t>(&c - conns.data()));
  }

  void CountError(int64_t now) { ++self.timeseries.At(SecondOf(now)).errors; }

  // Adds what was measured since the last call to opt.live: every housekeeping tick and at the
  // end, so the send/receive path never touches a shared counter.
  void PublishLive() {
    if (!opt.live) return;
    const TimeSeries::Counts total = self.timeseries.Totals();
    opt.live->responses.fetch_add(total.requests - published.requests, std::memory_order_relaxed);
    opt.live->errors.fetch_add(total.errors - published.errors, std::memory_order_relaxed);
    published = total;
  }

  void CountConnectError(int64_t now) {
    if (!Measuring(now)) return;
    ++self.unattributed.errors[static_cast<int>(ErrorKind::kConnect)];
    CountError(now);
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
      CountConnectError(now);
      Close(c);
      c.retry_at_ns = now + kConnectRetryNs;
      return;
    }
    for (size_t i = 0; i < c.inflight; ++i) {
      const InFlight& f = c.ring[(c.head + i) % depth];
      if (!f.measured || !Measuring(now)) continue;
      ++Route(f.route).errors[static_cast<int>(kind)];
      CountError(now);
    }
    if (c.inflight == 0 && Measuring(now)) {  // e.g. garbage sent before any request
      ++self.unattributed.errors[static_cast<int>(kind)];
      CountError(now);
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
      if (c.inflight > 0 && c.front().measured) Route(c.front().route).bytes_read += n;
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
    if (f.measured && Measuring(now)) {
      RouteStats& r = Route(f.route);
      ++r.requests;
      r.CountStatus(status);
      const uint64_t corrected_us = static_cast<uint64_t>(now - f.intended_ns) / 1000;
      // Closed model: intended == sent, so `corrected` is filled in once at the end.
      if (open_model) r.corrected.Record(corrected_us);
      r.uncorrected.Record(static_cast<uint64_t>(now - f.sent_ns) / 1000);
      Second& s = self.timeseries.At(SecondOf(now));
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

  // --- sending --------------------------------------------------------------------------
  void Refill(Connection& c, int64_t now) {
    if (open_model) {
      while (c.inflight < depth && c.next_due_ns <= now && c.next_due_ns < plan.end_ns &&
             Enqueue(c, c.next_due_ns, now)) {
        c.next_due_ns += NextGap();
      }
    } else {
      while (c.inflight < depth && Enqueue(c, now, now)) {
      }
    }
    if (c.out_sent < c.out.size()) Flush(c, now);
  }

  // Appends one request; false when the request budget is spent.
  bool Enqueue(Connection& c, int64_t intended_ns, int64_t now) {
    const bool measured = intended_ns >= plan.measure_start_ns;
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
    c.ring[(c.head + c.inflight) % depth] = {route, measured, intended_ns, now};
    ++c.inflight;
    ++inflight_total;
    if (c.connect_uncounted && measured) {
      ++Route(route).connects;
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
    : routes(plan.routes.size()),
      impl_(std::make_unique<Impl>(*this, plan, stop, connections, first_connection, seed)) {}

Worker::~Worker() = default;

void Worker::Run() { impl_->Run(); }

}  // namespace fwbench::load
