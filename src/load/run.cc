// fwbench::load::Run: splits the connections over the threads, runs the workers, merges their
// statistics into the fwbench.load/1 report.
#include <chrono>
#include <ctime>
#include <map>
#include <thread>

#include "common/error.h"
#include "common/paths.h"
#include "load/load.h"
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

}  // namespace

nlohmann::json Run(const Options& options, const std::atomic<bool>& stop) {
  Validate(options);
  Plan plan{.options = options,
            .endpoint = net::Resolve(options.host, options.port),
            .routes = {},
            .picker = RoutePicker(options.requests)};
  for (const auto& spec : options.requests) plan.routes.push_back(RenderRoute(options, spec));
  const std::string started_at = UtcNow();
  plan.start_ns = NowNs();
  plan.measure_start_ns = plan.start_ns + static_cast<int64_t>(options.warmup_s * 1e9);
  plan.end_ns = plan.measure_start_ns + static_cast<int64_t>(options.duration_s * 1e9);

  std::vector<std::unique_ptr<Worker>> workers;
  int first = 0;
  for (int t = 0; t < options.threads; ++t) {
    const int n =
        options.connections / options.threads + (t < options.connections % options.threads);
    workers.push_back(std::make_unique<Worker>(plan, stop, n, first, 0x5eed + t));
    first += n;
  }
  std::vector<std::jthread> threads;
  for (size_t t = 1; t < workers.size(); ++t) threads.emplace_back([&w = *workers[t]] { w.Run(); });
  workers[0]->Run();
  threads.clear();  // joins

  std::vector<RouteStats> routes(plan.routes.size());
  RouteStats overall;
  TimeSeries timeseries;
  int64_t finished_ns = plan.measure_start_ns;
  for (const auto& w : workers) {
    for (size_t r = 0; r < routes.size(); ++r) routes[r].Merge(w->routes[r]);
    overall.Merge(w->unattributed);
    timeseries.Merge(w->timeseries);
    finished_ns = std::max(finished_ns, w->finished_ns);
  }
  for (const auto& r : routes) overall.Merge(r);
  const double elapsed_s = static_cast<double>(finished_ns - plan.measure_start_ns) / 1e9;

  nlohmann::json by_route = nlohmann::json::object();
  for (size_t r = 0; r < routes.size(); ++r) {
    std::string name = plan.routes[r].name;
    while (by_route.contains(name)) name += "'";  // duplicate names stay distinct
    by_route[name] = routes[r].ToJson(elapsed_s);
  }
  const bool interrupted =
      stop.load() && NowNs() < plan.end_ns && !(options.max_requests && plan.budget_spent.load());
  return {{"schema", "fwbench.load/1"},
          {"tool", {{"name", "fwbench"}, {"version", Version()}, {"commit", GitCommit()}}},
          {"config", ConfigJson(options)},
          {"started_at", started_at},
          {"elapsed_s", elapsed_s},
          {"interrupted", interrupted},
          {"overall", overall.ToJson(elapsed_s)},
          {"routes", std::move(by_route)},
          {"timeseries", timeseries.ToJson(static_cast<uint64_t>(std::ceil(elapsed_s)))}};
}

}  // namespace fwbench::load
