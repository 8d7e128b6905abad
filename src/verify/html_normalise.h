#pragma once
// HTML normalisation for comparing a rendered page with the expected one, as TechEmpower's
// fortunes check does: equal documents written by different template engines compare equal,
// while a text that was not escaped (a literal <script> tag) does not.
#include <string>
#include <string_view>
#include <vector>

#include "common/html_escape.h"

namespace fwbench::verify {

// Decodes character references: &amp; &lt; &gt; &quot; &apos; &nbsp;, &#NN; and &#xHH;.
// An unknown or unterminated reference is kept as written.
std::string DecodeEntities(std::string_view text);

// The document as canonical tokens. A tag ("<td>", "</tr>", "<a href=\"/x?a=1&amp;b\">") has
// its name and attribute names lower-cased, each attribute as name="value" (the value, quoted
// with " or ' or bare, entity-decoded and re-escaped with fwbench::HtmlEscape; a bare attribute
// stays bare), whitespace between attributes collapsed and any "/" before ">" dropped; a
// declaration ("<!doctype html>") is lower-cased with whitespace collapsed; a comment is
// dropped; a text is entity-decoded, its whitespace runs collapsed to one space, trimmed and
// re-escaped with fwbench::HtmlEscape; an empty text is dropped. Attribute order is kept.
std::vector<std::string> HtmlTokens(std::string_view html);

// The canonical tokens joined: equal for documents that differ only in entity spelling,
// tag and attribute-name case, attribute quoting and whitespace between elements.
std::string NormaliseHtml(std::string_view html);

// Empty when both documents normalise equal; otherwise where they first differ, e.g.
// "token 31: expected '&lt;script&gt;alert(...' got '<script>' (after '<td>11</td><td>')".
// Two long tokens with a common start are quoted from shortly before their first difference.
std::string HtmlDifference(std::string_view expected_html, std::string_view actual_html);

}  // namespace fwbench::verify
