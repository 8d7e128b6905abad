#include "suite/group_run.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <memory>
#include <thread>

#include "launch/sampler.h"
#include "suite/schedule.h"
#include "suite/slice_cpu.h"

namespace fwbench::suite {
namespace {

using nlohmann::json;

// Unmeasured sub-rounds that open the measured session (PlanSlices `settle`).
constexpr int kSettle = 1;

long ErrorCount(const json& overall) {
  long errors = 0;
  const json counts = overall.value("errors", json::object());
  for (const auto& [name, count] : counts.items())
    if (count.is_number()) errors += count.get<long>();
  return errors;
}

json ServerJson(const launch::TreeUsage& usage, double requests, double cold_start_ms, int port) {
  json server = launch::ToJson(usage);
  double cpu_s = usage.cpu_user_s + usage.cpu_sys_s;
  server["cpu_us_per_request"] = requests > 0 ? json(cpu_s * 1e6 / requests) : json(nullptr);
  server["cold_start_ms"] = cold_start_ms;
  server["port"] = port;
  return server;
}

// "server exited with code 3 during the warmup; log tail: ...", once the exit status is known.
std::string ServerGone(launch::Server& server, const std::string& when) {
  for (int i = 0; i < 250 && server.Running(); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  std::string exit = server.ExitDescription();
  return "server " + (exit.empty() ? std::string("stopped answering") : exit) + " " + when +
         "; log tail: " + server.LogTail(400);
}

// The apps still measurable; the others get a failed AppRound naming `when`.
std::vector<size_t> Alive(const std::vector<GroupApp>& apps, const std::vector<size_t>& indices,
                          GroupRound& out, const std::string& when) {
  std::vector<size_t> alive;
  for (size_t i : indices) {
    if (apps[i].server->Running()) {
      alive.push_back(i);
    } else {
      out.apps[i].reason = ServerGone(*apps[i].server, when);
    }
  }
  return alive;
}

load::SessionOptions SessionFor(const load::Options& options, const std::vector<GroupApp>& apps,
                                const std::vector<size_t>& indices,
                                std::vector<load::SliceSpec> slices) {
  load::SessionOptions session;
  session.load = options;
  for (size_t i : indices) session.ports.push_back(apps[i].server->port());
  session.slices = std::move(slices);
  return session;
}

// Per target, the req/s of each slice it was active in.
std::vector<std::vector<double>> SliceRps(const load::SessionReport& report,
                                          const std::vector<load::SliceSpec>& slices) {
  std::vector<std::vector<double>> rps(report.slices.size());
  for (size_t t = 0; t < report.slices.size(); ++t)
    for (size_t s = 0; s < slices.size(); ++s)
      if (slices[s].active >> t & 1U)
        rps[t].push_back(static_cast<double>(report.slices[t][s].requests) / slices[s].duration_s);
  return rps;
}

struct Warmup {
  double seconds = 0;
  Trend trend{INFINITY, INFINITY};  // of the app that moves most
  int slices = 0;
  bool steady = false;
  json ToJson() const {
    auto number = [](double v) { return std::isfinite(v) ? json(v) : json(nullptr); };
    return {{"seconds", seconds},
            {"slices", slices},
            {"trend_pct", number(trend.change_pct)},
            {"trend_se_pct", number(trend.se_pct)},
            {"steady", steady}};
  }
};

// Sub-rounds of the first warmup session: enough for warmup_s (at least two), fewer when its
// wall time would pass warmup_max_s. One session instead of several saves the reconnects and
// the drains of in-flight requests between them (about a second per session on a slow route).
int FirstWarmupSubrounds(const Suite& suite, size_t apps) {
  const Paired& p = suite.paired;
  int n = std::max(2, static_cast<int>(std::ceil(suite.warmup_s / p.slice_s - 1e-9)));
  const double wall_per_subround = p.slice_s * (p.mode == "slices" ? apps : 1);
  while (n > 2 && n * wall_per_subround > p.warmup_max_s + 1e-9) --n;
  return n;
}

// Interleaved warmup: a first session of FirstWarmupSubrounds, then sessions of two
// sub-rounds, until every app has run warmup_s and none shows a trend over its last four
// slices (FitTrend: below trend_pct, or within the noise), or warmup_max_s has passed.
Warmup WarmUp(const Suite& suite, const load::Options& options, const std::vector<GroupApp>& apps,
              const std::vector<size_t>& alive, SplitMix64& rng, const SessionFn& session,
              const std::atomic<bool>& stop) {
  Warmup w;
  const Paired& p = suite.paired;
  if (suite.warmup_s <= 0 && p.warmup_max_s <= 0) return w;
  std::vector<std::vector<double>> rps(alive.size());
  int subrounds = FirstWarmupSubrounds(suite, alive.size());
  while (!stop) {
    auto slices = PlanSlices(p.mode, alive.size(), subrounds, p.slice_s, rng);
    subrounds = 2;
    load::SessionReport report = session(SessionFor(options, apps, alive, slices), stop);
    const auto chunk = SliceRps(report, slices);
    for (size_t t = 0; t < chunk.size() && t < rps.size(); ++t)
      rps[t].insert(rps[t].end(), chunk[t].begin(), chunk[t].end());
    w.seconds += slices.back().start_s + slices.back().duration_s;
    w.slices = static_cast<int>(rps[0].size());
    w.steady = w.slices * p.slice_s >= suite.warmup_s;
    w.trend = {0, 0};
    for (const auto& series : rps) {
      const Trend t = FitTrend(series);
      w.steady = w.steady && t.Steady(p.trend_pct);
      if (!std::isfinite(t.change_pct) || std::fabs(t.change_pct) >= std::fabs(w.trend.change_pct))
        w.trend = t;
    }
    if (w.steady || w.seconds >= p.warmup_max_s) break;
  }
  return w;
}

json SlicesJson(const load::SessionReport& report, const std::vector<load::SliceSpec>& slices,
                const std::vector<std::vector<double>>& cpu, size_t target, const std::string& mode,
                size_t apps) {
  json out = json::array();
  for (size_t s = 0; s < slices.size(); ++s) {
    if (!slices[s].measured || !(slices[s].active >> target & 1U)) continue;
    const load::SliceResult& r = report.slices[target][s];
    out.push_back({{"index", s},
                   {"subround", SubroundOf(mode, apps, s) - kSettle},
                   {"duration_s", slices[s].duration_s},
                   {"requests", r.requests},
                   {"errors", r.errors},
                   {"unfinished", r.unfinished},
                   {"rps", static_cast<double>(r.requests) / slices[s].duration_s},
                   {"cpu_s", cpu[target][s]}});
  }
  return out;
}

// `slice_cpu_s`: the app's CPU over every slice of the session (its own and the others'), its
// proxy's included; `proxy_cpu_s`: the proxy's alone.
AppRound AppResult(const GroupApp& app, int round, json load_report, json slices,
                   const launch::TreeUsage& usage, double slice_cpu_s, double proxy_cpu_s,
                   const Warmup& warmup) {
  AppRound out;
  if (usage.root_exited || !app.server->Running()) {
    out.reason = ServerGone(*app.server, "during the measured window");
    return out;
  }
  json overall = load_report.value("overall", json::object());
  const double requests = overall.value("requests", 0.0);
  if (requests <= 0) {
    out.reason =
        "no complete response in the measured window; log tail: " + app.server->LogTail(400);
    return out;
  }
  out.ok = true;
  out.rps = overall.value("rps", 0.0);
  out.errors = ErrorCount(overall);
  json status = overall.value("status", json::object());
  const double bad = out.errors + status.value("4xx", 0.0) + status.value("5xx", 0.0);
  json server = ServerJson(usage, requests, app.server->cold_start_ms(), app.server->port());
  if (slice_cpu_s > 0) server["cpu_us_per_request"] = slice_cpu_s * 1e6 / requests;
  if (usage.has_proxy) {  // results/SCHEMA.md: the proxy's own share, already in the totals
    if (proxy_cpu_s <= 0) proxy_cpu_s = usage.proxy.cpu_user_s + usage.proxy.cpu_sys_s;
    server["proxy"] = app.cell->proxy;
    server["proxy_cpu_s"] = proxy_cpu_s;
    server["proxy_cpu_us_per_request"] = proxy_cpu_s * 1e6 / requests;
    server["proxy_rss_bytes"] = usage.proxy.rss_peak_bytes;
    server["proxy_rss_mean_bytes"] = usage.proxy.rss_mean_bytes;
  }
  out.repetition = {{"round", round},
                    {"error_ratio", bad / (requests + out.errors)},
                    {"load", std::move(load_report)},
                    {"server", std::move(server)},
                    {"slices", std::move(slices)},
                    {"warmup", warmup.ToJson()}};
  return out;
}

}  // namespace

load::Options CellLoadOptions(const Suite& suite, size_t route, size_t level, int port) {
  load::Options options;
  options.host = "127.0.0.1";
  options.port = port;
  options.threads = suite.load_threads;
  options.duration_s = suite.duration_s;
  options.warmup_s = 0;
  options.timeout_s = suite.timeout_s;
  options.requests = suite.routes[route].requests;
  const LoadLevel& l = suite.levels[level];
  if (l.model == "closed") {
    options.connections = l.concurrency;
    options.rate = 0;
  } else {
    options.connections = suite.open_connections;
    options.rate = l.rate;
    options.arrival =
        suite.arrival == "poisson" ? load::Arrival::kPoisson : load::Arrival::kUniform;
  }
  options.threads = std::min(options.threads, options.connections);
  return options;
}

GroupRound MeasureGroup(const Suite& suite, const std::vector<GroupApp>& apps, int round,
                        SplitMix64& rng, const SessionFn& session, Progress& progress,
                        const std::atomic<bool>& stop) {
  GroupRound out;
  out.apps.resize(apps.size());
  const CellSpec& first = *apps.front().cell;
  load::Options options = CellLoadOptions(suite, first.route, first.level, 0);
  std::vector<size_t> all(apps.size());
  for (size_t i = 0; i < apps.size(); ++i) all[i] = i;
  try {
    std::vector<size_t> alive = Alive(apps, all, out, "before the warmup");
    if (alive.empty()) return out;
    const Warmup warmup = WarmUp(suite, options, apps, alive, rng, session, stop);
    if (stop) return out.interrupted = true, out;
    alive = Alive(apps, alive, out, "during the warmup");
    if (alive.empty()) return out;

    const Paired& p = suite.paired;
    auto slices =
        PlanSlices(p.mode, alive.size(), p.Slices(suite.duration_s), p.slice_s, rng, kSettle);
    load::LiveCounters live;
    options.live = &live;
    load::SessionOptions measured = SessionFor(options, apps, alive, slices);
    measured.zero_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                           std::chrono::steady_clock::now().time_since_epoch())
                           .count() +
                       50'000'000;
    std::vector<AppTrees> roots;
    std::vector<std::unique_ptr<launch::TreeSampler>> samplers;
    std::vector<std::atomic<bool>> exited(alive.size());
    for (size_t k = 0; k < alive.size(); ++k) {
      launch::Server& server = *apps[alive[k]].server;
      const launch::Process* proxy = server.proxy_process();
      roots.push_back({server.process().pid(), proxy ? proxy->pid() : 0});
      samplers.push_back(std::make_unique<launch::TreeSampler>(roots.back().server, 100, exited[k],
                                                               roots.back().proxy));
    }
    SliceCpu cpu(roots, slices, measured.zero_ns, stop);
    load::SessionReport report;
    {
      LiveTicker ticker(progress, live);
      report = session(measured, stop);
    }
    const auto slice_cpu = cpu.Finish();
    const auto proxy_cpu = cpu.ProxyCpu();
    if (stop) return out.interrupted = true, out;
    for (size_t k = 0; k < alive.size(); ++k) {
      launch::TreeUsage usage = samplers[k]->Finish();
      double cpu_s = 0, proxy_s = 0;  // every measured slice: its own and its tails in others'
      for (size_t i = 0; i < slices.size(); ++i)
        if (slices[i].measured) cpu_s += slice_cpu[k][i], proxy_s += proxy_cpu[k][i];
      out.apps[alive[k]] = AppResult(apps[alive[k]], round, std::move(report.targets[k]),
                                     SlicesJson(report, slices, slice_cpu, k, p.mode, alive.size()),
                                     usage, cpu_s, proxy_s, warmup);
    }
  } catch (const std::exception& e) {
    if (stop) return out.interrupted = true, out;
    for (auto& app : out.apps)
      if (!app.ok && app.reason.empty()) app.reason = std::string("load run failed: ") + e.what();
  }
  return out;
}

}  // namespace fwbench::suite
