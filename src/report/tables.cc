#include "report/tables.h"

#include <algorithm>
#include <map>
#include <tuple>

#include "report/comparisons.h"
#include "report/format.h"

namespace fwbench::report {
namespace {

std::string ConfigOf(const Cell& c) { return c.server + " · " + c.profile + " · " + c.db; }

// "c32 28/32, c64 60/64"
std::string StarvedLevels(const FrameworkRow& row) {
  std::string text;
  for (size_t i = 0; i < row.starved.size(); ++i) text += (i ? ", " : "") + row.starved[i];
  return text;
}

std::optional<Measure> FromSummary(const Cell* cell, const char* metric) {
  if (!cell) return std::nullopt;
  const Summary* s = cell->Metric(metric);
  if (!s) return std::nullopt;
  if (s->n < 2) return Measure{.value = s->estimate, .n = s->n};  // no interval from one round
  return Measure{s->estimate, s->ci_low, s->ci_high, s->n};
}

// Highest estimated throughput among the closed-loop cells that are not starved.
const Cell* PeakClosed(const std::vector<const Cell*>& cells) {
  const Cell* best = nullptr;
  for (const Cell* c : cells) {
    if (!c->ok() || c->model != "closed" || c->starved) continue;
    if (!best || c->Metric("rps")->estimate > best->Metric("rps")->estimate) best = c;
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
  for (const Cell* c : cells)
    if (c->ok() && c->model == "closed" && c->starved)
      row.starved.push_back("c" + std::to_string(c->concurrency) + " " +
                            std::to_string(c->starved_connections) + "/" +
                            std::to_string(c->connections));
  const Cell* peak = PeakClosed(cells);
  const Cell* open = LowestRateOpen(cells);
  if (!peak && !open) {
    row.status = !row.starved.empty()
                     ? "starved at every closed-loop level (" + StarvedLevels(row) +
                           " connections completed nothing): no peak"
                 : cells.empty() ? "not measured"
                                 : cells.front()->status + ": " + cells.front()->reason;
    return row;
  }
  row.status = "ok";
  if (peak) {
    row.peak_rps = FromSummary(peak, "rps");
    row.peak_concurrency = peak->concurrency;
    row.cpu_us_per_request = FromSummary(peak, "cpu_us_per_request");
    row.rss_bytes_per_worker = FromSummary(peak, "rss_peak_bytes_per_worker");
    row.cold_start_ms = peak->cold_start_ms;
    row.cold_compile_ms = peak->cold_compile_ms;
  }
  const Cell* lat = open ? open : peak;  // closed-loop latency only when no open run exists
  row.latency_rate = open ? open->rate : std::nullopt;
  if (open && open->Saturated() && open->Metric("rps"))
    row.saturated_at = open->Metric("rps")->estimate;
  row.p50_us = FromSummary(lat, "p50_us");
  row.p99_us = FromSummary(lat, "p99_us");
  row.p999_us = FromSummary(lat, "p999_us");
  if (!row.cold_start_ms && open) row.cold_start_ms = open->cold_start_ms;
  if (!row.cold_compile_ms && open) row.cold_compile_ms = open->cold_compile_ms;
  return row;
}

std::optional<Measure> FromEstimate(const Comparison& c, const char* metric) {
  const stats::Estimate* e = c.Metric(metric);
  if (!e) return std::nullopt;
  return Measure{e->value, e->low, e->high, e->n};
}

std::optional<double> EstimateRatio(const Cell& a, const Cell& b, const char* metric) {
  const Summary *sa = a.Metric(metric), *sb = b.Metric(metric);
  if (!sa || !sb || !(sb->estimate > 0)) return std::nullopt;
  return sa->estimate / sb->estimate;
}

std::string LevelOf(const Comparison& c) {
  return c.model == "open" && c.rate ? "r" + Sig(*c.rate) : "c" + std::to_string(c.concurrency);
}

RatioRow MakeRatio(const Comparison& c, const Cell& a, const Cell& b) {
  RatioRow r{.config = ConfigOf(a),
             .numerator = c.framework_a,
             .denominator = c.framework_b,
             .comparison = c.id,
             .level = LevelOf(c),
             .mode = c.mode,
             .primary = c.primary,
             .rounds = c.rounds,
             .target_pct = c.target_pct,
             .half_width_pct = PrimaryHalfWidthPct(c),
             .reached = c.reached,
             .noisy = c.noisy,
             .saturated = a.Saturated() || b.Saturated(),
             .starved = c.starved || a.starved || b.starved};
  r.rps = FromEstimate(c, "rps");
  r.cpu_us_per_request = FromEstimate(c, "cpu_us_per_request");
  if (!r.saturated) {
    r.p50_us = FromEstimate(c, "p50_us");
    r.p99_us = FromEstimate(c, "p99_us");
  }
  r.rss_bytes_per_worker = EstimateRatio(a, b, "rss_peak_bytes_per_worker");
  if (a.cold_start_ms && b.cold_start_ms && *b.cold_start_ms > 0)
    r.cold_start_ms = *a.cold_start_ms / *b.cold_start_ms;
  return r;
}

// Sort key of a comparison within a route table: config, pair, closed loop by concurrency,
// then open loop by rate.
struct RatioOrder {
  const std::vector<std::string>& frameworks;
  long Rank(const std::string& fw) const {
    return std::find(frameworks.begin(), frameworks.end(), fw) - frameworks.begin();
  }
  bool operator()(const std::pair<const Comparison*, const Cell*>& x,
                  const std::pair<const Comparison*, const Cell*>& y) const {
    const Comparison &a = *x.first, &b = *y.first;
    auto key = [&](const Comparison& c, const Cell& cell) {
      return std::make_tuple(ConfigOf(cell), Rank(c.framework_a), Rank(c.framework_b),
                             c.model != "closed", c.concurrency, c.rate.value_or(0));
    };
    return key(a, *x.second) < key(b, *y.second);
  }
};

std::string Cell3(const std::optional<Measure>& m, double scale = 1, int digits = 3,
                  bool noisy = false) {
  if (!m) return "–";
  std::string text = m->low && m->high
                         ? WithCi(m->value * scale, *m->low * scale, *m->high * scale, digits)
                         : Sig(m->value * scale, digits);
  return noisy ? text + " ⚠" : text;
}

std::string PlainRatio(const std::optional<double>& v) { return v ? Sig(*v) : "–"; }

std::string Plain(const std::optional<Measure>& m, double scale = 1) {
  return m ? Sig(m->value * scale) : "–";
}

}  // namespace

std::vector<RouteTable> BuildRouteTables(const ResultsSet& results) {
  std::vector<std::string> routes;
  std::map<std::string, std::map<std::string, std::map<std::string, std::vector<const Cell*>>>>
      by;  // route, config, fw
  std::map<std::string, const Cell*> by_id;
  for (const Cell& c : results.cells) {
    if (std::find(routes.begin(), routes.end(), c.route) == routes.end()) routes.push_back(c.route);
    by[c.route][ConfigOf(c)][c.framework].push_back(&c);
    by_id[c.id] = &c;
  }
  // route -> (comparison, its a cell), for comparisons of two ok cells
  std::map<std::string, std::vector<std::pair<const Comparison*, const Cell*>>> comparisons;
  for (const Comparison& c : results.comparisons) {
    auto a = by_id.find(c.a), b = by_id.find(c.b);
    if (a == by_id.end() || b == by_id.end() || !a->second->ok() || !b->second->ok()) continue;
    comparisons[a->second->route].emplace_back(&c, a->second);
  }
  std::vector<RouteTable> tables;
  for (const std::string& route : routes) {
    RouteTable t{.route = route};
    for (auto& [config, per_fw] : by[route]) {
      for (const std::string& fw : results.frameworks)
        t.rows.push_back(MakeRow(config, fw, per_fw[fw]));
    }
    auto& list = comparisons[route];
    std::stable_sort(list.begin(), list.end(), RatioOrder{results.frameworks});
    for (const auto& [c, a] : list) t.ratios.push_back(MakeRatio(*c, *a, *by_id.at(c->b)));
    tables.push_back(std::move(t));
  }
  return tables;
}

std::string TargetText(const RatioRow& row) {
  if (!row.half_width_pct)
    return "no (" + std::to_string(row.rounds) + (row.rounds == 1 ? " round)" : " rounds)");
  return std::string(row.reached ? "yes (±" : "no (±") + Fixed(*row.half_width_pct, 1) + "% " +
         (row.reached ? "≤ " : "> ") + Sig(row.target_pct) + "%)";
}

std::string RateText(const FrameworkRow& row) {
  if (!row.latency_rate) return "closed";
  std::string text = Sig(*row.latency_rate);
  return row.saturated_at ? text + " (saturated: " + Sig(*row.saturated_at) + ")" : text;
}

std::string ColdStartText(const FrameworkRow& row) {
  if (!row.cold_start_ms) return "–";
  std::string text = Sig(*row.cold_start_ms);
  return row.cold_compile_ms ? text + " (compile: " + Sig(*row.cold_compile_ms) + ")" : text;
}

std::string StarvedText(const FrameworkRow& row) {
  return row.starved.empty() ? "" : " (starved: " + StarvedLevels(row) + ")";
}

std::string LevelText(const RatioRow& row) {
  return row.starved ? row.level + " starved" : row.level;
}

std::string EstimatesNote(const ResultsSet& results) {
  const std::string per_cell =
      results.schema_version == 1
          ? "Per cell: the median over repetitions with the runner's [95% CI] "
            "(fwbench.results/1: a bootstrap of the median, which over 3 repetitions is the "
            "min-max range and covers the true median only about 75% of the time; read it as a "
            "range)."
          : "Per cell: the geometric mean over rounds with its [95% CI] (Student t on the logs "
            "of the per-round values).";
  bool duet = false;
  for (const auto& c : results.comparisons) duet = duet || c.mode == "duet";
  const std::string shared =
      duet ? " Duet mode: the apps of a group were loaded at the same time on the same server "
             "CPUs, so a cell's req/s and latency are those of an app sharing its CPUs with the "
             "other apps of its group (about half of what it serves alone beside one other); "
             "CPU per request is the cost figure, and the comparisons are made on it."
           : "";
  return per_cell + shared +
         " Throughput is the closed-loop peak (its concurrency in the c column); CPU and RSS are "
         "measured at that peak; latency is from the open-loop run at the rate shown "
         "(coordinated-omission corrected); where the server fell below 95% of that rate it is "
         "marked saturated, its latency is queueing time, and no latency ratio is given. Cold "
         "start: launch until the first 200 with a warm bytecode cache, the geometric mean over "
         "rounds; \"compile\" is one start per app and run right after its __pycache__ was "
         "wiped. RSS per worker is the whole reference app: Flask's includes SQLAlchemy's ORM, "
         "which accounts for most of the Flask/Django gap (apps/README.md, \"What the RSS gap is "
         "made of\"), so the gap is the ORM library the app uses, not Flask itself. A "
         "closed-loop level where some connection completed nothing in a round (the server "
         "served fewer connections than the concurrency, e.g. one per thread) is starved: it is "
         "left out of the peak, named after the req/s as \"starved: c32 28/32\" (28 of 32 "
         "connections), marked \"starved\" in the comparisons' level, and left out of the "
         "decision matrix.";
}

std::string RatiosNote(const ResultsSet& results) {
  return std::string(
             "One row per comparison of two frameworks at one load level (c: closed-loop "
             "concurrency, r: open-loop rate): the geometric mean over rounds of the per-round "
             "ratio a/b with its [95% CI] (Student t on the logs, src/common/paired_stats.h)") +
         (results.schema_version == 1
              ? "; fwbench.results/1 has no comparisons, so the report pairs the two cells' "
                "repetitions by round (they ran one after another, not interleaved)"
              : "; the apps of a group were measured interleaved") +
         ". req/s above 1 and the others below 1 favour a. A comparison is noisy, marked ⚠ on "
         "its primary metric (CPU per request in a duet and at an open-loop rate, else req/s), "
         "when that interval's "
         "half-width exceeds the target: the target column says whether it was reached, rounds "
         "how many rounds there were. RSS and cold start are ratios of the two cells' "
         "estimates, without an interval.";
}

std::string RenderTablesMarkdown(const ResultsSet& results, const std::vector<RouteTable>& tables) {
  const std::string machine = "Measured on: " + DescribeMachine(results.machine) + ".";
  std::string md = "# fwbench results\n\n";
  if (results.machine.fixture)
    md += "> **FIXTURE DATA**: these numbers are invented test input, not a measurement.\n\n";
  md += "Generated by `fwbench report` from: ";
  for (size_t i = 0; i < results.files.size(); ++i)
    md += (i ? ", `" : "`") + std::filesystem::path(results.files[i]).filename().string() + "`";
  md += ".\n" + EstimatesNote(results) + "\n\n" + RatiosNote(results) + "\n\n";
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
            StarvedText(r) + " | " +
            (r.peak_concurrency ? std::to_string(r.peak_concurrency) : "–") + " | " + RateText(r) +
            " | " + Plain(r.p50_us) + " | " + Cell3(r.p99_us) + " | " + Plain(r.p999_us) + " | " +
            Cell3(r.cpu_us_per_request) + " | " +
            Plain(r.rss_bytes_per_worker, 1.0 / (1024 * 1024)) + " | " +
            ColdStartText(r) + " |\n";
    }
    if (!t.ratios.empty()) {
      md +=
          "\nComparisons (a/b across rounds with [95% CI]; ⚠: interval wider than the "
          "target):\n\n";
      md +=
          "| server · profile · db | a/b | level | rounds | target reached | req/s | p50 | p99 | "
          "CPU/req | RSS/worker | cold start |\n";
      md += "|---|---|---|---:|---|---:|---:|---:|---:|---:|---:|\n";
      for (const RatioRow& r : t.ratios) {
        md += "| " + MdCell(r.config) + " | " + r.numerator + "/" + r.denominator + " | " +
              LevelText(r) + " | " + std::to_string(r.rounds) + " | " + TargetText(r) + " | " +
              Cell3(r.rps, 1, 3, r.noisy && r.primary == "rps") + " | " + Cell3(r.p50_us) + " | " +
              Cell3(r.p99_us) + " | " +
              Cell3(r.cpu_us_per_request, 1, 3, r.noisy && r.primary == "cpu_us_per_request") +
              " | " + PlainRatio(r.rss_bytes_per_worker) + " | " + PlainRatio(r.cold_start_ms) +
              " |\n";
      }
    }
    md += "\n";
  }
  return md;
}

nlohmann::json ToJson(const Measure& m) {
  return {{"value", m.value},
          {"ci95", m.low && m.high ? nlohmann::json({*m.low, *m.high}) : nlohmann::json()},
          {"n", m.n}};
}

namespace {
nlohmann::json Opt(const std::optional<Measure>& m) { return m ? ToJson(*m) : nlohmann::json(); }
nlohmann::json Opt(const std::optional<double>& v) {
  return v ? nlohmann::json(*v) : nlohmann::json();
}
}  // namespace

nlohmann::json ToJson(const RatioRow& r) {
  return {{"config", r.config},
          {"numerator", r.numerator},
          {"denominator", r.denominator},
          {"comparison", r.comparison},
          {"level", r.level},
          {"mode", r.mode},
          {"primary", r.primary},
          {"rounds", r.rounds},
          {"target_pct", r.target_pct},
          {"half_width_pct", Opt(r.half_width_pct)},
          {"reached", r.reached},
          {"noisy", r.noisy},
          {"saturated", r.saturated},
          {"starved", r.starved},
          {"rps", Opt(r.rps)},
          {"p50_us", Opt(r.p50_us)},
          {"p99_us", Opt(r.p99_us)},
          {"cpu_us_per_request", Opt(r.cpu_us_per_request)},
          {"rss_bytes_per_worker", Opt(r.rss_bytes_per_worker)},
          {"cold_start_ms", Opt(r.cold_start_ms)}};
}

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
                    {"cold_start_ms", Opt(r.cold_start_ms)},
                    {"cold_compile_ms", Opt(r.cold_compile_ms)},
                    {"starved", r.starved}});
  }
  for (const RatioRow& r : t.ratios) ratios.push_back(ToJson(r));
  return {{"route", t.route}, {"rows", rows}, {"ratios", ratios}};
}

}  // namespace fwbench::report
