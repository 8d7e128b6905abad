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

TEST(NormaliseHtml, AttributeQuotingAndEscapingCompareEqual) {
  // Jinja2 escapes ' in a value as &#39;, Django as &#x27;; quoting style and spacing vary.
  std::string jinja = R"(<a href="/qa?s=1&amp;p=2" title="It&#39;s &#34;x&#34;">Q</a>)";
  std::string django = "<A  HREF='/qa?s=1&amp;p=2'\n title=\"It&#x27;s &quot;x&quot;\" >Q</A>";
  EXPECT_EQ(NormaliseHtml(jinja), NormaliseHtml(django));
  EXPECT_EQ(NormaliseHtml(jinja),
            R"(<a href="/qa?s=1&amp;p=2" title="It&#39;s &quot;x&quot;">Q</a>)");
  EXPECT_EQ(NormaliseHtml("<input type=checkbox checked disabled/>"),
            R"(<input type="checkbox" checked disabled>)");
  EXPECT_EQ(NormaliseHtml("<li class=\"a  b\" id='x'>"), R"(<li class="a  b" id="x">)");
}

TEST(NormaliseHtml, AttributeValuesAndOrderStillMatter) {
  EXPECT_NE(HtmlDifference(R"(<li class="odd first">)", R"(<li class="odd">)"), "");
  EXPECT_NE(HtmlDifference(R"(<a id="1" href="/">)", R"(<a href="/" id="1">)"), "");
  // An unescaped quote ends the value early: the rest reads as other attributes.
  EXPECT_NE(HtmlDifference(R"(<a title="say &quot;hi&quot;">)", R"(<a title="say "hi"">)"), "");
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

TEST(HtmlDifference, QuotesLongTokensFromWhereTheyDiffer) {
  std::string expected = "<p>Escaping 101: never trust a title, &lt;b&gt; included</p>";
  std::string raw = "<p>Escaping 101: never trust a title, <b> included</p>";
  std::string difference = HtmlDifference(expected, raw);
  EXPECT_NE(difference.find("expected '...never trust a title, &lt;b&gt; included' "
                            "got '...never trust a title,'"),
            std::string::npos)
      << difference;
}

TEST(HtmlDifference, NamesAMissingRow) {
  std::string difference =
      HtmlDifference("<tr><td>1</td></tr><tr><td>2</td></tr>", "<tr><td>1</td></tr>");
  EXPECT_NE(difference.find("got the end"), std::string::npos) << difference;
}

}  // namespace
}  // namespace fwbench::verify
