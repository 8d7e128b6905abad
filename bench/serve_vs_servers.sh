#!/usr/bin/env bash
# fwbench serve against gunicorn (sync, gthread), uWSGI (the suite's template and bare) and
# granian, per framework: `fwbench run bench/suites/serve-vs-servers.json` ("compare":
# "servers": the servers of one framework, route and level measured in paired rounds), then
# bench/serve/servers_table.py writes the table from the results file's own estimates.
# Usage: bench/serve_vs_servers.sh [fwbench run flags, e.g. --fresh, --quiet]
# Env: SUITE (default bench/suites/serve-vs-servers.json)
#      OUT   results file (default var/serve_vs_servers/results.json; resumed when rerun)
#      TABLE the table (default results/serve_vs_servers.md)
# Every server is started, probed, sampled and stopped by fwbench run (src/launch, src/suite).
set -euo pipefail
source "$(dirname "$0")/../scripts/lib.sh"
[ -x "$FWBENCH" ] || die "no fwbench binary at $FWBENCH; run scripts/setup (or set FWBENCH_BUILD)"
[ -x "$VPY" ] || die "no Python at $VPY; run scripts/setup"
COMMAND=""
for v in SUITE OUT TABLE; do
  [ -n "${!v:-}" ] && COMMAND+="$v=$(printf %q "${!v}") "
done
COMMAND+="bench/serve_vs_servers.sh${*:+ $*}"
SUITE="${SUITE:-$ROOT/bench/suites/serve-vs-servers.json}"
OUT="${OUT:-$ROOT/var/serve_vs_servers/results.json}"
TABLE="${TABLE:-$ROOT/results/serve_vs_servers.md}"
"$FWBENCH" run "$SUITE" --out "$OUT" "$@"
"$VPY" "$ROOT/bench/serve/servers_table.py" "$OUT" --out "$TABLE" --command "$COMMAND"
