#pragma once
// The contract's rules for one response: status, content type, the headers every response
// carries (common.headers, common.framing, the profile's headers) and the body rule (`kind`).
#include <ctime>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "verify/http_client.h"

namespace fwbench::verify {

// One broken rule: its name ("status", "header Date", "world_list", ...) and what differed.
struct Problem {
  std::string rule;
  std::string detail;
};

// id -> randomNumber as stored in the database, for the given ids.
using WorldReader = std::function<std::map<long long, long long>(const std::vector<long long>&)>;

// Status and Content-Type against the case's `expect`.
std::vector<Problem> StatusProblems(const nlohmann::json& expect, const HttpResponse& response);

// common.headers (present, http_date_fresh against `now`), common.framing and the profile's
// headers and absent_headers. Throws fwbench::Error for a profile or rule the contract lacks.
std::vector<Problem> HeaderProblems(const nlohmann::json& contract, const std::string& profile,
                                    const HttpResponse& response, std::time_t now);

struct BodyOutcome {
  std::vector<Problem> problems;
  std::string summary;  // what passed, e.g. "500 rows" or "13 rows match"
};

// The body rule `rule` (expect.body) against `body`. `read_worlds` serves updates_persisted;
// when empty, the read-back is skipped and the summary says so. An html_equals rule must come
// from LoadContract (which loads its expected page); otherwise this throws fwbench::Error.
BodyOutcome CheckBody(const nlohmann::json& rule, const nlohmann::json& contract,
                      const std::string& body, const WorldReader& read_worlds);

}  // namespace fwbench::verify
