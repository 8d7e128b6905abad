#pragma once
// The Date header rule: an IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT", RFC 9110 5.6.7) close
// to the checker's clock, so a server that caches or omits it is caught.
#include <ctime>
#include <optional>
#include <string>
#include <string_view>

namespace fwbench::verify {

// Seconds since the epoch for an IMF-fixdate; nullopt when `value` is not one.
std::optional<std::time_t> ParseHttpDate(std::string_view value);

// Empty when `value` parses and lies within `tolerance_s` seconds of `now`; otherwise the
// reason, e.g. "Date 'Sun, 06 Nov 1994 08:49:37 GMT' is 1009 s behind the clock".
std::string DateFreshnessProblem(std::string_view value, std::time_t now, int tolerance_s);

}  // namespace fwbench::verify
