#pragma once
// The decision matrix: criteria x frameworks, scored by effect size against a reference
// framework, and use-case profiles (weight vectors) scored with winner, margin, P(win),
// the one-weight sensitivity and the leave-one-out ("tornado") margins.
//
// Scoring (src/report/README.md, "Method", says the same in prose):
//  - A measure gives each framework f other than the reference R an Effect: the log of the
//    ratio, oriented so that positive favours f (log(R/f) when lower is better, log(f/R) when
//    higher is better), with its standard error (0 for an exact fact). A checklist item is a
//    measure with values 0/1: having the item when R lacks it is an effect of +log(cap).
//  - Points of an effect, in [-1, 1]: 0 (a tie) when the whole interval |log| + z*se lies
//    inside the equivalence band log(1 + band); otherwise clamp(log / log(cap), -1, 1), so a
//    ratio at the cap (default 2x) or beyond is one full point and no more.
//  - A measure counts only when it is scored (not_scored is empty) and every framework other
//    than R has an effect; otherwise it is reported with why (never silently dropped).
//  - A criterion's points for f: the mean of its counted measures' points. The reference has 0.
//  - A use case's score for f: 10 * sum_c w_c P_cf / sum_c w_c over weighted criteria with data,
//    in [-10, 10]; R scores 0. Winner: the highest; margin: winner - runner-up.
//  - Sensitivity: changing w_c by delta moves sum_c w_c (P_cW - P_cg) by delta (P_cW - P_cg),
//    so the tie is at delta = -D_g / (P_cW - P_cg), kept when w_c + delta >= 0.
//  - P(win): a Monte Carlo (Method::draws, fixed seed, SplitMix64 with hand-written normal and
//    gamma draws so every platform gives the same numbers): each effect's log drawn from
//    Normal(log, se), each use case's weights from Dirichlet(concentration * w / sum w). Ties in a
//    draw split the win evenly.
//  - Tornado: the margin of the winner over the runner-up when one criterion, or one measure,
//    is left out (the rest renormalised).
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace fwbench::report {

enum class Direction { kLowerIsBetter, kHigherIsBetter, kItem };

// Framework f against the reference, on the log scale; positive favours f.
struct Effect {
  double log = 0;
  double se = 0;  // standard error of `log`; 0 for an exact fact
  int parts = 1;  // comparisons or cells pooled into it
};

struct MeasureInput {
  std::string criterion;  // a Criterion id
  std::string id, label, unit;
  Direction direction = Direction::kLowerIsBetter;
  std::map<std::string, double> values;                       // per framework, for display
  std::map<std::string, std::string> evidence;                // per framework, human-readable
  std::map<std::string, std::vector<std::string>> citations;  // per framework: fact sources
  std::string source;                                         // where the numbers come from
  // Per framework other than the reference. When empty, ScoreMatrix derives exact effects from
  // `values` (a ratio, or the 0/1 difference of a checklist item).
  std::map<std::string, Effect> effects;
  std::string not_scored;  // non-empty: shown with this reason, never scored
  std::string missing;     // non-empty: why the measure has no data (e.g. a route not measured)
};

struct Criterion {
  std::string id, label, article;  // article: what the article claims, quoted loosely
  bool in_article = true;          // false: shown as its own row, weight 0 unless a reason
};

// The article's six criteria in its order, then the rows it does not name (security).
const std::vector<Criterion>& ArticleCriteria();

// The method's parameters, read from the weights file's "method" object.
struct Method {
  double band = 0.10;         // equivalence band: ratios within 1 +- band are ties
  double cap = 2.0;           // a ratio of cap (or 1/cap) or beyond scores one full point
  double z = 1.96;            // the interval the tie test uses: log +- z * se
  int draws = 4000;           // Monte Carlo draws for P(win)
  double concentration = 30;  // Dirichlet concentration of the weight draws
  uint64_t seed = 14;         // the Monte Carlo seed (fixed: the report is byte-identical)
};

// Points in [-1, 1] of one effect under the method.
double EffectPoints(const Effect& e, const Method& method);

struct ScoredMeasure {
  MeasureInput input;
  bool counted = false;
  std::string why_not_counted;
  bool missing = false;  // no data (as opposed to deliberately not scored)
  std::map<std::string, Effect> effects;
  std::map<std::string, double> points;  // per framework; the reference has 0
};

struct CriterionRow {
  Criterion criterion;
  std::vector<ScoredMeasure> measures;
  std::map<std::string, double> points;  // empty when the criterion has no counted measure
  bool has_data() const { return !points.empty(); }
};

struct Matrix {
  std::vector<std::string> frameworks;
  std::string reference;
  Method method;
  std::vector<CriterionRow> rows;
};

// Throws fwbench::Error when `reference` is not one of `frameworks`.
Matrix ScoreMatrix(const std::vector<std::string>& frameworks, const std::string& reference,
                   const std::vector<MeasureInput>& measures, const Method& method = {});

// The evidence a use case draws on, per criterion.
struct RouteEvidence {
  std::vector<std::string> routes;    // the use case's own routes (results measures)
  std::vector<std::string> fallback;  // used only while none of `routes` is in the results
  std::vector<std::string> measures;  // non-empty: only these measure ids score this criterion
};

struct UseCase {
  std::string id, label, article_pick, why;
  std::map<std::string, double> weights;          // criterion id -> weight >= 0
  std::map<std::string, std::string> reasons;     // criterion id -> why it has that weight
  std::map<std::string, RouteEvidence> evidence;  // criterion id -> routes
};

struct Sensitivity {
  bool flippable = false;
  std::string criterion, challenger;
  double delta = 0, new_weight = 0;  // weight change that makes challenger tie the winner
};

struct TornadoBar {
  std::string kind;  // "criterion" or "measure"
  std::string id, label, criterion;
  double margin = 0;  // winner - runner-up with it left out (negative: the verdict flips)
};

struct UseCaseResult {
  UseCase use_case;
  std::map<std::string, double> scores;  // in [-10, 10]; the reference 0
  std::map<std::string, double> p_win;   // per framework
  std::string winner, runner_up;
  double margin = 0;
  Sensitivity sensitivity;
  std::vector<std::string> left_out;          // weighted criteria without data
  std::vector<std::string> missing;           // "criterion/measure: why" of weighted criteria
  std::vector<std::string> missing_evidence;  // the use case's own routes not in the results
  std::vector<std::string> evidence_used;     // "criterion: /a, /b" actually used
  // Weighted points per criterion and framework: 10 * w_c P_cf / sum w (they sum to the score).
  std::map<std::string, std::map<std::string, double>> contributions;
  std::vector<TornadoBar> tornado;
};

// Throws fwbench::Error when no weighted criterion has data.
UseCaseResult EvaluateUseCase(const Matrix& matrix, const UseCase& use_case);

// Reads a weights file (fwbench.weights/2; src/report/use_cases.json is the default).
// Throws fwbench::Error naming the file and field for unknown criteria, negative weights, or a
// criterion the article does not name weighted without a written reason.
std::vector<UseCase> LoadUseCases(const nlohmann::json& doc, const std::string& file);
// The "method" object of a weights file (defaults for absent fields); throws naming the field.
Method LoadMethod(const nlohmann::json& doc, const std::string& file);

nlohmann::json ToJson(const Method& method);
nlohmann::json ToJson(const Matrix& matrix);
nlohmann::json ToJson(const UseCaseResult& result);

}  // namespace fwbench::report
