#include "verify/response_rules.h"

#include "common/error.h"
#include "verify/contract.h"
#include "verify/html_normalise.h"
#include "verify/http_date.h"
#include "verify/json_diff.h"

namespace fwbench::verify {
namespace {

using nlohmann::json;

std::string Quote(const std::string& text) { return "'" + text + "'"; }

std::string Rows(size_t n) { return std::to_string(n) + (n == 1 ? " row" : " rows"); }

std::string Snippet(const std::string& body) { return Quote(Shorten(body)); }

// Parses `body` as JSON; on failure adds a problem under `rule` and returns discarded.
json ParseBody(const std::string& body, const std::string& rule, std::vector<Problem>& out) {
  json parsed = json::parse(body, nullptr, false);
  if (parsed.is_discarded()) out.push_back({rule, "body is not JSON: " + Snippet(body)});
  return parsed;
}

bool InRange(const json& value, const json& world, const char* min_key, const char* max_key) {
  return value.is_number_integer() &&
         value.get<long long>() >= world.at(min_key).get<long long>() &&
         value.get<long long>() <= world.at(max_key).get<long long>();
}

// Empty when `row` is {"id": int in range, "randomNumber": int in range} and nothing else.
std::string WorldRowProblem(const json& row, const json& world) {
  if (!row.is_object()) return "expected a World object, got " + Brief(row);
  if (row.size() != 2 || !row.contains("id") || !row.contains("randomNumber")) {
    return "expected exactly keys id and randomNumber, got " + Brief(row);
  }
  if (!InRange(row.at("id"), world, "id_min", "id_max")) {
    return "id " + Brief(row.at("id")) + " is not an integer in " + Brief(world.at("id_min")) +
           ".." + Brief(world.at("id_max"));
  }
  if (!InRange(row.at("randomNumber"), world, "random_min", "random_max")) {
    return "randomNumber " + Brief(row.at("randomNumber")) + " is not an integer in " +
           Brief(world.at("random_min")) + ".." + Brief(world.at("random_max"));
  }
  return "";
}

// Checks a world_list of `count` rows; returns the rows when it is one, else null.
json WorldList(const json& rule, const json& contract, const std::string& body,
               const std::string& name, BodyOutcome& outcome) {
  json rows = ParseBody(body, name, outcome.problems);
  if (rows.is_discarded()) return nullptr;
  size_t count = rule.at("count").get<size_t>();
  if (!rows.is_array()) {
    outcome.problems.push_back(
        {name, "expected a JSON array of " + Rows(count) + ", got " + Brief(rows)});
    return nullptr;
  }
  if (rows.size() != count) {
    outcome.problems.push_back({name, "expected " + Rows(count) + ", got " + Rows(rows.size())});
  }
  for (size_t i = 0; i < rows.size(); ++i) {
    if (auto problem = WorldRowProblem(rows[i], contract.at("world")); !problem.empty()) {
      outcome.problems.push_back({name, "row " + std::to_string(i) + ": " + problem});
      return nullptr;
    }
  }
  outcome.summary = Rows(rows.size());
  return outcome.problems.empty() ? rows : json(nullptr);
}

// Every returned row must be what the database now holds. An id the response repeats may
// hold any of the values returned for it (the app's last write wins).
void CheckPersisted(const json& rows, const WorldReader& read_worlds, BodyOutcome& outcome) {
  if (!read_worlds) {
    outcome.summary += ", read-back skipped (no --database-url)";
    return;
  }
  std::map<long long, std::vector<long long>> returned;
  std::vector<long long> ids;
  for (const json& row : rows) {
    long long id = row.at("id").get<long long>();
    if (returned[id].empty()) ids.push_back(id);
    returned[id].push_back(row.at("randomNumber").get<long long>());
  }
  std::map<long long, long long> stored;
  try {
    stored = read_worlds(ids);
  } catch (const Error& e) {  // dbtool could not read the rows back
    outcome.problems.push_back({"updates_persisted", e.what()});
    return;
  }
  for (long long id : ids) {
    const auto& values = returned[id];
    auto found = stored.find(id);
    if (found == stored.end()) {
      outcome.problems.push_back(
          {"updates_persisted", "id " + std::to_string(id) + " not found in the database"});
      return;
    }
    if (std::find(values.begin(), values.end(), found->second) == values.end()) {
      outcome.problems.push_back(
          {"updates_persisted", "id " + std::to_string(id) + ": response says randomNumber " +
                                    std::to_string(values.back()) + ", database holds " +
                                    std::to_string(found->second)});
      return;
    }
  }
  outcome.summary += " persisted (read back " + Rows(ids.size()) + ")";
}

// The rule's must_contain / must_not_contain strings against the raw body (the escaping
// check), as problems named "<kind> must_contain" / "<kind> must_not_contain".
void CheckEscaping(const std::string& kind, const json& rule, const std::string& body,
                   BodyOutcome& outcome) {
  for (const json& needle : rule.value("must_contain", json::array())) {
    if (body.find(needle.get<std::string>()) == std::string::npos) {
      outcome.problems.push_back(
          {kind + " must_contain", "body lacks " + Quote(needle.get<std::string>())});
    }
  }
  for (const json& needle : rule.value("must_not_contain", json::array())) {
    if (body.find(needle.get<std::string>()) != std::string::npos) {
      outcome.problems.push_back(
          {kind + " must_not_contain",
           "body contains " + Quote(needle.get<std::string>()) + " (not HTML-escaped)"});
    }
  }
}

void CheckFortunes(const json& rule, const json& contract, const std::string& body,
                   BodyOutcome& outcome) {
  CheckEscaping("fortunes_table", rule, body, outcome);
  std::string difference = HtmlDifference(ExpectedFortunesHtml(contract), body);
  if (!difference.empty()) outcome.problems.push_back({"fortunes_table", difference});
  outcome.summary = Rows(contract.at("fortunes").at("expected_table").size()) + " match";
}

void CheckHtmlEquals(const json& rule, const std::string& body, BodyOutcome& outcome) {
  const std::string file = rule.at("expected_file").get<std::string>();
  if (!rule.contains(kExpectedFileText)) {
    throw Error("html_equals rule for " + file + " has no expected page loaded",
                "contract: expect.body", "read the contract with LoadContract");
  }
  const std::string& expected = rule.at(kExpectedFileText).get_ref<const std::string&>();
  CheckEscaping("html_equals", rule, body, outcome);
  std::string difference = HtmlDifference(expected, body);
  if (!difference.empty()) outcome.problems.push_back({"html_equals", file + ": " + difference});
  outcome.summary = std::to_string(HtmlTokens(expected).size()) + " tokens match " + file;
}

void CheckErrorField(const json& rule, const std::string& body, BodyOutcome& outcome) {
  json parsed = ParseBody(body, "error_names_field", outcome.problems);
  if (parsed.is_discarded()) return;
  const json* field = nullptr;
  if (parsed.is_object() && parsed.contains("error") && parsed["error"].is_object() &&
      parsed["error"].contains("field") && parsed["error"].contains("message")) {
    field = &parsed["error"]["field"];
  }
  if (!field) {
    outcome.problems.push_back(
        {"error_names_field",
         "expected {\"error\": {\"field\", \"message\"}}, got " + Brief(parsed)});
  } else if (*field != rule.at("field")) {
    outcome.problems.push_back({"error_names_field", "expected field " + Brief(rule.at("field")) +
                                                         ", got " + Brief(*field)});
  }
  outcome.summary = "error names " + Brief(rule.at("field"));
}

}  // namespace

std::vector<Problem> StatusProblems(const json& expect, const HttpResponse& response) {
  std::vector<Problem> out;
  int status = expect.at("status").get<int>();
  if (response.status != status) {
    out.push_back({"status", "expected " + std::to_string(status) + ", got " +
                                 std::to_string(response.status) + " " + Snippet(response.body)});
  }
  if (expect.contains("content_type")) {
    std::string want = expect.at("content_type").get<std::string>();
    auto got = response.Header("Content-Type");
    if (got != want) {
      out.push_back({"content_type", "expected " + Quote(want) + ", got " +
                                         (got ? Quote(*got) : std::string("none"))});
    }
  }
  return out;
}

std::vector<Problem> HeaderProblems(const json& contract, const std::string& profile,
                                    const HttpResponse& response, std::time_t now) {
  std::vector<Problem> out;
  auto check_header = [&](const json& rule) {
    std::string name = rule.at("name").get<std::string>();
    std::string kind = rule.at("rule").get<std::string>();
    std::string rule_name = "header " + name;
    auto value = response.Header(name);
    if (!value || value->empty()) {
      out.push_back({rule_name, "missing"});
    } else if (kind == "http_date_fresh") {
      std::string problem = DateFreshnessProblem(*value, now, rule.at("max_skew_s").get<int>());
      if (!problem.empty()) out.push_back({rule_name, problem});
    } else if (kind == "equals" && *value != rule.at("value").get<std::string>()) {
      out.push_back({rule_name, "expected " + Quote(rule.at("value").get<std::string>()) +
                                    ", got " + Quote(*value)});
    } else if (kind != "present" && kind != "equals" && kind != "http_date_fresh") {
      throw Error("unknown header rule '" + kind + "'", "contract: header " + name,
                  "update fwbench verify to know it");
    }
  };
  for (const json& rule : contract.at("common").at("headers")) check_header(rule);

  std::string framing = contract.at("common").at("framing").get<std::string>();
  if (framing != "content-length") {
    throw Error("unknown framing '" + framing + "'", "contract: common.framing");
  }
  auto length = response.Header("Content-Length");
  if (response.Header("Transfer-Encoding")) {
    out.push_back({"framing content-length",
                   "Transfer-Encoding: " + *response.Header("Transfer-Encoding") + " is sent"});
  } else if (!length) {
    out.push_back({"framing content-length", "no Content-Length"});
  } else if (*length != std::to_string(response.body.size())) {
    out.push_back({"framing content-length", "Content-Length " + *length + " but the body has " +
                                                 std::to_string(response.body.size()) + " bytes"});
  }

  const json& profiles = contract.at("profiles");
  if (!profiles.contains(profile)) {
    throw Error("profile '" + profile + "' is not in the contract", "contract: profiles",
                "use one of: minimal, standard");
  }
  for (const json& rule : profiles.at(profile).value("headers", json::array())) check_header(rule);
  for (const json& name : profiles.at(profile).value("absent_headers", json::array())) {
    if (auto value = response.Header(name.get<std::string>())) {
      out.push_back({"absent header " + name.get<std::string>(),
                     "sent (" + *value + ") but the " + profile + " profile has no such header"});
    }
  }
  return out;
}

BodyOutcome CheckBody(const json& rule, const json& contract, const std::string& body,
                      const WorldReader& read_worlds) {
  BodyOutcome outcome;
  std::string kind = rule.at("kind").get<std::string>();
  if (kind == "equals") {
    std::string want = rule.at("text").get<std::string>();
    if (body != want)
      outcome.problems.push_back({kind, "expected " + Snippet(want) + ", got " + Snippet(body)});
    outcome.summary = Snippet(want);
  } else if (kind == "json_equals") {
    json parsed = ParseBody(body, kind, outcome.problems);
    if (!parsed.is_discarded()) {
      std::string diff = JsonDiffText(rule.at("value"), parsed);
      if (!diff.empty()) outcome.problems.push_back({kind, diff});
    }
    outcome.summary = Brief(rule.at("value"), 40);
  } else if (kind == "world_object") {
    json parsed = ParseBody(body, kind, outcome.problems);
    std::string problem =
        parsed.is_discarded() ? "" : WorldRowProblem(parsed, contract.at("world"));
    if (!problem.empty()) outcome.problems.push_back({kind, problem});
    outcome.summary = "one World row";
  } else if (kind == "world_list") {
    WorldList(rule, contract, body, kind, outcome);
  } else if (kind == "updates_persisted") {
    json rows = WorldList(rule, contract, body, kind, outcome);
    if (!rows.is_null()) CheckPersisted(rows, read_worlds, outcome);
  } else if (kind == "fortunes_table") {
    CheckFortunes(rule, contract, body, outcome);
  } else if (kind == "html_equals") {
    CheckHtmlEquals(rule, body, outcome);
  } else if (kind == "error_names_field") {
    CheckErrorField(rule, body, outcome);
  } else {
    throw Error("unknown body rule '" + kind + "'", "contract: expect.body.kind",
                "update fwbench verify to know it");
  }
  return outcome;
}

}  // namespace fwbench::verify
