#!/usr/bin/env bash
# py-spy flame graphs of one `fwbench serve` worker under `fwbench load`, for every framework
# of the catalogue and every SQLite route of the default suite (minimal profile), and their
# per-layer shares beside results/layers.json's instrumented ones (issue 15's cross-check).
# Writes results/flamegraphs/*.svg and results/flamegraphs.{md,json}; keeps the collapsed
# stacks and the logs in var/flamegraphs/. About 20 s per graph.
# Usage: bench/flamegraphs.sh            (record and write)
#        RENDER_ONLY=1 bench/flamegraphs.sh   (re-read var/flamegraphs/*.raw.txt; record nothing)
# Env: SECONDS_PER_GRAPH (10), RATE (200 Hz), CONNECTIONS (8)
# Servers and load stay on loopback; every load run is bounded by its duration, and each
# server is stopped (process group) whatever happens.
set -euo pipefail
source "$(dirname "$0")/../scripts/lib.sh"
[ -x "$VPY" ] || die "no Python at $VPY; run scripts/setup"
[ -x "$FWBENCH" ] || die "no fwbench binary at $FWBENCH; run scripts/setup"
[ -x "$VENV/bin/py-spy" ] || die "no py-spy in $VENV; run scripts/setup (apps/requirements.txt pins it)"
cd "$ROOT"
COMMAND="bench/flamegraphs.sh"
[ -n "${RENDER_ONLY:-}" ] && COMMAND="RENDER_ONLY=1 $COMMAND"
exec "$VPY" bench/layers/flamegraphs.py --fwbench "$FWBENCH" --command "$COMMAND" \
  --seconds "${SECONDS_PER_GRAPH:-10}" --rate "${RATE:-200}" --connections "${CONNECTIONS:-8}" \
  ${RENDER_ONLY:+--render-only}
