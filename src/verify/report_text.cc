#include "verify/report_text.h"

namespace fwbench::verify {
namespace {

// "; statement counts unchecked: <why>" when the statements were not counted.
std::string CountsNote(const Result& result) {
  const auto& counts = result.statement_counts;
  if (counts.is_object() && counts.value("checked", false)) return "";
  std::string reason = counts.is_object() ? counts.value("reason", "not run") : "not run";
  return "; statement counts unchecked: " + reason;
}

}  // namespace

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
         (failed ? ", " + std::to_string(failed) + " FAILED" : "") + CountsNote(result);
}

}  // namespace fwbench::verify
