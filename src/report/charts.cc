#include "report/charts.h"

#include <algorithm>
#include <map>

#include "common/atomic_file.h"
#include "common/error.h"
#include "common/run_process.h"

namespace fwbench::report {
namespace {

std::string SeriesLabel(const Cell& c) {
  return c.framework + " · " + c.server + " · " + c.profile + " · " + c.db;
}

using Json = nlohmann::json;

Json Series(const Cell& c) {
  return {{"label", SeriesLabel(c)}, {"framework", c.framework}, {"server", c.server},
          {"x", Json::array()},      {"y", Json::array()},       {"lo", Json::array()},
          {"hi", Json::array()}};
}

void AddPoint(Json& s, double x, const Summary& m) {
  s["x"].push_back(x);
  s["y"].push_back(m.estimate);
  s["lo"].push_back(m.ci_low);
  s["hi"].push_back(m.ci_high);
}

std::vector<std::string> RoutesOf(const ResultsSet& r) {
  std::vector<std::string> routes;
  for (const Cell& c : r.cells) {
    if (std::find(routes.begin(), routes.end(), c.route) == routes.end()) routes.push_back(c.route);
  }
  return routes;
}

Json ThroughputChart(const ResultsSet& r) {
  Json panels = Json::array();
  for (const auto& route : RoutesOf(r)) {
    std::map<std::string, std::vector<const Cell*>> by_series;
    for (const Cell& c : r.cells) {
      if (c.ok() && c.route == route && c.model == "closed")
        by_series[SeriesLabel(c)].push_back(&c);
    }
    Json series = Json::array();
    for (auto& [label, cells] : by_series) {
      std::sort(cells.begin(), cells.end(),
                [](auto* a, auto* b) { return a->concurrency < b->concurrency; });
      Json s = Series(*cells.front());
      for (const Cell* c : cells) AddPoint(s, c->concurrency, *c->Metric("rps"));
      series.push_back(std::move(s));
    }
    if (!series.empty()) panels.push_back({{"title", "/" + route}, {"series", series}});
  }
  return {{"file", "throughput.svg"},
          {"kind", "lines"},
          {"title", r.schema_version == 1
                        ? "Throughput against concurrency (closed loop, median and 95% CI)"
                        : "Throughput against concurrency (closed loop, geometric mean over "
                          "rounds and 95% CI)"},
          {"xlabel", "concurrent connections"},
          {"ylabel", "requests/s"},
          {"logx", true},
          {"panels", panels}};
}

Json SpectrumChart(const ResultsSet& r) {
  Json panels = Json::array();
  for (const auto& route : RoutesOf(r)) {
    std::map<std::string, const Cell*> lowest;  // series -> lowest-rate open cell
    for (const Cell& c : r.cells) {
      if (!c.ok() || c.route != route || c.model != "open" || c.spectrum.empty()) continue;
      auto& slot = lowest[SeriesLabel(c)];
      if (!slot || *c.rate < *slot->rate) slot = &c;
    }
    Json series = Json::array();
    double rate = 0;
    for (const auto& [label, c] : lowest) {
      Json s = Series(*c);
      for (const auto& [pct, us] : c->spectrum) {
        s["x"].push_back(pct);
        s["y"].push_back(us / 1000.0);
      }
      s["rate"] = *c->rate;
      rate = *c->rate;
      series.push_back(std::move(s));
    }
    if (!series.empty())
      panels.push_back({{"title", "/" + route + " at " +
                                      std::to_string(static_cast<long long>(rate)) + " req/s"},
                        {"series", series}});
  }
  return {{"file", "latency.svg"},
          {"kind", "spectrum"},
          {"title",
           "Latency percentile spectrum at a fixed open-loop rate (corrected for coordinated "
           "omission)"},
          {"xlabel", "percentile"},
          {"ylabel", "latency (ms)"},
          {"panels", panels}};
}

// One bar per series and route, from each series' peak-throughput closed cell.
Json BarChart(const ResultsSet& r, const std::string& file, const std::string& title,
              const std::string& metric, const std::string& ylabel, double scale) {
  const auto routes = RoutesOf(r);
  std::map<std::string, std::map<std::string, const Cell*>> peak;  // series -> route -> cell
  for (const Cell& c : r.cells) {
    if (!c.ok() || c.model != "closed" || c.starved || !c.Metric(metric)) continue;
    auto& slot = peak[SeriesLabel(c)][c.route];
    if (!slot || c.Metric("rps")->estimate > slot->Metric("rps")->estimate) slot = &c;
  }
  Json series = Json::array();
  for (const auto& [label, per_route] : peak) {
    Json s = Series(*per_route.begin()->second);
    for (const auto& route : routes) {
      auto it = per_route.find(route);
      const Summary* m = it == per_route.end() ? nullptr : it->second->Metric(metric);
      s["y"].push_back(m ? Json(m->estimate * scale) : Json());
      s["lo"].push_back(m ? Json(m->ci_low * scale) : Json());
      s["hi"].push_back(m ? Json(m->ci_high * scale) : Json());
    }
    series.push_back(std::move(s));
  }
  Json groups = Json::array();
  for (const auto& route : routes) groups.push_back("/" + route);
  Json panels = Json::array();
  if (!series.empty()) panels.push_back({{"title", ""}, {"groups", groups}, {"series", series}});
  return {
      {"file", file}, {"kind", "bars"}, {"title", title}, {"ylabel", ylabel}, {"panels", panels}};
}

}  // namespace

nlohmann::json BuildChartSpec(const ResultsSet& results) {
  Json charts = Json::array();
  for (Json chart :
       {ThroughputChart(results), SpectrumChart(results),
        BarChart(results, "cpu.svg", "Server CPU per request at peak throughput",
                 "cpu_us_per_request", "CPU µs per request", 1),
        BarChart(results, "memory.svg", "Peak RSS per worker at peak throughput",
                 "rss_peak_bytes_per_worker", "MiB per worker", 1.0 / (1024 * 1024))}) {
    if (!chart["panels"].empty()) charts.push_back(std::move(chart));
  }
  return {{"fixture", results.machine.fixture},
          {"machine", DescribeMachine(results.machine)},
          {"frameworks", results.frameworks},
          {"charts", charts}};
}

std::vector<ChartFile> DrawCharts(const nlohmann::json& spec, const std::filesystem::path& out_dir,
                                  const std::filesystem::path& python,
                                  const std::filesystem::path& script) {
  std::vector<ChartFile> files;
  if (spec["charts"].empty()) return files;
  const auto spec_path = out_dir / ".charts-spec.json";
  WriteJsonAtomic(spec_path, spec);
  struct RemoveAtExit {
    std::filesystem::path path;
    ~RemoveAtExit() {
      std::error_code ignored;
      std::filesystem::remove(path, ignored);
    }
  } remove_spec{spec_path};
  RunProcessOrThrow({python.string(), script.string(), spec_path.string(), out_dir.string()},
                    "drawing the charts", "run scripts/setup so the venv has matplotlib");
  for (const auto& chart : spec["charts"]) files.push_back({chart["file"], chart["title"]});
  return files;
}

}  // namespace fwbench::report
