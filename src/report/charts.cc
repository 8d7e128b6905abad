#include "report/charts.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "common/atomic_file.h"
#include "common/error.h"
#include "common/metrics.h"
#include "common/run_process.h"
#include "report/format.h"
#include "report/measures.h"
#include "report/stats.h"

namespace fwbench::report {
namespace {

using Json = nlohmann::json;

std::vector<std::string> RoutesOf(const ResultsSet& r) {
  std::vector<std::string> routes;
  for (const Cell& c : r.cells) {
    if (std::find(routes.begin(), routes.end(), c.route) == routes.end()) routes.push_back(c.route);
  }
  return routes;
}

std::string RowLabel(const Cell& c) { return c.server + " · " + c.profile + " · " + c.db; }

Json Names(const std::vector<std::string>& names) {
  Json out = Json::array();
  for (const auto& n : names) out.push_back({{"name", n}});
  return out;
}

// ratios.svg: per route (and framework against the reference), one row per closed-loop
// comparison: capacity ratio f/ref with its interval. Series: the load levels (at most
// kMaxSeries - 1), then "flagged".
Json ForestChart(const ChartInput& in) {
  const ResultsSet& r = *in.results;
  const std::string& ref = in.matrix->reference;
  std::map<std::string, const Cell*> by_id;
  for (const Cell& c : r.cells) by_id[c.id] = &c;
  Json panels = Json::array();
  for (const auto& f : r.frameworks) {
    if (f == ref) continue;
    for (const auto& route : RoutesOf(r)) {
      std::vector<std::string> levels;
      struct Row {
        std::string label, level, flag;
        double x, lo, hi;
      };
      std::vector<Row> rows;
      for (const Comparison& c : r.comparisons) {
        const int sign = c.framework_a == f && c.framework_b == ref   ? 1
                         : c.framework_a == ref && c.framework_b == f ? -1
                                                                      : 0;
        if (sign == 0 || c.model != "closed" || c.route != route) continue;
        auto ia = by_id.find(c.a), ib = by_id.find(c.b);
        if (ia == by_id.end() || ib == by_id.end()) continue;
        const stats::Estimate* e = c.Metric(c.primary);
        if (!e || !(e->value > 0)) continue;
        // Capacity ratio f/ref: req/s ratio, or the inverse of the CPU-per-request ratio.
        const int dir = sign * (c.primary == "rps" ? 1 : -1);
        auto cap = [&](double v) { return std::pow(v, dir); };
        double lo = e->low ? cap(*e->low) : cap(e->value), hi = e->high ? cap(*e->high) : lo;
        if (lo > hi) std::swap(lo, hi);
        std::string flag = CellFlag(*ia->second);
        if (flag.empty()) flag = CellFlag(*ib->second);
        const std::string level = "c" + std::to_string(c.concurrency);
        if (std::find(levels.begin(), levels.end(), level) == levels.end()) levels.push_back(level);
        rows.push_back({RowLabel(*ia->second), level, flag, cap(e->value), lo, hi});
      }
      if (rows.empty()) continue;
      std::sort(levels.begin(), levels.end(), [](const auto& a, const auto& b) {
        return std::stoi(a.substr(1)) < std::stoi(b.substr(1));
      });
      const bool merge = levels.size() > static_cast<size_t>(kMaxSeries - 1);
      std::vector<std::string> series = merge ? std::vector<std::string>{"closed loop"} : levels;
      series.push_back("flagged");
      Json jrows = Json::array();
      std::stable_sort(rows.begin(), rows.end(),
                       [](const Row& a, const Row& b) { return a.label < b.label; });
      for (const Row& row : rows) {
        const long idx =
            row.flag.empty()
                ? (merge ? 0 : std::find(series.begin(), series.end(), row.level) - series.begin())
                : static_cast<long>(series.size()) - 1;
        jrows.push_back({{"label", row.label + " · " + row.level},
                         {"x", row.x},
                         {"lo", row.lo},
                         {"hi", row.hi},
                         {"series", idx},
                         {"flag", row.flag}});
      }
      panels.push_back({{"title", "/" + route + (r.frameworks.size() > 2 ? " · " + f : "")},
                        {"series", Names(series)},
                        {"rows", jrows}});
    }
  }
  const double band = in.matrix->method.band;
  std::string pair;
  for (const auto& f : r.frameworks)
    if (f != ref) pair += (pair.empty() ? "" : ", ") + f;
  return {{"file", "ratios.svg"},
          {"kind", "forest"},
          {"title", "Capacity ratio " + pair + " / " + ref +
                        " per route and server (closed loop; dot and 95% interval)"},
          {"note", "Above 1: " + pair + " serves more requests per second of CPU than " + ref +
                       ". The ratio is each comparison's primary metric: req/s, or the "
                       "inverse of server CPU per request in a duet. Shaded: the ±" +
                       Sig(band * 100) +
                       "% equivalence band; a cell flagged saturated, starved or as an "
                       "artifact is drawn hollow and grey."},
          {"xlabel", pair + " / " + ref + " capacity (log scale)"},
          {"band", {1 / (1 + band), 1 + band}},
          {"panels", panels}};
}

// servers.svg: req/s at the peak closed-loop level per server and profile, one dot per
// framework, so the server's effect sits next to the framework's.
Json DumbbellChart(const ChartInput& in) {
  const ResultsSet& r = *in.results;
  Json panels = Json::array();
  for (const auto& route : RoutesOf(r)) {
    std::map<std::string, std::map<std::string, double>> peak;  // row -> fw -> req/s
    for (const Cell& c : r.cells) {
      if (!c.ok() || c.route != route || c.model != "closed" || !c.Metric("rps")) continue;
      double& slot = peak[c.server + " · " + c.profile][c.framework];
      slot = std::max(slot, c.Metric("rps")->estimate);
    }
    if (peak.empty()) continue;
    Json rows = Json::array();
    for (const auto& [label, per_fw] : peak) {
      Json values = Json::array();
      for (const auto& fw : r.frameworks)
        values.push_back(per_fw.count(fw) ? Json(per_fw.at(fw)) : Json());
      rows.push_back({{"label", label}, {"values", values}});
    }
    panels.push_back({{"title", "/" + route}, {"series", Names(r.frameworks)}, {"rows", rows}});
  }
  return {{"file", "servers.svg"},
          {"kind", "dumbbell"},
          {"title", "Peak throughput per server and profile, one dot per framework"},
          {"note",
           "The highest closed-loop req/s of each configuration (log scale): the spread between "
           "rows is the server's effect, the gap within a row the framework's."},
          {"xlabel", "req/s (log scale)"},
          {"panels", panels}};
}

// latency.svg: percentiles at the lowest open-loop rate, one panel per route and server, one
// series per framework and profile; flagged cells are left out.
Json SpectrumChart(const ChartInput& in) {
  const ResultsSet& r = *in.results;
  Json panels = Json::array();
  int dropped = 0;
  double rate = 0;
  for (const auto& route : RoutesOf(r)) {
    std::map<std::string, std::map<std::string, const Cell*>> lowest;  // server -> series
    for (const Cell& c : r.cells) {
      if (c.route != route || c.model != "open" || c.spectrum.empty() || !c.rate) continue;
      if (!CellFlag(c).empty()) {
        ++dropped;
        continue;
      }
      auto& slot = lowest[c.server][c.framework + " · " + c.profile];
      if (!slot || *c.rate < *slot->rate) slot = &c;
    }
    for (const auto& [server, per_series] : lowest) {
      Json series = Json::array();
      for (const auto& [name, c] : per_series) {
        Json s = {{"name", name},
                  {"framework", c->framework},
                  {"x", Json::array()},
                  {"y", Json::array()}};
        for (const auto& [pct, us] : c->spectrum) {
          s["x"].push_back(pct);
          s["y"].push_back(us / 1000.0);
        }
        rate = *c->rate;
        series.push_back(std::move(s));
      }
      panels.push_back({{"title", "/" + route + " · " + server}, {"series", series}});
    }
  }
  return {{"file", "latency.svg"},
          {"kind", "spectrum"},
          {"title",
           "Latency percentiles at the fixed open-loop rate (coordinated-omission "
           "corrected), per route and server"},
          {"note", "At " + Sig(rate) +
                       " req/s, the rate the results measured (not a fixed fraction of each "
                       "server's capacity: the suite does not measure that yet). " +
                       std::to_string(dropped) +
                       " flagged cells (saturated: the server fell below 95% of the rate, so "
                       "their latency is queueing) are left out."},
          {"xlabel", "percentile"},
          {"ylabel", "latency (ms)"},
          {"panels", panels}};
}

const Json* At(const Json& doc, const std::vector<std::string>& keys) {
  const Json* v = &doc;
  for (const auto& k : keys) {
    if (!v->is_object() || !v->contains(k)) return nullptr;
    v = &(*v)[k];
  }
  return v->is_number() ? v : nullptr;
}

// footprint.svg: cold start, RSS, import time and install size for hello-world and the
// reference app in each profile; bars the evidence lacks are left empty and named.
Json FootprintChart(const ChartInput& in) {
  const ResultsSet& r = *in.results;
  std::vector<std::string> profiles;
  for (const Cell& c : r.cells)
    if (std::find(profiles.begin(), profiles.end(), c.profile) == profiles.end())
      profiles.push_back(c.profile);
  std::vector<std::string> groups = {"hello-world"};
  for (const auto& p : profiles) groups.push_back("app · " + p);
  // Per framework and profile, from the results.
  const metrics::Metric& cold_metric = metrics::Get("cold_start_ms");
  const metrics::Metric& rss_metric = metrics::Get("rss_peak_bytes_per_worker");
  std::map<std::string, std::map<std::string, std::vector<double>>> cold, rss;
  for (const Cell& c : r.cells) {
    if (!c.ok()) continue;
    if (const Summary* s = c.Metric("cold_start_ms"); s && !s->values.empty()) {
      for (double v : s->values) cold[c.framework][c.profile].push_back(v);
    } else if (c.cold_start_ms && *c.cold_start_ms > 0) {
      cold[c.framework][c.profile].push_back(*c.cold_start_ms);
    }
    if (c.model == "closed" && !c.starved)
      if (const Summary* s = c.Metric("rss_peak_bytes_per_worker"); s && s->estimate > 0)
        rss[c.framework][c.profile].push_back(s->estimate * rss_metric.display.scale);
  }
  auto from_results = [&](auto& table, const std::string& fw, const std::string& profile) {
    auto it = table[fw].find(profile);
    return it == table[fw].end() || it->second.empty() ? Json() : Json(GeometricMean(it->second));
  };
  auto from_appsize = [&](const std::string& fw, const std::vector<std::string>& path,
                          double scale) {
    if (!in.appsize) return Json();
    std::vector<std::string> full = {"frameworks", fw};
    full.insert(full.end(), path.begin(), path.end());
    const Json* v = At(*in.appsize, full);
    return v ? Json(v->get<double>() * scale) : Json();
  };
  const double mib = 1.0 / (1024 * 1024);
  struct Panel {
    std::string title, ylabel;
  };
  const std::vector<Panel> kinds = {{"Cold start", std::string(cold_metric.display.unit)},
                                    {"Peak RSS per worker", std::string(rss_metric.display.unit)},
                                    {"Import and app setup", "ms"},
                                    {"Install size", "MiB"}};
  Json panels = Json::array();
  for (size_t k = 0; k < kinds.size(); ++k) {
    Json series = Json::array();
    for (const auto& fw : r.frameworks) {
      Json y = Json::array();
      for (size_t g = 0; g < groups.size(); ++g) {
        const std::string profile = g == 0 ? "" : profiles[g - 1];
        Json v;
        if (k == 0) v = g == 0 ? Json() : from_results(cold, fw, profile);
        if (k == 1) v = g == 0 ? Json() : from_results(rss, fw, profile);
        if (k == 2)
          v = g == 0 ? from_appsize(fw, {"import_time_ms", "median"}, 1)
                     : from_appsize(fw, {"profiles", profile, "import_time_ms", "median"}, 1);
        if (k == 3)
          v = g == 0 ? from_appsize(fw, {"dependencies", "install_bytes"}, mib)
                     : from_appsize(fw, {"profiles", profile, "stack", "install_bytes"}, mib);
        y.push_back(v);
      }
      series.push_back({{"name", fw}, {"y", y}});
    }
    panels.push_back({{"title", kinds[k].title},
                      {"ylabel", kinds[k].ylabel},
                      {"groups", groups},
                      {"series", series}});
  }
  return {{"file", "footprint.svg"},
          {"kind", "bars"},
          {"title", "Footprint: hello-world and the reference app in each profile"},
          {"note",
           "Cold start and RSS: geometric means over the results' cells of that profile (every "
           "server); hello-world is not run under a server, so it has no bar there. Import and "
           "install size: src/report/appsize.py (install size: the distributions the app has "
           "loaded after serving a request, with their requirements)."},
          {"panels", panels}};
}

// usecases.svg: per use case, the weighted points each criterion gives each side.
Json UseCaseChart(const ChartInput& in) {
  const Matrix& m = *in.matrix;
  std::vector<std::string> criteria;  // with a contribution somewhere, in matrix order
  for (const CriterionRow& row : m.rows) {
    for (const UseCaseResult& r : *in.use_cases) {
      if (r.contributions.count(row.criterion.id) &&
          std::find(criteria.begin(), criteria.end(), row.criterion.id) == criteria.end())
        criteria.push_back(row.criterion.id);
    }
  }
  // More than kMaxSeries criteria: the ones past the fifth are drawn as "other".
  std::vector<std::string> series = criteria;
  if (series.size() > static_cast<size_t>(kMaxSeries)) {
    series.resize(kMaxSeries - 1);
    series.push_back("other");
  }
  std::map<std::string, std::string> labels;
  for (const CriterionRow& row : m.rows) labels[row.criterion.id] = row.criterion.label;
  Json panels = Json::array();
  for (const auto& f : m.frameworks) {
    if (f == m.reference) continue;
    Json rows = Json::array();
    for (const UseCaseResult& r : *in.use_cases) {
      Json parts = Json::array();
      for (size_t s = 0; s < series.size(); ++s) {
        double v = 0;
        for (const auto& [c, per_fw] : r.contributions) {
          const bool in_series = series[s] == "other" ? std::find(series.begin(), series.end() - 1,
                                                                  c) == series.end() - 1
                                                      : c == series[s];
          if (in_series) v += per_fw.at(f) - per_fw.at(m.reference);
        }
        parts.push_back(v);
      }
      rows.push_back({{"label", r.use_case.label},
                      {"total", r.scores.at(f) - r.scores.at(m.reference)},
                      {"p_win", r.p_win.at(f)},
                      {"parts", parts}});
    }
    Json names = Json::array();
    for (const auto& s : series) names.push_back({{"name", labels.count(s) ? labels[s] : s}});
    panels.push_back({{"title", f + " against " + m.reference},
                      {"left", m.reference},
                      {"right", f},
                      {"series", names},
                      {"rows", rows}});
  }
  return {{"file", "usecases.svg"},
          {"kind", "diverging"},
          {"title", "What decides each use case: weighted points per criterion, with P(win)"},
          {"note",
           "Each bar is one use case's score, split into the points each criterion adds: to the "
           "right for the framework named above the panel, to the left for the reference. The "
           "black tick is the total; P(win) is the share of Monte Carlo draws (resampled "
           "measurements and perturbed weights) the right-hand framework wins."},
          {"xlabel", "weighted points (score out of ±10)"},
          {"panels", panels}};
}

// tornado.svg: per use case, the margin with each criterion or measure left out.
Json TornadoChart(const ChartInput& in) {
  Json panels = Json::array();
  for (const UseCaseResult& r : *in.use_cases) {
    if (r.runner_up.empty()) continue;
    std::vector<TornadoBar> bars = r.tornado;
    std::stable_sort(bars.begin(), bars.end(), [&](const auto& a, const auto& b) {
      return std::fabs(a.margin - r.margin) > std::fabs(b.margin - r.margin);
    });
    Json rows = Json::array();
    int unchanged = 0;
    for (const TornadoBar& b : bars) {
      if (std::fabs(b.margin - r.margin) < 0.005) {  // moves the margin by less than 0.005
        ++unchanged;
        continue;
      }
      std::string label = b.label;
      if (label.size() > 48) label = label.substr(0, label.rfind(' ', 45)) + " ...";
      rows.push_back(
          {{"label", label}, {"value", b.margin}, {"series", b.kind == "criterion" ? 0 : 1}});
    }
    panels.push_back(
        {{"title",
          r.use_case.label + ": " + r.winner + " over " + r.runner_up +
              (unchanged ? " (" + std::to_string(unchanged) + " with no effect not drawn)" : "")},
         {"base", r.margin},
         {"series", Names({"criterion left out", "measure left out"})},
         {"rows", rows}});
  }
  return {{"file", "tornado.svg"},
          {"kind", "tornado"},
          {"title", "How robust: the winner's margin with one criterion or one measure left out"},
          {"note",
           "The vertical line is the shipped margin; a bar that crosses 0 flips the verdict. "
           "Longest bars first."},
          {"xlabel", "margin of the winner (score points)"},
          {"panels", panels}};
}

}  // namespace

nlohmann::json BuildChartSpec(const ChartInput& in) {
  Json charts = Json::array();
  std::vector<Json> all = {ForestChart(in),    DumbbellChart(in), SpectrumChart(in),
                           FootprintChart(in), UseCaseChart(in),  TornadoChart(in)};
  if (in.layers) all.push_back(LayersChart(*in.layers));
  for (Json chart : all) {
    if (chart["panels"].empty()) continue;
    Json counts = Json::array();
    const int max_series = chart.value("max_series", kMaxSeries);
    for (const auto& panel : chart["panels"]) {
      const size_t n = panel["series"].size();
      if (n > static_cast<size_t>(max_series))
        throw Error("chart " + chart["file"].get<std::string>() + " has a panel with " +
                        std::to_string(n) + " series",
                    "fwbench report",
                    "at most " + std::to_string(max_series) +
                        " series per panel in this chart (src/report/charts.cc, layers.h)");
      counts.push_back(n);
    }
    chart["series_per_panel"] = counts;
    charts.push_back(std::move(chart));
  }
  return {{"fixture", in.results->machine.fixture},
          {"machine", DescribeMachine(in.results->machine)},
          {"frameworks", in.results->frameworks},
          {"reference", in.matrix->reference},
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
  for (const auto& chart : spec["charts"]) {
    ChartFile f{chart["file"], chart["title"], chart.value("note", ""), {}};
    for (const auto& n : chart["series_per_panel"]) f.series_per_panel.push_back(n);
    files.push_back(std::move(f));
  }
  return files;
}

}  // namespace fwbench::report
