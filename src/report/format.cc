#include "report/format.h"

#include <cmath>
#include <cstdio>

namespace fwbench::report {

std::string Fixed(double value, int decimals) {
  if (!std::isfinite(value)) return "n/a";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, value);
  std::string text = buf;
  if (text == "-0" || text.rfind("-0.", 0) == 0) {  // no negative zero after rounding
    bool all_zero = text.find_first_not_of("-0.") == std::string::npos;
    if (all_zero) text.erase(0, 1);
  }
  return text;
}

std::string Sig(double value, int digits) {
  if (!std::isfinite(value)) return "n/a";
  if (value == 0) return "0";
  if (value == std::round(value) && std::fabs(value) < 1e15) return Fixed(value, 0);  // counts
  const int magnitude = static_cast<int>(std::floor(std::log10(std::fabs(value))));
  const int decimals = digits - 1 - magnitude;
  return Fixed(value, decimals < 0 ? 0 : decimals);  // integer digits are never dropped
}

std::string WithCi(double value, double low, double high, int digits) {
  return Sig(value, digits) + " [" + Sig(low, digits) + ", " + Sig(high, digits) + "]";
}

std::string Mib(double bytes) { return Fixed(bytes / (1024.0 * 1024.0), 1) + " MiB"; }

std::string Grouped(double value) {
  std::string digits = Fixed(value, 0);
  if (digits == "n/a") return digits;
  const size_t first = digits[0] == '-' ? 1 : 0;
  for (size_t at = digits.size(); at > first + 3; at -= 3) digits.insert(at - 3, ",");
  return digits;
}

std::string MdCell(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '|')
      out += "\\|";
    else if (c == '\n')
      out += ' ';
    else
      out += c;
  }
  return out;
}

}  // namespace fwbench::report
