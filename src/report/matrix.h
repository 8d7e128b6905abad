#pragma once
// The decision matrix: criteria x frameworks, each cell a score in (0, 10] with its evidence,
// and use-case profiles (weight vectors) scored with winner, margin and sensitivity.
//
// Scoring (also in src/report/README.md):
//  - A measure is one number per framework with a direction. Its score per framework is
//    10 * best / value when lower is better, 10 * value / best when higher is better, and
//    10 * value for a fraction in [0, 1] (a checklist). A measure counts only when every
//    framework has a value (and, for ratios, best > 0).
//  - A criterion's score is the mean of its counted measures' scores. A criterion with no
//    counted measure has no data: it is shown as such and left out of every weighted score.
//  - A use case's score for framework f is sum_c w_c * s_cf / sum_c w_c over criteria with
//    data. The winner has the highest score; margin = winner - runner-up.
//  - Sensitivity: for each criterion c and challenger g, changing w_c by delta changes
//    sum_c w_c (s_cW - s_cg) by delta * (s_cW - s_cg), so the tie is at
//    delta = -D_g / (s_cW - s_cg), allowed when w_c + delta >= 0. The smallest |delta| over
//    all c and g is the smallest single-weight change that makes another framework tie or win.
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace fwbench::report {

enum class Direction { kLowerIsBetter, kHigherIsBetter, kFraction };

struct MeasureInput {
  std::string criterion;  // a Criterion id
  std::string id, label, unit;
  Direction direction = Direction::kLowerIsBetter;
  std::map<std::string, double> values;                       // per framework; absent: no data
  std::map<std::string, std::string> evidence;                // per framework, human-readable
  std::map<std::string, std::vector<std::string>> citations;  // per framework: fact sources
  std::string source;                                         // where the numbers come from
};

struct Criterion {
  std::string id, label, article;  // article: what the article claims, quoted loosely
};

// The article's criteria, in the article's order (structure and flexibility as two rows).
const std::vector<Criterion>& ArticleCriteria();

struct ScoredMeasure {
  MeasureInput input;
  bool counted = false;
  std::string why_not_counted;
  std::map<std::string, double> scores;
};

struct CriterionRow {
  Criterion criterion;
  std::vector<ScoredMeasure> measures;
  std::map<std::string, double> scores;  // empty when the criterion has no data
  bool has_data() const { return !scores.empty(); }
};

struct Matrix {
  std::vector<std::string> frameworks;
  std::vector<CriterionRow> rows;
};

Matrix ScoreMatrix(const std::vector<std::string>& frameworks,
                   const std::vector<MeasureInput>& measures);

struct UseCase {
  std::string id, label, article_pick, why;
  std::map<std::string, double> weights;  // criterion id -> weight >= 0
};

struct Sensitivity {
  bool flippable = false;
  std::string criterion, challenger;
  double delta = 0, new_weight = 0;  // weight change that makes challenger tie the winner
};

struct UseCaseResult {
  UseCase use_case;
  std::map<std::string, double> scores;
  std::string winner, runner_up;
  double margin = 0;
  Sensitivity sensitivity;
  std::vector<std::string> left_out;  // weighted criteria without data
};

// Throws fwbench::Error when no weighted criterion has data.
UseCaseResult EvaluateUseCase(const Matrix& matrix, const UseCase& use_case);

// Reads a weights file (fwbench.weights/1; src/report/use_cases.json is the default).
// Throws fwbench::Error naming the file and field for unknown criteria or negative weights.
std::vector<UseCase> LoadUseCases(const nlohmann::json& doc, const std::string& file);

nlohmann::json ToJson(const Matrix& matrix);
nlohmann::json ToJson(const UseCaseResult& result);

}  // namespace fwbench::report
