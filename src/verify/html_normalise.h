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

// The document as canonical tokens. A tag ("<td>", "</tr>", "<!doctype html>") is lower-cased
// by name with its attributes' whitespace collapsed and any "/" before ">" dropped; a comment
// is dropped; a text is entity-decoded, its whitespace runs collapsed to one space, trimmed and
// re-escaped with fwbench::HtmlEscape; an empty text is dropped.
std::vector<std::string> HtmlTokens(std::string_view html);

// The canonical tokens joined: equal for documents that differ only in entity spelling,
// tag case and whitespace between elements.
std::string NormaliseHtml(std::string_view html);

// Empty when both documents normalise equal; otherwise where they first differ, e.g.
// "token 31: expected '&lt;script&gt;alert(...' got '<script>' (after '<td>11</td><td>')".
std::string HtmlDifference(std::string_view expected_html, std::string_view actual_html);

}  // namespace fwbench::verify
