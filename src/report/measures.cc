#include "report/measures.h"

#include <algorithm>
#include <cmath>
#include <set>

#include "common/atomic_file.h"
#include "common/metrics.h"
#include "common/paired_stats.h"
#include "report/format.h"
#include "report/json_fields.h"
#include "report/stats.h"

namespace fwbench::report {
namespace {

// What a results measure reads from the comparisons.
enum class Kind {
  kCost,       // closed loop: cost per request from the primary metric (1/req/s or CPU/request)
  kP99,        // open loop at a fixed rate, both cells unflagged: p99 latency
  kRss,        // closed loop: peak RSS per worker
  kColdStart,  // time to the first response after a start, per server and profile
};

struct ResultsQuery {
  std::string criterion, id, label;
  std::vector<std::string> routes;  // default routes; a use case may override per criterion
  Kind kind;
  // The cells' metric shown as each framework's value; its registry entry (common/metrics.h)
  // gives the unit, the scale and the direction.
  std::string display_metric;
};

std::vector<ResultsQuery> ResultsQueries() {
  return {
      {"performance",
       "perf_cost",
       "Cost per request at full load (closed loop)",
       {"json", "plaintext"},
       Kind::kCost,
       "rps"},
      {"performance",
       "perf_p99",
       "p99 latency at a fixed open-loop rate",
       {"json", "plaintext"},
       Kind::kP99,
       "p99_us"},
      {"performance",
       "perf_cold",
       "Cold start of the reference app",
       {},
       Kind::kColdStart,
       "cold_start_ms"},
      {"performance",
       "perf_rss",
       "Peak RSS per worker of the reference app",
       {},
       Kind::kRss,
       "rss_peak_bytes_per_worker"},
      {"orm",
       "orm_cost",
       "Cost per request of the database routes (closed loop)",
       {"db", "queries"},
       Kind::kCost,
       "rps"},
      {"templates",
       "tpl_cost",
       "Cost per request of the template routes (closed loop)",
       {"fortunes"},
       Kind::kCost,
       "rps"},
  };
}

// The standard error of an estimate's log from its 95% Student-t interval (0 without one).
double LogSe(const stats::Estimate& e) {
  if (!e.low || !e.high || e.n < 2 || !e.log_scale || !(*e.low > 0)) return 0;
  return (std::log(*e.high) - std::log(*e.low)) / (2 * stats::StudentTQuantile(0.975, e.n - 1));
}

struct Pool {
  std::vector<double> adv, se;
  Effect Get() const {
    double sum = 0, var = 0;
    for (size_t i = 0; i < adv.size(); ++i) {
      sum += adv[i];
      var += se[i] * se[i];
    }
    const double k = static_cast<double>(adv.size());
    return {.log = sum / k, .se = std::sqrt(var) / k, .parts = static_cast<int>(adv.size())};
  }
};

// Framework f against ref in comparison c: +1 when c is f/ref, -1 when ref/f, 0 otherwise.
int Orientation(const Comparison& c, const std::string& f, const std::string& ref) {
  if (c.framework_a == f && c.framework_b == ref) return 1;
  if (c.framework_a == ref && c.framework_b == f) return -1;
  return 0;
}

// The advantage of a (positive: a better) in one comparison, or nothing.
std::optional<std::pair<double, double>> ComparisonAdvantage(const Comparison& c, const Cell& a,
                                                             const Cell& b, Kind kind) {
  switch (kind) {
    case Kind::kCost: {
      if (c.model != "closed") return std::nullopt;
      const stats::Estimate* e = c.Metric(c.primary);
      if (!e || !(e->value > 0)) return std::nullopt;
      const double l = std::log(e->value);
      return std::make_pair(c.primary == "rps" ? l : -l, LogSe(*e));
    }
    case Kind::kP99: {
      if (c.model != "open" || !CellFlag(a).empty() || !CellFlag(b).empty()) return std::nullopt;
      const stats::Estimate* e = c.Metric("p99_us");
      if (!e || !(e->value > 0)) return std::nullopt;
      return std::make_pair(-std::log(e->value), LogSe(*e));
    }
    case Kind::kRss: {
      if (c.model != "closed") return std::nullopt;
      const Summary *sa = a.Metric("rss_peak_bytes_per_worker"),
                    *sb = b.Metric("rss_peak_bytes_per_worker");
      if (!sa || !sb || sa->values.empty() || sb->values.empty()) return std::nullopt;
      for (double v : sa->values)
        if (!(v > 0)) return std::nullopt;
      for (double v : sb->values)
        if (!(v > 0)) return std::nullopt;
      const stats::Estimate e = stats::RatioOfIndependent(sa->values, sb->values);
      return std::make_pair(-std::log(e.value), LogSe(e));
    }
    case Kind::kColdStart:
      return std::nullopt;  // pooled per server and profile below
  }
  return std::nullopt;
}

std::vector<double> ColdStarts(const Cell& c) {
  if (const Summary* s = c.Metric("cold_start_ms"); s && !s->values.empty()) return s->values;
  if (c.cold_start_ms && *c.cold_start_ms > 0) return {*c.cold_start_ms};
  return {};
}

struct Resolved {
  std::vector<std::string> routes;
  std::string note;  // a missing-evidence sentence, or empty
};

bool HasRoute(const ResultsSet& results, const std::string& route) {
  return std::any_of(results.cells.begin(), results.cells.end(),
                     [&](const Cell& c) { return c.ok() && RouteMatches(c.route, {route}); });
}

// The routes a measure reads: the use case's own where measured, else its fallback.
Resolved ResolveRoutes(const ResultsSet& results, const ResultsQuery& q,
                       const std::map<std::string, RouteEvidence>& routes) {
  auto it = routes.find(q.criterion);
  if (it == routes.end() || it->second.routes.empty()) return {q.routes, ""};
  const RouteEvidence& ev = it->second;
  std::vector<std::string> present, absent;
  for (const auto& r : ev.routes) (HasRoute(results, r) ? present : absent).push_back(r);
  std::string note;
  if (!absent.empty()) {
    std::string names;
    for (const auto& r : absent) names += (names.empty() ? "/" : ", /") + r;
    note = names + " (" + q.criterion + "): not in the results";
  }
  if (!present.empty()) return {present, note};
  if (!note.empty() && !ev.fallback.empty()) {
    std::string names;
    for (const auto& r : ev.fallback) names += (names.empty() ? "/" : ", /") + r;
    note += "; " + names + " used meanwhile";
  }
  return {ev.fallback, note};
}

std::string RouteList(const std::vector<std::string>& routes) {
  if (routes.empty()) return "every route";
  std::string out;
  for (const auto& r : routes) out += (out.empty() ? "/" : ", /") + r;
  return out;
}

MeasureInput FromResults(const ResultsSet& results, const std::string& reference,
                         const ResultsQuery& q, const std::vector<std::string>& routes) {
  const metrics::Metric& metric = metrics::Get(q.display_metric, "measure " + q.id);
  MeasureInput m{.criterion = q.criterion,
                 .id = q.id,
                 .label = q.label,
                 .unit = std::string(metric.display.unit),
                 .direction = metric.higher_is_better() ? Direction::kHigherIsBetter
                                                        : Direction::kLowerIsBetter};
  std::map<std::string, const Cell*> by_id;
  for (const Cell& c : results.cells) by_id[c.id] = &c;
  std::map<std::string, Pool> pools;                  // framework -> advantages
  std::map<std::string, std::set<std::string>> used;  // framework -> cell ids
  // Cold start: framework pair and "profile/server/db" -> per framework values.
  std::map<std::string, std::map<std::string, std::map<std::string, std::vector<double>>>> cold;
  for (const Comparison& c : results.comparisons) {
    auto ia = by_id.find(c.a), ib = by_id.find(c.b);
    if (ia == by_id.end() || ib == by_id.end()) continue;
    const Cell &a = *ia->second, &b = *ib->second;
    if (!a.ok() || !b.ok() || a.starved || b.starved) continue;
    if (!routes.empty() && !RouteMatches(a.route, routes)) continue;
    for (const auto& f : results.frameworks) {
      const int sign = Orientation(c, f, reference);
      if (sign == 0) continue;
      if (q.kind == Kind::kColdStart) {
        const std::string key = a.profile + "/" + a.server + "/" + a.db;
        auto& group = cold[f][key];
        const Cell& fc = sign > 0 ? a : b;
        const Cell& rc = sign > 0 ? b : a;
        if (used[f].insert(fc.id).second)
          for (double v : ColdStarts(fc)) group[f].push_back(v);
        if (used[f].insert(rc.id).second)
          for (double v : ColdStarts(rc)) group[reference].push_back(v);
        continue;
      }
      auto adv = ComparisonAdvantage(c, a, b, q.kind);
      if (!adv) continue;
      pools[f].adv.push_back(sign * adv->first);
      pools[f].se.push_back(adv->second);
      used[f].insert(a.id);
      used[f].insert(b.id);
    }
  }
  for (const auto& [f, groups] : cold) {
    for (const auto& [key, per_fw] : groups) {
      auto fi = per_fw.find(f), ri = per_fw.find(reference);
      if (fi == per_fw.end() || ri == per_fw.end()) continue;
      const stats::Estimate e = stats::RatioOfIndependent(fi->second, ri->second);
      if (!(e.value > 0)) continue;
      pools[f].adv.push_back(-std::log(e.value));
      pools[f].se.push_back(LogSe(e));
    }
  }
  // Display values: geometric means of the used cells' estimates, per framework.
  std::set<std::string> all_used;
  for (const auto& [f, ids] : used) all_used.insert(ids.begin(), ids.end());
  std::map<std::string, std::vector<double>> shown;
  for (const auto& id : all_used) {
    const Cell& c = *by_id.at(id);
    const bool open = q.kind == Kind::kP99;
    if ((c.model == "open") != open) continue;
    if (q.display_metric == "cold_start_ms") {
      for (double v : ColdStarts(c)) shown[c.framework].push_back(v);
    } else if (const Summary* s = c.Metric(q.display_metric); s && s->estimate > 0) {
      shown[c.framework].push_back(s->estimate);
    }
  }
  for (const auto& [fw, values] : shown) {
    const double g = GeometricMean(values);
    if (g > 0) m.values[fw] = g * metric.display.scale;
  }
  const std::string& unit = m.unit;
  for (const auto& [f, pool] : pools) {
    if (pool.adv.empty()) continue;
    m.effects[f] = pool.Get();
    const Effect& e = m.effects[f];
    const double ratio = std::exp(e.log), lo = std::exp(e.log - 1.96 * e.se),
                 hi = std::exp(e.log + 1.96 * e.se);
    m.evidence[f] = "advantage over " + reference + " ×" + WithCi(ratio, lo, hi) + " (" +
                    std::to_string(e.parts) +
                    (q.kind == Kind::kColdStart ? " server/profile groups" : " comparisons") +
                    ", " + RouteList(routes) + ")";
  }
  for (auto& [fw, v] : m.values) {
    std::string text = Sig(v) + " " + unit + " (geometric mean of the cells)";
    m.evidence[fw] = m.evidence.count(fw) ? text + "; " + m.evidence[fw] : text;
  }
  if (m.effects.empty())
    m.missing = "no comparison of " + RouteList(routes) + " in the results" +
                (q.kind == Kind::kP99 ? " at an unflagged open-loop rate" : "");
  const char* how = q.kind == Kind::kCost
                        ? "each comparison's primary metric (req/s, or server CPU per request in a "
                          "duet), as cost per request"
                    : q.kind == Kind::kP99 ? "p99 ratios at the open-loop rate, flagged "
                                             "(saturated) cells left out"
                    : q.kind == Kind::kRss ? "peak RSS per worker, ratio of the two cells"
                                           : "cold start, pooled per server and profile";
  m.source = std::string("results: ") + how + "; " + RouteList(routes);
  return m;
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
  std::vector<std::string> fallback_path;  // an older appsize document's field
  Direction direction;
  std::string not_scored;
  double scale = 1;
};

MeasureInput FromAppSize(const nlohmann::json& appsize, const AppSizeQuery& q) {
  MeasureInput m{.criterion = q.criterion,
                 .id = q.id,
                 .label = q.label,
                 .unit = q.unit,
                 .direction = q.direction,
                 .source = "appsize: src/report/appsize.py",
                 .not_scored = q.not_scored};
  const nlohmann::json* frameworks = Path(appsize, {"frameworks"});
  if (!frameworks) return m;
  for (const auto& [fw, doc] : frameworks->items()) {
    const nlohmann::json* v = Path(doc, q.path);
    if ((!v || !v->is_number()) && !q.fallback_path.empty()) v = Path(doc, q.fallback_path);
    if (!v || !v->is_number()) continue;
    m.values[fw] = v->get<double>() * q.scale;
    m.evidence[fw] = Sig(m.values[fw]) + (q.unit.empty() ? "" : " " + q.unit);
  }
  if (m.values.empty()) m.missing = "not in the app-size document";
  return m;
}

// Install size of the app's stack per profile: one exact effect, the mean log ratio over the
// profiles both frameworks have.
MeasureInput InstallSize(const nlohmann::json& appsize, const std::string& reference) {
  MeasureInput m{.criterion = "performance",
                 .id = "perf_install",
                 .label = "Install size of the reference app's stack (per profile)",
                 .unit = "MiB",
                 .direction = Direction::kLowerIsBetter,
                 .source =
                     "appsize: src/report/appsize.py, profiles.<p>.stack (the distributions "
                     "the app has loaded after serving a request, with their requirements)"};
  const nlohmann::json* frameworks = Path(appsize, {"frameworks"});
  const nlohmann::json* ref = frameworks ? Path(*frameworks, {reference, "profiles"}) : nullptr;
  if (!frameworks || !ref) {
    m.missing = "the app-size document has no per-profile stacks (rerun src/report/appsize.py)";
    return m;
  }
  for (const auto& [fw, doc] : frameworks->items()) {
    const nlohmann::json* profiles = Path(doc, {"profiles"});
    if (!profiles) continue;
    std::vector<double> mine;
    std::string text;
    Pool pool;
    for (const auto& [profile, p] : profiles->items()) {
      const nlohmann::json* bytes = Path(p, {"stack", "install_bytes"});
      const nlohmann::json* rbytes = Path(*ref, {profile, "stack", "install_bytes"});
      if (!bytes || !rbytes) continue;
      mine.push_back(bytes->get<double>());
      text += (text.empty() ? "" : ", ") + profile + " " + Mib(bytes->get<double>());
      pool.adv.push_back(-std::log(bytes->get<double>() / rbytes->get<double>()));
      pool.se.push_back(0);
    }
    if (mine.empty()) continue;
    m.values[fw] = GeometricMean(mine) / (1024 * 1024);
    m.evidence[fw] = text;
    if (fw != reference) m.effects[fw] = pool.Get();
  }
  return m;
}

std::vector<MeasureInput> AppSizeMeasures(const nlohmann::json& appsize,
                                          const std::string& reference) {
  using D = Direction;
  const std::string kHello =
      "hello-world is shown as its own row; the reference app measures the same quantity on the "
      "app both frameworks implement";
  const std::vector<AppSizeQuery> queries = {
      {"learning_curve",
       "lc_app_concepts",
       "Framework concepts in the code a developer writes for the reference app",
       "concepts",
       {"reference_app", "written", "concepts"},
       {"reference_app", "concepts"},
       D::kLowerIsBetter},
      {"learning_curve",
       "lc_app_lines",
       "Code lines a developer writes for the reference app",
       "lines",
       {"reference_app", "written", "code_lines"},
       {"reference_app", "code_lines"},
       D::kLowerIsBetter},
      {"learning_curve",
       "lc_hello_concepts",
       "Hello-world framework concepts",
       "concepts",
       {"hello_world", "concepts"},
       {},
       D::kLowerIsBetter,
       kHello},
      {"learning_curve",
       "lc_hello_lines",
       "Hello-world code lines",
       "lines",
       {"hello_world", "code_lines"},
       {},
       D::kLowerIsBetter,
       kHello},
      {"performance",
       "deps",
       "Required distributions of the framework alone (transitive)",
       "packages",
       {"dependencies", "count"},
       {},
       D::kLowerIsBetter,
       "not scored: more packages is not worse (the article counts modularity as a strength), "
       "and install size already measures what they cost"},
      {"performance",
       "hello_install",
       "Install size of the framework alone (hello-world)",
       "MiB",
       {"dependencies", "install_bytes"},
       {},
       D::kLowerIsBetter,
       kHello,
       1.0 / (1024 * 1024)},
      {"performance",
       "hello_import",
       "Hello-world import and setup time",
       "ms",
       {"import_time_ms", "median"},
       {},
       D::kLowerIsBetter,
       "contained in the reference app's cold start, which is scored"},
  };
  std::vector<MeasureInput> out;
  for (const auto& q : queries) out.push_back(FromAppSize(appsize, q));
  out.push_back(InstallSize(appsize, reference));
  // Security defaults: one checklist item per probe (the article names none of them).
  std::map<std::string, MeasureInput> items;
  std::vector<std::string> order;
  if (const nlohmann::json* frameworks = Path(appsize, {"frameworks"})) {
    for (const auto& [fw, doc] : frameworks->items()) {
      const nlohmann::json* checks = Path(doc, {"security_defaults", "checks"});
      if (!checks) continue;
      for (const auto& [name, value] : checks->items()) {
        if (!items.count(name)) {
          order.push_back(name);
          items[name] = MeasureInput{.criterion = "security",
                                     .id = "sec: " + name,
                                     .label = name,
                                     .unit = "",
                                     .direction = Direction::kItem,
                                     .source = "appsize: a new project probed through WSGI"};
        }
        const bool on = value.is_boolean() && value.get<bool>();
        items[name].values[fw] = on ? 1 : 0;
        items[name].evidence[fw] = on ? "on ✓" : "off ✗";
      }
    }
  }
  for (const auto& name : order) out.push_back(items[name]);
  return out;
}

std::string FactSource(const nlohmann::json& fact) {
  return fact.value("source", "") + " (as of " + fact.value("as_of", "") + ")";
}

// One boolean fact as a checklist item.
MeasureInput ItemFact(const std::map<std::string, nlohmann::json>& facts,
                      const std::string& criterion, const std::string& key,
                      const std::string& label, const std::string& not_scored = "") {
  MeasureInput m{.criterion = criterion,
                 .id = key,
                 .label = label,
                 .unit = "",
                 .direction = Direction::kItem,
                 .source = "facts: apps/<framework>/facts.json",
                 .not_scored = not_scored};
  for (const auto& [fw, doc] : facts) {
    const nlohmann::json* fact = Path(doc, {"facts", key});
    if (!fact || !(*fact)["value"].is_boolean()) continue;
    const bool v = (*fact)["value"].get<bool>();
    m.values[fw] = v ? 1 : 0;
    m.evidence[fw] = v ? "yes ✓" : "no ✗";
    m.citations[fw] = {FactSource(*fact)};
  }
  if (m.values.empty()) m.missing = "no framework has the fact " + key;
  return m;
}

MeasureInput NumberFact(const std::map<std::string, nlohmann::json>& facts,
                        const std::string& criterion, const std::string& key,
                        const std::string& label, const std::string& unit, Direction direction,
                        const std::string& not_scored = "") {
  MeasureInput m{.criterion = criterion,
                 .id = key,
                 .label = label,
                 .unit = unit,
                 .direction = direction,
                 .source = "facts: apps/<framework>/facts.json",
                 .not_scored = not_scored};
  for (const auto& [fw, doc] : facts) {
    const nlohmann::json* fact = Path(doc, {"facts", key});
    if (!fact || !(*fact)["value"].is_number()) continue;
    m.values[fw] = (*fact)["value"].get<double>();
    m.evidence[fw] = Sig(m.values[fw]) + " " + unit;
    m.citations[fw] = {FactSource(*fact)};
  }
  if (m.values.empty()) m.missing = "no framework has the fact " + key;
  return m;
}

std::vector<MeasureInput> FactMeasures(const std::map<std::string, nlohmann::json>& facts) {
  const std::string kNotNamed = "not scored: the article does not name it";
  std::vector<MeasureInput> out = {
      ItemFact(facts, "structure", "builtin_orm", "Built in: ORM"),
      ItemFact(facts, "structure", "builtin_auth", "Built in: authentication"),
      ItemFact(facts, "structure", "builtin_admin", "Built in: admin interface"),
      ItemFact(facts, "structure", "builtin_migrations", "Built in: migrations", kNotNamed),
      ItemFact(facts, "structure", "builtin_forms", "Built in: forms", kNotNamed),
      MeasureInput{.criterion = "structure",
                   .id = "flexibility",
                   .label = "Flexibility in choosing components",
                   .source = "none",
                   .missing = "no measure: which components a developer may swap is a design "
                              "choice, not a quantity both frameworks can be measured on"},
      NumberFact(facts, "community", "years_since_first_release",
                 "Maturity: years since the first public release", "years",
                 Direction::kHigherIsBetter),
      NumberFact(facts, "community", "security_support_months",
                 "Stability: months of security fixes for a release (longest)", "months",
                 Direction::kHigherIsBetter),
      ItemFact(facts, "community", "lts_releases", "Long-term-support releases",
               "not scored: the same release policy as the months of security fixes"),
      MeasureInput{.criterion = "community",
                   .id = "ecosystem",
                   .label = "Ecosystem size and activity (extensions, release cadence, "
                            "contributors)",
                   .source = "none",
                   .missing = "no sourced number: no stored page gives both frameworks' "
                              "extension counts or contributors over the last year with a "
                              "date (src/report/README.md)"},
  };
  return out;
}

}  // namespace

bool RouteMatches(const std::string& route, const std::vector<std::string>& wanted) {
  return std::any_of(wanted.begin(), wanted.end(), [&](const std::string& w) {
    return route == w || route.rfind(w + "-", 0) == 0;
  });
}

std::string CellFlag(const Cell& cell) {
  if (!cell.ok()) return cell.status;
  if (cell.Saturated()) return "saturated";
  if (cell.starved) return "starved";
  return "";
}

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

MeasureSet BuildMeasures(const Evidence& evidence, const std::string& reference,
                         const std::map<std::string, RouteEvidence>& routes) {
  MeasureSet out;
  if (evidence.results) {
    std::map<std::string, std::vector<std::string>> used;  // criterion -> routes, in order
    std::set<std::string> notes;
    for (const auto& q : ResultsQueries()) {
      const Resolved r = ResolveRoutes(*evidence.results, q, routes);
      out.measures.push_back(FromResults(*evidence.results, reference, q, r.routes));
      if (!r.note.empty() && notes.insert(r.note).second) out.missing_evidence.push_back(r.note);
      auto& list = used[q.criterion];
      for (const auto& route : r.routes)
        if (std::find(list.begin(), list.end(), route) == list.end()) list.push_back(route);
      if (r.routes.empty()) list.push_back("every route (" + q.label + ")");
    }
    for (const char* c : {"performance", "orm", "templates"}) {
      std::string text;
      for (const auto& r : used[c])
        text += (text.empty() ? "" : ", ") + (r.rfind("every route", 0) == 0 ? r : "/" + r);
      out.evidence_used.push_back(std::string(c) + ": " + text);
    }
  }
  if (evidence.appsize) {
    for (auto& m : AppSizeMeasures(*evidence.appsize, reference))
      out.measures.push_back(std::move(m));
  }
  for (auto& m : FactMeasures(evidence.facts)) out.measures.push_back(std::move(m));
  for (MeasureInput& m : out.measures) {  // a use case's own measure list for a criterion
    auto it = routes.find(m.criterion);
    if (it == routes.end() || it->second.measures.empty() || !m.not_scored.empty()) continue;
    const auto& ids = it->second.measures;
    if (std::find(ids.begin(), ids.end(), m.id) == ids.end())
      m.not_scored = "not this use case's evidence";
  }
  return out;
}

}  // namespace fwbench::report
