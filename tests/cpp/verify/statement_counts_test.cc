#include "verify/statement_counts.h"

#include <gtest/gtest.h>

#include "common/error.h"
#include "verify/contract.h"

namespace fwbench::verify {
namespace {

using nlohmann::json;

const std::vector<std::string> kTables = {"world", "fortune"};

TEST(TableOf, NamesOnlyWholeIdentifiersBareOrQuoted) {
  EXPECT_EQ(TableOf("SELECT world.id FROM world WHERE world.id = $1", kTables), "world");
  EXPECT_EQ(TableOf(R"(SELECT "fortune"."id" FROM "fortune")", kTables), "fortune");
  EXPECT_EQ(TableOf("UPDATE WORLD SET randomnumber=$1", kTables), "world");
  EXPECT_EQ(TableOf("SELECT worlds_apart FROM underworld", kTables), "");
  EXPECT_EQ(TableOf("BEGIN", kTables), "");
  EXPECT_EQ(TableOf("SELECT set_config($1, $2, $3)", kTables), "");
}

TEST(KindOf, FirstKeywordAfterSpaceCommentsAndParentheses) {
  EXPECT_EQ(KindOf("SELECT 1"), "select");
  EXPECT_EQ(KindOf("  \n update world SET x=1"), "update");
  EXPECT_EQ(KindOf("/* app */ (SELECT 1)"), "select");
  EXPECT_EQ(KindOf("-- note\nDELETE FROM world"), "delete");
  EXPECT_EQ(KindOf(""), "");
}

json Stats(const std::vector<json>& statements) { return {{"statements", statements}}; }

TEST(TallyStatements, SumsPerTableAndKindAndSkipsOtherStatements) {
  json stats = Stats({
      {{"query", "SELECT world.id FROM world WHERE world.id = $1"}, {"calls", 30}, {"rows", 30}},
      {{"query", R"(SELECT "world"."id" FROM "world" WHERE "world"."id" = $1 LIMIT $2)"},
       {"calls", 10},
       {"rows", 10}},
      {{"query", "UPDATE world SET randomnumber=$1 WHERE world.id = $2"},
       {"calls", 2},
       {"rows", 40}},
      {{"query", "BEGIN"}, {"calls", 2}, {"rows", 0}},
      {{"query", "show transaction isolation level"}, {"calls", 1}, {"rows", 0}},
  });
  auto totals = TallyStatements(stats, kTables);
  ASSERT_EQ(totals.size(), 2u);
  EXPECT_EQ(totals[0].kind, "select");
  EXPECT_EQ(totals[0].calls, 40);
  EXPECT_EQ(totals[0].rows, 40);
  EXPECT_EQ(totals[1].kind, "update");
  EXPECT_EQ(totals[1].calls, 2);
  EXPECT_EQ(totals[1].rows, 40);
}

std::vector<StatementBudget> UpdatesBudgets() {
  return {{"single-row updates", {{"world", "select", 20, 20}, {"world", "update", 20, 20}}},
          {"one batched update", {{"world", "select", 20, 20}, {"world", "update", 1, 20}}}};
}

TEST(JudgeStatements, AcceptsEitherAllowedBudgetExactly) {
  auto single = JudgeStatements({{"world", "select", 640, 640}, {"world", "update", 640, 640}}, 32,
                                UpdatesBudgets());
  EXPECT_TRUE(single.passed);
  EXPECT_EQ(single.matched, "single-row updates");
  EXPECT_EQ(single.measured, "20 select world (20 rows) + 20 update world (20 rows)");
  auto batched = JudgeStatements({{"world", "select", 640, 640}, {"world", "update", 32, 640}}, 32,
                                 UpdatesBudgets());
  EXPECT_TRUE(batched.passed);
  EXPECT_EQ(batched.matched, "one batched update");
}

TEST(JudgeStatements, FailsExtraSelectsSkippedRowsAndUnlistedStatements) {
  // Flask before the fix: every object reloaded after the commit.
  auto reload = JudgeStatements({{"world", "select", 1280, 1280}, {"world", "update", 640, 640}},
                                32, UpdatesBudgets());
  EXPECT_FALSE(reload.passed);
  EXPECT_EQ(reload.measured, "40 select world (40 rows) + 20 update world (20 rows)");
  EXPECT_NE(reload.expected.find("(single-row updates) or "), std::string::npos);
  // One row not written (an unchanged value skipped).
  EXPECT_FALSE(JudgeStatements({{"world", "select", 640, 640}, {"world", "update", 639, 639}}, 32,
                               UpdatesBudgets())
                   .passed);
  EXPECT_EQ(JudgeStatements({{"world", "select", 640, 640}, {"world", "update", 639, 639}}, 32,
                            UpdatesBudgets())
                .measured,
            "20 select world (20 rows) + 19.97 update world (19.97 rows)");
  // A statement the budget does not list.
  std::vector<StatementBudget> db = {{"one select", {{"world", "select", 1, 1}}}};
  EXPECT_TRUE(JudgeStatements({{"world", "select", 32, 32}}, 32, db).passed);
  EXPECT_FALSE(
      JudgeStatements({{"world", "select", 32, 32}, {"fortune", "select", 32, 384}}, 32, db)
          .passed);
  EXPECT_FALSE(JudgeStatements({}, 32, db).passed);
  EXPECT_FALSE(JudgeStatements({{"world", "select", 0, 0}}, 0, db).passed);
}

TEST(ReadStatementCounts, ReadsTheRepositoryContract) {
  StatementCountsSpec spec = ReadStatementCounts(LoadContract(DefaultContractPath()));
  EXPECT_GE(spec.clients, 2);
  EXPECT_GE(spec.requests_per_client, 1);
  std::vector<std::string> names;
  for (const auto& route : spec.routes) names.push_back(route.name);
  EXPECT_EQ(names, (std::vector<std::string>{"db/statements", "queries/statements",
                                             "fortunes/statements", "updates/statements"}));
  EXPECT_EQ(spec.routes[3].request.target, "/updates?queries=20");
  EXPECT_EQ(spec.routes[3].allowed.size(), 2u);
}

TEST(ReadStatementCounts, RejectsAMissingCaseAndAMissingSection) {
  json contract = {
      {"statement_counts", {{"clients", 2}, {"requests_per_client", 2}, {"tables", {"world"}}}},
      {"routes",
       {{{"name", "db"},
         {"method", "GET"},
         {"path", "/db"},
         {"statements", {{"case", "nope"}, {"allowed", json::array()}}},
         {"cases", {{{"name", "one_row"}, {"expect", {{"status", 200}}}}}}}}}};
  try {
    ReadStatementCounts(contract);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("no case named 'nope'"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("contract route db: statements.case"), std::string::npos);
  }
  contract.erase("statement_counts");
  EXPECT_THROW(ReadStatementCounts(contract), Error);
}

TEST(RunBurst, CountsEveryRequestThatGotNoAnswer) {
  HttpRequest request;
  request.target = "/db";
  BurstOutcome burst = RunBurst("http://127.0.0.1:1", request, 200, 2, 3);
  EXPECT_EQ(burst.sent, 6);
  EXPECT_EQ(burst.failed, 6);
  EXPECT_NE(burst.first_error.find("127.0.0.1:1"), std::string::npos) << burst.first_error;
}

TEST(CheckStatementCounts, SaysPlainlyWhenItCannotCount) {
  json contract = LoadContract(DefaultContractPath());
  Options sqlite;
  sqlite.base_url = "http://127.0.0.1:1";
  sqlite.database_url = "sqlite:////tmp/x.db";
  Dbtool sqlite_tool(sqlite.database_url);  // never started: nothing to count on SQLite
  StatementCheckResult result = CheckStatementCounts(contract, sqlite, sqlite_tool);
  EXPECT_TRUE(result.checks.empty());
  EXPECT_EQ(result.report.at("checked"), false);
  EXPECT_NE(result.report.at("reason").get<std::string>().find("SQLite"), std::string::npos);
  Options none;
  none.base_url = "http://127.0.0.1:1";
  Dbtool no_tool("");
  EXPECT_NE(CheckStatementCounts(contract, none, no_tool)
                .report.at("reason")
                .get<std::string>()
                .find("no --database-url"),
            std::string::npos);
}

}  // namespace
}  // namespace fwbench::verify
