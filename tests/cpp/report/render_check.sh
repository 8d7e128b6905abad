#!/usr/bin/env bash
# Renders report.html in headless Chromium at 1280 px: takes a screenshot, dumps the DOM, and
# fails on any console message (the page has no scripts, so any message is an error), a missing
# part, or horizontal overflow (measured on a copy of the page with a probe script appended:
# the page's scrollWidth must not exceed the 1280 px viewport; tables scroll in their own box).
# Usage: render_check.sh REPORT_HTML SCREENSHOT_PNG
set -euo pipefail
html="$(realpath "$1")"; png="$2"
command -v chromium >/dev/null || { echo "chromium is not installed (scripts/setup installs it)"; exit 1; }
profile="$(mktemp -d)"
log="$(mktemp)"; dom="$(mktemp)"
probe="$(dirname "$html")/.overflow-probe.html"; probedom="$(mktemp)"
trap 'rm -rf "$profile" "$log" "$dom" "$probe" "$probedom"' EXIT
flags=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run
       --disable-background-networking --disable-component-update --disable-sync
       --user-data-dir="$profile" --enable-logging=stderr --v=0 --hide-scrollbars)
timeout 120 chromium "${flags[@]}" --window-size=1280,2400 --screenshot="$png" "file://$html" 2>"$log" >/dev/null
timeout 120 chromium "${flags[@]}" --dump-dom "file://$html" 2>>"$log" >"$dom"
# The probe copy sits in the page's folder so relative references resolve the same way.
sed 's#</body>#<script>document.body.setAttribute("data-scroll-width", String(document.documentElement.scrollWidth));</script></body>#' "$html" >"$probe"
timeout 120 chromium "${flags[@]}" --window-size=1280,2400 --dump-dom "file://$probe" 2>/dev/null >"$probedom"
status=0
if grep -E 'CONSOLE|Uncaught' "$log"; then echo "FAIL: console messages"; status=1; fi
width="$(grep -o 'data-scroll-width="[0-9]*"' "$probedom" | grep -o '[0-9]*' || true)"
if [ -z "$width" ]; then echo "FAIL: could not measure the page width"; status=1
elif [ "$width" -gt 1280 ]; then echo "FAIL: horizontal overflow: page is $width px wide at 1280"; status=1
else echo "page width at 1280 px: $width"; fi
[ -s "$png" ] && [ "$(head -c 8 "$png" | od -An -tx1 | tr -d ' \n')" = "89504e470d0a1a0a" ] \
  || { echo "FAIL: no PNG screenshot at $png"; status=1; }
svgs=$(grep -o '<svg' "$dom" | wc -l)
[ "$svgs" -ge 7 ] || { echo "FAIL: rendered DOM has $svgs charts, expected 7 (6 and layers.svg)"; status=1; }
for part in 'The answer per use case' 'Decision matrix' 'Method' 'P(win)' 'Results per route' '/fortunes' \
            'Where a request' 'Flame graphs'; do
  grep -q "$part" "$dom" || { echo "FAIL: rendered DOM lacks '$part'"; status=1; }
done
[ $status -eq 0 ] && echo "render check passed: $png ($svgs charts)"
exit $status
