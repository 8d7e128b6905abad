#!/usr/bin/env bash
# fwbench load vs wrk against nginx (1 thread; 16/64/256 connections) and against a
# close-delimited server, side by side. Writes results/load_vs_wrk.md and .json.
# Usage: bench/load_vs_wrk.sh [--duration S] [--reps N] [--connections 16,64,256]
set -euo pipefail
source "$(dirname "$0")/../scripts/lib.sh"
FWBENCH="${FWBENCH_BIN:-$FWBENCH}"  # override to measure another build of the same code
[ -x "$FWBENCH" ] || die "no fwbench binary at $FWBENCH; run scripts/setup (or set FWBENCH_BUILD)"
command -v wrk >/dev/null || die "wrk is not installed; run scripts/setup"
[ -x /usr/sbin/nginx ] || die "nginx is not installed; run scripts/setup"
exec "$VPY" "$ROOT/bench/load/load_vs_wrk.py" --fwbench "$FWBENCH" --python "$VPY" \
  --out "$ROOT/results/load_vs_wrk" \
  --command "${FWBENCH_BIN:+FWBENCH_BIN=$FWBENCH_BIN }bench/load_vs_wrk.sh $*" "$@"
