#include "verify/html_normalise.h"

#include <gtest/gtest.h>

namespace fwbench::verify {
namespace {

TEST(DecodeEntities, NamedAndNumeric) {
  EXPECT_EQ(DecodeEntities("&lt;a&gt; &amp; &quot;x&quot; &apos;&#39;&#x27;"), "<a> & \"x\" '''");
  EXPECT_EQ(DecodeEntities("&#8212; &#x2014;"), "\u2014 \u2014");
}

TEST(DecodeEntities, KeepsUnknownAndBrokenReferences) {
  EXPECT_EQ(DecodeEntities("&bogus; &amp &#xZZ; AT&T"), "&bogus; &amp &#xZZ; AT&T");
}

TEST(HtmlEscape, EscapesTheFiveCharacters) {
  EXPECT_EQ(fwbench::HtmlEscape("<script>alert(\"x\" & 'y')</script>"),
            "&lt;script&gt;alert(&quot;x&quot; &amp; &#39;y&#39;)&lt;/script&gt;");
}

TEST(NormaliseHtml, JinjaAndDjangoEscapingsCompareEqual) {
  // Jinja2 writes &#34; and &#39;, Django &quot; and &#x27;.
  std::string jinja = "<td>&lt;b&gt; &#34;a&#34; isn&#39;t</td>";
  std::string django = "<TD>&lt;b&gt; &quot;a&quot; isn&#x27;t</TD>";
  EXPECT_EQ(NormaliseHtml(jinja), NormaliseHtml(django));
  EXPECT_EQ(HtmlDifference(jinja, django), "");
}

TEST(NormaliseHtml, DropsWhitespaceBetweenTagsAndComments) {
  std::string pretty =
      "<!DOCTYPE html>\n<html>\n  <body><!-- c -->\n <p>  a \n b </p>\n</body></html>";
  EXPECT_EQ(NormaliseHtml(pretty), "<!doctype html><html><body><p>a b</p></body></html>");
}

TEST(NormaliseHtml, KeepsUtf8Text) {
  EXPECT_EQ(NormaliseHtml("<td>\u30d5\u30ec\u30fc\u30e0</td>"),
            "<td>\u30d5\u30ec\u30fc\u30e0</td>");
}

TEST(HtmlDifference, AnUnescapedScriptTagIsADifference) {
  std::string expected = "<tr><td>11</td><td>&lt;script&gt;alert(1);&lt;/script&gt;</td></tr>";
  std::string raw = "<tr><td>11</td><td><script>alert(1);</script></td></tr>";
  std::string difference = HtmlDifference(expected, raw);
  EXPECT_NE(difference.find("expected '&lt;script&gt;alert(1);&lt;/script&gt;' got '<script>'"),
            std::string::npos)
      << difference;
  // Decoding entities of the whole page would hide this; tokenising first does not.
  EXPECT_NE(NormaliseHtml(expected), NormaliseHtml(raw));
}

TEST(HtmlDifference, NamesAMissingRow) {
  std::string difference =
      HtmlDifference("<tr><td>1</td></tr><tr><td>2</td></tr>", "<tr><td>1</td></tr>");
  EXPECT_NE(difference.find("got the end"), std::string::npos) << difference;
}

}  // namespace
}  // namespace fwbench::verify
