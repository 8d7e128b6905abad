#include "report/matrix.h"

#include <gtest/gtest.h>

#include "common/error.h"
#include "report/measures.h"
#include "report/results.h"
#include "report/stats.h"

namespace fwbench::report {
namespace {

MeasureInput Measure(const std::string& criterion, Direction d, double a, double b) {
  MeasureInput m;
  m.criterion = criterion;
  m.id = criterion + "_m";
  m.label = criterion;
  m.direction = d;
  m.values = {{"a", a}, {"b", b}};
  m.evidence = {{"a", "ev a"}, {"b", "ev b"}};
  return m;
}

// A crafted matrix whose answer is known by hand:
//   performance: a 10, b 5 (higher is better: 200 vs 100 req/s)
//   structure:   a 2,  b 10 (checklist fractions 0.2 and 1.0)
//   community:   no data (b has no value)
Matrix Crafted() {
  MeasureInput community = Measure("community", Direction::kHigherIsBetter, 1, 1);
  community.values.erase("b");
  return ScoreMatrix({"a", "b"}, {Measure("performance", Direction::kHigherIsBetter, 200, 100),
                                  Measure("structure", Direction::kFraction, 0.2, 1.0), community});
}

const CriterionRow& Row(const Matrix& m, const std::string& id) {
  for (const auto& r : m.rows) {
    if (r.criterion.id == id) return r;
  }
  throw std::runtime_error("no row " + id);
}

TEST(Matrix, ScoresMeasuresRelativeToBest) {
  const Matrix m = Crafted();
  EXPECT_DOUBLE_EQ(Row(m, "performance").scores.at("a"), 10);
  EXPECT_DOUBLE_EQ(Row(m, "performance").scores.at("b"), 5);
  EXPECT_DOUBLE_EQ(Row(m, "structure").scores.at("a"), 2);
  EXPECT_DOUBLE_EQ(Row(m, "structure").scores.at("b"), 10);
  EXPECT_FALSE(Row(m, "community").has_data());
  EXPECT_EQ(Row(m, "community").measures.at(0).why_not_counted, "no value for b");
  // Lower is better: 10 * best / value.
  const Matrix lower =
      ScoreMatrix({"a", "b"}, {Measure("performance", Direction::kLowerIsBetter, 50, 200)});
  EXPECT_DOUBLE_EQ(Row(lower, "performance").scores.at("a"), 10);
  EXPECT_DOUBLE_EQ(Row(lower, "performance").scores.at("b"), 2.5);
}

TEST(Matrix, UseCaseWinnerMarginAndSensitivity) {
  UseCase uc{.id = "t", .weights = {{"performance", 3}, {"structure", 1}, {"community", 5}}};
  const UseCaseResult r = EvaluateUseCase(Crafted(), uc);
  // a: (3*10 + 1*2) / 4 = 8; b: (3*5 + 1*10) / 4 = 6.25. Community has no data: left out.
  EXPECT_DOUBLE_EQ(r.scores.at("a"), 8);
  EXPECT_DOUBLE_EQ(r.scores.at("b"), 6.25);
  EXPECT_EQ(r.winner, "a");
  EXPECT_EQ(r.runner_up, "b");
  EXPECT_DOUBLE_EQ(r.margin, 1.75);
  ASSERT_EQ(r.left_out.size(), 1u);
  EXPECT_EQ(r.left_out[0], "community");
  // Gap 3*5 + 1*(-8) = 7. Lowering performance needs -7/5 = -1.4; raising structure needs
  // 7/8 = 0.875: the smaller flips first.
  ASSERT_TRUE(r.sensitivity.flippable);
  EXPECT_EQ(r.sensitivity.criterion, "structure");
  EXPECT_EQ(r.sensitivity.challenger, "b");
  EXPECT_DOUBLE_EQ(r.sensitivity.delta, 0.875);
  EXPECT_DOUBLE_EQ(r.sensitivity.new_weight, 1.875);
  // Check: with structure at 1.875 the two tie.
  UseCase tied = uc;
  tied.weights["structure"] = 1.875;
  const UseCaseResult t = EvaluateUseCase(Crafted(), tied);
  EXPECT_NEAR(t.scores.at("a"), t.scores.at("b"), 1e-12);
}

TEST(Matrix, UnflippableWhenWinnerLeadsEverywhere) {
  const Matrix m =
      ScoreMatrix({"a", "b"}, {Measure("performance", Direction::kHigherIsBetter, 2, 1),
                               Measure("structure", Direction::kFraction, 1, 0.5)});
  const UseCaseResult r =
      EvaluateUseCase(m, UseCase{.id = "t", .weights = {{"performance", 1}, {"structure", 1}}});
  EXPECT_EQ(r.winner, "a");
  EXPECT_FALSE(r.sensitivity.flippable);  // only negative weights could flip it
}

TEST(Matrix, UseCaseWithoutDataIsAnError) {
  UseCase uc{.id = "only_community", .weights = {{"community", 1}}};
  EXPECT_THROW(EvaluateUseCase(Crafted(), uc), Error);
}

TEST(Matrix, LoadUseCasesRejectsUnknownCriterion) {
  const nlohmann::json doc = {{"schema", "fwbench.weights/1"},
                              {"use_cases", {{{"id", "x"}, {"weights", {{"speed", 1}}}}}}};
  try {
    LoadUseCases(doc, "my-weights.json");
    FAIL() << "expected an error";
  } catch (const Error& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("my-weights.json"), std::string::npos) << what;
    EXPECT_NE(what.find("use_cases[0].weights.speed"), std::string::npos) << what;
    EXPECT_NE(what.find("learning_curve"), std::string::npos) << what;  // lists valid ids
  }
}

const MeasureInput& Find(const std::vector<MeasureInput>& measures, const std::string& id) {
  for (const auto& m : measures) {
    if (m.id == id) return m;
  }
  throw std::runtime_error("no measure " + id);
}

const std::filesystem::path kFixtures =
    std::filesystem::path(FWBENCH_TEST_SOURCE_DIR) / "tests/fixtures/results";

TEST(Measures, ResultsMeasuresUseEstimatesAndCiteTheComparisons) {
  for (const char* file : {"fixture-a.json", "fixture-v2-a.json"}) {
    const ResultsSet set = LoadResultsFile(kFixtures / file);
    const std::vector<MeasureInput> measures = BuildMeasures(Evidence{.results = &set});
    const MeasureInput& rps = Find(measures, "perf_rps");
    // The value: the geometric mean of the matched closed-loop cells' estimates.
    std::vector<double> flask;
    for (const Cell& c : set.cells) {
      if (c.framework == "flask" && c.model == "closed" &&
          (c.route == "json" || c.route == "plaintext"))
        flask.push_back(c.Metric("rps")->estimate);
    }
    EXPECT_NEAR(rps.values.at("flask"), GeometricMean(flask), 1e-9) << file;
    EXPECT_GT(rps.values.at("flask"), rps.values.at("django")) << file;
    // The evidence names the paired comparisons behind it (8: 2 routes x 2 servers x c16, c64).
    EXPECT_NE(rps.evidence.at("flask").find("flask/django: 1."), std::string::npos)
        << rps.evidence.at("flask");
    EXPECT_NE(rps.evidence.at("django").find("geometric mean of 8 paired comparisons"),
              std::string::npos)
        << rps.evidence.at("django");
    // Cold start is not in comparisons: no comparison evidence.
    EXPECT_EQ(Find(measures, "perf_cold").evidence.at("flask").find("paired"), std::string::npos);
  }
}

}  // namespace
}  // namespace fwbench::report
