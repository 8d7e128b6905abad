#include "verify/http_date.h"

#include <array>
#include <charconv>
#include <cstdlib>

namespace fwbench::verify {
namespace {

constexpr std::array<std::string_view, 7> kDays = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
constexpr std::array<std::string_view, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

// Parses exactly `width` digits at value[pos]; -1 when they are not all digits.
int Digits(std::string_view value, size_t pos, size_t width) {
  int out = 0;
  const char* begin = value.data() + pos;
  auto [end, ec] = std::from_chars(begin, begin + width, out);
  return (ec == std::errc() && end == begin + width) ? out : -1;
}

int IndexOf(auto names, std::string_view name) {
  for (size_t i = 0; i < names.size(); ++i) {
    if (names[i] == name) return static_cast<int>(i);
  }
  return -1;
}

}  // namespace

std::optional<std::time_t> ParseHttpDate(std::string_view v) {
  // "Sun, 06 Nov 1994 08:49:37 GMT": fixed width, 29 characters.
  if (v.size() != 29 || v.substr(3, 2) != ", " || v[7] != ' ' || v[11] != ' ' || v[16] != ' ' ||
      v[19] != ':' || v[22] != ':' || v.substr(25) != " GMT") {
    return std::nullopt;
  }
  int weekday = IndexOf(kDays, v.substr(0, 3));
  int month = IndexOf(kMonths, v.substr(8, 3));
  int day = Digits(v, 5, 2), year = Digits(v, 12, 4);
  int hour = Digits(v, 17, 2), minute = Digits(v, 20, 2), second = Digits(v, 23, 2);
  if (weekday < 0 || month < 0 || day < 1 || day > 31 || year < 1970 || hour < 0 || hour > 23 ||
      minute < 0 || minute > 59 || second < 0 || second > 60) {
    return std::nullopt;
  }
  std::tm tm{};
  tm.tm_year = year - 1900;
  tm.tm_mon = month;
  tm.tm_mday = day;
  tm.tm_hour = hour;
  tm.tm_min = minute;
  tm.tm_sec = second;
  std::time_t t = timegm(&tm);
  if (tm.tm_mday != day || tm.tm_wday != weekday) return std::nullopt;  // 31 Feb, wrong weekday
  return t;
}

std::string DateFreshnessProblem(std::string_view value, std::time_t now, int tolerance_s) {
  std::string quoted = "Date '" + std::string(value) + "'";
  auto t = ParseHttpDate(value);
  if (!t) return quoted + " is not an IMF-fixdate like 'Sun, 06 Nov 1994 08:49:37 GMT'";
  long long skew = static_cast<long long>(*t) - static_cast<long long>(now);
  if (std::llabs(skew) <= tolerance_s) return "";
  return quoted + " is " + std::to_string(std::llabs(skew)) + " s " +
         (skew < 0 ? "behind" : "ahead of") + " the clock (allowed " + std::to_string(tolerance_s) +
         " s)";
}

}  // namespace fwbench::verify
