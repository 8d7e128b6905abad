#pragma once
// An error a user can act on: what went wrong, where, and how to fix it.
#include <stdexcept>
#include <string>

namespace fwbench {

class Error : public std::runtime_error {
 public:
  Error(const std::string& what, const std::string& where = "", const std::string& fix = "")
      : std::runtime_error(Format(what, where, fix)) {}

 private:
  static std::string Format(const std::string& what, const std::string& where,
                            const std::string& fix) {
    std::string text = what;
    if (!where.empty()) text += " (at " + where + ")";
    if (!fix.empty()) text += "; " + fix;
    return text;
  }
};

}  // namespace fwbench
