#include "report/tables.h"

#include <algorithm>
#include <map>
#include <set>

#include "report/format.h"
#include "report/stats.h"

namespace fwbench::report {
namespace {

std::string ConfigOf(const Cell& c) { return c.server + " · " + c.profile + " · " + c.db; }

std::optional<Measure> FromSummary(const Cell* cell, const char* metric) {
  if (!cell) return std::nullopt;
  const Summary* s = cell->Metric(metric);
  if (!s) return std::nullopt;
  return Measure{s->median, s->ci_low, s->ci_high, s->n, s->noisy};
}

std::vector<double> ValuesOf(const Cell* cell, const char* metric) {
  const Summary* s = cell ? cell->Metric(metric) : nullptr;
  return s ? s->values : std::vector<double>{};
}

// Highest median throughput among the closed-loop cells.
const Cell* PeakClosed(const std::vector<const Cell*>& cells) {
  const Cell* best = nullptr;
  for (const Cell* c : cells) {
    if (!c->ok() || c->model != "closed") continue;
    if (!best || c->Metric("rps")->median > best->Metric("rps")->median) best = c;
  }
  return best;
}

// The lowest-rate open-loop cell: a rate every framework sustains.
const Cell* LowestRateOpen(const std::vector<const Cell*>& cells) {
  const Cell* best = nullptr;
  for (const Cell* c : cells) {
    if (!c->ok() || c->model != "open") continue;
    if (!best || *c->rate < *best->rate) best = c;
  }
  return best;
}

FrameworkRow MakeRow(const std::string& config, const std::string& framework,
                     const std::vector<const Cell*>& cells) {
  FrameworkRow row{.config = config, .framework = framework};
  const Cell* peak = PeakClosed(cells);
  const Cell* open = LowestRateOpen(cells);
  if (!peak && !open) {
    row.status =
        cells.empty() ? "not measured" : cells.front()->status + ": " + cells.front()->reason;
    return row;
  }
  row.status = "ok";
  if (peak) {
    row.peak_rps = FromSummary(peak, "rps");
    row.peak_concurrency = peak->concurrency;
    row.cpu_us_per_request = FromSummary(peak, "cpu_us_per_request");
    row.rss_bytes_per_worker = FromSummary(peak, "rss_peak_bytes_per_worker");
    row.cold_start_ms = peak->cold_start_ms;
  }
  const Cell* lat = open ? open : peak;  // closed-loop latency only when no open run exists
  row.latency_rate = open ? open->rate : std::nullopt;
  if (open && open->Saturated() && open->Metric("rps"))
    row.saturated_at = open->Metric("rps")->median;
  row.p50_us = FromSummary(lat, "p50_us");
  row.p99_us = FromSummary(lat, "p99_us");
  row.p999_us = FromSummary(lat, "p999_us");
  if (!row.cold_start_ms && open) row.cold_start_ms = open->cold_start_ms;
  return row;
}

std::optional<Measure> Ratio(const std::vector<double>& num, const std::vector<double>& den) {
  if (num.empty() || den.empty()) return std::nullopt;
  const double d = Median(den);
  if (d == 0) return std::nullopt;
  const Interval ci = BootstrapRatioCi(num, den);
  return Measure{Median(num) / d, ci.low, ci.high,
                 static_cast<int>(std::min(num.size(), den.size())), false};
}

RatioRow MakeRatio(const std::string& config, const std::string& a, const std::string& b,
                   const std::vector<const Cell*>& ca, const std::vector<const Cell*>& cb) {
  RatioRow r{.config = config, .numerator = a, .denominator = b};
  const Cell *pa = PeakClosed(ca), *pb = PeakClosed(cb);
  r.rps = Ratio(ValuesOf(pa, "rps"), ValuesOf(pb, "rps"));
  r.cpu_us_per_request =
      Ratio(ValuesOf(pa, "cpu_us_per_request"), ValuesOf(pb, "cpu_us_per_request"));
  r.rss_bytes_per_worker =
      Ratio(ValuesOf(pa, "rss_peak_bytes_per_worker"), ValuesOf(pb, "rss_peak_bytes_per_worker"));
  const Cell *oa = LowestRateOpen(ca), *ob = LowestRateOpen(cb);
  if (oa && ob && *oa->rate == *ob->rate && !oa->Saturated() && !ob->Saturated())
    r.p99_us = Ratio(ValuesOf(oa, "p99_us"), ValuesOf(ob, "p99_us"));
  if (pa && pb && pa->cold_start_ms && pb->cold_start_ms) {
    r.cold_start_ms = Ratio({*pa->cold_start_ms}, {*pb->cold_start_ms});
  }
  return r;
}

std::string Cell3(const std::optional<Measure>& m, double scale = 1, int digits = 3) {
  if (!m) return "–";
  std::string text = WithCi(m->value * scale, m->low * scale, m->high * scale, digits);
  return m->noisy ? text + " ⚠" : text;
}

std::string Plain(const std::optional<Measure>& m, double scale = 1) {
  return m ? Sig(m->value * scale) : "–";
}

}  // namespace

std::vector<RouteTable> BuildRouteTables(const ResultsSet& results) {
  std::vector<std::string> routes;
  std::map<std::string, std::map<std::string, std::map<std::string, std::vector<const Cell*>>>>
      by;  // route, config, fw
  for (const Cell& c : results.cells) {
    if (std::find(routes.begin(), routes.end(), c.route) == routes.end()) routes.push_back(c.route);
    by[c.route][ConfigOf(c)][c.framework].push_back(&c);
  }
  std::vector<RouteTable> tables;
  for (const std::string& route : routes) {
    RouteTable t{.route = route};
    for (auto& [config, per_fw] : by[route]) {
      for (const std::string& fw : results.frameworks)
        t.rows.push_back(MakeRow(config, fw, per_fw[fw]));
      for (size_t i = 0; i < results.frameworks.size(); ++i) {
        for (size_t j = i + 1; j < results.frameworks.size(); ++j) {
          const auto &a = results.frameworks[i], &b = results.frameworks[j];
          if (per_fw[a].empty() || per_fw[b].empty()) continue;
          t.ratios.push_back(MakeRatio(config, a, b, per_fw[a], per_fw[b]));
        }
      }
    }
    tables.push_back(std::move(t));
  }
  return tables;
}

std::string RateText(const FrameworkRow& row) {
  if (!row.latency_rate) return "closed";
  std::string text = Sig(*row.latency_rate);
  return row.saturated_at ? text + " (saturated: " + Sig(*row.saturated_at) + ")" : text;
}

std::string RenderTablesMarkdown(const ResultsSet& results, const std::vector<RouteTable>& tables) {
  const std::string machine = "Measured on: " + DescribeMachine(results.machine) + ".";
  std::string md = "# fwbench results\n\n";
  if (results.machine.fixture)
    md += "> **FIXTURE DATA**: these numbers are invented test input, not a measurement.\n\n";
  md += "Generated by `fwbench report` from: ";
  for (size_t i = 0; i < results.files.size(); ++i)
    md += (i ? ", `" : "`") + std::filesystem::path(results.files[i]).filename().string() + "`";
  md +=
      ".\nMedians over repetitions with [95% CI]; ⚠ marks a noisy metric (CV > 5%). Throughput is "
      "the "
      "closed-loop peak (its concurrency in the c column); CPU and RSS are measured at that peak; "
      "latency is from the open-loop run at the rate shown (coordinated-omission corrected); where "
      "the server fell below 95% of that rate it is marked saturated, its latency is queueing "
      "time, and no latency ratio is given.\n\n";
  for (const RouteTable& t : tables) {
    md += "## /" + t.route + "\n\n" + machine + "\n\n";
    md +=
        "| server · profile · db | framework | req/s [95% CI] | c | rate req/s | p50 µs | p99 µs | "
        "p99.9 µs | CPU µs/req | RSS MiB/worker | cold start ms |\n";
    md += "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n";
    for (const FrameworkRow& r : t.rows) {
      if (r.status != "ok") {
        md += "| " + MdCell(r.config) + " | " + r.framework + " | " + MdCell(r.status) +
              " | | | | | | | | |\n";
        continue;
      }
      md += "| " + MdCell(r.config) + " | " + r.framework + " | " + Cell3(r.peak_rps, 1, 4) +
            " | " + (r.peak_concurrency ? std::to_string(r.peak_concurrency) : "–") + " | " +
            RateText(r) + " | " + Plain(r.p50_us) + " | " + Cell3(r.p99_us) + " | " +
            Plain(r.p999_us) + " | " + Cell3(r.cpu_us_per_request) + " | " +
            Plain(r.rss_bytes_per_worker, 1.0 / (1024 * 1024)) + " | " +
            (r.cold_start_ms ? Sig(*r.cold_start_ms) : "–") + " |\n";
    }
    if (!t.ratios.empty()) {
      md +=
          "\nRatios (bootstrap 95% CI; req/s above 1 and the others below 1 favour the "
          "numerator):\n\n";
      md += "| server · profile · db | ratio | req/s | p99 | CPU/req | RSS/worker | cold start |\n";
      md += "|---|---|---:|---:|---:|---:|---:|\n";
      for (const RatioRow& r : t.ratios) {
        md += "| " + MdCell(r.config) + " | " + r.numerator + "/" + r.denominator + " | " +
              Cell3(r.rps) + " | " + Cell3(r.p99_us) + " | " + Cell3(r.cpu_us_per_request) + " | " +
              Cell3(r.rss_bytes_per_worker) + " | " + Plain(r.cold_start_ms) + " |\n";
      }
    }
    md += "\n";
  }
  return md;
}

nlohmann::json ToJson(const Measure& m) {
  return {{"value", m.value}, {"ci95", {m.low, m.high}}, {"n", m.n}, {"noisy", m.noisy}};
}

namespace {
nlohmann::json Opt(const std::optional<Measure>& m) { return m ? ToJson(*m) : nlohmann::json(); }
nlohmann::json Opt(const std::optional<double>& v) {
  return v ? nlohmann::json(*v) : nlohmann::json();
}
}  // namespace

nlohmann::json ToJson(const RouteTable& t) {
  nlohmann::json rows = nlohmann::json::array(), ratios = nlohmann::json::array();
  for (const FrameworkRow& r : t.rows) {
    rows.push_back({{"config", r.config},
                    {"framework", r.framework},
                    {"status", r.status},
                    {"peak_rps", Opt(r.peak_rps)},
                    {"peak_concurrency", r.peak_concurrency},
                    {"latency_rate", Opt(r.latency_rate)},
                    {"latency_saturated_at", Opt(r.saturated_at)},
                    {"p50_us", Opt(r.p50_us)},
                    {"p99_us", Opt(r.p99_us)},
                    {"p999_us", Opt(r.p999_us)},
                    {"cpu_us_per_request", Opt(r.cpu_us_per_request)},
                    {"rss_bytes_per_worker", Opt(r.rss_bytes_per_worker)},
                    {"cold_start_ms", Opt(r.cold_start_ms)}});
  }
  for (const RatioRow& r : t.ratios) {
    ratios.push_back({{"config", r.config},
                      {"numerator", r.numerator},
                      {"denominator", r.denominator},
                      {"rps", Opt(r.rps)},
                      {"p99_us", Opt(r.p99_us)},
                      {"cpu_us_per_request", Opt(r.cpu_us_per_request)},
                      {"rss_bytes_per_worker", Opt(r.rss_bytes_per_worker)},
                      {"cold_start_ms", Opt(r.cold_start_ms)}});
  }
  return {{"route", t.route}, {"rows", rows}, {"ratios", ratios}};
}

}  // namespace fwbench::report
