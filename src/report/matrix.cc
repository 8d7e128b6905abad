#include "report/matrix.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "common/error.h"
#include "common/splitmix.h"
#include "report/json_fields.h"

namespace fwbench::report {
namespace {

// Exact effects from display values: a ratio, or the 0/1 difference of a checklist item.
std::optional<Effect> ExactEffect(const MeasureInput& in, const std::string& fw,
                                  const std::string& ref, const Method& method) {
  auto f = in.values.find(fw), r = in.values.find(ref);
  if (f == in.values.end() || r == in.values.end()) return std::nullopt;
  if (in.direction == Direction::kItem)
    return Effect{.log = (f->second - r->second) * std::log(method.cap)};
  if (!(f->second > 0) || !(r->second > 0)) return std::nullopt;
  const double l = std::log(f->second / r->second);
  return Effect{.log = in.direction == Direction::kHigherIsBetter ? l : -l};
}

ScoredMeasure ScoreMeasure(const Matrix& m, const MeasureInput& in) {
  ScoredMeasure s{.input = in};
  if (!in.not_scored.empty()) {
    s.why_not_counted = in.not_scored;
    return s;
  }
  for (const auto& fw : m.frameworks) {
    if (fw == m.reference) continue;
    std::optional<Effect> e;
    if (auto it = in.effects.find(fw); it != in.effects.end()) {
      e = it->second;
    } else if (in.effects.empty()) {
      e = ExactEffect(in, fw, m.reference, m.method);
    }
    if (!e) {
      s.missing = true;
      s.why_not_counted = !in.missing.empty() ? in.missing
                          : in.values.count(fw) && in.values.count(m.reference)
                              ? "values are not positive"
                              : "no value for " + (in.values.count(fw) ? m.reference : fw);
      s.effects.clear();
      return s;
    }
    s.effects[fw] = *e;
  }
  for (const auto& fw : m.frameworks)
    s.points[fw] = fw == m.reference ? 0 : EffectPoints(s.effects.at(fw), m.method);
  s.counted = true;
  return s;
}

const char* DirectionName(Direction d) {
  switch (d) {
    case Direction::kLowerIsBetter:
      return "lower is better";
    case Direction::kHigherIsBetter:
      return "higher is better";
    case Direction::kItem:
      return "checklist item";
  }
  return "";
}

double WeightOf(const UseCase& uc, const std::string& criterion) {
  auto it = uc.weights.find(criterion);
  return it == uc.weights.end() ? 0 : it->second;
}

// Per-draw random numbers with explicit, portable algorithms.
class Draws {
 public:
  explicit Draws(uint64_t seed) { rng_.state = seed; }
  double Normal() {  // Box-Muller; 1 - U avoids log(0)
    const double u1 = 1.0 - rng_.Uniform(), u2 = rng_.Uniform();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * M_PI * u2);
  }
  double Gamma(double shape) {  // Marsaglia-Tsang; shape < 1 boosted by U^(1/shape)
    if (shape < 1) return Gamma(shape + 1) * std::pow(1.0 - rng_.Uniform(), 1.0 / shape);
    const double d = shape - 1.0 / 3.0, c = 1.0 / std::sqrt(9.0 * d);
    for (;;) {
      double x, v;
      do {
        x = Normal();
        v = 1.0 + c * x;
      } while (v <= 0);
      v = v * v * v;
      const double u = 1.0 - rng_.Uniform();
      if (std::log(u) < 0.5 * x * x + d - d * v + d * std::log(v)) return d * v;
    }
  }

 private:
  SplitMix64 rng_;
};

// Criterion points per framework from a subset of measures (skip: a measure id to leave out).
std::map<std::string, double> RowPoints(const CriterionRow& row, const std::string& skip = "") {
  std::map<std::string, double> out;
  int n = 0;
  for (const ScoredMeasure& s : row.measures) {
    if (!s.counted || s.input.id == skip) continue;
    ++n;
    for (const auto& [fw, p] : s.points) out[fw] += p;
  }
  if (n == 0) return {};
  for (auto& [fw, p] : out) p /= n;
  return out;
}

// Scores per framework (in [-10, 10]) from criterion points and weights; empty when no
// weighted criterion has points.
std::map<std::string, double> Scores(const std::vector<std::string>& frameworks,
                                     const std::vector<std::map<std::string, double>>& points,
                                     const std::vector<double>& weights) {
  double total = 0;
  std::map<std::string, double> out;
  for (size_t c = 0; c < points.size(); ++c) {
    if (points[c].empty() || !(weights[c] > 0)) continue;
    total += weights[c];
    for (const auto& fw : frameworks) out[fw] += weights[c] * points[c].at(fw);
  }
  if (!(total > 0)) return {};
  for (auto& [fw, s] : out) s = 10 * s / total;
  return out;
}

// Winner minus runner-up of the base ranking under other points.
double MarginOf(const std::map<std::string, double>& scores, const std::string& winner,
                const std::string& runner_up) {
  if (scores.empty() || runner_up.empty()) return 0;
  return scores.at(winner) - scores.at(runner_up);
}

void MonteCarlo(const Matrix& m, const UseCase& uc, UseCaseResult& r) {
  uint64_t stream = 1469598103934665603ULL;  // FNV-1a of the use case id: one stream per case
  for (unsigned char ch : uc.id) stream = (stream ^ ch) * 1099511628211ULL;
  Draws draws(m.method.seed ^ stream);
  std::map<std::string, double> wins;
  for (const auto& fw : m.frameworks) wins[fw] = 0;
  std::vector<double> base_w;
  for (const CriterionRow& row : m.rows) base_w.push_back(WeightOf(uc, row.criterion.id));
  double base_total = 0;
  for (size_t c = 0; c < m.rows.size(); ++c)
    if (m.rows[c].has_data()) base_total += base_w[c];
  for (int d = 0; d < m.method.draws; ++d) {
    std::vector<std::map<std::string, double>> points;
    for (const CriterionRow& row : m.rows) {
      std::map<std::string, double> p;
      int n = 0;
      for (const ScoredMeasure& s : row.measures) {
        if (!s.counted) continue;
        ++n;
        for (const auto& fw : m.frameworks) {
          p[fw] += 0;  // the reference stays at 0
          if (fw == m.reference) continue;
          Effect e = s.effects.at(fw);
          if (e.se > 0) e.log += e.se * draws.Normal();
          p[fw] += EffectPoints(e, m.method);
        }
      }
      if (n > 0)
        for (auto& [fw, v] : p) v /= n;
      points.push_back(std::move(p));
    }
    std::vector<double> w(base_w.size(), 0);
    double sum = 0;
    for (size_t c = 0; c < w.size(); ++c) {
      if (!m.rows[c].has_data() || !(base_w[c] > 0)) continue;
      w[c] = draws.Gamma(m.method.concentration * base_w[c] / base_total);
      sum += w[c];
    }
    if (!(sum > 0)) continue;
    const auto scores = Scores(m.frameworks, points, w);
    double best = -std::numeric_limits<double>::infinity();
    for (const auto& [fw, s] : scores) best = std::max(best, s);
    int tied = 0;
    for (const auto& [fw, s] : scores) tied += s == best;
    for (const auto& [fw, s] : scores)
      if (s == best) wins[fw] += 1.0 / tied;
  }
  for (const auto& [fw, n] : wins) r.p_win[fw] = n / m.method.draws;
}

void Tornado(const Matrix& m, const UseCase& uc, UseCaseResult& r) {
  std::vector<std::map<std::string, double>> points;
  std::vector<double> w;
  for (const CriterionRow& row : m.rows) {
    points.push_back(row.points);
    w.push_back(WeightOf(uc, row.criterion.id));
  }
  for (size_t c = 0; c < m.rows.size(); ++c) {
    const CriterionRow& row = m.rows[c];
    if (!row.has_data() || !(w[c] > 0)) continue;
    auto without = points;
    without[c].clear();
    r.tornado.push_back({"criterion", row.criterion.id, row.criterion.label, row.criterion.id,
                         MarginOf(Scores(m.frameworks, without, w), r.winner, r.runner_up)});
    int counted = 0;
    for (const ScoredMeasure& s : row.measures) counted += s.counted;
    if (counted < 2) continue;  // leaving out its only measure is leaving out the criterion
    for (const ScoredMeasure& s : row.measures) {
      if (!s.counted) continue;
      auto minus = points;
      minus[c] = RowPoints(row, s.input.id);
      r.tornado.push_back({"measure", s.input.id, s.input.label, row.criterion.id,
                           MarginOf(Scores(m.frameworks, minus, w), r.winner, r.runner_up)});
    }
  }
}

double NumberOr(const JsonFields& f, const nlohmann::json& obj, const std::string& key,
                double fallback) {
  return f.OptionalNumber(obj, "method", key).value_or(fallback);
}

std::vector<std::string> StringList(const JsonFields& f, const nlohmann::json& v,
                                    const std::string& path) {
  std::vector<std::string> out;
  if (!v.is_array()) f.Fail(path, "expected an array of names", "e.g. [\"json\", \"orders\"]");
  for (const auto& s : v) {
    if (!s.is_string()) f.Fail(path, "expected names (strings)", "e.g. [\"json\"]");
    out.push_back(s.get<std::string>());
  }
  return out;
}

}  // namespace

double EffectPoints(const Effect& e, const Method& method) {
  if (std::fabs(e.log) + method.z * e.se <= std::log1p(method.band)) return 0;
  return std::clamp(e.log / std::log(method.cap), -1.0, 1.0);
}

const std::vector<Criterion>& ArticleCriteria() {
  static const std::vector<Criterion> kCriteria = {
      {"learning_curve", "Learning curve and documentation",
       "Flask is easier to learn; Django's built-ins introduce more concepts and abstractions."},
      {"structure", "Project structure and flexibility",
       "Django is prescriptive, with ORM, authentication and admin built in; Flask lets you "
       "choose components."},
      {"orm", "ORM and database support",
       "Django has a robust built-in ORM; Flask integrates SQLAlchemy; both support most "
       "databases."},
      {"templates", "Template engine",
       "Jinja2 is simple; Django's template language is powerful; rarely decisive."},
      {"community", "Community and support",
       "Django's community is mature (stability, a vast ecosystem); Flask's is growing."},
      {"performance", "Performance",
       "Flask is lightweight and potentially faster; Django's built-ins may add overhead."},
      {"security", "Security defaults (not in the article)",
       "The article does not name it: what a new project protects out of the box.", false},
  };
  return kCriteria;
}

Matrix ScoreMatrix(const std::vector<std::string>& frameworks, const std::string& reference,
                   const std::vector<MeasureInput>& measures, const Method& method) {
  if (std::find(frameworks.begin(), frameworks.end(), reference) == frameworks.end())
    throw Error("reference framework '" + reference + "' is not among the results' frameworks",
                "decision matrix", "pass --reference with one of the measured frameworks");
  Matrix matrix{.frameworks = frameworks, .reference = reference, .method = method};
  for (const Criterion& c : ArticleCriteria()) {
    CriterionRow row{.criterion = c};
    for (const MeasureInput& in : measures) {
      if (in.criterion == c.id) row.measures.push_back(ScoreMeasure(matrix, in));
    }
    row.points = RowPoints(row);
    matrix.rows.push_back(std::move(row));
  }
  return matrix;
}

UseCaseResult EvaluateUseCase(const Matrix& m, const UseCase& use_case) {
  UseCaseResult r{.use_case = use_case};
  std::vector<std::map<std::string, double>> points;
  std::vector<double> w;
  for (const CriterionRow& row : m.rows) {
    const double wc = WeightOf(use_case, row.criterion.id);
    points.push_back(row.points);
    w.push_back(wc);
    if (!(wc > 0)) continue;
    if (!row.has_data()) r.left_out.push_back(row.criterion.id);
    for (const ScoredMeasure& s : row.measures)
      if (s.missing)
        r.missing.push_back(row.criterion.id + "/" + s.input.id + ": " + s.why_not_counted);
  }
  r.scores = Scores(m.frameworks, points, w);
  if (r.scores.empty() || m.frameworks.empty()) {
    throw Error("use case '" + use_case.id + "' weights no criterion that has data",
                "decision matrix", "give a positive weight to a criterion with measurements");
  }
  double total = 0;
  for (size_t c = 0; c < m.rows.size(); ++c)
    if (m.rows[c].has_data() && w[c] > 0) total += w[c];
  for (size_t c = 0; c < m.rows.size(); ++c) {
    if (!m.rows[c].has_data() || !(w[c] > 0)) continue;
    for (const auto& fw : m.frameworks)
      r.contributions[m.rows[c].criterion.id][fw] = 10 * w[c] * points[c].at(fw) / total;
  }
  std::vector<std::string> order = m.frameworks;  // ties keep framework order
  std::stable_sort(order.begin(), order.end(),
                   [&](const auto& a, const auto& b) { return r.scores[a] > r.scores[b]; });
  r.winner = order.front();
  r.runner_up = order.size() > 1 ? order[1] : "";
  r.margin = MarginOf(r.scores, r.winner, r.runner_up);

  double best = std::numeric_limits<double>::infinity();
  for (size_t c = 0; c < m.rows.size(); ++c) {
    const CriterionRow& row = m.rows[c];
    if (!row.has_data()) continue;
    for (const auto& g : m.frameworks) {
      if (g == r.winner) continue;
      double gap = 0;  // unnormalised sum_c w_c (P_cW - P_cg) >= 0
      for (size_t k = 0; k < m.rows.size(); ++k)
        if (m.rows[k].has_data()) gap += w[k] * (points[k].at(r.winner) - points[k].at(g));
      const double d = row.points.at(r.winner) - row.points.at(g);
      if (d == 0) continue;
      const double delta = -gap / d;
      if (w[c] + delta < 0) continue;  // would need a negative weight
      if (std::fabs(delta) < best) {
        best = std::fabs(delta);
        r.sensitivity = {true, row.criterion.id, g, delta, w[c] + delta};
      }
    }
  }
  MonteCarlo(m, use_case, r);
  Tornado(m, use_case, r);
  return r;
}

Method LoadMethod(const nlohmann::json& doc, const std::string& file) {
  JsonFields f(file);
  Method m;
  if (!doc.contains("method")) return m;
  const nlohmann::json& o = f.Object(doc, "", "method");
  m.band = NumberOr(f, o, "equivalence_band", m.band);
  m.cap = NumberOr(f, o, "cap_ratio", m.cap);
  m.z = NumberOr(f, o, "interval_z", m.z);
  m.draws = static_cast<int>(NumberOr(f, o, "draws", m.draws));
  m.concentration = NumberOr(f, o, "dirichlet_concentration", m.concentration);
  m.seed = static_cast<uint64_t>(NumberOr(f, o, "seed", static_cast<double>(m.seed)));
  if (!(m.band >= 0 && m.band < 1))
    f.Fail("method.equivalence_band", "expected a number in [0, 1)", "0.10 is a ±10% band");
  if (!(m.cap > 1 + m.band))
    f.Fail("method.cap_ratio", "expected a ratio above 1 + equivalence_band", "e.g. 2");
  if (!(m.z >= 0)) f.Fail("method.interval_z", "expected a number >= 0", "1.96 for 95%");
  if (m.draws < 1) f.Fail("method.draws", "expected at least 1", "e.g. 4000");
  if (!(m.concentration > 0))
    f.Fail("method.dirichlet_concentration", "expected a number > 0", "e.g. 30");
  return m;
}

std::vector<UseCase> LoadUseCases(const nlohmann::json& doc, const std::string& file) {
  JsonFields f(file);
  const std::string schema = f.String(doc, "", "schema");
  if (schema != "fwbench.weights/2")
    f.Fail("schema", "is \"" + schema + "\"; expected \"fwbench.weights/2\"",
           "see src/report/use_cases.json for the format");
  const auto& known = ArticleCriteria();
  auto find = [&](const std::string& id) {
    return std::find_if(known.begin(), known.end(), [&](const Criterion& c) { return c.id == id; });
  };
  auto check_known = [&](const std::string& path, const std::string& key) {
    if (find(key) != known.end()) return;
    std::string ids;
    for (const auto& c : known) ids += (ids.empty() ? "" : ", ") + c.id;
    f.Fail(path, "unknown criterion", "expected one of: " + ids);
  };
  std::vector<UseCase> out;
  const auto& cases = f.Array(doc, "", "use_cases");
  for (size_t i = 0; i < cases.size(); ++i) {
    const std::string path = FieldPath("use_cases", i);
    UseCase uc;
    uc.id = f.String(cases[i], path, "id");
    uc.label = f.OptionalString(cases[i], path, "label").value_or(uc.id);
    uc.article_pick = f.OptionalString(cases[i], path, "article_pick").value_or("");
    uc.why = f.OptionalString(cases[i], path, "why").value_or("");
    if (cases[i].contains("reasons")) {
      for (const auto& [key, value] : f.Object(cases[i], path, "reasons").items()) {
        const std::string rpath = FieldPath(FieldPath(path, "reasons"), key);
        check_known(rpath, key);
        if (!value.is_string() || value.get<std::string>().empty())
          f.Fail(rpath, "expected a non-empty string", "write why the criterion has its weight");
        uc.reasons[key] = value.get<std::string>();
      }
    }
    for (const auto& [key, value] : f.Object(cases[i], path, "weights").items()) {
      const std::string wpath = FieldPath(FieldPath(path, "weights"), key);
      check_known(wpath, key);
      if (!value.is_number() || value.get<double>() < 0)
        f.Fail(wpath, "expected a number >= 0", "weights are relative importance, 0 to ignore");
      uc.weights[key] = value.get<double>();
      if (!find(key)->in_article && uc.weights[key] > 0 && !uc.reasons.count(key))
        f.Fail(wpath, "weights a criterion the article does not name without a reason",
               "set it to 0, or write why in " + FieldPath(FieldPath(path, "reasons"), key));
    }
    if (cases[i].contains("evidence")) {
      for (const auto& [key, value] : f.Object(cases[i], path, "evidence").items()) {
        const std::string epath = FieldPath(FieldPath(path, "evidence"), key);
        check_known(epath, key);
        RouteEvidence ev;
        if (!value.is_object() || (!value.contains("routes") && !value.contains("measures")))
          f.Fail(epath, "expected {\"routes\": [...], \"fallback\": [...], \"measures\": [...]}",
                 "routes: the use case's own; fallback: used while those are not measured; "
                 "measures: the measure ids that score this criterion");
        if (value.contains("routes"))
          ev.routes = StringList(f, value["routes"], FieldPath(epath, "routes"));
        if (value.contains("measures"))
          ev.measures = StringList(f, value["measures"], FieldPath(epath, "measures"));
        if (value.contains("fallback"))
          ev.fallback = StringList(f, value["fallback"], FieldPath(epath, "fallback"));
        uc.evidence[key] = std::move(ev);
      }
    }
    out.push_back(std::move(uc));
  }
  if (out.empty()) f.Fail("use_cases", "is empty", "define at least one use case");
  return out;
}

nlohmann::json ToJson(const Method& m) {
  return {{"equivalence_band", m.band},
          {"cap_ratio", m.cap},
          {"interval_z", m.z},
          {"draws", m.draws},
          {"dirichlet_concentration", m.concentration},
          {"seed", m.seed}};
}

namespace {
nlohmann::json ToJson(const Effect& e) {
  return {{"log", e.log}, {"se", e.se}, {"parts", e.parts}};
}
}  // namespace

nlohmann::json ToJson(const Matrix& matrix) {
  nlohmann::json rows = nlohmann::json::array();
  for (const CriterionRow& row : matrix.rows) {
    nlohmann::json measures = nlohmann::json::array();
    for (const ScoredMeasure& m : row.measures) {
      nlohmann::json effects = nlohmann::json::object();
      for (const auto& [fw, e] : m.effects) effects[fw] = ToJson(e);
      measures.push_back({{"id", m.input.id},
                          {"label", m.input.label},
                          {"unit", m.input.unit},
                          {"direction", DirectionName(m.input.direction)},
                          {"values", m.input.values},
                          {"evidence", m.input.evidence},
                          {"citations", m.input.citations},
                          {"source", m.input.source},
                          {"counted", m.counted},
                          {"missing", m.missing},
                          {"why_not_counted", m.why_not_counted},
                          {"effects", effects},
                          {"points", m.points}});
    }
    rows.push_back({{"criterion", row.criterion.id},
                    {"label", row.criterion.label},
                    {"article", row.criterion.article},
                    {"in_article", row.criterion.in_article},
                    {"has_data", row.has_data()},
                    {"points", row.points},
                    {"measures", measures}});
  }
  return {{"frameworks", matrix.frameworks},
          {"reference", matrix.reference},
          {"method", ToJson(matrix.method)},
          {"rows", rows}};
}

nlohmann::json ToJson(const UseCaseResult& r) {
  nlohmann::json sens = nullptr;
  if (r.sensitivity.flippable) {
    sens = {{"criterion", r.sensitivity.criterion},
            {"challenger", r.sensitivity.challenger},
            {"delta", r.sensitivity.delta},
            {"new_weight", r.sensitivity.new_weight}};
  }
  nlohmann::json tornado = nlohmann::json::array();
  for (const TornadoBar& t : r.tornado)
    tornado.push_back({{"kind", t.kind},
                       {"id", t.id},
                       {"label", t.label},
                       {"criterion", t.criterion},
                       {"margin", t.margin}});
  nlohmann::json evidence = nlohmann::json::object();
  for (const auto& [c, ev] : r.use_case.evidence)
    evidence[c] = {{"routes", ev.routes}, {"fallback", ev.fallback}, {"measures", ev.measures}};
  return {{"id", r.use_case.id},
          {"label", r.use_case.label},
          {"article_pick", r.use_case.article_pick},
          {"weights", r.use_case.weights},
          {"reasons", r.use_case.reasons},
          {"evidence_routes", evidence},
          {"evidence_used", r.evidence_used},
          {"missing_evidence", r.missing_evidence},
          {"scores", r.scores},
          {"p_win", r.p_win},
          {"winner", r.winner},
          {"runner_up", r.runner_up},
          {"margin", r.margin},
          {"contributions", r.contributions},
          {"sensitivity", sens},
          {"left_out", r.left_out},
          {"missing", r.missing},
          {"tornado", tornado}};
}

}  // namespace fwbench::report
