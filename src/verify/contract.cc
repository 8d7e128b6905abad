#include "verify/contract.h"

#include "common/atomic_file.h"
#include "common/error.h"
#include "common/paths.h"
#include "verify/html_normalise.h"

namespace fwbench::verify {
namespace {

using nlohmann::json;

std::string RequestBody(const json& body) {
  if (body.contains("json")) return body.at("json").dump();
  if (body.contains("text")) return body.at("text").get<std::string>();
  if (body.contains("repeat")) {
    std::string unit = body.at("repeat").get<std::string>();
    size_t bytes = body.at("bytes").get<size_t>();
    std::string out;
    out.reserve(bytes + unit.size());
    while (out.size() < bytes) out += unit;
    out.resize(bytes);
    return out;
  }
  throw Error("request body " + body.dump() + " is none of json, text, repeat", "contract",
              "see apps/CONTRACT.md for the body forms");
}

void ReplaceAll(std::string& text, const std::string& from, const std::string& to) {
  for (size_t pos = text.find(from); pos != std::string::npos; pos = text.find(from, pos)) {
    text.replace(pos, from.size(), to);
    pos += to.size();
  }
}

}  // namespace

std::filesystem::path DefaultContractPath() { return SourceDir() / "apps" / "contract.json"; }

json LoadContract(const std::filesystem::path& path) {
  json contract = ReadJsonFile(path);
  std::string schema = contract.value("schema", "");
  if (schema != "fwbench.contract/1") {
    throw Error("unknown contract schema '" + schema + "'", path.string() + ": schema",
                "this fwbench reads fwbench.contract/1; update fwbench or the contract");
  }
  if (!contract.contains("routes") || !contract.at("routes").is_array()) {
    throw Error("contract has no routes array", path.string() + ": routes");
  }
  return contract;
}

HttpRequest BuildRequest(const json& route, const json& test_case) {
  HttpRequest request;
  request.method = route.at("method").get<std::string>();
  request.target = test_case.value("path", route.at("path").get<std::string>());
  if (test_case.contains("query")) request.target += "?" + test_case.at("query").get<std::string>();
  const json headers = test_case.value("headers", json::object());
  for (const auto& [name, value] : headers.items()) {
    request.headers.emplace_back(name, value.get<std::string>());
  }
  if (test_case.contains("body")) request.body = RequestBody(test_case.at("body"));
  return request;
}

std::string DescribeRequest(const HttpRequest& request) {
  return request.method == "GET" ? request.target : request.method + " " + request.target;
}

std::string ExpectedFortunesHtml(const json& contract) {
  const json& fortunes = contract.at("fortunes");
  std::string html = fortunes.at("html_before_rows").get<std::string>();
  const std::string row_template = fortunes.at("row_template").get<std::string>();
  for (const json& row : fortunes.at("expected_table")) {
    std::string rendered = row_template;
    ReplaceAll(rendered, "{id}", std::to_string(row.at(0).get<long long>()));
    ReplaceAll(rendered, "{message}", HtmlEscape(row.at(1).get<std::string>()));
    html += rendered;
  }
  return html + fortunes.at("html_after_rows").get<std::string>();
}

}  // namespace fwbench::verify
