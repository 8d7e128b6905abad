// Report generation from the fixture results, byte-identical regeneration, bad inputs, compare.
#include "report/report.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "common/atomic_file.h"
#include "common/error.h"
#include "common/paired_stats.h"
#include "report/charts.h"
#include "report/compare.h"
#include "report/flamegraphs.h"
#include "report/format.h"
#include "report/layers.h"
#include "report/results.h"
#include "report/tables.h"
#include "schema_check.h"

namespace fwbench::report {
namespace {

namespace fs = std::filesystem;
const fs::path kRoot = FWBENCH_TEST_SOURCE_DIR;
const fs::path kFixtures = kRoot / "tests/fixtures/results";

std::string Read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

class TempDir {  // removed with everything in it when the test ends, pass or fail
 public:
  TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "fwbench-report-test.XXXXXX").string();
    path_ = ::mkdtemp(tmpl.data());
  }
  ~TempDir() { fs::remove_all(path_); }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

ReportOptions FixtureOptions(const fs::path& out) {
  ReportOptions o;
  o.results = {kFixtures / "fixture-a.json"};
  o.appsize = kFixtures / "appsize-fixture.json";
  o.out = out;
  o.root = kRoot;
  return o;
}

size_t Count(const std::string& text, const std::string& needle) {
  size_t n = 0;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

// Writes `doc` as dir/results.json, generates the report into dir/out and returns its
// tables.md (report.html and the rest stay in dir/out).
std::string TablesOf(const TempDir& dir, const nlohmann::json& doc) {
  WriteJsonAtomic(dir.path() / "results.json", doc);
  ReportOptions o = FixtureOptions(dir.path() / "out");
  o.results = {dir.path() / "results.json"};
  GenerateReport(o);
  return Read(dir.path() / "out/tables.md");
}

TEST(Report, GeneratesTablesChartsPageAndJson) {
  TempDir dir;
  const ReportOutcome outcome = GenerateReport(FixtureOptions(dir.path()));
  for (const char* f : {"tables.md", "report.html", "report.json", "ratios.svg", "servers.svg",
                        "latency.svg", "footprint.svg", "usecases.svg", "tornado.svg"}) {
    EXPECT_TRUE(fs::exists(dir.path() / f)) << f;
  }
  const std::string md = Read(dir.path() / "tables.md");
  EXPECT_NE(md.find("## /json"), std::string::npos);
  EXPECT_NE(md.find("## /fortunes"), std::string::npos);
  EXPECT_NE(md.find("FIXTURE"), std::string::npos);  // fixture numbers are labelled as such
  EXPECT_NE(md.find("| gunicorn-sync · minimal · sqlite | flask/django |"), std::string::npos);
  EXPECT_EQ(Count(md, "Measured on: "), 5u);  // every route table says where it was measured
  const std::string html = Read(dir.path() / "report.html");
  EXPECT_EQ(Count(html, "<svg"), 6u);
  EXPECT_NE(html.find("<h2>Method</h2>"), std::string::npos);
  EXPECT_NE(html.find("class=\"scroll\""), std::string::npos);  // tables scroll in their box
  EXPECT_EQ(html.find("<script"), std::string::npos);
  for (const char* fetch : {"src=\"http", "href=\"http", "<link", "@import", "url(http"}) {
    EXPECT_EQ(html.find(fetch), std::string::npos) << fetch;  // self-contained: no fetches
  }
  EXPECT_NE(html.find("Decision matrix"), std::string::npos);
  // Without --layers and --flamegraphs: no layers section, chart or report.json entry.
  EXPECT_FALSE(fs::exists(dir.path() / "layers.svg"));
  EXPECT_EQ(md.find(kLayersTitle), std::string::npos);
  EXPECT_EQ(html.find("Where a request"), std::string::npos);
  const nlohmann::json doc = ReadJsonFile(dir.path() / "report.json");
  EXPECT_FALSE(doc.contains("layers"));
  EXPECT_FALSE(doc.contains("flamegraphs"));
  EXPECT_EQ(doc["schema"], "fwbench.report/1");
  EXPECT_EQ(doc["use_cases"].size(), 6u);
  EXPECT_EQ(doc["matrix"]["rows"].size(), 7u);  // the article's six and security
  EXPECT_EQ(doc["reference"], "django");
  for (const auto& uc : doc["use_cases"]) {
    ASSERT_TRUE(uc["p_win"].is_object()) << uc["id"];
    EXPECT_NEAR(uc["p_win"]["flask"].get<double>() + uc["p_win"]["django"].get<double>(), 1, 1e-9);
    EXPECT_TRUE(uc["tornado"].is_array());
    EXPECT_TRUE(uc["missing_evidence"].is_array());
  }
  ASSERT_EQ(doc["charts"].size(), 6u);
  for (const auto& chart : doc["charts"]) {
    ASSERT_FALSE(chart["series_per_panel"].empty()) << chart["file"];
    for (const auto& n : chart["series_per_panel"]) {
      EXPECT_GE(n.get<int>(), 1) << chart["file"];
      EXPECT_LE(n.get<int>(), 6) << chart["file"];
    }
  }
  // The fixture has no /orders, /updates or CMS page: the use cases that need them say so.
  for (const auto& uc : doc["use_cases"]) {
    if (uc["id"] == "ecommerce") {
      const std::string missing = uc["missing_evidence"].dump();
      EXPECT_NE(missing.find("/updates, /orders (orm): not in the results; /db, /queries used"),
                std::string::npos)
          << missing;
    }
    if (uc["id"] == "small_app") EXPECT_TRUE(uc["missing_evidence"].empty());
  }
  EXPECT_NE(html.find("Evidence missing: /cms (templates)"), std::string::npos);
  ASSERT_EQ(outcome.use_cases.size(), 6u);
  // The fixture makes flask faster on every route, Django built-in and secure by default.
  for (const auto& r : outcome.use_cases) {
    if (r.use_case.id == "microservices") {
      EXPECT_EQ(r.winner, "flask");
    }
    if (r.use_case.id == "cms") {
      EXPECT_EQ(r.winner, "django");
    }
  }
}

TEST(Report, SaturatedOpenLoopCellIsMarked) {
  TempDir dir;
  nlohmann::json doc = ReadJsonFile(kFixtures / "fixture-a.json");
  int changed = 0;
  for (auto& cell : doc["cells"]) {
    if (cell["model"] == "open" && cell["route"] == "json" && cell["server"] == "granian") {
      cell["summary"]["rps"]["median"] = 120.0;  // fell behind the offered 200 req/s
      ++changed;
    }
  }
  ASSERT_GT(changed, 0);
  const std::string md = TablesOf(dir, doc);
  EXPECT_EQ(Count(md, "| 200 (saturated: 120) |"), static_cast<size_t>(changed));
  EXPECT_GT(Count(md, "| 200 |"), 0u);  // the other servers kept up
}

// Files that count `unfinished` are judged on answered / due, not on req/s against the nominal
// rate: a Poisson window can hold fewer requests than rate * seconds while the server keeps up.
TEST(Report, SaturationIsJudgedOnTheRequestsThatFellDue) {
  for (const bool backlog : {false, true}) {
    SCOPED_TRACE(backlog ? "a backlog of unfinished requests" : "no backlog, few requests due");
    TempDir dir;
    nlohmann::json doc = ReadJsonFile(kFixtures / "fixture-a.json");
    int changed = 0;
    for (auto& cell : doc["cells"]) {
      if (cell["model"] != "open" || cell["route"] != "json" || cell["server"] != "granian")
        continue;
      cell["summary"]["rps"]["median"] = 180.0;  // below 95% of the nominal 200 req/s
      for (auto& rep : cell["repetitions"]) {
        auto& overall = rep["load"]["overall"];
        overall["requests"] = 1800;
        overall["unfinished"] = backlog ? 200 : 3;  // 90% or 99.8% of the due requests answered
      }
      ++changed;
    }
    ASSERT_GT(changed, 0);
    const std::string md = TablesOf(dir, doc);
    EXPECT_EQ(Count(md, "| 200 (saturated: 180) |"), backlog ? static_cast<size_t>(changed) : 0u);
  }
}

TEST(Report, RegenerationIsByteIdentical) {
  TempDir a, b;
  GenerateReport(FixtureOptions(a.path()));
  GenerateReport(FixtureOptions(b.path() / "elsewhere"));  // another path must not show
  size_t files = 0;
  for (const auto& entry : fs::directory_iterator(a.path())) {
    const fs::path other = b.path() / "elsewhere" / entry.path().filename();
    ASSERT_TRUE(fs::exists(other)) << other;
    EXPECT_TRUE(Read(entry.path()) == Read(other)) << entry.path().filename() << " differs";
    ++files;
  }
  EXPECT_EQ(files, 9u);
}

// Writes `doc` as a results file and expects the load to fail naming `file` and `field`.
void ExpectLoadError(const TempDir& dir, const nlohmann::json& doc, const std::string& field) {
  const fs::path path = dir.path() / "bad.json";
  WriteJsonAtomic(path, doc);
  try {
    LoadResultsFile(path);
    FAIL() << "expected an error about " << field;
  } catch (const Error& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("bad.json"), std::string::npos) << what;
    EXPECT_NE(what.find(field), std::string::npos) << what;
  }
}

TEST(Report, MalformedResultsNameFileAndField) {
  TempDir dir;
  const nlohmann::json good = ReadJsonFile(kFixtures / "fixture-a.json");
  nlohmann::json doc = good;
  doc["schema"] = "fwbench.load/1";
  ExpectLoadError(
      dir, doc,
      "'schema': is \"fwbench.load/1\"; expected \"fwbench.results/2\" or \"fwbench.results/1\"");
  doc = good;
  doc["cells"][0]["summary"].erase("rps");
  ExpectLoadError(dir, doc, "cells[0].summary.rps");
  doc = good;
  doc["cells"][3]["summary"]["p99_us"]["median"] = "fast";
  ExpectLoadError(dir, doc, "cells[3].summary.p99_us.median': expected a number, found string");
  doc = good;
  doc["cells"][2]["model"] = "burst";
  ExpectLoadError(dir, doc, "cells[2].model");
  doc = good;
  doc["cells"][1]["summary"]["rps"]["n"] = 7;
  ExpectLoadError(dir, doc, "cells[1].summary.rps.n");
  doc = good;
  doc.erase("meta");
  ExpectLoadError(dir, doc, "'meta': missing");
  std::ofstream(dir.path() / "bad.json") << "{\"schema\": ";
  EXPECT_THROW(LoadResultsFile(dir.path() / "bad.json"), Error);
}

// A suite with "compare": "servers" writes comparisons of two servers of one framework
// ("axis": "server"); the report compares frameworks and leaves them out instead of failing.
TEST(Report, ServerComparisonsAreLeftOut) {
  TempDir dir;
  nlohmann::json doc = ReadJsonFile(kFixtures / "fixture-v2-a.json");
  const size_t before = LoadResultsFile(kFixtures / "fixture-v2-a.json").comparisons.size();
  nlohmann::json c = doc["comparisons"][0];
  c["axis"] = "server";
  c["id"] = "gunicorn-sync~granian/" + c["id"].get<std::string>();
  c["b"] = "flask/minimal/granian/sqlite/plaintext/closed-c16";  // another group: not a pair
  c["framework_b"] = "flask";
  doc["comparisons"].push_back(c);
  WriteJsonAtomic(dir.path() / "servers.json", doc);
  EXPECT_EQ(LoadResultsFile(dir.path() / "servers.json").comparisons.size(), before);
  doc["comparisons"].back().erase("axis");  // as a framework comparison it is malformed
  ExpectLoadError(dir, doc, "comparisons[" + std::to_string(before) + "]");
}

TEST(Report, MismatchedResultsFilesAreRejected) {
  TempDir dir;
  nlohmann::json other = ReadJsonFile(kFixtures / "fixture-a.json");
  other["meta"]["cpu_model"] = "Another CPU";
  other["cells"] = nlohmann::json::array({other["cells"][0]});
  other["cells"][0]["id"] = "new/cell";
  WriteJsonAtomic(dir.path() / "other.json", other);
  const ResultsSet a = LoadResultsFile(kFixtures / "fixture-a.json");
  try {
    MergeResults({a, LoadResultsFile(dir.path() / "other.json")});
    FAIL() << "expected a machine mismatch";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("different machines"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("other.json"), std::string::npos) << e.what();
  }
  // The same cell twice.
  try {
    MergeResults({a, a});
    FAIL() << "expected a duplicate cell";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("is in both"), std::string::npos) << e.what();
  }
}

TEST(Report, MixedResultsFormatsAreRejected) {
  const ResultsSet v1 = LoadResultsFile(kFixtures / "fixture-a.json");
  const ResultsSet v2 = LoadResultsFile(kFixtures / "fixture-v2-b.json");
  try {
    MergeResults({v1, v2});
    FAIL() << "expected a format mismatch";
  } catch (const Error& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("fwbench.results/2 vs fwbench.results/1"), std::string::npos) << what;
    EXPECT_NE(what.find("fixture-v2-b.json"), std::string::npos) << what;
  }
}

// --- fwbench.results/2 ---------------------------------------------------------------------

TEST(ResultsV2, ParsesCellsAndComparisons) {
  const ResultsSet set = LoadResultsFile(kFixtures / "fixture-v2-a.json");
  const nlohmann::json doc = ReadJsonFile(kFixtures / "fixture-v2-a.json");
  EXPECT_EQ(set.schema_version, 2);
  ASSERT_EQ(set.cells.size(), 60u);
  const Cell& cell = set.cells[0];
  EXPECT_EQ(cell.group, "gunicorn-sync/sqlite/plaintext/closed-c16");
  EXPECT_EQ(cell.rounds, (std::vector<int>{1, 2, 3, 4, 5}));
  const Summary* rps = cell.Metric("rps");
  ASSERT_NE(rps, nullptr);
  EXPECT_DOUBLE_EQ(rps->estimate, doc["cells"][0]["summary"]["rps"]["estimate"].get<double>());
  EXPECT_NE(rps->estimate, doc["cells"][0]["summary"]["rps"]["median"].get<double>());
  ASSERT_TRUE(rps->half_width_pct.has_value());
  EXPECT_DOUBLE_EQ(*rps->half_width_pct,
                   doc["cells"][0]["summary"]["rps"]["half_width_pct"].get<double>());

  ASSERT_EQ(set.comparisons.size(), 30u);
  const Comparison& c = set.comparisons[1];
  EXPECT_EQ(c.id, "flask~django/minimal/gunicorn-sync/sqlite/plaintext/closed-c64");
  EXPECT_EQ(c.a, "flask/minimal/gunicorn-sync/sqlite/plaintext/closed-c64");
  EXPECT_EQ(c.b, "django/minimal/gunicorn-sync/sqlite/plaintext/closed-c64");
  EXPECT_EQ(c.mode, "slices");
  EXPECT_EQ(c.primary, "rps");
  EXPECT_EQ(c.concurrency, 64);
  EXPECT_FALSE(c.derived);
  EXPECT_EQ(c.rounds, 5);
  EXPECT_TRUE(c.reached);
  EXPECT_FALSE(c.noisy);
  EXPECT_EQ(c.metrics.size(), 4u);
  const stats::Estimate* ratio = c.Metric("rps");
  ASSERT_NE(ratio, nullptr);
  const nlohmann::json& file_ratio = doc["comparisons"][1]["metrics"]["rps"];
  EXPECT_DOUBLE_EQ(ratio->value, file_ratio["ratio"].get<double>());
  EXPECT_DOUBLE_EQ(*ratio->low, file_ratio["ci95"][0].get<double>());
  EXPECT_EQ(ratio->per_round.size(), 5u);
  EXPECT_NEAR(ratio->HalfWidthPct(), file_ratio["half_width_pct"].get<double>(), 1e-9);
  EXPECT_EQ(set.FindComparison(c.a, c.b), &c);
  EXPECT_EQ(set.FindComparison(c.b, c.a), nullptr);  // a/b, in the suite's order
  // /queries is the noisy route of the fixture: 10 rounds, target not reached.
  for (const Comparison& q : set.comparisons) {
    if (q.route != "queries" || q.model != "closed") continue;
    EXPECT_EQ(q.rounds, 10) << q.id;
    EXPECT_TRUE(q.noisy) << q.id;
  }
}

TEST(ResultsV2, ProxiedCellsAreLabelledServerPlusProxy) {
  nlohmann::json doc = ReadJsonFile(kFixtures / "fixture-v2-a.json");
  // Put the first comparison's two cells behind nginx; the others carry no "proxy" (direct).
  const std::string a = doc["comparisons"][0]["a"], b = doc["comparisons"][0]["b"];
  for (auto& cell : doc["cells"])
    if (cell["id"] == a || cell["id"] == b) cell["proxy"] = "nginx";
  const ResultsSet set = ParseResults(doc, "proxied.json");
  for (const Cell& cell : set.cells) {
    const bool proxied = cell.id == a || cell.id == b;
    EXPECT_EQ(cell.server.find("+nginx") != std::string::npos, proxied) << cell.id;
  }
  EXPECT_EQ(set.comparisons[0].server, "gunicorn-sync+nginx");
  EXPECT_EQ(set.comparisons[1].server, "gunicorn-sync");
}

TEST(ResultsV2, BadFilesNameTheField) {
  TempDir dir;
  const nlohmann::json good = ReadJsonFile(kFixtures / "fixture-v2-a.json");
  nlohmann::json doc = good;
  doc["schema"] = "fwbench.results/3";
  ExpectLoadError(dir, doc, "'schema': is \"fwbench.results/3\"");
  ExpectLoadError(dir, doc, "reads fwbench.results/1 and /2");
  doc = good;
  doc["comparisons"][4]["b"] = "django/minimal/nowhere/sqlite/json/closed-c64";
  ExpectLoadError(dir, doc,
                  "'comparisons[4].b': names cell \"django/minimal/nowhere/sqlite/json/"
                  "closed-c64\", which is not in cells");
  doc = good;
  doc.erase("comparisons");
  ExpectLoadError(dir, doc, "'comparisons': missing");
  doc = good;
  doc["comparisons"][0]["framework_a"] = "django";
  ExpectLoadError(dir, doc, "'comparisons[0].framework_a'");
  doc = good;
  doc["comparisons"][2]["metrics"].erase("rps");
  ExpectLoadError(dir, doc, "'comparisons[2].metrics.rps': missing");
  doc = good;
  doc["comparisons"][1]["metrics"]["p99_us"]["per_round"].push_back(1.0);
  ExpectLoadError(dir, doc, "'comparisons[1].metrics.p99_us.n'");
  doc = good;
  doc["comparisons"][3]["noisy"] = !doc["comparisons"][3]["reached"].get<bool>();
  doc["comparisons"][3]["reached"] = doc["comparisons"][3]["noisy"];
  ExpectLoadError(dir, doc, "'comparisons[3].noisy'");
  doc = good;
  doc["cells"][5]["summary"]["rps"].erase("estimate");
  ExpectLoadError(dir, doc, "'cells[5].summary.rps.estimate': missing");
  doc = good;
  doc["cells"][2]["repetitions"][1].erase("round");
  ExpectLoadError(dir, doc, "'cells[2].repetitions[1].round': missing");
}

TEST(ResultsV2, FixtureMatchesTheSchemaOfItsVersion) {
  const fs::path schemas = kRoot / "results/schema";
  const nlohmann::json doc = ReadJsonFile(kFixtures / "fixture-v2-a.json");
  EXPECT_EQ(testing::SchemaFileFor(doc, schemas), schemas / "results.v2.json");
  for (const auto& e : testing::CheckAgainstItsSchema(doc, schemas)) ADD_FAILURE() << e;
  nlohmann::json bad = doc;
  bad["comparisons"][0].erase("rounds");
  bad["cells"][0]["summary"]["rps"]["ci95"] = "wide";
  const auto errors = testing::CheckAgainstItsSchema(bad, schemas);
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_NE(errors[0].find("/cells/0/summary/rps/ci95"), std::string::npos) << errors[0];
  EXPECT_NE(errors[1].find("/comparisons/0: missing required \"rounds\""), std::string::npos)
      << errors[1];
  bad["schema"] = "fwbench.results/9";
  EXPECT_NE(testing::CheckAgainstItsSchema(bad, schemas).at(0).find("has no JSON Schema"),
            std::string::npos);
  EXPECT_EQ(testing::SchemaFileFor(ReadJsonFile(kFixtures / "fixture-a.json"), schemas),
            schemas / "results.v1.json");
}

// --- fwbench.results/1: comparisons derived from the rounds ---------------------------------

TEST(ResultsV1, DerivesComparisonsFromRounds) {
  const ResultsSet set = LoadResultsFile(kFixtures / "fixture-a.json");
  EXPECT_EQ(set.schema_version, 1);
  ASSERT_EQ(set.comparisons.size(), 30u);  // 5 routes x 2 servers x 3 levels, flask~django
  const Comparison& c = set.comparisons[0];
  EXPECT_EQ(c.id, "flask~django/minimal/gunicorn-sync/sqlite/plaintext/closed-c16");
  EXPECT_TRUE(c.derived);
  EXPECT_EQ(c.mode, "sequential");
  EXPECT_EQ(c.primary, "rps");
  EXPECT_DOUBLE_EQ(c.target_pct, 3);
  EXPECT_EQ(c.rounds, 3);
  // Every comparison metric of the registry (rps, p50, p99, CPU, RSS), as the v2 runner's.
  EXPECT_EQ(c.metrics.size(), 5u);
  // The same estimator as the v2 runner: AcrossRounds over the per-round ratios a/b.
  const Cell *a = nullptr, *b = nullptr;
  for (const Cell& cell : set.cells) {
    if (cell.id == c.a) a = &cell;
    if (cell.id == c.b) b = &cell;
  }
  ASSERT_TRUE(a && b);
  std::vector<double> ratios;
  for (int i = 0; i < 3; ++i)
    ratios.push_back(a->Metric("rps")->values[i] / b->Metric("rps")->values[i]);
  const stats::Estimate expected = stats::AcrossRounds(ratios);
  EXPECT_DOUBLE_EQ(c.Metric("rps")->value, expected.value);
  EXPECT_DOUBLE_EQ(*c.Metric("rps")->low, *expected.low);
  EXPECT_DOUBLE_EQ(*c.Metric("rps")->high, *expected.high);
  EXPECT_EQ(c.reached, expected.HalfWidthPct() <= 3);
  EXPECT_EQ(c.noisy, !c.reached);
}

TEST(ResultsV1, PairsRepetitionsByRoundNotPosition) {
  nlohmann::json doc = ReadJsonFile(kFixtures / "fixture-a.json");
  // cells[0] (flask c16) and cells[3] (django c16) of one config; give flask's repetitions the
  // rounds 3, 1, 2 and django's 1, 2, 3, with values that make each round's ratio exactly 2.
  nlohmann::json cells = nlohmann::json::array({doc["cells"][0], doc["cells"][3]});
  ASSERT_EQ(cells[0]["framework"], "flask");
  ASSERT_EQ(cells[1]["framework"], "django");
  ASSERT_EQ(cells[1]["concurrency"], 16);
  const int flask_rounds[] = {3, 1, 2};
  for (int i = 0; i < 3; ++i) {
    cells[0]["repetitions"][i]["round"] = flask_rounds[i];
    cells[1]["repetitions"][i]["round"] = i + 1;
    cells[1]["summary"]["rps"]["values"][i] = 100.0 * (i + 1);
    cells[0]["summary"]["rps"]["values"][i] = 200.0 * flask_rounds[i];
  }
  doc["cells"] = cells;
  const ResultsSet set = ParseResults(doc, "paired.json");
  ASSERT_EQ(set.comparisons.size(), 1u);
  const stats::Estimate* rps = set.comparisons[0].Metric("rps");
  ASSERT_NE(rps, nullptr);
  EXPECT_EQ(rps->per_round, (std::vector<double>{2, 2, 2}));  // rounds 1, 2, 3
  EXPECT_DOUBLE_EQ(rps->value, 2);
  EXPECT_TRUE(set.comparisons[0].reached);  // a zero-width interval
  // A round only one cell has is left out.
  cells[0]["repetitions"][0]["round"] = 7;
  doc["cells"] = cells;
  EXPECT_EQ(ParseResults(doc, "paired.json").comparisons[0].rounds, 2);
}

// --- The report of each format --------------------------------------------------------------

TEST(Report, V2TablesShowTheComparisons) {
  TempDir dir;
  ReportOptions o = FixtureOptions(dir.path());
  o.results = {kFixtures / "fixture-v2-a.json"};
  GenerateReport(o);
  const std::string md = Read(dir.path() / "tables.md");
  EXPECT_NE(md.find("geometric mean over rounds with its [95% CI]"), std::string::npos);
  EXPECT_NE(md.find("measured interleaved"), std::string::npos);
  EXPECT_NE(md.find("| gunicorn-sync · minimal · sqlite | flask/django | c64 | 5 | yes (±"),
            std::string::npos)
      << md;
  // /queries: ten rounds, target missed, req/s ratio marked noisy.
  const size_t queries = md.find("## /queries");
  ASSERT_NE(queries, std::string::npos);
  const size_t row =
      md.find("| granian · minimal · sqlite | flask/django | c64 | 10 | no (±", queries);
  ASSERT_NE(row, std::string::npos) << md.substr(queries, 4000);
  EXPECT_NE(md.substr(row, md.find('\n', row) - row).find(" ⚠ |"), std::string::npos);
  EXPECT_EQ(md.find("CV > 5%"), std::string::npos);  // noise is judged on comparisons
  const std::string html = Read(dir.path() / "report.html");
  EXPECT_NE(html.find("<th>target reached</th>"), std::string::npos);
  EXPECT_NE(html.find("<td>c64</td><td class=\"num\">10</td><td>no (±"), std::string::npos);
  const nlohmann::json doc = ReadJsonFile(dir.path() / "report.json");
  EXPECT_EQ(doc["results_schema"], "fwbench.results/2");
  size_t ratios = 0;
  for (const auto& t : doc["tables"]) ratios += t["ratios"].size();
  EXPECT_EQ(ratios, 30u);  // every comparison, each in its route's table
  const nlohmann::json& ratio = doc["tables"][0]["ratios"][1];
  EXPECT_EQ(ratio["comparison"], "flask~django/minimal/granian/sqlite/plaintext/closed-c64");
  EXPECT_EQ(ratio["rounds"], 5);
  EXPECT_EQ(ratio["rps"]["ci95"].size(), 2u);
}

TEST(Report, ColdStartShowsTheCompileStartBesideIt) {
  FrameworkRow row;
  EXPECT_EQ(ColdStartText(row), "–");
  row.values["cold_start_ms"] = Measure{.value = 812};
  EXPECT_EQ(ColdStartText(row), "812");
  row.cold_compile_ms = 1450;
  EXPECT_EQ(ColdStartText(row), "812 (compile: " + Sig(1450) + ")");
}

// A cell with errors (summary.error_ratio above 0): its row says so after the req/s, the page
// names it in a caveat and report.json carries the row's error_ratio. Rows without errors are
// unchanged.
TEST(Report, CellsWithErrorsAreNamedBesideTheirThroughput) {
  TempDir dir;
  nlohmann::json doc = ReadJsonFile(kFixtures / "fixture-v2-a.json");
  int changed = 0;
  for (auto& cell : doc["cells"]) {
    const std::string id = cell["id"];
    if (id.rfind("flask/minimal/gunicorn-sync/sqlite/json/", 0) != 0) continue;
    cell["summary"]["error_ratio"] = {
        {"n", 1},          {"estimate", 0.012}, {"ci95", nullptr},  {"half_width_pct", nullptr},
        {"median", 0.012}, {"cv", 0},           {"values", {0.012}}};
    ++changed;
  }
  ASSERT_EQ(changed, 3);  // c16, c64 and the open-loop rate
  const std::string md = TablesOf(dir, doc);
  const size_t json_table = md.find("## /json");
  ASSERT_NE(json_table, std::string::npos);
  const size_t row = md.find("| gunicorn-sync · minimal · sqlite | flask | ", json_table);
  ASSERT_NE(row, std::string::npos);
  const std::string line = md.substr(row, md.find('\n', row) - row);
  EXPECT_NE(line.find("] (errors: 1.2%) |"), std::string::npos) << line;
  EXPECT_EQ(Count(md, "(errors: "), 1u);  // django and the other routes had none
  const std::string html = Read(dir.path() / "out/report.html");
  EXPECT_NE(html.find("Cells with errors"), std::string::npos);
  EXPECT_NE(html.find("gunicorn-sync · minimal · sqlite flask (errors: 1.2%)"), std::string::npos);
  const nlohmann::json report = ReadJsonFile(dir.path() / "out/report.json");
  int rows_with_errors = 0;
  for (const auto& t : report["tables"])
    for (const auto& r : t["rows"])
      if (r.contains("error_ratio")) {
        EXPECT_DOUBLE_EQ(r["error_ratio"].get<double>(), 0.012);
        ++rows_with_errors;
      }
  EXPECT_EQ(rows_with_errors, 1);
}

// fixture-v2-a.json with summary.connects_per_request = `value` in every ok cell (one value per
// repetition), as a fwbench that summarises that metric writes it.
nlohmann::json WithConnectsPerRequest(double value) {
  nlohmann::json doc = ReadJsonFile(kFixtures / "fixture-v2-a.json");
  for (auto& cell : doc["cells"]) {
    if (cell["status"] != "ok") continue;
    const size_t n = cell["repetitions"].size();
    cell["summary"]["connects_per_request"] = {
        {"n", n},
        {"estimate", value},
        {"ci95", n >= 2 ? nlohmann::json({value, value}) : nlohmann::json()},
        {"median", value},
        {"cv", 0},
        {"half_width_pct", n >= 2 ? nlohmann::json(0) : nlohmann::json()},
        {"values", std::vector<double>(n, value)}};
  }
  return doc;
}

// A metric added to the registry (connects_per_request) reaches the tables and compare without
// touching them: its column appears once the cells carry it, and not before.
TEST(Report, ARegistryMetricShowsItsColumnOnceCellsHaveIt) {
  TempDir dir;
  ReportOptions o = FixtureOptions(dir.path() / "without");
  o.results = {kFixtures / "fixture-v2-a.json"};
  GenerateReport(o);
  EXPECT_EQ(Read(dir.path() / "without/tables.md").find("connects/req"), std::string::npos);

  WriteJsonAtomic(dir.path() / "results.json", WithConnectsPerRequest(0.0007));
  o.out = dir.path() / "with";
  o.results = {dir.path() / "results.json"};
  GenerateReport(o);
  const std::string md = Read(dir.path() / "with/tables.md");
  EXPECT_NE(md.find("| cold start ms | connects/req |\n"), std::string::npos);
  const size_t row = md.find("| gunicorn-sync · minimal · sqlite | flask | ");
  ASSERT_NE(row, std::string::npos);
  const std::string line = md.substr(row, md.find('\n', row) - row);
  EXPECT_NE(line.find(" | 0.000700 |"), std::string::npos) << line;
  EXPECT_NE(Read(dir.path() / "with/report.html").find("<th class=\"num\">connects/req</th>"),
            std::string::npos);
  const nlohmann::json report = ReadJsonFile(dir.path() / "with/report.json");
  EXPECT_DOUBLE_EQ(report["tables"][0]["rows"][0]["connects_per_request"]["value"].get<double>(),
                   0.0007);
}

TEST(Compare, ARegistryMetricIsComparedInItsDirection) {
  const ResultsSet a = ParseResults(WithConnectsPerRequest(0.001), "a.json");
  const ResultsSet b = ParseResults(WithConnectsPerRequest(0.002), "b.json");
  const CompareOutcome out = Compare(a, b, CompareOptions{.metric = "connects_per_request"});
  EXPECT_FALSE(out.higher_is_better);
  ASSERT_FALSE(out.rows.empty());
  EXPECT_EQ(out.regressions, static_cast<int>(out.rows.size()));  // twice the connects: worse
  EXPECT_DOUBLE_EQ(out.rows[0].ratio, 2);
  EXPECT_EQ(Compare(b, a, CompareOptions{.metric = "connects_per_request"}).regressions, 0);
}

// gunicorn-sync served 4 of 64 connections at c64 on /json: both apps' cells are starved. The
// peak comes from c16, the c64 level is named after it and marked in the comparisons, and the
// matrix uses neither starved cell.
TEST(Report, StarvedCellsAreKeptOutOfThePeakAndTheMatrix) {
  TempDir dir;
  nlohmann::json doc = ReadJsonFile(kFixtures / "fixture-v2-a.json");
  int changed = 0;
  for (auto& cell : doc["cells"]) {
    const std::string id = cell["id"];
    if (id.find("/gunicorn-sync/sqlite/json/closed-c64") == std::string::npos) continue;
    cell["starved"] = true;
    cell["connections"] = {{"count", 64},
                           {"completed_min", 0},
                           {"completed_median", 0},
                           {"completed_max", 900},
                           {"starved", 60},
                           {"starved_rounds", 5},
                           {"timeouts_max_per_connection", 7}};
    ++changed;
  }
  ASSERT_EQ(changed, 2);
  const std::string md = TablesOf(dir, doc);
  const size_t json_table = md.find("## /json");
  ASSERT_NE(json_table, std::string::npos);
  const size_t row = md.find("| gunicorn-sync · minimal · sqlite | flask | ", json_table);
  ASSERT_NE(row, std::string::npos);
  const std::string line = md.substr(row, md.find('\n', row) - row);
  EXPECT_NE(line.find("(starved: c64 60/64) | 16 |"), std::string::npos) << line;
  EXPECT_NE(line.find("| 2233"), std::string::npos) << line;  // the c16 estimate, not c64's
  EXPECT_NE(md.find("| flask/django | c64 starved |", json_table), std::string::npos);
  const std::string html = Read(dir.path() / "out/report.html");
  EXPECT_NE(html.find("<td>c64 starved</td>"), std::string::npos);
  const nlohmann::json report = ReadJsonFile(dir.path() / "out/report.json");
  bool found = false;
  for (const auto& r : report["matrix"]["rows"]) {
    if (r["criterion"] != "performance") continue;
    for (const auto& m : r["measures"]) {
      if (m["id"] != "perf_cost") continue;
      found = true;
      // json + plaintext, 2 servers, 2 closed levels: 8 comparisons, one of them starved.
      EXPECT_NE(m["evidence"]["flask"].get<std::string>().find("(7 comparisons"), std::string::npos)
          << m["evidence"]["flask"];
    }
  }
  EXPECT_TRUE(found);
  size_t starved_ratios = 0;
  for (const auto& t : report["tables"])
    for (const auto& r : t["ratios"]) starved_ratios += r["starved"].get<bool>();
  EXPECT_EQ(starved_ratios, 1u);
}

TEST(ResultsV2, StarvedFlagMustMatchTheConnectionCounts) {
  nlohmann::json doc = ReadJsonFile(kFixtures / "fixture-v2-a.json");
  doc["cells"][0]["starved"] = true;
  doc["cells"][0]["connections"] = {{"count", 16}, {"starved", 0}};
  try {
    ParseResults(doc, "bad.json");
    FAIL() << "expected an error";
  } catch (const fwbench::Error& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("cells[0].starved"), std::string::npos) << what;
    EXPECT_NE(what.find("bad.json"), std::string::npos) << what;
  }
}

TEST(Report, V1TablesDeriveTheComparisons) {
  TempDir dir;
  GenerateReport(FixtureOptions(dir.path()));
  const std::string md = Read(dir.path() / "tables.md");
  EXPECT_NE(md.find("the median over repetitions"), std::string::npos);
  EXPECT_NE(md.find("pairs the two cells' repetitions by round"), std::string::npos);
  EXPECT_NE(md.find("| gunicorn-sync · minimal · sqlite | flask/django | c16 | 3 | "),
            std::string::npos);
  EXPECT_NE(md.find("| gunicorn-sync · minimal · sqlite | flask/django | r200 | 3 | "),
            std::string::npos);
  const nlohmann::json doc = ReadJsonFile(dir.path() / "report.json");
  EXPECT_EQ(doc["results_schema"], "fwbench.results/1");
  EXPECT_EQ(doc["tables"][0]["ratios"][0]["mode"], "sequential");
}

// --- fwbench compare ----------------------------------------------------------------------

TEST(Compare, FindsTheFixtureRegression) {
  const ResultsSet a = LoadResultsFile(kFixtures / "fixture-a.json");
  const ResultsSet b = LoadResultsFile(kFixtures / "fixture-b.json");
  const CompareOutcome out = Compare(a, b, CompareOptions{});
  EXPECT_EQ(out.rows.size(), 60u);     // every cell matches by id (5 routes x 2 servers x 2 x 3)
  EXPECT_LT(out.geomean_ratio, 0.97);  // B's closed-loop throughput is about 8% lower
  EXPECT_GT(out.regressions, 0);
  for (const auto& r : out.rows) {
    ASSERT_TRUE(r.low && r.high) << r.id;  // 3 vs 3 values: an interval
    EXPECT_LE(*r.low, r.ratio);
    EXPECT_GE(*r.high, r.ratio);
    EXPECT_EQ(r.regressed, *r.high < 0.95) << r.id;  // the whole interval beyond -5%
  }
  const std::string text = RenderCompare(out, CompareOptions{});
  EXPECT_NE(text.find("REGRESSED"), std::string::npos);
  EXPECT_NE(text.find("95% interval"), std::string::npos);
  EXPECT_NE(text.find("geomean"), std::string::npos);
}

TEST(Compare, SameFileHasNoRegression) {
  const ResultsSet a = LoadResultsFile(kFixtures / "fixture-a.json");
  const CompareOutcome out = Compare(a, a, CompareOptions{.metric = "cpu_us_per_request"});
  EXPECT_EQ(out.regressions, 0);
  EXPECT_DOUBLE_EQ(out.geomean_ratio, 1);
  EXPECT_THROW(Compare(a, a, CompareOptions{.metric = "speed"}), Error);
}

TEST(Compare, V2FilesAndAMixOfFormats) {
  const ResultsSet v1 = LoadResultsFile(kFixtures / "fixture-a.json");
  const ResultsSet a = LoadResultsFile(kFixtures / "fixture-v2-a.json");
  const ResultsSet b = LoadResultsFile(kFixtures / "fixture-v2-b.json");
  const CompareOutcome out = Compare(a, b, CompareOptions{});
  EXPECT_EQ(out.rows.size(), 60u);
  EXPECT_LT(out.geomean_ratio, 0.97);
  EXPECT_GT(out.regressions, 0);
  for (const auto& r : out.rows) {
    // Closed loop, 8% lower: a regression whenever the interval is wholly below -5%.
    EXPECT_EQ(r.regressed, *r.high < 0.95) << r.id;
    EXPECT_GE(r.n_a, 5);
  }
  const CompareOutcome mixed = Compare(v1, b, CompareOptions{});  // v1 baseline, v2 candidate
  EXPECT_EQ(mixed.rows.size(), 60u);
  EXPECT_GT(mixed.regressions, 0);
  EXPECT_EQ(Compare(a, a, CompareOptions{}).regressions, 0);
}

// A cell with the given per-round req/s, in a set of its own.
ResultsSet OneCell(const std::vector<double>& rps) {
  ResultsSet set;
  set.files = {"crafted.json"};
  Cell c{.id = "x", .framework = "f", .model = "closed", .status = "ok"};
  c.summary["rps"] = Summary{.n = static_cast<int>(rps.size()), .values = rps};
  set.cells = {c};
  return set;
}

TEST(Compare, RegressionNeedsTheWholeIntervalBeyondTheThreshold) {
  const ResultsSet base = OneCell({100, 101, 99, 100, 100});
  // 10% lower, tight: the interval is wholly below 0.95.
  EXPECT_EQ(Compare(base, OneCell({90, 90.5, 89.5, 90, 90}), {}).regressions, 1);
  // 6% lower but noisy: the interval reaches above 0.95, so not a regression.
  const CompareOutcome noisy = Compare(base, OneCell({84, 104, 90, 98, 94}), {});
  ASSERT_EQ(noisy.rows.size(), 1u);
  EXPECT_LT(noisy.rows[0].ratio, 0.95);
  EXPECT_GT(*noisy.rows[0].high, 0.95);
  EXPECT_FALSE(noisy.rows[0].regressed);
  // 10% higher, tight: an improvement.
  EXPECT_TRUE(Compare(base, OneCell({110, 110.5, 109.5, 110, 110}), {}).rows[0].improved);
  // One value on a side: no interval; the ratio alone decides, and the row says so.
  const CompareOutcome single = Compare(base, OneCell({80}), {});
  EXPECT_FALSE(single.rows[0].low.has_value());
  EXPECT_TRUE(single.rows[0].regressed);
  EXPECT_NE(RenderCompare(single, {}).find("no interval: n=5/1"), std::string::npos);
}

// ---- --layers and --flamegraphs: "Where a request's instructions go" ----

const fs::path kLayersFixture = kFixtures / "layers-example.json";  // bench/layers.sh's output
const fs::path kFlameFixture = kFixtures / "flamegraphs-fixture.json";

TEST(Layers, SectionTablesAndChartFromTheDocument) {
  TempDir dir;
  ReportOptions o = FixtureOptions(dir.path());
  o.layers = kLayersFixture;
  o.flamegraphs = kFlameFixture;
  GenerateReport(o);
  const std::string md = Read(dir.path() / "tables.md");
  EXPECT_EQ(Count(md, "## Where a request's instructions go\n"), 1u);
  EXPECT_NE(md.find("![Instructions per layer](layers.svg)"), std::string::npos);
  EXPECT_NE(md.find("command: `FRAMEWORKS=\"flask django\""), std::string::npos);  // provenance
  // One table per route of the document, its columns the document's layer_names.
  EXPECT_EQ(Count(md,
                  "| framework | profile | total | server | adapter | routing | middleware | "
                  "view | orm | db | template | serialization | response | hooks |"),
            10u);
  EXPECT_NE(md.find("### /plaintext (GET /plaintext)\n"), std::string::npos);
  EXPECT_NE(md.find("### /orders (POST /api/orders)\n"), std::string::npos);
  // The numbers are the document's (layers.md's row); hooks = 356,704 / 353,778 - 1.
  EXPECT_NE(md.find("| flask | minimal | 353,778 | 10,537 | 80,266 | 77,479 | 70,524 | 17,546 | "
                    "8,004 | 0 | 0 | 0 | 92,347 | +0.8% |\n"),
            std::string::npos)
      << md;
  // The flame graphs: linked as the document writes them, each with its verdict.
  EXPECT_NE(md.find("- [flask /json](flamegraphs/flask-minimal-json.svg): sampled layer shares "
                    "agree with the instrumented ones (largest difference 4.2 pp; tolerance 10 "
                    "pp)\n"),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("[django /fortunes](flamegraphs/django-minimal-fortunes.svg): sampled layer "
                    "shares do NOT agree"),
            std::string::npos);
  EXPECT_NE(md.find("[flask /queries?queries=20](flamegraphs/flask-minimal-queries-20.svg): not "
                    "compared: the instrumented row measured another request (/queries)"),
            std::string::npos);
  // The page: the section with its chart inline, tables and links; the other charts unchanged.
  const std::string html = Read(dir.path() / "report.html");
  EXPECT_TRUE(fs::exists(dir.path() / "layers.svg"));
  EXPECT_EQ(Count(html, "<svg"), 7u);
  const size_t section = html.find("<h2>Where a request&#39;s instructions go</h2>");
  ASSERT_NE(section, std::string::npos);
  EXPECT_NE(html.find("<svg", section), std::string::npos);  // layers.svg is in the section
  EXPECT_NE(html.find("<h3>/db (GET /db)</h3>", section), std::string::npos);
  EXPECT_NE(html.find("<th class=\"num\">serialization</th>", section), std::string::npos);
  EXPECT_NE(html.find("<td class=\"num\">1,508,813</td>", section), std::string::npos);
  EXPECT_NE(html.find("<a href=\"flamegraphs/flask-minimal-json.svg\">flask /json</a>", section),
            std::string::npos);
  // report.json: the chart (one series per layer, one panel per route) and the rows.
  const nlohmann::json doc = ReadJsonFile(dir.path() / "report.json");
  ASSERT_EQ(doc["charts"].size(), 7u);
  const nlohmann::json& chart = doc["charts"][6];
  EXPECT_EQ(chart["file"], "layers.svg");
  EXPECT_EQ(chart["series_per_panel"],
            nlohmann::json::array({10, 10, 10, 10, 10, 10, 10, 10, 10, 10}));
  ASSERT_EQ(doc["layers"]["rows"].size(), 40u);
  EXPECT_EQ(doc["layers"]["rows"][0]["layers"]["server"], 10537);
  EXPECT_EQ(doc["flamegraphs"]["graphs"].size(), 3u);
  EXPECT_EQ(doc["flamegraphs"]["graphs"][1]["agrees"], false);
}

TEST(Layers, ChartSpecHasOneBarPerFrameworkAndProfileAndOneSegmentPerLayer) {
  const LayersDoc layers = LoadLayers(kLayersFixture);
  const ResultsSet results = LoadResultsFile(kFixtures / "fixture-a.json");
  Matrix matrix;
  matrix.reference = "django";
  const std::vector<UseCaseResult> use_cases;
  const nlohmann::json spec =
      BuildChartSpec(ChartInput{&results, &matrix, &use_cases, nullptr, &layers});
  const nlohmann::json* chart = nullptr;
  for (const auto& c : spec["charts"])
    if (c["file"] == kLayersChartFile) chart = &c;
  ASSERT_NE(chart, nullptr);
  EXPECT_EQ((*chart)["kind"], "stacked");
  ASSERT_EQ((*chart)["panels"].size(), 10u);  // one per route
  const nlohmann::json& panel = (*chart)["panels"][0];
  EXPECT_EQ(panel["title"], "/plaintext (GET /plaintext)");
  ASSERT_EQ(panel["series"].size(), 10u);  // one per layer, in layer_names' order
  EXPECT_EQ(panel["series"][0]["name"], "server");
  EXPECT_EQ(panel["series"][9]["name"], "response");
  ASSERT_EQ(panel["rows"].size(), 4u);  // flask, django x minimal, standard
  EXPECT_EQ(panel["rows"][0]["label"], "flask · minimal");
  EXPECT_EQ(panel["rows"][3]["label"], "django · standard");
  ASSERT_EQ(panel["rows"][0]["parts"].size(), 10u);
  EXPECT_DOUBLE_EQ(panel["rows"][0]["parts"][0].get<double>(), 10.537);  // thousands
  EXPECT_DOUBLE_EQ(panel["rows"][0]["total"].get<double>(), 353.778);
}

TEST(Layers, ColumnsComeFromTheDocumentsLayerNames) {
  TempDir dir;
  nlohmann::json doc = ReadJsonFile(kLayersFixture);
  // Another split: "db" renamed, "server" left out, a new layer first.
  nlohmann::json names = nlohmann::json::array({"network"});
  for (const auto& n : doc["layer_names"])
    if (n != "server") names.push_back(n == "db" ? "database" : n.get<std::string>());
  doc["layer_names"] = names;
  for (auto& row : doc["results"]) {
    nlohmann::json& layers = row["layers"];
    layers["database"] = layers["db"];
    layers["network"] = {{"instructions", 5}, {"ns", nullptr}};
    layers.erase("db");
    layers.erase("server");
  }
  doc["results"] = nlohmann::json::array({doc["results"][0]});
  WriteJsonAtomic(dir.path() / "layers.json", doc);
  ReportOptions o = FixtureOptions(dir.path() / "out");
  o.layers = dir.path() / "layers.json";
  o.charts = false;
  GenerateReport(o);
  const std::string md = Read(dir.path() / "out/tables.md");
  EXPECT_NE(md.find("| framework | profile | total | network | adapter | routing | middleware | "
                    "view | orm | database | template | serialization | response | hooks |"),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("| flask | minimal | 353,778 | 5 | 80,266 |"), std::string::npos) << md;
  EXPECT_EQ(md.find("layers.svg"), std::string::npos);  // no chart drawn, none linked
}

TEST(Layers, ThreadCpuColumnOnlyWhenTheFileHasIt) {
  TempDir dir;
  nlohmann::json doc = ReadJsonFile(kLayersFixture);
  doc["results"][0]["total_ns"] = 152340;  // the other rows keep null
  WriteJsonAtomic(dir.path() / "layers.json", doc);
  ReportOptions o = FixtureOptions(dir.path() / "out");
  o.layers = dir.path() / "layers.json";
  o.charts = false;
  GenerateReport(o);
  std::string md = Read(dir.path() / "out/tables.md");
  EXPECT_NE(md.find("| hooks | thread CPU µs |"), std::string::npos) << md;
  EXPECT_NE(md.find("| flask | minimal | 353,778 |"), std::string::npos) << md;
  EXPECT_NE(md.find(" | 152.3 |\n"), std::string::npos) << md;
  EXPECT_NE(md.find(" | n/a |\n"), std::string::npos) << md;
  EXPECT_NE(Read(dir.path() / "out/report.html").find("<th class=\"num\">thread CPU µs</th>"),
            std::string::npos);
  EXPECT_EQ(ReadJsonFile(dir.path() / "out/report.json")["layers"]["rows"][0]["total_ns"], 152340);
  // Without any total_ns (the fixture as it is): no column.
  o.layers = kLayersFixture;
  GenerateReport(o);
  md = Read(dir.path() / "out/tables.md");
  EXPECT_EQ(md.find("thread CPU"), std::string::npos);
}

// Writes `doc` as dir/bad.json and expects LoadLayers (and the report) to fail naming the
// file and `field`.
void ExpectLayersError(const TempDir& dir, const nlohmann::json& doc, const std::string& field) {
  const fs::path path = dir.path() / "bad.json";
  WriteJsonAtomic(path, doc);
  for (int via_report = 0; via_report < 2; ++via_report) {
    try {
      if (via_report) {
        ReportOptions o = FixtureOptions(dir.path() / "out");
        o.layers = path;
        o.charts = false;
        GenerateReport(o);
      } else {
        LoadLayers(path);
      }
      FAIL() << "expected an error about " << field;
    } catch (const Error& e) {
      const std::string what = e.what();
      EXPECT_NE(what.find("bad.json"), std::string::npos) << what;
      EXPECT_NE(what.find(field), std::string::npos) << what;
    }
  }
}

TEST(Layers, BadDocumentsNameTheField) {
  TempDir dir;
  const nlohmann::json good = ReadJsonFile(kLayersFixture);
  nlohmann::json doc = good;
  doc["schema"] = "fwbench.inproc/1";
  ExpectLayersError(dir, doc,
                    "field 'schema': is \"fwbench.inproc/1\"; expected \"fwbench.layers/1\"");
  doc = good;
  doc.erase("results");
  ExpectLayersError(dir, doc, "field 'results': missing");
  doc = good;
  doc["results"] = nlohmann::json::array();
  ExpectLayersError(dir, doc, "field 'results': is empty");
  doc = good;
  doc.erase("layer_names");
  ExpectLayersError(dir, doc, "field 'layer_names': missing");
  doc = good;
  doc["results"][3]["layers"]["cache"] = {{"instructions", 10}, {"ns", nullptr}};
  ExpectLayersError(dir, doc,
                    "field 'results[3].layers.cache': is not in layer_names (server, "
                    "adapter, routing");
  doc = good;
  doc["results"][5]["layers"].erase("orm");
  ExpectLayersError(dir, doc, "field 'results[5].layers.orm': missing");
  doc = good;
  doc["results"][2]["layers"]["view"]["instructions"] = "many";
  ExpectLayersError(dir, doc, "field 'results[2].layers.view.instructions': expected a number");
  doc = good;
  doc["results"][1]["total_instructions"] = 0;
  ExpectLayersError(dir, doc, "field 'results[1].total_instructions': is 0");
  doc = good;
  doc["results"][7] = doc["results"][6];
  ExpectLayersError(dir, doc, "field 'results[7]': repeats framework/profile/route");
  doc = good;
  doc["layer_names"].push_back("server");
  ExpectLayersError(dir, doc, "field 'layer_names[10]': \"server\" is named twice");
  doc = good;
  doc["results"][4]["total_ns"] = -3;
  ExpectLayersError(dir, doc, "field 'results[4].total_ns': is -3");
}

TEST(Layers, BadFlameGraphsNameTheField) {
  TempDir dir;
  const nlohmann::json good = ReadJsonFile(kFlameFixture);
  nlohmann::json doc = good;
  doc["schema"] = "fwbench.layers/1";
  WriteJsonAtomic(dir.path() / "bad.json", doc);
  try {
    LoadFlameGraphs(dir.path() / "bad.json");
    FAIL() << "expected a schema error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("bad.json"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("expected \"fwbench.flamegraphs/1\""), std::string::npos)
        << e.what();
  }
  doc = good;
  doc["graphs"][1].erase("svg");
  WriteJsonAtomic(dir.path() / "bad.json", doc);
  try {
    LoadFlameGraphs(dir.path() / "bad.json");
    FAIL() << "expected a missing svg";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("field 'graphs[1].svg': missing"), std::string::npos)
        << e.what();
  }
}

TEST(Layers, FlameGraphsAloneGiveTheirLines) {
  TempDir dir;
  ReportOptions o = FixtureOptions(dir.path());
  o.flamegraphs = kFlameFixture;
  o.charts = false;
  GenerateReport(o);
  const std::string md = Read(dir.path() / "tables.md");
  EXPECT_NE(md.find("## Where a request's instructions go\n\n### Flame graphs\n"),
            std::string::npos)
      << md;
  EXPECT_EQ(Count(md, "](flamegraphs/"), 3u);
}

TEST(Format, GroupedThousands) {
  EXPECT_EQ(Grouped(0), "0");
  EXPECT_EQ(Grouped(999.4), "999");
  EXPECT_EQ(Grouped(1000), "1,000");
  EXPECT_EQ(Grouped(1234567.6), "1,234,568");
  EXPECT_EQ(Grouped(-12345), "-12,345");
}

}  // namespace
}  // namespace fwbench::report

namespace fwbench::report {
namespace {

// fixture-v2-a with a third framework, falcon, measured exactly like flask and listed as the
// suites list it, the reference last: cells of flask, falcon, django; comparisons
// flask~django (as before), falcon~django and flask~falcon.
nlohmann::json WithFalcon(const nlohmann::json& two) {
  nlohmann::json doc = two;
  const std::string flask = "flask/";
  auto as_falcon = [&](const std::string& id) { return "falcon/" + id.substr(flask.size()); };
  nlohmann::json cells = nlohmann::json::array({doc["cells"][0]});
  for (nlohmann::json cell : doc["cells"]) {
    if (cell["framework"] != "flask") continue;
    cell["id"] = as_falcon(cell["id"]);
    cell["framework"] = "falcon";
    cells.push_back(cell);
  }
  for (size_t i = 1; i < doc["cells"].size(); ++i) cells.push_back(doc["cells"][i]);
  doc["cells"] = cells;
  nlohmann::json comparisons = nlohmann::json::array();
  const std::string pair = "flask~django";
  for (const auto& c : doc["comparisons"]) {
    comparisons.push_back(c);
    const std::string tail = c["id"].get<std::string>().substr(pair.size());
    nlohmann::json f = c;  // falcon~django: falcon measured as flask was
    f["id"] = "falcon~django" + tail;
    f["a"] = as_falcon(c["a"]);
    f["framework_a"] = "falcon";
    comparisons.push_back(f);
    nlohmann::json g = c;  // flask~falcon
    g["id"] = "flask~falcon" + tail;
    g["b"] = as_falcon(c["a"]);
    g["framework_b"] = "falcon";
    comparisons.push_back(g);
  }
  doc["comparisons"] = comparisons;
  doc["meta"]["suite"]["frameworks"] = {"flask", "falcon", "django"};
  return doc;
}

TEST(Report, ThreeFrameworksAreScoredAgainstTheLastOne) {
  TempDir dir;
  const nlohmann::json two = ReadJsonFile(kFixtures / "fixture-v2-a.json");
  WriteJsonAtomic(dir.path() / "results.json", WithFalcon(two));
  nlohmann::json appsize = ReadJsonFile(kFixtures / "appsize-fixture.json");
  appsize["frameworks"]["falcon"] = appsize["frameworks"]["flask"];
  WriteJsonAtomic(dir.path() / "appsize.json", appsize);
  ReportOptions o = FixtureOptions(dir.path() / "out");
  o.results = {dir.path() / "results.json"};
  o.appsize = dir.path() / "appsize.json";
  o.charts = false;
  GenerateReport(o);

  const nlohmann::json doc = ReadJsonFile(dir.path() / "out/report.json");
  EXPECT_EQ(doc["frameworks"], nlohmann::json({"flask", "falcon", "django"}));
  EXPECT_EQ(doc["reference"], "django");
  for (const auto& uc : doc["use_cases"]) {
    double total = 0;
    for (const auto& [fw, p] : uc["p_win"].items()) total += p.get<double>();
    EXPECT_NEAR(total, 1, 1e-9) << uc["id"];
    ASSERT_TRUE(uc["scores"].contains("falcon")) << uc;
    // falcon's evidence is flask's (cells, comparisons with django, app size); its facts are its
    // own (apps/falcon/facts.json), so only the structure and community criteria may differ.
    EXPECT_EQ(uc["scores"]["django"], 0);
  }
  size_t ratios = 0;
  for (const auto& t : doc["tables"]) ratios += t["ratios"].size();
  EXPECT_EQ(ratios, 90u);  // every comparison of the three pairs, each in its route's table
  const std::string md = Read(dir.path() / "out/tables.md");
  EXPECT_NE(md.find("| gunicorn-sync · minimal · sqlite | falcon/django | c64 |"),
            std::string::npos);
  EXPECT_NE(md.find("| gunicorn-sync · minimal · sqlite | flask/falcon | c64 |"),
            std::string::npos);
  EXPECT_NE(md.find("| criterion | flask | falcon | django |"), std::string::npos) << md;
  const std::string html = Read(dir.path() / "out/report.html");
  EXPECT_NE(html.find("<title>fwbench report: Flask vs Falcon vs Django, measured</title>"),
            std::string::npos);
  // Colours follow the results' order (the palette charts.py uses), one class per framework.
  EXPECT_NE(html.find(".fw-flask { color:#0072B2; }"), std::string::npos);
  EXPECT_NE(html.find(".fw-falcon { color:#D55E00; }"), std::string::npos);
  EXPECT_NE(html.find(".fw-django { color:#009E73; }"), std::string::npos);
}

// compare matches cells by id: a third framework in B only is "only in B", and the cells both
// files have compare as before.
TEST(Compare, AThirdFrameworkInOneFileIsOnlyInThatFile) {
  const nlohmann::json two = ReadJsonFile(kFixtures / "fixture-v2-a.json");
  const ResultsSet a = ParseResults(two, "two.json");
  const ResultsSet b = ParseResults(WithFalcon(two), "three.json");
  const CompareOutcome out = Compare(a, b, CompareOptions{});
  size_t flask_cells = 0;
  for (const Cell& c : a.cells) flask_cells += c.framework == "flask";
  EXPECT_EQ(out.only_in_b.size(), flask_cells);
  for (const auto& id : out.only_in_b) EXPECT_EQ(id.rfind("falcon/", 0), 0u) << id;
  EXPECT_TRUE(out.only_in_a.empty());
  EXPECT_EQ(out.regressions, 0);
  EXPECT_TRUE(Compare(b, a, CompareOptions{}).only_in_a.size() == flask_cells);
}

}  // namespace
}  // namespace fwbench::report
