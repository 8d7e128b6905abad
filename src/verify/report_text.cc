#include "verify/report_text.h"

namespace fwbench::verify {

std::string FormatCheck(const Check& check) {
  return std::string(check.passed ? "PASS" : "FAIL") + "  " + check.route + "  " + check.name +
         "  " + check.rule + (check.detail.empty() ? "" : ": " + check.detail);
}

std::string FormatSummary(const Result& result, const std::string& url,
                          const std::string& profile) {
  size_t passed = 0;
  for (const auto& check : result.checks) passed += check.passed ? 1 : 0;
  size_t failed = result.checks.size() - passed;
  return "verify " + url + " (" + profile + "): " + std::to_string(passed) + " of " +
         std::to_string(result.checks.size()) + " checks passed" +
         (failed ? ", " + std::to_string(failed) + " FAILED" : "");
}

}  // namespace fwbench::verify
