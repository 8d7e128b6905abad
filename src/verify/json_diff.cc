#include "verify/json_diff.h"

namespace fwbench::verify {
namespace {

using nlohmann::json;

bool NumbersEqual(const json& a, const json& b) {
  if (a.is_number_integer() && b.is_number_integer()) {
    return a.get<long long>() == b.get<long long>();
  }
  return a.get<double>() == b.get<double>();
}

void Diff(const json& expected, const json& actual, const std::string& path,
          std::vector<std::string>& out, size_t limit) {
  if (out.size() >= limit) return;
  std::string where = path.empty() ? "/" : path;
  if (expected.is_number() && actual.is_number()) {
    if (!NumbersEqual(expected, actual)) {
      out.push_back(where + ": expected " + Brief(expected) + ", got " + Brief(actual));
    }
    return;
  }
  if (expected.type() != actual.type()) {
    out.push_back(where + ": expected " + Brief(expected) + ", got " + Brief(actual));
    return;
  }
  if (expected.is_object()) {
    for (const auto& [key, value] : expected.items()) {
      std::string child = path + "/" + key;
      if (!actual.contains(key)) {
        if (out.size() < limit) out.push_back(child + ": missing");
      } else {
        Diff(value, actual.at(key), child, out, limit);
      }
    }
    for (const auto& [key, value] : actual.items()) {
      if (!expected.contains(key) && out.size() < limit) {
        out.push_back(path + "/" + key + ": unexpected " + Brief(value));
      }
    }
  } else if (expected.is_array()) {
    if (expected.size() != actual.size()) {
      out.push_back(where + ": expected " + std::to_string(expected.size()) + " elements, got " +
                    std::to_string(actual.size()));
    }
    for (size_t i = 0; i < expected.size() && i < actual.size(); ++i) {
      Diff(expected[i], actual[i], path + "/" + std::to_string(i), out, limit);
    }
  } else if (expected != actual) {
    out.push_back(where + ": expected " + Brief(expected) + ", got " + Brief(actual));
  }
}

}  // namespace

std::vector<std::string> JsonDiff(const json& expected, const json& actual, size_t limit) {
  std::vector<std::string> out;
  Diff(expected, actual, "", out, limit);
  return out;
}

std::string JsonDiffText(const json& expected, const json& actual, size_t limit) {
  auto all = JsonDiff(expected, actual, limit + 1);
  std::string text;
  for (size_t i = 0; i < all.size() && i < limit; ++i) text += (i ? "; " : "") + all[i];
  if (all.size() > limit) text += " (and more)";
  return text;
}

std::string Shorten(const std::string& text, size_t max_chars) {
  if (text.size() <= max_chars) return text;
  size_t cut = max_chars > 3 ? max_chars - 3 : 0;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return text.substr(0, cut) + "...";
}

std::string Brief(const json& value, size_t max_chars) {
  return Shorten(value.dump(-1, ' ', false, json::error_handler_t::replace), max_chars);
}

}  // namespace fwbench::verify
