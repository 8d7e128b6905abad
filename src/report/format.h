#pragma once
// Deterministic number formatting for tables and the page: the same double always prints the
// same text, independent of locale.
#include <string>

#include "common/html_escape.h"

namespace fwbench::report {

// `value` rounded to `digits` significant digits, never in exponent form: 12345.6 -> "12346",
// 45.67 -> "45.7", 0.8123 -> "0.812", 5.0 -> "5" (whole numbers print whole). Non-finite
// values print as "n/a".
std::string Sig(double value, int digits = 3);
// Fixed decimals: Fixed(1.2345, 2) -> "1.23".
std::string Fixed(double value, int decimals);
// "1.23 [1.20, 1.26]" (a value with its interval, each to `digits` significant digits).
std::string WithCi(double value, double low, double high, int digits = 3);
// Bytes as MiB with one decimal: "39.3 MiB".
std::string Mib(double bytes);
// Rounded to a whole number, thousands grouped with commas: 1234567.4 -> "1,234,567".
std::string Grouped(double value);
// HTML-escapes &, <, >, " and '.
// Escapes | for a Markdown table cell.
std::string MdCell(const std::string& text);

}  // namespace fwbench::report
