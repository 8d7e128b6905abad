#include "verify/json_diff.h"

#include <gtest/gtest.h>

namespace fwbench::verify {
namespace {

using nlohmann::json;

TEST(JsonDiff, EqualDocumentsIgnoringKeyOrderAndNumberForm) {
  json expected = json::parse(R"({"a": 1, "b": [1.0, {"c": "x"}]})");
  json actual = json::parse(R"({"b": [1, {"c": "x"}], "a": 1.0})");
  EXPECT_TRUE(JsonDiff(expected, actual).empty());
}

TEST(JsonDiff, NamesEachDifferenceByPath) {
  json expected = json::parse(R"({"total": "44.98", "items": [{"qty": 2}], "n": 3})");
  json actual = json::parse(R"({"total": "44.97", "items": [{"qty": "2"}], "extra": true})");
  auto diffs = JsonDiff(expected, actual);
  ASSERT_EQ(diffs.size(), 4u);
  EXPECT_EQ(diffs[0], "/items/0/qty: expected 2, got \"2\"");
  EXPECT_EQ(diffs[1], "/n: missing");
  EXPECT_EQ(diffs[2], "/total: expected \"44.98\", got \"44.97\"");
  EXPECT_EQ(diffs[3], "/extra: unexpected true");
}

TEST(JsonDiff, ArraysOfDifferentLength) {
  auto diffs = JsonDiff(json::array({1, 2}), json::array({1}));
  ASSERT_EQ(diffs.size(), 1u);
  EXPECT_EQ(diffs[0], "/: expected 2 elements, got 1");
}

TEST(JsonDiffText, CutsAtTheLimit) {
  json expected = {{"a", 1}, {"b", 1}, {"c", 1}};
  json actual = {{"a", 2}, {"b", 2}, {"c", 2}};
  EXPECT_EQ(JsonDiffText(expected, actual, 2),
            "/a: expected 1, got 2; /b: expected 1, got 2 (and more)");
}

TEST(Brief, ShortensLongValues) {
  EXPECT_EQ(Brief(json(std::string(100, 'x')), 10), "\"xxxxxx...");
}

TEST(Shorten, NeverCutsInsideAUtf8Sequence) {
  std::string japanese = "\u30d5\u30ec\u30fc\u30e0";  // 3 bytes each
  EXPECT_EQ(Shorten(japanese, 8), "\u30d5...");
  EXPECT_EQ(Shorten(japanese, 12), japanese);
  EXPECT_NO_THROW(json(Shorten(japanese, 7)).dump());
}

}  // namespace
}  // namespace fwbench::verify
