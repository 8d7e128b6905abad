#!/usr/bin/env bash
# fwbench serve against gunicorn (sync, gthread), uWSGI (the suite's template and bare) and
# granian, side by side: the servers of bench/servers.json with the same app, profile, workers,
# threads and pinning, interleaved rounds, medians and a Mann-Whitney U p-value per pair.
# Writes results/serve_vs_servers.{json,md}. Options go to bench/serve/serve_vs_servers.py:
#   bench/serve_vs_servers.sh [--rounds 5] [--duration 4] [--warmup 1] [--connections 32]
#     [--frameworks flask,django] [--routes plaintext,json] [--servers embedded,gunicorn-sync,...]
# Target (issue 4): fwbench serve req/s >= 1.5x gunicorn-sync, and above every other server.
set -euo pipefail
source "$(dirname "$0")/../scripts/lib.sh"
[ -x "$FWBENCH" ] || die "no fwbench binary at $FWBENCH; run scripts/setup (or set FWBENCH_BUILD)"
OUT="${OUT:-$ROOT/results/serve_vs_servers}"
exec "$VPY" "$ROOT/bench/serve/serve_vs_servers.py" --fwbench "$(realpath "$FWBENCH")" \
  --python "$VPY" --root "$ROOT" --out "$OUT" \
  --command "bench/serve_vs_servers.sh $*" "$@"
