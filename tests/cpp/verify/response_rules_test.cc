#include "verify/response_rules.h"

#include <gtest/gtest.h>

#include "common/error.h"
#include "verify/contract.h"
#include "verify/http_date.h"

namespace fwbench::verify {
namespace {

using nlohmann::json;

// The contract's own rules, read from the file; the tests restate no route rule.
const json& Contract() {
  static const json contract = LoadContract(DefaultContractPath());
  return contract;
}

json Case(const std::string& route_name, const std::string& case_name) {
  for (const json& route : Contract().at("routes")) {
    if (route.at("name") != route_name) continue;
    for (const json& test_case : route.at("cases")) {
      if (test_case.at("name") == case_name) return test_case;
    }
  }
  ADD_FAILURE() << "no case " << route_name << "/" << case_name;
  return json::object();
}

std::string Rows(int n, int random_number = 7) {
  json rows = json::array();
  for (int i = 1; i <= n; ++i) rows.push_back({{"id", i}, {"randomNumber", random_number}});
  return rows.dump();
}

TEST(WorldList, ClampCasesCountRows) {
  json over_max = Case("queries", "over_max").at("expect").at("body");
  size_t want = over_max.at("count").get<size_t>();
  EXPECT_TRUE(CheckBody(over_max, Contract(), Rows(want), {}).problems.empty());
  BodyOutcome unclamped = CheckBody(over_max, Contract(), Rows(want + 1), {});
  ASSERT_EQ(unclamped.problems.size(), 1u);
  EXPECT_EQ(unclamped.problems[0].rule, "world_list");
  EXPECT_EQ(unclamped.problems[0].detail, "expected " + std::to_string(want) + " rows, got " +
                                              std::to_string(want + 1) + " rows");
}

TEST(WorldList, OneRowIsStillAnArray) {
  json zero = Case("queries", "zero").at("expect").at("body");
  BodyOutcome object = CheckBody(zero, Contract(), R"({"id": 1, "randomNumber": 2})", {});
  ASSERT_FALSE(object.problems.empty());
  EXPECT_NE(object.problems[0].detail.find("expected a JSON array of 1 row"), std::string::npos);
  EXPECT_TRUE(CheckBody(zero, Contract(), Rows(1), {}).problems.empty());
}

TEST(WorldObject, RangeAndKeys) {
  json rule = Case("db", "one_row").at("expect").at("body");
  EXPECT_TRUE(
      CheckBody(rule, Contract(), R"({"id": 10, "randomNumber": 10000})", {}).problems.empty());
  auto zero_id = CheckBody(rule, Contract(), R"({"id": 0, "randomNumber": 5})", {});
  ASSERT_EQ(zero_id.problems.size(), 1u);
  EXPECT_NE(zero_id.problems[0].detail.find("id 0 is not an integer in 1..10000"),
            std::string::npos);
  EXPECT_FALSE(CheckBody(rule, Contract(), R"({"id": 1, "randomnumber": 5})", {}).problems.empty());
  EXPECT_FALSE(
      CheckBody(rule, Contract(), R"({"id": "1", "randomNumber": 5})", {}).problems.empty());
  EXPECT_FALSE(CheckBody(rule, Contract(), "not json", {}).problems.empty());
}

TEST(UpdatesPersisted, ComparesWithTheDatabase) {
  json rule = Case("updates", "twenty").at("expect").at("body");
  int count = rule.at("count").get<int>();
  auto db_holds = [](long long value) {
    return [value](const std::vector<long long>& ids) {
      std::map<long long, long long> rows;
      for (long long id : ids) rows[id] = value;
      return rows;
    };
  };
  EXPECT_TRUE(CheckBody(rule, Contract(), Rows(count, 42), db_holds(42)).problems.empty());
  BodyOutcome stale = CheckBody(rule, Contract(), Rows(count, 42), db_holds(41));
  ASSERT_EQ(stale.problems.size(), 1u);
  EXPECT_EQ(stale.problems[0].rule, "updates_persisted");
  EXPECT_EQ(stale.problems[0].detail, "id 1: response says randomNumber 42, database holds 41");
  BodyOutcome skipped = CheckBody(rule, Contract(), Rows(count), {});
  EXPECT_TRUE(skipped.problems.empty());
  EXPECT_NE(skipped.summary.find("read-back skipped"), std::string::npos);
}

TEST(UpdatesPersisted, AFailedReadBackIsAFailedCheck) {
  json rule = {{"kind", "updates_persisted"}, {"count", 1}};
  auto unreachable = [](const std::vector<long long>&) -> std::map<long long, long long> {
    throw Error("reading World rows back failed", "dbtool");
  };
  BodyOutcome outcome = CheckBody(rule, Contract(), Rows(1), unreachable);
  ASSERT_EQ(outcome.problems.size(), 1u);
  EXPECT_EQ(outcome.problems[0].rule, "updates_persisted");
  EXPECT_NE(outcome.problems[0].detail.find("reading World rows back failed"), std::string::npos);
}

TEST(UpdatesPersisted, ARepeatedIdMayHoldAnyReturnedValue) {
  json rule = {{"kind", "updates_persisted"}, {"count", 2}};
  std::string body = R"([{"id": 5, "randomNumber": 1}, {"id": 5, "randomNumber": 2}])";
  auto holds_2 = [](const std::vector<long long>& ids) {
    EXPECT_EQ(ids, std::vector<long long>{5});
    return std::map<long long, long long>{{5, 2}};
  };
  EXPECT_TRUE(CheckBody(rule, Contract(), body, holds_2).problems.empty());
}

TEST(FortunesTable, ExpectedPagePassesAndUnescapedFails) {
  json rule = Case("fortunes", "table").at("expect").at("body");
  std::string page = ExpectedFortunesHtml(Contract());
  EXPECT_TRUE(CheckBody(rule, Contract(), page, {}).problems.empty());
  std::string unescaped = page;
  std::string escaped_tag = "&lt;script&gt;";
  unescaped.replace(unescaped.find(escaped_tag), escaped_tag.size(), "<script>");
  BodyOutcome outcome = CheckBody(rule, Contract(), unescaped, {});
  ASSERT_FALSE(outcome.problems.empty());
  bool named = false;
  for (const auto& p : outcome.problems) named |= p.rule == "fortunes_table must_not_contain";
  EXPECT_TRUE(named);
}

TEST(FortunesTable, MissingAddedRowFails) {
  json rule = Case("fortunes", "table").at("expect").at("body");
  std::string page = ExpectedFortunesHtml(Contract());
  std::string added = Contract().at("fortunes").at("added_at_request").at(1).get<std::string>();
  size_t row = page.rfind("<tr>", page.find(added));
  page.erase(row, page.find("</tr>", row) + 5 - row);
  BodyOutcome outcome = CheckBody(rule, Contract(), page, {});
  ASSERT_EQ(outcome.problems.size(), 1u);
  EXPECT_EQ(outcome.problems[0].rule, "fortunes_table");
}

// `text` with every `from` replaced by `to`.
std::string ReplaceEach(std::string text, const std::string& from, const std::string& to) {
  for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
    text.replace(at, from.size(), to);
  return text;
}

// The cms page the contract expects (its expected_file, as LoadContract read it).
std::string CmsPage(const json& rule) { return rule.at(kExpectedFileText).get<std::string>(); }

bool HasRule(const BodyOutcome& outcome, const std::string& rule) {
  for (const auto& p : outcome.problems) {
    if (p.rule == rule) return true;
  }
  return false;
}

TEST(HtmlEquals, ExpectedPagePassesReindentedAndRequotedToo) {
  json rule = Case("cms", "page").at("expect").at("body");
  std::string page = CmsPage(rule);
  BodyOutcome same = CheckBody(rule, Contract(), page, {});
  EXPECT_TRUE(same.problems.empty()) << same.problems[0].detail;
  EXPECT_NE(same.summary.find("tokens match common/cms_page.expected.html"), std::string::npos);
  // What another engine may write: other indentation, ' quotes, &#39; for '.
  std::string other = ReplaceEach(page, ">\n", ">\n    ");
  other = ReplaceEach(other, "class=\"card\"", "class='card'");
  other = ReplaceEach(other, "&#x27;", "&#39;");
  ASSERT_NE(other, page);
  BodyOutcome reformatted = CheckBody(rule, Contract(), other, {});
  EXPECT_TRUE(reformatted.problems.empty()) << reformatted.problems[0].detail;
}

TEST(HtmlEquals, UnescapedBodyFails) {
  json rule = Case("cms", "page").at("expect").at("body");
  std::string page = CmsPage(rule);
  const std::string escaped = "&lt;script&gt;", raw = "<script>";
  ASSERT_NE(page.find(escaped), std::string::npos);
  page = ReplaceEach(page, escaped, raw);
  BodyOutcome outcome = CheckBody(rule, Contract(), page, {});
  EXPECT_TRUE(HasRule(outcome, "html_equals must_not_contain"));
  EXPECT_TRUE(HasRule(outcome, "html_equals"));
}

TEST(HtmlEquals, MissingArticleFails) {
  json rule = Case("cms", "page").at("expect").at("body");
  std::string page = CmsPage(rule);
  size_t from = page.find("<li id=\"item-21\""), to = page.find("<li id=\"item-22\"");
  ASSERT_NE(from, std::string::npos);
  ASSERT_NE(to, std::string::npos);
  page.erase(from, to - from);
  BodyOutcome outcome = CheckBody(rule, Contract(), page, {});
  ASSERT_EQ(outcome.problems.size(), 1u);
  EXPECT_EQ(outcome.problems[0].rule, "html_equals");
  EXPECT_NE(outcome.problems[0].detail.find("common/cms_page.expected.html: token "),
            std::string::npos)
      << outcome.problems[0].detail;
  EXPECT_NE(outcome.problems[0].detail.find("item-21"), std::string::npos)
      << outcome.problems[0].detail;
}

TEST(HtmlEquals, ARuleWithoutItsLoadedPageThrows) {
  json rule = {{"kind", "html_equals"}, {"expected_file", "common/cms_page.expected.html"}};
  EXPECT_THROW(CheckBody(rule, Contract(), "<p>x</p>", {}), Error);
}

TEST(ErrorNamesField, ComparesTheField) {
  json rule = Case("orders", "zero_qty").at("expect").at("body");
  std::string field = rule.at("field").get<std::string>();
  json good = {{"error", {{"field", field}, {"message", "must be positive"}}}};
  EXPECT_TRUE(CheckBody(rule, Contract(), good.dump(), {}).problems.empty());
  json wrong = {{"error", {{"field", "customer"}, {"message", "x"}}}};
  EXPECT_FALSE(CheckBody(rule, Contract(), wrong.dump(), {}).problems.empty());
  EXPECT_FALSE(CheckBody(rule, Contract(), R"({"error": "qty"})", {}).problems.empty());
}

HttpResponse GoodResponse(std::time_t now) {
  char date[64];
  std::tm tm{};
  gmtime_r(&now, &tm);
  std::strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S GMT", &tm);
  return {200, {{"Server", "gunicorn"}, {"Date", date}, {"Content-Length", "2"}}, "ok"};
}

TEST(HeaderProblems, MinimalProfileResponsePasses) {
  std::time_t now = std::time(nullptr);
  EXPECT_TRUE(HeaderProblems(Contract(), "minimal", GoodResponse(now), now).empty());
}

TEST(HeaderProblems, NamesEachBrokenHeaderRule) {
  std::time_t now = std::time(nullptr);
  HttpResponse response = GoodResponse(now - 3600);
  response.headers = {{"Date", response.Header("Date").value()},
                      {"Transfer-Encoding", "chunked"},
                      {"X-Frame-Options", "DENY"}};
  std::vector<std::string> rules;
  for (const auto& p : HeaderProblems(Contract(), "minimal", response, now))
    rules.push_back(p.rule);
  EXPECT_EQ(rules,
            (std::vector<std::string>{"header Server", "header Date", "framing content-length",
                                      "absent header X-Frame-Options"}));
}

TEST(HeaderProblems, StandardProfileNeedsItsHeaders) {
  std::time_t now = std::time(nullptr);
  auto problems = HeaderProblems(Contract(), "standard", GoodResponse(now), now);
  EXPECT_EQ(problems.size(), Contract().at("profiles").at("standard").at("headers").size());
}

TEST(HeaderProblems, WrongContentLengthIsAFramingProblem) {
  std::time_t now = std::time(nullptr);
  HttpResponse response = GoodResponse(now);
  response.body = "okay";
  auto problems = HeaderProblems(Contract(), "minimal", response, now);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].detail, "Content-Length 2 but the body has 4 bytes");
}

TEST(StatusProblems, StatusAndContentType) {
  json expect = Case("json", "hello").at("expect");
  HttpResponse response{500, {{"Content-Type", "text/html"}}, "boom"};
  auto problems = StatusProblems(expect, response);
  ASSERT_EQ(problems.size(), 2u);
  EXPECT_EQ(problems[0].rule, "status");
  EXPECT_EQ(problems[1].detail, "expected 'application/json', got 'text/html'");
}

}  // namespace
}  // namespace fwbench::verify
