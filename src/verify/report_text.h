#pragma once
// The text verify prints: one line per check, then a summary line.
#include <string>

#include "verify/verify.h"

namespace fwbench::verify {

// "PASS  /queries?queries=0  queries/zero  world_list: 1 row" or
// "FAIL  /queries?queries=501  queries/over_max  world_list: expected 500 rows, got 501 rows".
std::string FormatCheck(const Check& check);

// "verify http://127.0.0.1:8000 (standard): 47 of 48 checks passed, 1 FAILED", followed by
// "; statement counts unchecked: <reason>" when the DB routes' statements were not counted.
std::string FormatSummary(const Result& result, const std::string& url, const std::string& profile);

}  // namespace fwbench::verify
