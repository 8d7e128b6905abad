#!/usr/bin/env bash
# Renders report.html in headless Chromium: takes a screenshot, dumps the DOM, and fails on any
# console message (the page has no scripts, so any message is an error) or a missing part.
# Usage: render_check.sh REPORT_HTML SCREENSHOT_PNG
set -euo pipefail
html="$(realpath "$1")"; png="$2"
command -v chromium >/dev/null || { echo "chromium is not installed (scripts/setup installs it)"; exit 1; }
profile="$(mktemp -d)"
log="$(mktemp)"; dom="$(mktemp)"
trap 'rm -rf "$profile" "$log" "$dom"' EXIT
flags=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run
       --disable-background-networking --disable-component-update --disable-sync
       --user-data-dir="$profile" --enable-logging=stderr --v=0 --hide-scrollbars)
timeout 120 chromium "${flags[@]}" --window-size=1280,2400 --screenshot="$png" "file://$html" 2>"$log" >/dev/null
timeout 120 chromium "${flags[@]}" --dump-dom "file://$html" 2>>"$log" >"$dom"
status=0
if grep -E 'CONSOLE|Uncaught' "$log"; then echo "FAIL: console messages"; status=1; fi
[ -s "$png" ] && [ "$(head -c 8 "$png" | od -An -tx1 | tr -d ' \n')" = "89504e470d0a1a0a" ] \
  || { echo "FAIL: no PNG screenshot at $png"; status=1; }
svgs=$(grep -o '<svg' "$dom" | wc -l)
[ "$svgs" -ge 4 ] || { echo "FAIL: rendered DOM has $svgs charts, expected 4"; status=1; }
for part in 'The answer per use case' 'Decision matrix' 'Results per route' '/fortunes'; do
  grep -q "$part" "$dom" || { echo "FAIL: rendered DOM lacks '$part'"; status=1; }
done
[ $status -eq 0 ] && echo "render check passed: $png ($svgs charts)"
exit $status
