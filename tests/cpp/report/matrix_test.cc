#include "report/matrix.h"

#include <gtest/gtest.h>

#include <cmath>

#include "common/atomic_file.h"
#include "common/error.h"
#include "report/measures.h"
#include "report/results.h"
#include "report/stats.h"

namespace fwbench::report {
namespace {

MeasureInput Measure(const std::string& criterion, Direction d, double a, double b,
                     const std::string& id = "") {
  MeasureInput m;
  m.criterion = criterion;
  m.id = id.empty() ? criterion + "_m" : id;
  m.label = criterion;
  m.direction = d;
  m.values = {{"a", a}, {"b", b}};
  m.evidence = {{"a", "ev a"}, {"b", "ev b"}};
  return m;
}

// A measured effect of a against the reference b: log ratio and standard error.
MeasureInput Measured(const std::string& criterion, const std::string& id, double log, double se) {
  MeasureInput m = Measure(criterion, Direction::kHigherIsBetter, 1, 1, id);
  m.effects = {{"a", Effect{.log = log, .se = se}}};
  return m;
}

const CriterionRow& Row(const Matrix& m, const std::string& id) {
  for (const auto& r : m.rows) {
    if (r.criterion.id == id) return r;
  }
  throw std::runtime_error("no row " + id);
}

// Reference b throughout. performance: a 2x faster (one full point); structure: b has the item,
// a lacks it (-1); community: no data (b has no value).
Matrix Crafted() {
  MeasureInput community = Measure("community", Direction::kHigherIsBetter, 1, 1);
  community.values.erase("b");
  return ScoreMatrix({"a", "b"}, "b",
                     {Measure("performance", Direction::kHigherIsBetter, 200, 100),
                      Measure("structure", Direction::kItem, 0, 1), community});
}

TEST(Matrix, EffectSizeScoring) {
  const Method m;  // band 10%, cap 2
  EXPECT_DOUBLE_EQ(EffectPoints({.log = std::log(2.0)}, m), 1);
  EXPECT_DOUBLE_EQ(EffectPoints({.log = -std::log(2.0)}, m), -1);
  EXPECT_NEAR(EffectPoints({.log = std::log(1.5)}, m), std::log(1.5) / std::log(2.0), 1e-12);
  // Inside the band, interval included: a tie. The same ratio with a wide interval is not.
  EXPECT_EQ(EffectPoints({.log = std::log(1.05), .se = 0.01}, m), 0);
  EXPECT_GT(EffectPoints({.log = std::log(1.05), .se = 0.05}, m), 0);
  // The cap: a 1000x ratio is worth what a 2x ratio is.
  EXPECT_DOUBLE_EQ(EffectPoints({.log = std::log(1000.0)}, m), 1);
}

TEST(Matrix, RatioInsideTheBandIsATie) {
  const Matrix m = ScoreMatrix(
      {"a", "b"}, "b", {Measure("performance", Direction::kLowerIsBetter, 105, 100, "lat")});
  EXPECT_DOUBLE_EQ(Row(m, "performance").points.at("a"), 0);
  EXPECT_DOUBLE_EQ(Row(m, "performance").points.at("b"), 0);
  const Matrix wide = ScoreMatrix({"a", "b"}, "b", {Measured("performance", "x", 0.05, 0.04)});
  EXPECT_LT(0, Row(wide, "performance").points.at("a"));  // interval leaves the band
}

TEST(Matrix, CapStopsOneHugeRatioFromDecidingEverything) {
  // a is 1000x faster on one measure and 1.5x slower on two others of the same criterion.
  const Matrix m = ScoreMatrix({"a", "b"}, "b",
                               {Measure("performance", Direction::kHigherIsBetter, 1000, 1, "x"),
                                Measure("performance", Direction::kHigherIsBetter, 1, 1.5, "y"),
                                Measure("performance", Direction::kHigherIsBetter, 1, 1.5, "z")});
  const double expected = (1 - 2 * std::log(1.5) / std::log(2.0)) / 3;
  EXPECT_NEAR(Row(m, "performance").points.at("a"), expected, 1e-12);
  EXPECT_LT(Row(m, "performance").points.at("a"), 0.05);  // uncapped it would be ~+0.9
}

TEST(Matrix, ChecklistCountsPerItem) {
  const Matrix m = ScoreMatrix({"a", "b"}, "b",
                               {Measure("structure", Direction::kItem, 0, 1, "admin"),
                                Measure("structure", Direction::kItem, 1, 1, "orm"),
                                Measure("structure", Direction::kItem, 1, 0, "x")});
  EXPECT_DOUBLE_EQ(Row(m, "structure").measures[0].points.at("a"), -1);
  EXPECT_DOUBLE_EQ(Row(m, "structure").measures[1].points.at("a"), 0);
  EXPECT_DOUBLE_EQ(Row(m, "structure").measures[2].points.at("a"), 1);
  EXPECT_DOUBLE_EQ(Row(m, "structure").points.at("a"), 0);
}

TEST(Matrix, MissingMeasureIsReportedNotDropped) {
  MeasureInput gone = Measured("performance", "updates", 0, 0);
  gone.effects.clear();
  gone.values.clear();
  gone.missing = "no comparison of /updates in the results";
  MeasureInput shown = Measure("performance", Direction::kLowerIsBetter, 1, 2, "inproc");
  shown.not_scored = "same quantity";
  const Matrix m =
      ScoreMatrix({"a", "b"}, "b",
                  {Measure("performance", Direction::kHigherIsBetter, 2, 1, "json"), gone, shown});
  const CriterionRow& row = Row(m, "performance");
  ASSERT_EQ(row.measures.size(), 3u);
  EXPECT_TRUE(row.measures[1].missing);
  EXPECT_FALSE(row.measures[1].counted);
  EXPECT_EQ(row.measures[1].why_not_counted, "no comparison of /updates in the results");
  EXPECT_FALSE(row.measures[2].missing);  // deliberately not scored: not "missing"
  EXPECT_EQ(row.measures[2].why_not_counted, "same quantity");
  EXPECT_DOUBLE_EQ(row.points.at("a"), 1);  // the mean over the counted measure only
  const UseCaseResult r = EvaluateUseCase(m, UseCase{.id = "t", .weights = {{"performance", 1}}});
  ASSERT_EQ(r.missing.size(), 1u);
  EXPECT_EQ(r.missing[0], "performance/updates: no comparison of /updates in the results");
  // A criterion whose only measure is missing is left out, and named.
  const UseCaseResult c = EvaluateUseCase(
      Crafted(), UseCase{.id = "t", .weights = {{"performance", 1}, {"community", 1}}});
  EXPECT_EQ(c.left_out, std::vector<std::string>{"community"});
  ASSERT_EQ(c.missing.size(), 1u);
  EXPECT_NE(c.missing[0].find("community/community_m: no value for b"), std::string::npos);
}

TEST(Matrix, IdenticalInputsGiveAnEvenChance) {
  // Exactly equal: every draw is a tie, split evenly.
  const Matrix exact = ScoreMatrix({"a", "b"}, "b",
                                   {Measure("performance", Direction::kHigherIsBetter, 3, 3, "x"),
                                    Measure("orm", Direction::kHigherIsBetter, 3, 3, "y")});
  const UseCase uc{.id = "t", .weights = {{"performance", 2}, {"orm", 1}}};
  const UseCaseResult r = EvaluateUseCase(exact, uc);
  EXPECT_DOUBLE_EQ(r.p_win.at("a"), 0.5);
  EXPECT_DOUBLE_EQ(r.p_win.at("b"), 0.5);
  // Equal estimates with measurement noise: near 0.5 (4000 draws: sd about 0.008).
  const Matrix noisy =
      ScoreMatrix({"a", "b"}, "b",
                  {Measured("performance", "x", 0, 0.2), Measured("performance", "x2", 0, 0.2),
                   Measured("orm", "y", 0, 0.2)});
  const UseCaseResult n = EvaluateUseCase(noisy, uc);
  EXPECT_NEAR(n.p_win.at("a"), 0.5, 0.05);
  EXPECT_NEAR(n.p_win.at("a") + n.p_win.at("b"), 1, 1e-12);
  // Fixed seed: the same numbers every time.
  EXPECT_EQ(EvaluateUseCase(noisy, uc).p_win, n.p_win);
}

TEST(Matrix, ClearWinnerHasHighPWinAndWeightsMove) {
  const UseCase uc{.id = "t", .weights = {{"performance", 3}, {"structure", 1}}};
  const UseCaseResult r = EvaluateUseCase(Crafted(), uc);
  // a: 10 * (3*1 + 1*(-1)) / 4 = 5; b: 0 (the reference).
  EXPECT_DOUBLE_EQ(r.scores.at("a"), 5);
  EXPECT_DOUBLE_EQ(r.scores.at("b"), 0);
  EXPECT_EQ(r.winner, "a");
  EXPECT_DOUBLE_EQ(r.margin, 5);
  EXPECT_GT(r.p_win.at("a"), 0.9);  // only a weight draw with structure > performance flips it
  // Contributions add up to the score.
  EXPECT_DOUBLE_EQ(
      r.contributions.at("performance").at("a") + r.contributions.at("structure").at("a"), 5);
  // Sensitivity: gap 3*1 + 1*(-1) = 2; raising structure by 2 ties, and so does lowering
  // performance by 2: the first in criterion order is kept. Tornado: without performance the
  // margin is -10 (b wins), without structure 10.
  ASSERT_TRUE(r.sensitivity.flippable);
  EXPECT_EQ(r.sensitivity.criterion, "structure");
  EXPECT_DOUBLE_EQ(r.sensitivity.delta, 2);
  ASSERT_EQ(r.tornado.size(), 2u);
  EXPECT_EQ(r.tornado[0].id, "structure");
  EXPECT_DOUBLE_EQ(r.tornado[0].margin, 10);
  EXPECT_EQ(r.tornado[1].id, "performance");
  EXPECT_DOUBLE_EQ(r.tornado[1].margin, -10);
}

TEST(Matrix, UseCaseWithoutDataIsAnError) {
  UseCase uc{.id = "only_community", .weights = {{"community", 1}}};
  EXPECT_THROW(EvaluateUseCase(Crafted(), uc), Error);
}

TEST(Matrix, LoadUseCasesRejectsUnknownCriterion) {
  const nlohmann::json doc = {{"schema", "fwbench.weights/2"},
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

TEST(Matrix, CriterionOutsideTheArticleNeedsAReasonForAWeight) {
  nlohmann::json doc = {{"schema", "fwbench.weights/2"},
                        {"use_cases", {{{"id", "x"}, {"weights", {{"security", 2}}}}}}};
  try {
    LoadUseCases(doc, "w.json");
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("use_cases[0].weights.security"), std::string::npos);
  }
  doc["use_cases"][0]["reasons"] = {{"security", "customer data"}};
  EXPECT_EQ(LoadUseCases(doc, "w.json")[0].weights.at("security"), 2);
  doc["use_cases"][0]["weights"]["security"] = 0;
  doc["use_cases"][0].erase("reasons");
  EXPECT_NO_THROW(LoadUseCases(doc, "w.json"));
}

TEST(Matrix, ShippedWeightsLoad) {
  const auto path = std::filesystem::path(FWBENCH_TEST_SOURCE_DIR) / "src/report/use_cases.json";
  const nlohmann::json doc = ReadJsonFile(path);
  const auto cases = LoadUseCases(doc, path.string());
  EXPECT_EQ(cases.size(), 6u);
  for (const auto& uc : cases) EXPECT_EQ(uc.weights.at("security"), 0) << uc.id;
  const Method m = LoadMethod(doc, path.string());
  EXPECT_DOUBLE_EQ(m.band, 0.10);
  EXPECT_DOUBLE_EQ(m.cap, 2.0);
}

const MeasureInput& Find(const std::vector<MeasureInput>& measures, const std::string& id) {
  for (const auto& m : measures) {
    if (m.id == id) return m;
  }
  throw std::runtime_error("no measure " + id);
}

const std::filesystem::path kFixtures =
    std::filesystem::path(FWBENCH_TEST_SOURCE_DIR) / "tests/fixtures/results";

TEST(Measures, ResultsMeasuresAreEffectsFromTheComparisons) {
  for (const char* file : {"fixture-a.json", "fixture-v2-a.json"}) {
    const ResultsSet set = LoadResultsFile(kFixtures / file);
    const MeasureSet ms = BuildMeasures(Evidence{.results = &set}, "django");
    const MeasureInput& cost = Find(ms.measures, "perf_cost");
    // One effect for flask against django: the mean advantage over the closed-loop comparisons
    // of /json and /plaintext, from each one's primary metric.
    ASSERT_EQ(cost.effects.size(), 1u) << file;
    std::vector<double> adv;
    for (const Comparison& c : set.comparisons) {
      if (c.model != "closed" || (c.route != "json" && c.route != "plaintext")) continue;
      const double l = std::log(c.Metric(c.primary)->value);
      adv.push_back(c.primary == "rps" ? l : -l);
    }
    ASSERT_FALSE(adv.empty());
    double mean = 0;
    for (double v : adv) mean += v / adv.size();
    EXPECT_NEAR(cost.effects.at("flask").log, mean, 1e-12) << file;
    EXPECT_EQ(cost.effects.at("flask").parts, static_cast<int>(adv.size())) << file;
    EXPECT_GT(cost.effects.at("flask").se, 0) << file;
    EXPECT_NE(cost.evidence.at("flask").find("comparisons"), std::string::npos);
    // Not scored, with the reason: a quantity counted elsewhere.
    EXPECT_NE(Find(ms.measures, "lts_releases").not_scored.find("same release policy"),
              std::string::npos);
    // A use case's route that is not in the results is reported, and the fallback stands in.
    const MeasureSet uc = BuildMeasures(
        Evidence{.results = &set}, "django",
        {{"orm", RouteEvidence{.routes = {"updates"}, .fallback = {"db", "queries"}}}});
    ASSERT_EQ(uc.missing_evidence.size(), 1u);
    EXPECT_EQ(uc.missing_evidence[0],
              "/updates (orm): not in the results; /db, /queries used meanwhile");
    EXPECT_FALSE(Find(uc.measures, "orm_cost").effects.empty());
  }
}

}  // namespace
}  // namespace fwbench::report
