#pragma once
// The contract's rules for responses someone else obtained: one JSON object per input line
// (a response to one contract case), one JSON object per output line (its problems). The pytest
// harness calls the apps in-process and checks what they return here, so the rules exist once.
#include <iosfwd>
#include <nlohmann/json.hpp>

#include "verify/response_rules.h"

namespace fwbench::verify {

// Input line:  {"profile": "minimal", "route": "json", "case": "hello", "status": 200,
//               "headers": [["Content-Type", "application/json"], ...], "body_b64": "..."}
// Output line: {"passed": bool, "problems": [{"rule": ..., "detail": ...}], "summary": "..."}
// The case is looked up in `contract` (from LoadContract) by route and case name; its `expect`
// is applied as `fwbench verify` applies it, headers according to `origin`. Each output line is
// flushed before the next input line is read. Throws fwbench::Error naming the line number and
// the field for a line that is not such an object, or that names an unknown route, case or
// profile.
void CheckResponses(std::istream& in, std::ostream& out, const nlohmann::json& contract,
                    Origin origin, const WorldReader& read_worlds);

// The request of every case, as `fwbench verify` sends it (BuildRequest), for a harness to
// send itself: {"requests": [{"route", "case", "method", "target" (path?query),
// "headers": [[name, value], ...], "body_b64"}, ...]} in the contract's order.
nlohmann::json CaseRequests(const nlohmann::json& contract);

}  // namespace fwbench::verify
