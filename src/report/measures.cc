#include "report/measures.h"

#include <algorithm>
#include <set>

#include "common/atomic_file.h"
#include "report/format.h"
#include "report/json_fields.h"
#include "report/stats.h"

namespace fwbench::report {
namespace {

struct ResultsQuery {
  std::string criterion, id, label, unit;
  std::vector<std::string> routes;
  std::string model;   // "closed" or "open"
  std::string metric;  // a Summary name, or "cold_start_ms"
  Direction direction;
  double scale = 1;  // display scale for evidence
};

// "queries" matches the route "queries" and named variants such as "queries-20".
bool RouteMatches(const std::string& route, const std::vector<std::string>& wanted) {
  return std::any_of(wanted.begin(), wanted.end(), [&](const std::string& w) {
    return route == w || route.rfind(w + "-", 0) == 0;
  });
}

std::optional<double> CellValue(const Cell& c, const std::string& metric) {
  if (metric == "cold_start_ms") return c.cold_start_ms;
  const Summary* s = c.Metric(metric);
  return s ? std::optional<double>(s->estimate) : std::nullopt;
}

// "flask/django: 1.05 (geometric mean of 24 paired comparisons; 8 with a 95% interval within
// their ±3% target)" for each framework pair with comparisons of `metric` between the cells in
// `used`; empty when there are none.
std::vector<std::string> ComparisonEvidence(const ResultsSet& results,
                                            const std::set<std::string>& used,
                                            const std::string& metric) {
  struct Pair {
    std::vector<double> ratios;
    int within = 0;
    std::set<double> targets;
  };
  std::map<std::pair<std::string, std::string>, Pair> pairs;
  std::vector<std::pair<std::string, std::string>> order;
  for (const Comparison& c : results.comparisons) {
    const stats::Estimate* e = c.Metric(metric);
    if (!e || !used.count(c.a) || !used.count(c.b) || !(e->value > 0)) continue;
    const auto key = std::make_pair(c.framework_a, c.framework_b);
    if (!pairs.count(key)) order.push_back(key);
    Pair& p = pairs[key];
    p.ratios.push_back(e->value);
    p.within += e->n >= 2 && e->HalfWidthPct() <= c.target_pct;
    p.targets.insert(c.target_pct);
  }
  std::vector<std::string> out;
  for (const auto& key : order) {
    const Pair& p = pairs[key];
    const std::string target =
        p.targets.size() == 1 ? "±" + Sig(*p.targets.begin()) + "% target" : "target";
    out.push_back(key.first + "/" + key.second + ": " + Sig(GeometricMean(p.ratios)) +
                  " (geometric mean of " + std::to_string(p.ratios.size()) +
                  " paired comparisons; " + std::to_string(p.within) +
                  " with a 95% interval within their " + target + ")");
  }
  return out;
}

// Geometric mean per framework over the cells that every framework measured (same profile,
// server, db, route, model, concurrency and rate), so no framework is judged on a config the
// other lacks.
MeasureInput FromResults(const ResultsSet& results, const ResultsQuery& q) {
  MeasureInput m{.criterion = q.criterion,
                 .id = q.id,
                 .label = q.label,
                 .unit = q.unit,
                 .direction = q.direction};
  std::map<std::string, std::map<std::string, double>> by_key;  // match key -> fw -> value
  for (const Cell& c : results.cells) {
    if (!c.ok() || c.model != q.model || c.Saturated() || c.starved) continue;
    if (!RouteMatches(c.route, q.routes)) continue;
    if (auto v = CellValue(c, q.metric)) by_key[c.MatchKey()][c.framework] = *v;
  }
  std::map<std::string, std::map<std::string, std::string>> ids;  // match key -> fw -> cell id
  for (const Cell& c : results.cells) ids[c.MatchKey()][c.framework] = c.id;
  std::map<std::string, std::vector<double>> per_fw;
  std::set<std::string> used;  // ids of the matched cells
  for (const auto& [key, values] : by_key) {
    if (values.size() != results.frameworks.size()) continue;
    for (const auto& [fw, v] : values) {
      per_fw[fw].push_back(v);
      used.insert(ids[key][fw]);
    }
  }
  std::string routes;
  for (const auto& r : q.routes) routes += (routes.empty() ? "/" : ", /") + r;
  for (const auto& [fw, values] : per_fw) {
    const double g = GeometricMean(values);
    if (!(g > 0)) continue;
    m.values[fw] = g;
    m.evidence[fw] = Sig(g * q.scale) + " " + q.unit + " (geometric mean of " +
                     std::to_string(values.size()) + " matched " + q.model + "-loop cells, " +
                     routes + ")";
  }
  for (const std::string& text : ComparisonEvidence(results, used, q.metric)) {
    for (auto& [fw, evidence] : m.evidence) evidence += "; " + text;
  }
  m.source = "results: " + q.metric +
             (results.schema_version == 1 ? " medians, " : " estimates, ") + q.model + " loop, " +
             routes;
  return m;
}

std::vector<ResultsQuery> ResultsQueries() {
  using D = Direction;
  return {
      {"performance",
       "perf_rps",
       "Peak throughput (framework-only routes)",
       "req/s",
       {"json", "plaintext"},
       "closed",
       "rps",
       D::kHigherIsBetter},
      {"performance",
       "perf_p99",
       "p99 latency at a fixed rate",
       "µs",
       {"json", "plaintext"},
       "open",
       "p99_us",
       D::kLowerIsBetter},
      {"performance",
       "perf_cpu",
       "CPU per request",
       "µs",
       {"json", "plaintext"},
       "closed",
       "cpu_us_per_request",
       D::kLowerIsBetter},
      {"performance",
       "perf_rss",
       "RSS per worker",
       "MiB",
       {"json", "plaintext"},
       "closed",
       "rss_peak_bytes_per_worker",
       D::kLowerIsBetter,
       1.0 / (1024 * 1024)},
      {"performance",
       "perf_cold",
       "Cold start",
       "ms",
       {"json", "plaintext"},
       "closed",
       "cold_start_ms",
       D::kLowerIsBetter},
      {"orm",
       "orm_rps",
       "Throughput of /db and /queries",
       "req/s",
       {"db", "queries"},
       "closed",
       "rps",
       D::kHigherIsBetter},
      {"orm",
       "orm_cpu",
       "CPU per request of /db and /queries",
       "µs",
       {"db", "queries"},
       "closed",
       "cpu_us_per_request",
       D::kLowerIsBetter},
      {"templates",
       "tpl_rps",
       "Throughput of /fortunes (query + template render)",
       "req/s",
       {"fortunes"},
       "closed",
       "rps",
       D::kHigherIsBetter},
      {"templates",
       "tpl_cpu",
       "CPU per request of /fortunes",
       "µs",
       {"fortunes"},
       "closed",
       "cpu_us_per_request",
       D::kLowerIsBetter},
  };
}

const nlohmann::json* Path(const nlohmann::json& doc, const std::vector<std::string>& keys) {
  const nlohmann::json* v = &doc;
  for (const std::string& k : keys) {
    if (!v->is_object() || !v->contains(k)) return nullptr;
    v = &(*v)[k];
  }
  return v->is_null() ? nullptr : v;
}

struct AppSizeQuery {
  std::string criterion, id, label, unit;
  std::vector<std::string> path;
  Direction direction;
  double scale = 1;
};

MeasureInput FromAppSize(const nlohmann::json& appsize, const AppSizeQuery& q) {
  MeasureInput m{.criterion = q.criterion,
                 .id = q.id,
                 .label = q.label,
                 .unit = q.unit,
                 .direction = q.direction,
                 .source = "appsize: src/report/appsize.py"};
  const nlohmann::json* frameworks = Path(appsize, {"frameworks"});
  if (!frameworks) return m;
  for (const auto& [fw, doc] : frameworks->items()) {
    const nlohmann::json* v = Path(doc, q.path);
    if (!v || !v->is_number()) continue;
    m.values[fw] = v->get<double>();
    m.evidence[fw] = Sig(v->get<double>() * q.scale) + (q.unit.empty() ? "" : " " + q.unit);
  }
  return m;
}

std::vector<MeasureInput> AppSizeMeasures(const nlohmann::json& appsize) {
  using D = Direction;
  const std::vector<AppSizeQuery> queries = {
      {"learning_curve",
       "hello_lines",
       "Hello-world code lines",
       "lines",
       {"hello_world", "code_lines"},
       D::kLowerIsBetter},
      {"learning_curve",
       "hello_concepts",
       "Hello-world framework concepts",
       "concepts",
       {"hello_world", "concepts"},
       D::kLowerIsBetter},
      {"learning_curve",
       "app_concepts",
       "Framework concepts the reference app uses",
       "concepts",
       {"reference_app", "concepts"},
       D::kLowerIsBetter},
      {"learning_curve",
       "app_files",
       "Files the reference app needs",
       "files",
       {"reference_app", "files"},
       D::kLowerIsBetter},
      {"structure",
       "app_lines",
       "Code lines written for the same route contract",
       "lines",
       {"reference_app", "code_lines"},
       D::kLowerIsBetter},
      {"flexibility",
       "deps",
       "Required dependencies (transitive)",
       "packages",
       {"dependencies", "count"},
       D::kLowerIsBetter},
      {"flexibility",
       "install",
       "Install size in the venv (with dependencies)",
       "MiB",
       {"dependencies", "install_bytes"},
       D::kLowerIsBetter,
       1.0 / (1024 * 1024)},
      {"flexibility",
       "import",
       "Hello-world import and setup time",
       "ms",
       {"import_time_ms", "median"},
       D::kLowerIsBetter},
      {"security",
       "sec_defaults",
       "Protections on in a new project",
       "of checks",
       {"security_defaults", "fraction"},
       D::kFraction},
  };
  std::vector<MeasureInput> out;
  for (const auto& q : queries) out.push_back(FromAppSize(appsize, q));
  // Evidence for the checklist-style measure: which protections.
  for (MeasureInput& m : out) {
    if (m.id != "sec_defaults") continue;
    for (const auto& [fw, doc] : Path(appsize, {"frameworks"})->items()) {
      const nlohmann::json* checks = Path(doc, {"security_defaults", "checks"});
      if (!checks || !m.values.count(fw)) continue;
      std::string on, off;
      for (const auto& [name, value] : checks->items()) {
        (value.is_boolean() && value.get<bool>() ? on : off) += (name + "; ");
      }
      m.evidence[fw] = Fixed(m.values[fw] * 100, 0) + "% on. On: " + (on.empty() ? "none; " : on) +
                       "off: " + (off.empty() ? "none" : off.substr(0, off.size() - 2));
    }
  }
  return out;
}

std::string FactSource(const nlohmann::json& fact) {
  return fact.value("source", "") + " (as of " + fact.value("as_of", "") + ")";
}

// A checklist of boolean facts under "facts.<key>" as a fraction.
MeasureInput ChecklistMeasure(const std::map<std::string, nlohmann::json>& facts,
                              const std::string& criterion, const std::string& id,
                              const std::string& label, const std::vector<std::string>& keys) {
  MeasureInput m{.criterion = criterion,
                 .id = id,
                 .label = label,
                 .unit = "of checklist",
                 .direction = Direction::kFraction,
                 .source = "facts: apps/<framework>/facts.json"};
  for (const auto& [fw, doc] : facts) {
    int yes = 0, known = 0;
    std::string text;
    std::vector<std::string> citations;
    for (const auto& key : keys) {
      const nlohmann::json* fact = Path(doc, {"facts", key});
      if (!fact || !(*fact)["value"].is_boolean()) continue;
      ++known;
      const bool value = (*fact)["value"].get<bool>();
      yes += value;
      const std::string name = key.rfind("builtin_", 0) == 0 ? key.substr(8) : key;
      text += (text.empty() ? "" : ", ") + name + (value ? " ✓" : " ✗");
      citations.push_back(name + ": " + FactSource(*fact));
    }
    if (known != static_cast<int>(keys.size())) continue;  // incomplete checklist: no data
    m.values[fw] = static_cast<double>(yes) / known;
    m.evidence[fw] = text;
    m.citations[fw] = citations;
  }
  return m;
}

MeasureInput NumberFact(const std::map<std::string, nlohmann::json>& facts,
                        const std::string& criterion, const std::string& key,
                        const std::string& label, const std::string& unit, Direction direction) {
  MeasureInput m{.criterion = criterion,
                 .id = key,
                 .label = label,
                 .unit = unit,
                 .direction = direction,
                 .source = "facts: apps/<framework>/facts.json"};
  for (const auto& [fw, doc] : facts) {
    const nlohmann::json* fact = Path(doc, {"facts", key});
    if (!fact || !(*fact)["value"].is_number()) continue;
    m.values[fw] = (*fact)["value"].get<double>();
    m.evidence[fw] = Sig(m.values[fw]) + " " + unit;
    m.citations[fw] = {FactSource(*fact)};
  }
  return m;
}

}  // namespace

void CheckFacts(const nlohmann::json& doc, const std::string& file) {
  JsonFields f(file);
  const std::string schema = f.String(doc, "", "schema");
  if (schema != "fwbench.facts/1")
    f.Fail("schema", "is \"" + schema + "\"; expected \"fwbench.facts/1\"",
           "see apps/flask/facts.json");
  for (const auto& [key, fact] : f.Object(doc, "", "facts").items()) {
    const std::string path = "facts." + key;
    if (!fact.is_object() || !fact.contains("value"))
      f.Fail(path, "expected an object with \"value\"", "every fact is {value, source, as_of}");
    if (f.String(fact, path, "source").empty())
      f.Fail(path + ".source", "is empty", "every fact needs where it was checked");
    if (f.String(fact, path, "as_of").size() != 10)
      f.Fail(path + ".as_of", "expected a date YYYY-MM-DD",
             "every fact needs the date it was checked");
  }
}

std::map<std::string, nlohmann::json> LoadFacts(const std::filesystem::path& apps_dir,
                                                const std::vector<std::string>& frameworks) {
  std::map<std::string, nlohmann::json> out;
  for (const auto& fw : frameworks) {
    const auto path = apps_dir / fw / "facts.json";
    if (!std::filesystem::exists(path)) continue;
    nlohmann::json doc = ReadJsonFile(path);
    CheckFacts(doc, path.string());
    out[fw] = std::move(doc);
  }
  return out;
}

void CheckAppSize(const nlohmann::json& doc, const std::string& file) {
  JsonFields f(file);
  const std::string schema = f.String(doc, "", "schema");
  if (schema != "fwbench.appsize/1")
    f.Fail("schema", "is \"" + schema + "\"; expected \"fwbench.appsize/1\"",
           "write it with src/report/appsize.py");
  f.Object(doc, "", "frameworks");
}

std::vector<MeasureInput> BuildMeasures(const Evidence& evidence) {
  std::vector<MeasureInput> out;
  if (evidence.results) {
    for (const auto& q : ResultsQueries()) out.push_back(FromResults(*evidence.results, q));
  }
  if (evidence.appsize) {
    for (auto& m : AppSizeMeasures(*evidence.appsize)) out.push_back(std::move(m));
  }
  const auto& facts = evidence.facts;
  out.push_back(ChecklistMeasure(
      facts, "structure", "builtins", "Built in: admin, auth, migrations, forms, ORM",
      {"builtin_admin", "builtin_auth", "builtin_migrations", "builtin_forms", "builtin_orm"}));
  out.push_back(
      ChecklistMeasure(facts, "community", "lts", "Long-term-support releases", {"lts_releases"}));
  out.push_back(NumberFact(facts, "community", "security_support_months",
                           "Security fixes for a release (longest)", "months",
                           Direction::kHigherIsBetter));
  out.push_back(NumberFact(facts, "community", "years_since_first_release",
                           "Years since the first public release", "years",
                           Direction::kHigherIsBetter));
  return out;
}

}  // namespace fwbench::report
