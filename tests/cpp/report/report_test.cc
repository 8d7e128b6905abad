// Report generation from the fixture results, byte-identical regeneration, bad inputs, compare.
#include "report/report.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "common/atomic_file.h"
#include "common/error.h"
#include "report/compare.h"
#include "report/results.h"

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

TEST(Report, GeneratesTablesChartsPageAndJson) {
  TempDir dir;
  const ReportOutcome outcome = GenerateReport(FixtureOptions(dir.path()));
  for (const char* f : {"tables.md", "report.html", "report.json", "throughput.svg", "latency.svg",
                        "cpu.svg", "memory.svg"}) {
    EXPECT_TRUE(fs::exists(dir.path() / f)) << f;
  }
  const std::string md = Read(dir.path() / "tables.md");
  EXPECT_NE(md.find("## /json"), std::string::npos);
  EXPECT_NE(md.find("## /fortunes"), std::string::npos);
  EXPECT_NE(md.find("FIXTURE"), std::string::npos);  // fixture numbers are labelled as such
  EXPECT_NE(md.find("| gunicorn-sync · minimal · sqlite | flask/django |"), std::string::npos);
  EXPECT_EQ(Count(md, "Measured on: "), 5u);  // every route table says where it was measured
  const std::string html = Read(dir.path() / "report.html");
  EXPECT_EQ(Count(html, "<svg"), 4u);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  for (const char* fetch : {"src=\"http", "href=\"http", "<link", "@import", "url(http"}) {
    EXPECT_EQ(html.find(fetch), std::string::npos) << fetch;  // self-contained: no fetches
  }
  EXPECT_NE(html.find("Decision matrix"), std::string::npos);
  const nlohmann::json doc = ReadJsonFile(dir.path() / "report.json");
  EXPECT_EQ(doc["schema"], "fwbench.report/1");
  EXPECT_EQ(doc["use_cases"].size(), 6u);
  EXPECT_EQ(doc["matrix"]["rows"].size(), 8u);
  ASSERT_EQ(outcome.use_cases.size(), 6u);
  // The fixture makes flask faster on every route, Django built-in and secure by default.
  for (const auto& r : outcome.use_cases) {
    if (r.use_case.id == "microservices") EXPECT_EQ(r.winner, "flask");
    if (r.use_case.id == "cms") EXPECT_EQ(r.winner, "django");
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
  WriteJsonAtomic(dir.path() / "results.json", doc);
  ReportOptions o = FixtureOptions(dir.path() / "out");
  o.results = {dir.path() / "results.json"};
  GenerateReport(o);
  const std::string md = Read(dir.path() / "out/tables.md");
  EXPECT_EQ(Count(md, "| 200 (saturated: 120) |"), static_cast<size_t>(changed));
  EXPECT_GT(Count(md, "| 200 |"), 0u);  // the other servers kept up
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
  EXPECT_EQ(files, 7u);
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
  ExpectLoadError(dir, doc, "'schema': is \"fwbench.load/1\"; expected \"fwbench.results/1\"");
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

TEST(Compare, FindsTheFixtureRegression) {
  const ResultsSet a = LoadResultsFile(kFixtures / "fixture-a.json");
  const ResultsSet b = LoadResultsFile(kFixtures / "fixture-b.json");
  const CompareOutcome out = Compare(a, b, CompareOptions{});
  EXPECT_EQ(out.rows.size(), 60u);     // every cell matches by id (5 routes x 2 servers x 2 x 3)
  EXPECT_LT(out.geomean_ratio, 0.97);  // B's closed-loop throughput is about 8% lower
  EXPECT_GT(out.regressions, 0);
  for (const auto& r : out.rows) EXPECT_FALSE(r.testable);  // 3 vs 3 repetitions: min p = 0.1
  const std::string text = RenderCompare(out, CompareOptions{});
  EXPECT_NE(text.find("REGRESSED"), std::string::npos);
  EXPECT_NE(text.find("geomean"), std::string::npos);
}

TEST(Compare, SameFileHasNoRegression) {
  const ResultsSet a = LoadResultsFile(kFixtures / "fixture-a.json");
  const CompareOutcome out = Compare(a, a, CompareOptions{.metric = "cpu_us_per_request"});
  EXPECT_EQ(out.regressions, 0);
  EXPECT_DOUBLE_EQ(out.geomean_ratio, 1);
  EXPECT_THROW(Compare(a, a, CompareOptions{.metric = "speed"}), Error);
}

}  // namespace
}  // namespace fwbench::report
