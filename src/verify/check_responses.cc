#include "verify/check_responses.h"

#include <ctime>
#include <istream>
#include <ostream>
#include <string>

#include "common/error.h"
#include "verify/contract.h"

namespace fwbench::verify {
namespace {

using nlohmann::json;

// RFC 4648 base64 (padding optional); throws on a character outside the alphabet.
std::string DecodeBase64(const std::string& text, const std::string& where) {
  std::string out;
  unsigned buffer = 0;
  int bits = 0;
  for (char c : text) {
    int value;
    if (c >= 'A' && c <= 'Z')
      value = c - 'A';
    else if (c >= 'a' && c <= 'z')
      value = c - 'a' + 26;
    else if (c >= '0' && c <= '9')
      value = c - '0' + 52;
    else if (c == '+')
      value = 62;
    else if (c == '/')
      value = 63;
    else if (c == '=')
      break;
    else
      throw Error("body_b64 is not base64", where, "encode the body with base64.b64encode");
    buffer = (buffer << 6) | static_cast<unsigned>(value);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((buffer >> bits) & 0xFF));
    }
  }
  return out;
}

std::string EncodeBase64(const std::string& bytes) {
  static const char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  unsigned buffer = 0;
  int bits = 0;
  for (unsigned char c : bytes) {
    buffer = (buffer << 8) | c;
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out.push_back(kAlphabet[(buffer >> bits) & 0x3F]);
    }
  }
  if (bits > 0) out.push_back(kAlphabet[(buffer << (6 - bits)) & 0x3F]);
  while (out.size() % 4 != 0) out.push_back('=');
  return out;
}

const json& FindCase(const json& contract, const std::string& route_name,
                     const std::string& case_name, const std::string& where) {
  for (const json& route : contract.at("routes")) {
    if (route.at("name") != route_name) continue;
    for (const json& test_case : route.at("cases")) {
      if (test_case.at("name") == case_name) return test_case;
    }
    throw Error("route '" + route_name + "' has no case '" + case_name + "'", where + ": case",
                "name a case of apps/contract.json");
  }
  throw Error("no route '" + route_name + "' in the contract", where + ": route",
              "name a route of apps/contract.json");
}

HttpResponse ResponseOf(const json& line, const std::string& where) {
  HttpResponse response;
  try {
    response.status = line.at("status").get<int>();
    for (const json& header : line.at("headers")) {
      response.headers.emplace_back(header.at(0).get<std::string>(),
                                    header.at(1).get<std::string>());
    }
    response.body = DecodeBase64(line.at("body_b64").get<std::string>(), where + ": body_b64");
  } catch (const json::exception& e) {
    throw Error(std::string("malformed response: ") + e.what(), where,
                "give status (int), headers ([[name, value], ...]) and body_b64 (string)");
  }
  return response;
}

json CheckLine(const json& line, const json& contract, Origin origin,
               const WorldReader& read_worlds, const std::string& where) {
  if (!line.is_object()) throw Error("expected a JSON object", where);
  std::string profile, route, case_name;
  try {
    profile = line.at("profile").get<std::string>();
    route = line.at("route").get<std::string>();
    case_name = line.at("case").get<std::string>();
  } catch (const json::exception& e) {
    throw Error(std::string("malformed request line: ") + e.what(), where,
                "give profile, route and case as strings");
  }
  const json& expect = FindCase(contract, route, case_name, where).at("expect");
  const HttpResponse response = ResponseOf(line, where);
  const BodyOutcome outcome =
      CheckResponse(contract, profile, expect, response, std::time(nullptr), origin, read_worlds);
  json listed = json::array();
  for (const Problem& problem : outcome.problems)
    listed.push_back({{"rule", problem.rule}, {"detail", problem.detail}});
  return {{"passed", outcome.problems.empty()}, {"problems", listed}, {"summary", outcome.summary}};
}

}  // namespace

json CaseRequests(const json& contract) {
  json requests = json::array();
  for (const json& route : contract.at("routes")) {
    for (const json& test_case : route.at("cases")) {
      const HttpRequest request = BuildRequest(route, test_case);
      json headers = json::array();
      for (const auto& [name, value] : request.headers) headers.push_back({name, value});
      requests.push_back({{"route", route.at("name")},
                          {"case", test_case.at("name")},
                          {"method", request.method},
                          {"target", request.target},
                          {"headers", headers},
                          {"body_b64", EncodeBase64(request.body)}});
    }
  }
  return {{"requests", requests}};
}

void CheckResponses(std::istream& in, std::ostream& out, const json& contract, Origin origin,
                    const WorldReader& read_worlds) {
  std::string text;
  for (long number = 1; std::getline(in, text); ++number) {
    if (text.empty()) continue;
    const std::string where = "input line " + std::to_string(number);
    json line = json::parse(text, nullptr, false);
    if (line.is_discarded()) throw Error("not JSON: " + text.substr(0, 120), where);
    out << CheckLine(line, contract, origin, read_worlds, where).dump() << '\n';
    out.flush();
  }
}

}  // namespace fwbench::verify
