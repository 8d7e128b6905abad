#pragma once
#include <string>
#include <string_view>

namespace fwbench {

// Escapes & < > " ' as &amp; &lt; &gt; &quot; &#39;, so the text is safe in HTML content and
// in quoted attribute values.
std::string HtmlEscape(std::string_view text);

}  // namespace fwbench
