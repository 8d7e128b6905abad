#pragma once
// Structural comparison of JSON documents, reported as JSON-pointer paths.
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace fwbench::verify {

// The differences between `expected` and `actual`, at most `limit`, in document order; empty
// when they are equal. Object key order is ignored; numbers compare by value (2 == 2.0).
// Each reads e.g. "/items/0/qty: expected 2, got \"2\"" or "/total: missing".
std::vector<std::string> JsonDiff(const nlohmann::json& expected, const nlohmann::json& actual,
                                  size_t limit = 8);

// The differences joined with "; ", with "(and more)" when `limit` cut them.
std::string JsonDiffText(const nlohmann::json& expected, const nlohmann::json& actual,
                         size_t limit = 4);

// `text` cut to at most `max_chars` bytes, ending in "..." when cut, never inside a UTF-8
// sequence (so the result stays valid UTF-8 when `text` is).
std::string Shorten(const std::string& text, size_t max_chars = 60);

// `value` as compact JSON, cut to `max_chars` with "..." for long values.
std::string Brief(const nlohmann::json& value, size_t max_chars = 60);

}  // namespace fwbench::verify
