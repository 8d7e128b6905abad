#include "verify/check_responses.h"

#include <gtest/gtest.h>

#include <sstream>

#include "common/error.h"
#include "verify/contract.h"

namespace fwbench::verify {
namespace {

using nlohmann::json;

const json& Contract() {
  static const json contract = LoadContract(DefaultContractPath());
  return contract;
}

// "Hello, World!" and "aGVsbG8=" style bodies, base64 by hand so the test restates nothing.
json Line(const std::string& route, const std::string& test_case, int status, json headers,
          const std::string& body_b64) {
  return {{"profile", "minimal"}, {"route", route},     {"case", test_case},
          {"status", status},     {"headers", headers}, {"body_b64", body_b64}};
}

std::vector<json> Check(const std::vector<json>& lines, Origin origin) {
  std::stringstream in, out;
  for (const json& line : lines) in << line.dump() << "\n";
  CheckResponses(in, out, Contract(), origin, {});
  std::vector<json> results;
  for (std::string text; std::getline(out, text);) results.push_back(json::parse(text));
  return results;
}

const json kPlainHeaders = json::array(
    {json::array({"Content-Type", "text/plain"}), json::array({"Content-Length", "13"})});
const char kHelloB64[] = "SGVsbG8sIFdvcmxkIQ==";  // "Hello, World!"

TEST(CheckResponses, InProcessResponseWithoutServerHeadersPasses) {
  auto results =
      Check({Line("plaintext", "hello", 200, kPlainHeaders, kHelloB64)}, Origin::kInProcess);
  ASSERT_EQ(results.size(), 1u);
  EXPECT_TRUE(results[0]["passed"].get<bool>()) << results[0].dump();
}

TEST(CheckResponses, ServerResponseIsHeldToTheServerHeaders) {
  auto results =
      Check({Line("plaintext", "hello", 200, kPlainHeaders, kHelloB64)}, Origin::kServer);
  ASSERT_EQ(results.size(), 1u);
  EXPECT_FALSE(results[0]["passed"].get<bool>());
  std::string rules;
  for (const json& p : results[0]["problems"]) rules += p["rule"].get<std::string>() + ";";
  EXPECT_NE(rules.find("header Date"), std::string::npos) << rules;
  EXPECT_NE(rules.find("header Server"), std::string::npos) << rules;
}

TEST(CheckResponses, OneOutputLinePerInputLineNamingTheBrokenRule) {
  auto results = Check({Line("plaintext", "hello", 200, kPlainHeaders, "SGVsbG8sIFdvcmxkPw=="),
                        Line("plaintext", "hello", 200, kPlainHeaders, kHelloB64)},
                       Origin::kInProcess);
  ASSERT_EQ(results.size(), 2u);
  EXPECT_FALSE(results[0]["passed"].get<bool>());
  EXPECT_EQ(results[0]["problems"][0]["rule"], "equals");  // "Hello, World?" is not the text
  EXPECT_TRUE(results[1]["passed"].get<bool>());
}

TEST(CheckResponses, BadLinesNameTheLineAndTheField) {
  std::stringstream in, out;
  in << Line("plaintext", "hello", 200, kPlainHeaders, kHelloB64).dump() << "\n{not json\n";
  try {
    CheckResponses(in, out, Contract(), Origin::kInProcess, {});
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("input line 2"), std::string::npos) << e.what();
  }
  for (const auto& [line, field] : std::vector<std::pair<json, std::string>>{
           {Line("nope", "hello", 200, kPlainHeaders, kHelloB64), "route"},
           {Line("plaintext", "nope", 200, kPlainHeaders, kHelloB64), "case"},
           {Line("plaintext", "hello", 200, kPlainHeaders, "*bad*"), "body_b64"}}) {
    std::stringstream bad_in, bad_out;
    bad_in << line.dump() << "\n";
    try {
      CheckResponses(bad_in, bad_out, Contract(), Origin::kInProcess, {});
      ADD_FAILURE() << "no error for " << field;
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find(field), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find("input line 1"), std::string::npos) << e.what();
    }
  }
}

}  // namespace
}  // namespace fwbench::verify

namespace fwbench::verify {
namespace {

TEST(CaseRequests, EveryCaseInOrderAsVerifySendsIt) {
  const nlohmann::json requests = CaseRequests(Contract())["requests"];
  size_t cases = 0;
  for (const auto& route : Contract()["routes"]) cases += route["cases"].size();
  ASSERT_EQ(requests.size(), cases);
  for (const auto& r : requests) {
    const std::string target = r["target"];
    EXPECT_EQ(target.front(), '/') << r.dump();
    EXPECT_EQ(r["body_b64"].get<std::string>().size() % 4, 0u) << r.dump();
  }
  // A request with a query and one with a body, base64 as RFC 4648 writes it.
  bool query = false, body = false;
  for (const auto& r : requests) {
    query |= r["target"].get<std::string>().find('?') != std::string::npos;
    body |= !r["body_b64"].get<std::string>().empty();
  }
  EXPECT_TRUE(query);
  EXPECT_TRUE(body);
}

}  // namespace
}  // namespace fwbench::verify
