#include "report/matrix.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "common/error.h"
#include "report/json_fields.h"

namespace fwbench::report {
namespace {

// Scores one measure, or says why it does not count.
ScoredMeasure ScoreMeasure(const std::vector<std::string>& frameworks, const MeasureInput& in) {
  ScoredMeasure m{.input = in};
  for (const auto& fw : frameworks) {
    if (!in.values.count(fw)) {
      m.why_not_counted = "no value for " + fw;
      return m;
    }
  }
  double best = 0;
  for (const auto& fw : frameworks) {
    const double v = in.values.at(fw);
    if (in.direction == Direction::kLowerIsBetter) best = (best == 0 || v < best) ? v : best;
    if (in.direction == Direction::kHigherIsBetter) best = std::max(best, v);
  }
  if (in.direction != Direction::kFraction && !(best > 0)) {
    m.why_not_counted = "values are not positive";
    return m;
  }
  for (const auto& fw : frameworks) {
    const double v = in.values.at(fw);
    double s = 0;
    switch (in.direction) {
      case Direction::kLowerIsBetter:
        s = v > 0 ? 10.0 * best / v : 0;
        break;
      case Direction::kHigherIsBetter:
        s = 10.0 * v / best;
        break;
      case Direction::kFraction:
        s = 10.0 * std::clamp(v, 0.0, 1.0);
        break;
    }
    m.scores[fw] = s;
  }
  m.counted = true;
  return m;
}

const char* DirectionName(Direction d) {
  switch (d) {
    case Direction::kLowerIsBetter:
      return "lower is better";
    case Direction::kHigherIsBetter:
      return "higher is better";
    case Direction::kFraction:
      return "fraction of the checklist";
  }
  return "";
}

}  // namespace

const std::vector<Criterion>& ArticleCriteria() {
  static const std::vector<Criterion> kCriteria = {
      {"learning_curve", "Learning curve",
       "Flask is easier to learn; Django's built-ins introduce more concepts."},
      {"structure", "Structure (batteries included)",
       "Django is prescriptive, with ORM, auth and admin built in."},
      {"flexibility", "Flexibility (footprint)",
       "Flask provides the essentials and lets you choose the rest."},
      {"orm", "ORM and databases", "Django has a built-in ORM; Flask integrates SQLAlchemy."},
      {"templates", "Template engine", "Jinja2 is simple; Django's template language is powerful."},
      {"community", "Community and support", "Django's community is mature; Flask's is growing."},
      {"performance", "Performance",
       "Flask is lightweight and potentially faster; Django's features add overhead."},
      {"security", "Security defaults",
       "(not in the article) What a new project protects out of the box."},
  };
  return kCriteria;
}

Matrix ScoreMatrix(const std::vector<std::string>& frameworks,
                   const std::vector<MeasureInput>& measures) {
  Matrix matrix{.frameworks = frameworks};
  for (const Criterion& c : ArticleCriteria()) {
    CriterionRow row{.criterion = c};
    int counted = 0;
    for (const MeasureInput& in : measures) {
      if (in.criterion != c.id) continue;
      row.measures.push_back(ScoreMeasure(frameworks, in));
      if (!row.measures.back().counted) continue;
      ++counted;
      for (const auto& [fw, s] : row.measures.back().scores) row.scores[fw] += s;
    }
    for (auto& [fw, s] : row.scores) s /= counted;
    matrix.rows.push_back(std::move(row));
  }
  return matrix;
}

UseCaseResult EvaluateUseCase(const Matrix& matrix, const UseCase& use_case) {
  UseCaseResult r{.use_case = use_case};
  double total_weight = 0;
  std::map<std::string, double> weighted;  // unnormalized sum_c w_c * s_cf
  for (const CriterionRow& row : matrix.rows) {
    auto it = use_case.weights.find(row.criterion.id);
    const double w = it == use_case.weights.end() ? 0 : it->second;
    if (!row.has_data()) {
      if (w > 0) r.left_out.push_back(row.criterion.id);
      continue;
    }
    total_weight += w;
    for (const auto& fw : matrix.frameworks) weighted[fw] += w * row.scores.at(fw);
  }
  if (!(total_weight > 0) || matrix.frameworks.empty()) {
    throw Error("use case '" + use_case.id + "' weights no criterion that has data",
                "decision matrix", "give a positive weight to a criterion with measurements");
  }
  for (const auto& fw : matrix.frameworks) r.scores[fw] = weighted[fw] / total_weight;
  std::vector<std::string> order = matrix.frameworks;  // ties keep framework order
  std::stable_sort(order.begin(), order.end(),
                   [&](const auto& a, const auto& b) { return r.scores[a] > r.scores[b]; });
  r.winner = order.front();
  r.runner_up = order.size() > 1 ? order[1] : "";
  r.margin = order.size() > 1 ? r.scores[r.winner] - r.scores[r.runner_up] : 0;

  double best = std::numeric_limits<double>::infinity();
  for (const CriterionRow& row : matrix.rows) {
    if (!row.has_data()) continue;
    auto it = use_case.weights.find(row.criterion.id);
    const double w = it == use_case.weights.end() ? 0 : it->second;
    for (const auto& g : matrix.frameworks) {
      if (g == r.winner) continue;
      const double gap = weighted[r.winner] - weighted[g];  // >= 0
      const double d = row.scores.at(r.winner) - row.scores.at(g);
      if (d == 0) continue;
      const double delta = -gap / d;
      if (w + delta < 0) continue;  // would need a negative weight
      if (std::fabs(delta) < best) {
        best = std::fabs(delta);
        r.sensitivity = {true, row.criterion.id, g, delta, w + delta};
      }
    }
  }
  return r;
}

std::vector<UseCase> LoadUseCases(const nlohmann::json& doc, const std::string& file) {
  JsonFields f(file);
  const std::string schema = f.String(doc, "", "schema");
  if (schema != "fwbench.weights/1")
    f.Fail("schema", "is \"" + schema + "\"; expected \"fwbench.weights/1\"",
           "see src/report/use_cases.json for the format");
  std::vector<UseCase> out;
  const auto& cases = f.Array(doc, "", "use_cases");
  for (size_t i = 0; i < cases.size(); ++i) {
    const std::string path = FieldPath("use_cases", i);
    UseCase uc;
    uc.id = f.String(cases[i], path, "id");
    uc.label = f.OptionalString(cases[i], path, "label").value_or(uc.id);
    uc.article_pick = f.OptionalString(cases[i], path, "article_pick").value_or("");
    uc.why = f.OptionalString(cases[i], path, "why").value_or("");
    for (const auto& [key, value] : f.Object(cases[i], path, "weights").items()) {
      const std::string wpath = FieldPath(FieldPath(path, "weights"), key);
      const auto& known = ArticleCriteria();
      if (std::none_of(known.begin(), known.end(),
                       [&](const Criterion& c) { return c.id == key; })) {
        std::string ids;
        for (const auto& c : known) ids += (ids.empty() ? "" : ", ") + c.id;
        f.Fail(wpath, "unknown criterion", "expected one of: " + ids);
      }
      if (!value.is_number() || value.get<double>() < 0)
        f.Fail(wpath, "expected a number >= 0", "weights are relative importance, 0 to ignore");
      uc.weights[key] = value.get<double>();
    }
    out.push_back(std::move(uc));
  }
  if (out.empty()) f.Fail("use_cases", "is empty", "define at least one use case");
  return out;
}

nlohmann::json ToJson(const Matrix& matrix) {
  nlohmann::json rows = nlohmann::json::array();
  for (const CriterionRow& row : matrix.rows) {
    nlohmann::json measures = nlohmann::json::array();
    for (const ScoredMeasure& m : row.measures) {
      measures.push_back({{"id", m.input.id},
                          {"label", m.input.label},
                          {"unit", m.input.unit},
                          {"direction", DirectionName(m.input.direction)},
                          {"values", m.input.values},
                          {"evidence", m.input.evidence},
                          {"citations", m.input.citations},
                          {"source", m.input.source},
                          {"counted", m.counted},
                          {"why_not_counted", m.why_not_counted},
                          {"scores", m.scores}});
    }
    rows.push_back({{"criterion", row.criterion.id},
                    {"label", row.criterion.label},
                    {"article", row.criterion.article},
                    {"has_data", row.has_data()},
                    {"scores", row.scores},
                    {"measures", measures}});
  }
  return {{"frameworks", matrix.frameworks}, {"rows", rows}};
}

nlohmann::json ToJson(const UseCaseResult& r) {
  nlohmann::json sens = nullptr;
  if (r.sensitivity.flippable) {
    sens = {{"criterion", r.sensitivity.criterion},
            {"challenger", r.sensitivity.challenger},
            {"delta", r.sensitivity.delta},
            {"new_weight", r.sensitivity.new_weight}};
  }
  return {{"id", r.use_case.id},
          {"label", r.use_case.label},
          {"article_pick", r.use_case.article_pick},
          {"weights", r.use_case.weights},
          {"scores", r.scores},
          {"winner", r.winner},
          {"runner_up", r.runner_up},
          {"margin", r.margin},
          {"sensitivity", sens},
          {"left_out", r.left_out}};
}

}  // namespace fwbench::report
