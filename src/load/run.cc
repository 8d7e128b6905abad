// fwbench::load::Run: splits the connections over the threads, runs the workers, merges their
// statistics into the fwbench.load/1 report.
#include <chrono>
#include <ctime>
#include <map>
#include <thread>

#include "common/error.h"
#include "common/paths.h"
#include "load/load.h"
#include "load/plan.h"
#include "load/worker.h"

namespace fwbench::load {
namespace {

void Validate(const Options& o) {
  const std::string where = "load options";
  if (o.threads < 1) throw Error("threads must be >= 1", where, "pass -t 1 or more");
  if (o.connections < o.threads) {
    throw Error("connections (" + std::to_string(o.connections) + ") < threads (" +
                    std::to_string(o.threads) + ")",
                where, "give each thread at least one connection");
  }
  if (!(o.duration_s > 0)) throw Error("duration must be > 0", where, "pass -d 10s");
  if (o.warmup_s < 0 || o.rate < 0 || o.pipeline < 1 || !(o.timeout_s > 0)) {
    throw Error("negative warmup or rate, pipeline < 1 or timeout <= 0", where,
                "check --warmup, --rate, --pipeline and --timeout");
  }
  if (o.requests.empty()) throw Error("no requests to send", where, "give a URL or a mix file");
  if (o.rate > 0 && o.pipeline > 1)
    throw Error("pipelining applies to the closed model only", where,
                "drop --pipeline, or --rate for the closed model");
  if (o.max_in_flight < 0 || (o.rate > 0 && o.max_in_flight > 0 && o.max_in_flight < o.threads))
    throw Error("max_in_flight (" + std::to_string(o.max_in_flight) +
                    ") is negative or below threads (" + std::to_string(o.threads) + ")",
                where, "give each thread at least one request in flight, or 0 for the default");
}

void ValidateSession(const SessionOptions& s) {
  const std::string where = "load session";
  if (s.ports.empty() || s.ports.size() > 64)
    throw Error("a session needs 1 to 64 targets, got " + std::to_string(s.ports.size()), where,
                "give each app's port once");
  if (s.slices.empty()) throw Error("a session needs at least one slice", where, "add slices");
  double end = 0;
  for (size_t i = 0; i < s.slices.size(); ++i) {
    const SliceSpec& slice = s.slices[i];
    if (!(slice.duration_s > 0) || slice.start_s < end - 1e-9)
      throw Error("slice " + std::to_string(i) + " is empty or overlaps the one before", where,
                  "give slices in time order with positive durations");
    end = slice.start_s + slice.duration_s;
  }
}

int MaxInFlight(const Options& o) {
  return o.max_in_flight > 0 ? o.max_in_flight : std::max(kDefaultMaxInFlight, o.threads);
}

std::string UtcNow() {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return text;
}

nlohmann::json ConfigJson(const Options& o) {
  nlohmann::json requests = nlohmann::json::array();
  for (const auto& r : o.requests) {
    nlohmann::json spec = {{"name", r.name.empty() ? r.method + " " + r.path : r.name},
                           {"method", r.method},
                           {"path", r.path},
                           {"weight", r.weight}};
    if (!r.param_values.empty()) spec["params"] = r.param_values;
    if (!r.body.empty()) spec["body_bytes"] = r.body.size();
    requests.push_back(std::move(spec));
  }
  const bool open = o.rate > 0;
  const std::string path = o.requests.size() == 1 ? o.requests[0].path : "/";
  return {
      {"url", "http://" + HostHeader(o.host, o.port) + path},
      {"threads", o.threads},
      {"connections", o.connections},
      {"model", open ? "open" : "closed"},
      {"max_in_flight", open ? nlohmann::json(MaxInFlight(o)) : nlohmann::json(nullptr)},
      {"rate", open ? nlohmann::json(o.rate) : nlohmann::json(nullptr)},
      {"arrival", open ? nlohmann::json(o.arrival == Arrival::kPoisson ? "poisson" : "uniform")
                       : nlohmann::json(nullptr)},
      {"duration_s", o.duration_s},
      {"max_requests", o.max_requests ? nlohmann::json(o.max_requests) : nlohmann::json(nullptr)},
      {"warmup_s", o.warmup_s},
      {"timeout_s", o.timeout_s},
      {"pipeline", o.pipeline},
      {"requests", std::move(requests)}};
}

// Thread t's part of `total` split over `threads`.
int PartOf(int total, int threads, int t) { return total / threads + (t < total % threads); }

// Starts the workers on `plan` (connections and max_in_flight split over the threads) and
// returns them finished.
std::vector<std::unique_ptr<Worker>> RunWorkers(Plan& plan, const std::atomic<bool>& stop) {
  const Options& options = plan.options;
  std::vector<std::unique_ptr<Worker>> workers;
  for (int t = 0; t < options.threads; ++t) {
    const Share share{.index = t,
                      .workers = options.threads,
                      .connections = PartOf(options.connections, options.threads, t),
                      .max_in_flight = PartOf(MaxInFlight(options), options.threads, t)};
    workers.push_back(std::make_unique<Worker>(plan, stop, share, 0x5eed + t));
  }
  std::vector<std::jthread> threads;
  for (size_t t = 1; t < workers.size(); ++t) threads.emplace_back([&w = *workers[t]] { w.Run(); });
  workers[0]->Run();
  threads.clear();  // joins
  return workers;
}

void RenderRoutes(Plan& plan) {
  for (const auto& spec : plan.options.requests)
    plan.routes.push_back(RenderRoute(plan.options, spec));
}

// The fwbench.load/1 report of one target, over `elapsed_s` of measured time.
nlohmann::json TargetReport(const Plan& plan, const std::vector<std::unique_ptr<Worker>>& workers,
                            size_t target, const Options& config, const std::string& started_at,
                            double elapsed_s, bool interrupted) {
  std::vector<RouteStats> routes(plan.routes.size());
  RouteStats overall;
  TimeSeries timeseries;
  std::vector<ConnectionCounts> connections;
  PoolCounts pool;
  for (const auto& w : workers) {
    const TargetStats& mine = w->targets[target];
    for (size_t r = 0; r < routes.size(); ++r) routes[r].Merge(mine.routes[r]);
    overall.Merge(mine.unattributed);
    timeseries.Merge(mine.timeseries);
    connections.insert(connections.end(), mine.connections.begin(), mine.connections.end());
    pool.Merge(mine.pool);
  }
  const bool open = config.rate > 0;
  for (const auto& r : routes) overall.Merge(r);
  nlohmann::json by_route = nlohmann::json::object();
  for (size_t r = 0; r < routes.size(); ++r) {
    std::string name = plan.routes[r].name;
    while (by_route.contains(name)) name += "'";  // duplicate names stay distinct
    by_route[name] = routes[r].ToJson(elapsed_s);
  }
  return {{"schema", "fwbench.load/1"},
          {"tool", {{"name", "fwbench"}, {"version", Version()}, {"commit", GitCommit()}}},
          {"config", ConfigJson(config)},
          {"started_at", started_at},
          {"elapsed_s", elapsed_s},
          {"interrupted", interrupted},
          {"overall", overall.ToJson(elapsed_s)},
          {"routes", std::move(by_route)},
          {"timeseries", timeseries.ToJson(static_cast<uint64_t>(std::ceil(elapsed_s)))},
          {"connections", open ? nlohmann::json(nullptr) : ConnectionsJson(connections)},
          {"pool",
           open ? pool.ToJson(config.connections, MaxInFlight(config)) : nlohmann::json(nullptr)}};
}

}  // namespace

nlohmann::json Run(const Options& options, const std::atomic<bool>& stop) {
  Validate(options);
  Plan plan{.options = options, .picker = RoutePicker(options.requests)};
  RenderRoutes(plan);
  plan.targets = {net::Resolve(options.host, options.port)};
  const std::string started_at = UtcNow();
  plan.start_ns = NowNs();
  plan.measure_start_ns = plan.start_ns + static_cast<int64_t>(options.warmup_s * 1e9);
  plan.end_ns = plan.measure_start_ns + static_cast<int64_t>(options.duration_s * 1e9);
  plan.windows = {{plan.measure_start_ns, plan.end_ns, 1}};
  const auto workers = RunWorkers(plan, stop);

  int64_t finished_ns = plan.measure_start_ns;
  for (const auto& w : workers) finished_ns = std::max(finished_ns, w->finished_ns);
  const double elapsed_s = static_cast<double>(finished_ns - plan.measure_start_ns) / 1e9;
  const bool interrupted =
      stop.load() && NowNs() < plan.end_ns && !(options.max_requests && plan.budget_spent.load());
  return TargetReport(plan, workers, 0, options, started_at, elapsed_s, interrupted);
}

SessionReport RunSession(const SessionOptions& session, const std::atomic<bool>& stop) {
  Options options = session.load;
  options.warmup_s = 0;
  options.max_requests = 0;
  Validate(options);
  ValidateSession(session);
  Plan plan{.options = options, .picker = RoutePicker(options.requests)};
  RenderRoutes(plan);
  plan.sliced = true;
  for (int port : session.ports) plan.targets.push_back(net::Resolve(options.host, port));
  plan.start_ns = NowNs();
  const int64_t zero = session.zero_ns ? session.zero_ns : plan.start_ns + 50'000'000;
  for (const SliceSpec& s : session.slices) {
    const int64_t start = zero + static_cast<int64_t>(s.start_s * 1e9);
    plan.windows.push_back(
        {start, start + static_cast<int64_t>(s.duration_s * 1e9), s.active, s.measured});
  }
  plan.measure_start_ns = plan.windows.front().start_ns;
  plan.end_ns = plan.windows.back().end_ns;
  const std::string started_at = UtcNow();
  const auto workers = RunWorkers(plan, stop);
  const bool interrupted = stop.load() && NowNs() < plan.end_ns;
  int64_t finished_ns = plan.measure_start_ns;
  for (const auto& w : workers) finished_ns = std::max(finished_ns, w->finished_ns);

  SessionReport report;
  report.zero_ns = zero;
  for (size_t t = 0; t < plan.targets.size(); ++t) {
    double active_s = 0;  // measured time: the target's windows, up to where the run ended
    std::vector<SliceResult> slices;
    for (size_t i = 0; i < plan.windows.size(); ++i) {
      const Window& w = plan.windows[i];
      if (w.measured && (w.active >> t & 1U))
        active_s += static_cast<double>(
                        std::max<int64_t>(0, std::min(w.end_ns, finished_ns) - w.start_ns)) /
                    1e9;
      SliceResult slice;
      for (const auto& worker : workers) {
        slice.requests += worker->targets[t].windows[i].requests;
        slice.errors += worker->targets[t].windows[i].errors;
        slice.unfinished += worker->targets[t].windows[i].unfinished;
      }
      slices.push_back(slice);
    }
    Options config = options;
    config.port = session.ports[t];
    config.duration_s = active_s;
    report.targets.push_back(
        TargetReport(plan, workers, t, config, started_at, active_s, interrupted));
    report.slices.push_back(std::move(slices));
  }
  return report;
}

}  // namespace fwbench::load
