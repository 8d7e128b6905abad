#include "verify/html_normalise.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdint>

#include "verify/json_diff.h"

namespace fwbench::verify {
namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }

void AppendUtf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// Decodes the reference body between '&' and ';' into `out`; false when it is not one.
bool DecodeReference(std::string_view ref, std::string& out) {
  static constexpr std::pair<std::string_view, uint32_t> kNamed[] = {
      {"amp", '&'}, {"lt", '<'}, {"gt", '>'}, {"quot", '"'}, {"apos", '\''}, {"nbsp", 0xA0}};
  for (const auto& [name, cp] : kNamed) {
    if (ref == name) return AppendUtf8(out, cp), true;
  }
  if (ref.size() < 2 || ref[0] != '#') return false;
  bool hex = ref[1] == 'x' || ref[1] == 'X';
  std::string_view digits = ref.substr(hex ? 2 : 1);
  uint32_t cp = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), cp, hex ? 16 : 10);
  if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size() || cp == 0 ||
      cp > 0x10FFFF) {
    return false;
  }
  AppendUtf8(out, cp);
  return true;
}

std::string CanonicalText(std::string_view raw) {
  std::string decoded = DecodeEntities(raw), collapsed;
  for (char c : decoded) {
    if (!IsSpace(c)) {
      collapsed += c;
    } else if (!collapsed.empty() && collapsed.back() != ' ') {
      collapsed += ' ';
    }
  }
  if (!collapsed.empty() && collapsed.back() == ' ') collapsed.pop_back();
  return HtmlEscape(collapsed);
}

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// A declaration ("!DOCTYPE html"): lower-cased, whitespace runs collapsed to one space.
std::string CanonicalDeclaration(std::string_view inner) {
  std::string out = "<";
  for (char c : inner) {
    if (!IsSpace(c)) {
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    } else if (out.back() != ' ') {
      out += ' ';
    }
  }
  if (out.back() == ' ') out.pop_back();
  return out + ">";
}

// The attribute value starting at inner[i] (after "="): quoted with " or ', or bare up to
// whitespace. Advances `i` past it.
std::string_view AttributeValue(std::string_view inner, size_t& i) {
  if (i < inner.size() && (inner[i] == '"' || inner[i] == '\'')) {
    size_t end = inner.find(inner[i], i + 1);
    if (end == std::string_view::npos) end = inner.size();
    std::string_view value = inner.substr(i + 1, end - i - 1);
    i = std::min(end + 1, inner.size());
    return value;
  }
  size_t start = i;
  while (i < inner.size() && !IsSpace(inner[i])) ++i;
  return inner.substr(start, i - start);
}

// `raw` is a whole tag from '<' to '>' inclusive. An element tag becomes
// `<name attr="value" flag>`: names lower-cased, each value entity-decoded and re-escaped in
// double quotes (so quoting and escaping style do not matter), attributes in written order.
std::string CanonicalTag(std::string_view raw) {
  std::string_view inner = raw.substr(1, raw.size() - 2);
  while (!inner.empty() && (IsSpace(inner.back()) || inner.back() == '/')) inner.remove_suffix(1);
  if (!inner.empty() && inner[0] == '!') return CanonicalDeclaration(inner);
  size_t i = 0;
  auto skip_space = [&] {
    while (i < inner.size() && IsSpace(inner[i])) ++i;
  };
  while (i < inner.size() && !IsSpace(inner[i])) ++i;
  std::string out = "<" + Lower(inner.substr(0, i));
  for (skip_space(); i < inner.size(); skip_space()) {
    size_t name_start = i;
    while (i < inner.size() && !IsSpace(inner[i]) && inner[i] != '=') ++i;
    out += " " + Lower(inner.substr(name_start, i - name_start));
    skip_space();
    if (i >= inner.size() || inner[i] != '=') continue;
    ++i;
    skip_space();
    out += "=\"" + HtmlEscape(DecodeEntities(AttributeValue(inner, i))) + "\"";
  }
  return out + ">";
}

// The end of the tag starting at html[pos] == '<' (index of its '>'); npos when none.
size_t TagEnd(std::string_view html, size_t pos) {
  char quote = 0;
  for (size_t i = pos + 1; i < html.size(); ++i) {
    char c = html[i];
    if (quote) {
      if (c == quote) quote = 0;
    } else if (c == '"' || c == '\'') {
      quote = c;
    } else if (c == '>') {
      return i;
    }
  }
  return std::string_view::npos;
}

bool StartsTag(std::string_view html, size_t pos) {
  if (pos + 1 >= html.size()) return false;
  char next = html[pos + 1];
  return std::isalpha(static_cast<unsigned char>(next)) || next == '/' || next == '!';
}

size_t SharedPrefix(const std::string& a, const std::string& b) {
  size_t n = 0;
  while (n < a.size() && n < b.size() && a[n] == b[n]) ++n;
  return n;
}

// `token` shortened for a message; when it shares more than 30 bytes with the token it is
// compared with, it starts 20 bytes before the first difference ("...trust &lt;script").
std::string FromDifference(const std::string& token, size_t shared) {
  if (shared <= 30) return Shorten(token);
  size_t start = shared - 20;
  while (start > 0 && (static_cast<unsigned char>(token[start]) & 0xC0) == 0x80) --start;
  return "..." + Shorten(token.substr(start));
}

std::string ShortenFront(const std::string& s) {
  if (s.size() <= 60) return s;
  size_t cut = s.size() - 57;
  while (cut < s.size() && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) ++cut;
  return "..." + s.substr(cut);
}

}  // namespace

std::string DecodeEntities(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    size_t semi = text[i] == '&' ? text.find(';', i) : std::string_view::npos;
    if (semi != std::string_view::npos && semi - i <= 10 &&
        DecodeReference(text.substr(i + 1, semi - i - 1), out)) {
      i = semi;
    } else {
      out += text[i];
    }
  }
  return out;
}

std::vector<std::string> HtmlTokens(std::string_view html) {
  std::vector<std::string> tokens;
  std::string text;
  auto flush_text = [&] {
    if (std::string canonical = CanonicalText(text); !canonical.empty())
      tokens.push_back(canonical);
    text.clear();
  };
  for (size_t i = 0; i < html.size(); ++i) {
    if (html[i] != '<' || !StartsTag(html, i)) {
      text += html[i];
      continue;
    }
    if (html.substr(i, 4) == "<!--") {
      size_t end = html.find("-->", i + 4);
      flush_text();
      i = end == std::string_view::npos ? html.size() : end + 2;
      continue;
    }
    size_t end = TagEnd(html, i);
    if (end == std::string_view::npos) {
      text += html.substr(i);
      break;
    }
    flush_text();
    tokens.push_back(CanonicalTag(html.substr(i, end - i + 1)));
    i = end;
  }
  flush_text();
  return tokens;
}

std::string NormaliseHtml(std::string_view html) {
  std::string out;
  for (const auto& token : HtmlTokens(html)) out += token;
  return out;
}

std::string HtmlDifference(std::string_view expected_html, std::string_view actual_html) {
  auto expected = HtmlTokens(expected_html), actual = HtmlTokens(actual_html);
  size_t i = 0;
  while (i < expected.size() && i < actual.size() && expected[i] == actual[i]) ++i;
  if (i == expected.size() && i == actual.size()) return "";
  std::string before;
  for (size_t j = i >= 4 ? i - 4 : 0; j < i; ++j) before += expected[j];
  size_t shared =
      i < expected.size() && i < actual.size() ? SharedPrefix(expected[i], actual[i]) : 0;
  auto at = [i, shared](const std::vector<std::string>& tokens) {
    return i < tokens.size() ? "'" + FromDifference(tokens[i], shared) + "'"
                             : std::string("the end");
  };
  return "token " + std::to_string(i) + ": expected " + at(expected) + " got " + at(actual) +
         (before.empty() ? "" : " (after '" + ShortenFront(before) + "')");
}

}  // namespace fwbench::verify
