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

std::optional<Measure> FromSummary(const Cell* cell, const std::string& metric) {
  if (!cell) return std::nullopt;
  const Summary* s = cell->Metric(metric);
  if (!s) return std::nullopt;
  if (s->n < 2) return Measure{.value = s->estimate, .n = s->n};  // no interval from one round
  return Measure{s->estimate, s->ci_low, s->ci_high, s->n};
}

// A metric's value in one cell: its Summary's estimate, except the cold start, which is the
// cell's own field (a fwbench.results/1 file's differs from its summary's median; a /2 file's
// is the summary's estimate).
std::optional<Measure> CellValue(const Cell* cell, const metrics::Metric& metric) {
  if (!cell) return std::nullopt;
  if (metric.name == "cold_start_ms") {
    if (!cell->cold_start_ms) return std::nullopt;
    return Measure{.value = *cell->cold_start_ms, .n = 1};
  }
  return FromSummary(cell, std::string(metric.name));
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
  const Cell* lat = open ? open : peak;  // closed-loop latency only when no open run exists
  for (const metrics::Metric& m : metrics::All()) {
    if (m.display.cell == metrics::TableCell::kNone) continue;
    const Cell* from = m.display.cell == metrics::TableCell::kPeak ? peak : lat;
    std::optional<Measure> v = CellValue(from, m);
    if (!v && m.name == "cold_start_ms") v = CellValue(open, m);  // every closed level starved
    if (v) row.values[std::string(m.name)] = *v;
  }
  if (peak) {
    row.peak_concurrency = peak->concurrency;
    row.cold_compile_ms = peak->cold_compile_ms;
  }
  row.latency_rate = open ? open->rate : std::nullopt;
  if (open && open->Saturated() && open->Metric("rps"))
    row.saturated_at = open->Metric("rps")->estimate;
  if (!row.cold_compile_ms && open) row.cold_compile_ms = open->cold_compile_ms;
  for (const Cell* c : {peak, open})
    if (const Summary* e = c ? c->Metric("error_ratio") : nullptr; e && e->estimate > 0)
      row.error_ratio = std::max(row.error_ratio.value_or(0), e->estimate);
  return row;
}

std::optional<Measure> FromEstimate(const Comparison& c, const std::string& metric) {
  const stats::Estimate* e = c.Metric(metric);
  if (!e) return std::nullopt;
  return Measure{e->value, e->low, e->high, e->n};
}

// The ratio of the two cells' values (CellValue), without an interval.
std::optional<Measure> EstimateRatio(const Cell& a, const Cell& b, const metrics::Metric& m) {
  const std::optional<Measure> va = CellValue(&a, m), vb = CellValue(&b, m);
  if (!va || !vb || !(vb->value > 0)) return std::nullopt;
  return Measure{.value = va->value / vb->value};
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
  for (const metrics::Metric& m : metrics::All()) {
    const std::string name(m.name);
    if (r.saturated && m.display.cell == metrics::TableCell::kLatency) continue;
    std::optional<Measure> v;
    if (m.display.ratio == metrics::RatioColumn::kInterval) v = FromEstimate(c, name);
    if (m.display.ratio == metrics::RatioColumn::kOfEstimates) v = EstimateRatio(a, b, m);
    if (v) r.values[name] = *v;
  }
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

std::string MeasureText(const Measure* m, double scale, int digits, bool interval) {
  if (!m) return "–";
  return interval && m->low && m->high
             ? WithCi(m->value * scale, *m->low * scale, *m->high * scale, digits)
             : Sig(m->value * scale, digits);
}

// Whether some ok cell of `results` has `metric` (a cold start counts from the cell's field).
bool Measured(const ResultsSet& results, const metrics::Metric& metric) {
  for (const Cell& c : results.cells)
    if (c.ok() && CellValue(&c, metric)) return true;
  return false;
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
  std::vector<const metrics::Metric*> columns, ratio_columns;
  for (const metrics::Metric& m : metrics::All()) {
    const bool shown = m.display.always || Measured(results, m);
    if (shown && m.display.cell != metrics::TableCell::kNone) columns.push_back(&m);
    if (shown && m.display.ratio != metrics::RatioColumn::kNone) ratio_columns.push_back(&m);
  }
  std::vector<RouteTable> tables;
  for (const std::string& route : routes) {
    RouteTable t{.route = route, .columns = columns, .ratio_columns = ratio_columns};
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
  const Measure* cold = row.Value("cold_start_ms");
  if (!cold) return "–";
  std::string text = Sig(cold->value);
  return row.cold_compile_ms ? text + " (compile: " + Sig(*row.cold_compile_ms) + ")" : text;
}

std::string ErrorsText(const FrameworkRow& row) {
  return row.error_ratio ? " (errors: " + Sig(*row.error_ratio * 100, 2) + "%)" : "";
}

std::string ValueText(const FrameworkRow& row, const metrics::Metric& metric, int digits) {
  if (metric.name == "cold_start_ms") return ColdStartText(row);
  const std::string text = MeasureText(row.Value(std::string(metric.name)), metric.display.scale,
                                       digits, metric.display.interval);
  return metric.name == "rps" ? text + StarvedText(row) + ErrorsText(row) : text;
}

std::string RatioText(const RatioRow& row, const metrics::Metric& metric) {
  const std::string name(metric.name);
  const Measure* m = row.Value(name);
  if (!m) return "–";
  const std::string text = MeasureText(m, 1, 3, true);
  return row.noisy && row.primary == name ? text + " ⚠" : text;
}

const Measure* FrameworkRow::Value(const std::string& metric) const {
  auto it = values.find(metric);
  return it == values.end() ? nullptr : &it->second;
}

const Measure* RatioRow::Value(const std::string& metric) const {
  auto it = values.find(metric);
  return it == values.end() ? nullptr : &it->second;
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
    const std::string numeric = "---:|";
    std::string header = "| server · profile · db | framework |", rule = "|---|---|";
    for (const metrics::Metric* m : t.columns) {
      header += " " + std::string(m->display.header) + " |";
      rule += numeric;
      if (LevelColumnsFollow(*m)) {
        header += " c | rate req/s |";
        rule += numeric + numeric;
      }
    }
    md += header + "\n" + rule + "\n";
    for (const FrameworkRow& r : t.rows) {
      md += "| " + MdCell(r.config) + " | " + r.framework + " |";
      if (r.status != "ok") {
        md += " " + MdCell(r.status) + " |";
        for (size_t i = 1; i < ColumnCount(t); ++i) md += " |";
        md += "\n";
        continue;
      }
      for (const metrics::Metric* m : t.columns) {
        md += " " + ValueText(r, *m, m->display.digits) + " |";
        if (LevelColumnsFollow(*m))
          md += " " + (r.peak_concurrency ? std::to_string(r.peak_concurrency) : "–") + " | " +
                RateText(r) + " |";
      }
      md += "\n";
    }
    if (!t.ratios.empty()) {
      md +=
          "\nComparisons (a/b across rounds with [95% CI]; ⚠: interval wider than the "
          "target):\n\n";
      header = "| server · profile · db | a/b | level | rounds | target reached |";
      rule = "|---|---|---|---:|---|";
      for (const metrics::Metric* m : t.ratio_columns) {
        header += " " + std::string(m->display.ratio_header) + " |";
        rule += numeric;
      }
      md += header + "\n" + rule + "\n";
      for (const RatioRow& r : t.ratios) {
        md += "| " + MdCell(r.config) + " | " + r.numerator + "/" + r.denominator + " | " +
              LevelText(r) + " | " + std::to_string(r.rounds) + " | " + TargetText(r) + " |";
        for (const metrics::Metric* m : t.ratio_columns) md += " " + RatioText(r, *m) + " |";
        md += "\n";
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
nlohmann::json Opt(const std::optional<double>& v) {
  return v ? nlohmann::json(*v) : nlohmann::json();
}

// fwbench.report/1 keys that predate the registry: a row's req/s is its peak's, and RSS is
// "rss_bytes_per_worker"; every other metric's key is its name.
std::string RowKey(const metrics::Metric& m) {
  if (m.name == "rps") return "peak_rps";
  if (m.name == "rss_peak_bytes_per_worker") return "rss_bytes_per_worker";
  return std::string(m.name);
}

std::string RatioKey(const metrics::Metric& m) {
  return m.name == "rss_peak_bytes_per_worker" ? "rss_bytes_per_worker" : std::string(m.name);
}

// A Measure, or a plain number for a value without an interval of its own (a cell's cold
// start; a ratio of two cells' estimates); null when absent.
nlohmann::json Value(const Measure* m, bool plain) {
  if (!m) return nullptr;
  return plain ? nlohmann::json(m->value) : ToJson(*m);
}

}  // namespace

bool LevelColumnsFollow(const metrics::Metric& metric) { return metric.name == "rps"; }

size_t ColumnCount(const RouteTable& table) {
  size_t n = 0;
  for (const metrics::Metric* m : table.columns) n += LevelColumnsFollow(*m) ? 3 : 1;
  return n;
}

nlohmann::json ToJson(const RatioRow& r, const std::vector<const metrics::Metric*>& columns) {
  nlohmann::json j = {{"config", r.config},
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
                      {"starved", r.starved}};
  for (const metrics::Metric* m : columns)
    j[RatioKey(*m)] = Value(r.Value(std::string(m->name)),
                            m->display.ratio == metrics::RatioColumn::kOfEstimates);
  return j;
}

nlohmann::json ToJson(const RouteTable& t) {
  nlohmann::json rows = nlohmann::json::array(), ratios = nlohmann::json::array();
  for (const FrameworkRow& r : t.rows) {
    nlohmann::json row = {{"config", r.config},
                          {"framework", r.framework},
                          {"status", r.status},
                          {"peak_concurrency", r.peak_concurrency},
                          {"latency_rate", Opt(r.latency_rate)},
                          {"latency_saturated_at", Opt(r.saturated_at)},
                          {"cold_compile_ms", Opt(r.cold_compile_ms)},
                          {"starved", r.starved}};
    for (const metrics::Metric* m : t.columns)
      row[RowKey(*m)] = Value(r.Value(std::string(m->name)), m->name == "cold_start_ms");
    if (r.error_ratio) row["error_ratio"] = *r.error_ratio;
    rows.push_back(std::move(row));
  }
  for (const RatioRow& r : t.ratios) ratios.push_back(ToJson(r, t.ratio_columns));
  return {{"route", t.route}, {"rows", rows}, {"ratios", ratios}};
}

}  // namespace fwbench::report
