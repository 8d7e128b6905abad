#include "verify/contract.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "common/error.h"
#include "verify/html_normalise.h"

namespace fwbench::verify {
namespace {

using nlohmann::json;

TEST(LoadContract, ReadsTheRepositoryContract) {
  json contract = LoadContract(DefaultContractPath());
  EXPECT_EQ(contract.at("schema"), "fwbench.contract/1");
  EXPECT_FALSE(contract.at("routes").empty());
}

TEST(LoadContract, RejectsAnotherSchema) {
  auto path = std::filesystem::temp_directory_path() / "fwbench_contract_test.json";
  std::ofstream(path) << R"({"schema": "fwbench.contract/2", "routes": []})";
  EXPECT_THROW(LoadContract(path), Error);
  std::filesystem::remove(path);
}

TEST(LoadContract, ReadsEachHtmlEqualsExpectedFile) {
  json contract = LoadContract(DefaultContractPath());
  int loaded = 0;
  for (const json& route : contract.at("routes")) {
    for (const json& test_case : route.at("cases")) {
      const json body = test_case.at("expect").value("body", json::object());
      if (body.value("kind", "") != "html_equals") continue;
      ++loaded;
      EXPECT_GT(body.at(kExpectedFileText).get<std::string>().size(), 1000u) << route.dump();
    }
  }
  EXPECT_GE(loaded, 1);
}

TEST(LoadContract, AMissingExpectedFileIsNamed) {
  auto dir = std::filesystem::temp_directory_path() / "fwbench_contract_test_dir";
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "contract.json") << R"({"schema": "fwbench.contract/1", "routes": [
      {"name": "cms", "method": "GET", "path": "/cms", "cases": [{"name": "page",
       "expect": {"status": 200, "body": {"kind": "html_equals",
                                          "expected_file": "common/missing.html"}}}]}]})";
  try {
    LoadContract(dir / "contract.json");
    ADD_FAILURE() << "no error for a missing expected_file";
  } catch (const Error& e) {
    std::string what = e.what();
    EXPECT_NE(what.find("common/missing.html"), std::string::npos) << what;
    EXPECT_NE(what.find("route cms case page"), std::string::npos) << what;
  }
  std::filesystem::remove_all(dir);
}

TEST(BuildRequest, CasePathQueryHeadersAndBodies) {
  json route = {{"name", "r"}, {"method", "POST"}, {"path", "/api/orders"}};
  json with_json = {{"query", "a=1"},
                    {"headers", {{"Content-Type", "application/json"}}},
                    {"body", {{"json", {{"k", 1}}}}}};
  HttpRequest request = BuildRequest(route, with_json);
  EXPECT_EQ(request.method, "POST");
  EXPECT_EQ(request.target, "/api/orders?a=1");
  ASSERT_EQ(request.headers.size(), 1u);
  EXPECT_EQ(request.headers[0].second, "application/json");
  EXPECT_EQ(request.body, R"({"k":1})");
  EXPECT_EQ(DescribeRequest(request), "POST /api/orders?a=1");

  EXPECT_EQ(BuildRequest(route, {{"body", {{"repeat", "x"}, {"bytes", 1048577}}}}).body.size(),
            1048577u);
  EXPECT_EQ(BuildRequest(route, {{"body", {{"text", "{\"a\": ["}}}}).body, "{\"a\": [");
  EXPECT_EQ(BuildRequest(route, {{"path", "/r/1/items/x"}}).target, "/r/1/items/x");
  EXPECT_THROW(BuildRequest(route, {{"body", {{"xml", "<a/>"}}}}), Error);
}

TEST(ExpectedFortunesHtml, EscapesEveryMessageAndKeepsOrder) {
  json contract = LoadContract(DefaultContractPath());
  std::string html = ExpectedFortunesHtml(contract);
  EXPECT_EQ(html.find("<script>"), std::string::npos);
  size_t last = 0;
  for (const json& row : contract.at("fortunes").at("expected_table")) {
    size_t at = html.find(HtmlEscape(row.at(1).get<std::string>()), last);
    ASSERT_NE(at, std::string::npos) << row.dump();
    last = at;
  }
}

}  // namespace
}  // namespace fwbench::verify
