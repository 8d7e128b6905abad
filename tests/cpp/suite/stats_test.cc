#include "suite/stats.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <map>

#include "common/metrics.h"
#include "suite/comparisons.h"
#include "suite/results.h"

namespace fwbench::suite {
namespace {

TEST(Stats, MedianOfOddAndEvenCounts) {
  EXPECT_DOUBLE_EQ(Median({3, 1, 2}), 2);
  EXPECT_DOUBLE_EQ(Median({4, 1, 2, 3}), 2.5);
  EXPECT_DOUBLE_EQ(Median({}), 0);
}

TEST(Stats, NoValuesGiveAnEmptySummary) {
  Summary s = Summarize({});
  EXPECT_EQ(s.estimate.n, 0);
  EXPECT_FALSE(s.estimate.low.has_value());
  nlohmann::json j = ToJson(s);
  EXPECT_EQ(j["n"], 0);
  EXPECT_TRUE(j["ci95"].is_null());
  EXPECT_TRUE(j["half_width_pct"].is_null());
}

TEST(Stats, SingleValueHasNoIntervalAndNoVariation) {
  Summary s = Summarize({42});
  EXPECT_EQ(s.estimate.n, 1);
  EXPECT_DOUBLE_EQ(s.estimate.value, 42);
  EXPECT_DOUBLE_EQ(s.median, 42);
  EXPECT_FALSE(s.estimate.low.has_value());
  EXPECT_EQ(s.estimate.HalfWidthPct(), std::numeric_limits<double>::infinity());
  EXPECT_DOUBLE_EQ(s.cv, 0);
}

// Three rounds: the interval is the t interval on the logs, not the [min, max] that a percentile
// bootstrap of the median gives at n = 3 (about 75% coverage).
TEST(Stats, ThreeRoundsGetAStudentTIntervalWiderThanTheirRange) {
  Summary s = Summarize({100, 110, 121});
  EXPECT_NEAR(s.estimate.value, 110, 1e-9);  // geometric mean
  EXPECT_DOUBLE_EQ(s.median, 110);
  ASSERT_TRUE(s.estimate.low && s.estimate.high);
  const double half = 4.3026527297494638523 * std::log(1.1) / std::sqrt(3.0);
  EXPECT_NEAR(*s.estimate.low, 110 * std::exp(-half), 1e-7);
  EXPECT_NEAR(*s.estimate.high, 110 * std::exp(half), 1e-7);
  EXPECT_LT(*s.estimate.low, 100);
  EXPECT_GT(*s.estimate.high, 121);
}

TEST(Stats, IsReproducible) {
  std::vector<double> values = {100, 103, 98, 101, 99, 102, 97};
  EXPECT_EQ(ToJson(Summarize(values)), ToJson(Summarize(values)));
}

TEST(Stats, CoefficientOfVariation) {
  EXPECT_NEAR(Summarize({100, 101, 99}).cv, 0.01, 1e-9);
  EXPECT_NEAR(Summarize({80, 100, 120}).cv, 0.2, 1e-9);
}

// A metric that is 0 in some round (error_ratio, a missing figure) uses the arithmetic mean.
TEST(Stats, ZerosFallBackToTheArithmeticMean) {
  Summary s = Summarize({0, 0.5, 1});
  EXPECT_DOUBLE_EQ(s.estimate.value, 0.5);
  EXPECT_FALSE(s.estimate.log_scale);
  ASSERT_TRUE(s.estimate.low.has_value());
  EXPECT_LT(*s.estimate.low, 0);
}

TEST(Stats, JsonHasExactlyTheDocumentedFields) {
  nlohmann::json j = ToJson(Summarize({1, 2, 3}));
  EXPECT_EQ(j.size(), 7u) << j.dump();
  for (const char* key : {"n", "estimate", "ci95", "half_width_pct", "median", "cv", "values"})
    EXPECT_TRUE(j.contains(key)) << key;
  EXPECT_EQ(j["n"], 3);
  EXPECT_NEAR(j["estimate"].get<double>(), std::cbrt(6.0), 1e-12);
  EXPECT_EQ(j["median"], 2.0);
  ASSERT_EQ(j["ci95"].size(), 2u);
  EXPECT_TRUE(j["half_width_pct"].is_number());
  EXPECT_EQ(j["values"], nlohmann::json::array({1.0, 2.0, 3.0}));
  EXPECT_FALSE(j.contains("noisy"));
}

nlohmann::json RepWithConnections(uint64_t starved, uint64_t min, double median, uint64_t max,
                                  uint64_t timeouts, uint64_t unfinished) {
  return {{"load",
           {{"overall", {{"unfinished", unfinished}}},
            {"connections",
             {{"count", 32},
              {"completed_min", min},
              {"completed_median", median},
              {"completed_max", max},
              {"starved", starved},
              {"timeouts_max_per_connection", timeouts}}}}}};
}

TEST(Stats, ConnectionsSummaryTakesTheWorstRound) {
  const nlohmann::json reps = {RepWithConnections(0, 90, 100, 110, 0, 32),
                               RepWithConnections(28, 0, 0, 400, 7, 32),
                               RepWithConnections(27, 0, 0, 380, 9, 30)};
  const nlohmann::json c = ConnectionsSummary(reps);
  EXPECT_EQ(c["count"], 32);
  EXPECT_EQ(c["completed_min"], 0);
  EXPECT_DOUBLE_EQ(c["completed_median"].get<double>(), 0);  // median of 100, 0, 0
  EXPECT_EQ(c["completed_max"], 400);
  EXPECT_EQ(c["starved"], 28);
  EXPECT_EQ(c["starved_rounds"], 2);
  EXPECT_EQ(c["timeouts_max_per_connection"], 9);
  EXPECT_EQ(UnfinishedTotal(reps), 94u);
}

TEST(Stats, NoConnectionCountsGiveNull) {
  const nlohmann::json open_model = {
      {{"load", {{"overall", {{"requests", 5}}}, {"connections", nullptr}}}}};
  EXPECT_TRUE(ConnectionsSummary(open_model).is_null());
  EXPECT_TRUE(ConnectionsSummary(nlohmann::json::array()).is_null());
  EXPECT_EQ(UnfinishedTotal(open_model), 0u);
}

// A repetition with every registry metric at its pointer: value * (index of the metric + 1).
nlohmann::json RegistryRep(int round, double value) {
  nlohmann::json rep = {{"round", round}};
  double k = 1;
  for (const metrics::Metric& m : metrics::All())
    rep[nlohmann::json::json_pointer(std::string(m.pointer))] = value * k++;
  return rep;
}

TEST(Stats, CellSummaryHasEveryRegistryMetric) {
  nlohmann::json cell = {{"repetitions", {RegistryRep(1, 10), RegistryRep(2, 20)}}};
  SummarizeCell(cell);
  double k = 1;
  for (const metrics::Metric& m : metrics::All()) {
    const std::string name(m.name);
    ASSERT_TRUE(cell["summary"].contains(name)) << name;
    EXPECT_EQ(cell["summary"][name]["n"], 2) << name;
    EXPECT_EQ(cell["summary"][name]["values"], nlohmann::json({10 * k, 20 * k})) << name;
    ++k;
  }
  EXPECT_EQ(cell["summary"].size(), metrics::All().size() + 1);  // and host_disturbed
}

TEST(Stats, ComparisonsCarryTheRegistrysComparisonMetrics) {
  auto cell = [](const std::string& fw, double value) {
    return nlohmann::json{{"id", fw},
                          {"framework", fw},
                          {"profile", "minimal"},
                          {"group", "g"},
                          {"model", "closed"},
                          {"repetitions", {RegistryRep(1, value), RegistryRep(2, value * 1.1)}}};
  };
  const nlohmann::json cells = {cell("flask", 2), cell("django", 1)};
  const nlohmann::json c = BuildComparisons(cells, {"flask", "django"}, Paired{});
  ASSERT_EQ(c.size(), 1u);
  for (const metrics::Metric& m : metrics::All()) {
    EXPECT_EQ(c[0]["metrics"].contains(std::string(m.name)), m.comparison) << m.name;
    if (m.comparison)
      EXPECT_DOUBLE_EQ(c[0]["metrics"][std::string(m.name)]["ratio"].get<double>(), 2) << m.name;
  }
}

// The cells added rounds are for, each with how wide its widest unreached interval is.
TEST(Stats, CellsShortOfTargetCarryTheirWidestInterval) {
  auto comparison = [](const std::string& a, const std::string& b, nlohmann::json half,
                       bool reached) {
    return nlohmann::json{{"a", a},
                          {"b", b},
                          {"primary", "rps"},
                          {"reached", reached},
                          {"metrics", {{"rps", {{"half_width_pct", half}}}}}};
  };
  const nlohmann::json comparisons = {
      comparison("x", "y", 4.0, false), comparison("x", "z", 9.0, false),
      comparison("y", "w", 1.0, true), comparison("u", "v", nullptr, false)};
  const auto cells = CellsShortOfTarget(comparisons);
  ASSERT_EQ(cells.size(), 5u);  // w is only in a reached comparison
  EXPECT_DOUBLE_EQ(cells.at("x"), 9.0);
  EXPECT_DOUBLE_EQ(cells.at("y"), 4.0);
  EXPECT_DOUBLE_EQ(cells.at("z"), 9.0);
  EXPECT_TRUE(std::isinf(cells.at("u")));  // no interval yet: as far as can be
  EXPECT_FALSE(cells.count("w"));
}

// Three frameworks listed with the reference last: every pair, a before b in the suite's order,
// so each framework has a comparison with the last one and flask~django keeps its id.
TEST(Stats, ThreeFrameworksGiveEveryPairInSuiteOrder) {
  auto cell = [](const std::string& fw, double value) {
    return nlohmann::json{{"id", fw + "/minimal/g"},
                          {"framework", fw},
                          {"profile", "minimal"},
                          {"group", "g"},
                          {"model", "closed"},
                          {"repetitions", {RegistryRep(1, value), RegistryRep(2, value * 1.1)}}};
  };
  const nlohmann::json cells = {cell("django", 4), cell("falcon", 2), cell("flask", 1)};
  const nlohmann::json c = BuildComparisons(cells, {"flask", "falcon", "django"}, Paired{});
  std::vector<std::string> ids;
  for (const auto& comparison : c) ids.push_back(comparison["id"]);
  EXPECT_EQ(ids, (std::vector<std::string>{"flask~falcon/minimal/g", "flask~django/minimal/g",
                                           "falcon~django/minimal/g"}));
  EXPECT_EQ(c[1]["a"], "flask/minimal/g");
  EXPECT_EQ(c[1]["b"], "django/minimal/g");
  EXPECT_DOUBLE_EQ(c[2]["metrics"]["rps"]["ratio"].get<double>(), 0.5);  // falcon/django
  // A framework the suite does not list is in no comparison.
  EXPECT_EQ(BuildComparisons(cells, {"flask", "django"}, Paired{}).size(), 1u);
}

TEST(Stats, ServerComparisonsPairServersOfOneFrameworkInTheSuitesOrder) {
  auto cell = [](const std::string& server, const std::string& proxy, double value) {
    return nlohmann::json{{"id", "flask/minimal/" + server + "+" + proxy},
                          {"framework", "flask"},
                          {"server", server},
                          {"proxy", proxy},
                          {"profile", "minimal"},
                          {"group", "flask/sqlite/json/closed-c8"},
                          {"model", "closed"},
                          {"repetitions", {RegistryRep(1, value), RegistryRep(2, value * 1.1)}}};
  };
  const nlohmann::json cells = {cell("uwsgi", "none", 1), cell("embedded", "none", 3),
                                cell("uwsgi", "nginx", 2)};
  const nlohmann::json c =
      BuildComparisons(cells, {"embedded", "uwsgi", "uwsgi+nginx"}, Paired{}, "servers");
  ASSERT_EQ(c.size(), 3u);
  std::map<std::string, double> rps;
  for (const auto& x : c) {
    EXPECT_EQ(x["axis"], "server");
    EXPECT_EQ(x["framework_a"], "flask");
    EXPECT_EQ(x["framework_b"], "flask");
    rps[x["id"].get<std::string>()] = x["metrics"]["rps"]["ratio"].get<double>();
  }
  const std::string tail = "/minimal/flask/sqlite/json/closed-c8";
  EXPECT_DOUBLE_EQ(rps.at("embedded~uwsgi" + tail), 3);
  EXPECT_DOUBLE_EQ(rps.at("embedded~uwsgi+nginx" + tail), 1.5);
  EXPECT_DOUBLE_EQ(rps.at("uwsgi~uwsgi+nginx" + tail), 0.5);
  for (const auto& x : c)
    if (x["id"] == "uwsgi~uwsgi+nginx" + tail) {
      EXPECT_EQ(x["server_a"], "uwsgi");
      EXPECT_EQ(x["server_b"], "uwsgi+nginx");
    }
  // On the frameworks axis the same cells (one framework) compare nothing.
  EXPECT_TRUE(BuildComparisons(cells, {"flask"}, Paired{}).empty());
}

}  // namespace
}  // namespace fwbench::suite
