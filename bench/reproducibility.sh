#!/usr/bin/env bash
# Run-to-run reproducibility of fwbench's comparisons (issue 11): runs a suite twice, back to
# back (`fwbench run SUITE --out var/reproducibility/<suite>/runN.json --fresh`), then
# bench/repro/reproducibility.py matches the two files' comparisons by id and writes
# results/reproducibility.{md,json} (default suite) or results/reproducibility-<suite>.{md,json}
# and prints the table and the targets.
# Usage: bench/reproducibility.sh [SUITE]        (default bench/suites/default.json)
# Env: RUNS_DIR=DIR  reuse DIR/run1.json and DIR/run2.json, run nothing (SUITE is then unused)
#      FWBENCH=PATH  the fwbench binary (default: $FWBENCH_BUILD or build/, src/cli/fwbench)
# Each run is bounded by the suite (fwbench run); servers and load stay on loopback.
set -euo pipefail
ENV_FWBENCH="${FWBENCH:-}"
source "$(dirname "$0")/../scripts/lib.sh"
FWBENCH="$(realpath -m "${ENV_FWBENCH:-$FWBENCH}")"
rel() { realpath -m --relative-base="$ROOT" "$1"; }
[ -x "$VPY" ] || die "no Python at $VPY; run scripts/setup"

# The command as the user ran it, with the environment that changes what it does.
COMMAND=""
[ -n "${FWBENCH_BUILD:-}" ] && COMMAND+="FWBENCH_BUILD=$(printf %q "$FWBENCH_BUILD") "
[ -n "$ENV_FWBENCH" ] && COMMAND+="FWBENCH=$(printf %q "$ENV_FWBENCH") "
[ -n "${RUNS_DIR:-}" ] && COMMAND+="RUNS_DIR=$(printf %q "$RUNS_DIR") "
COMMAND+="bench/reproducibility.sh"
for arg in "$@"; do COMMAND+=" $(printf %q "$arg")"; done

RAN=()
if [ -n "${RUNS_DIR:-}" ]; then
  DIR="$(realpath -m "$RUNS_DIR")"
  for run in run1 run2; do
    [ -f "$DIR/$run.json" ] || die "RUNS_DIR: no $DIR/$run.json"
  done
else
  SUITE="${1:-$ROOT/bench/suites/default.json}"
  [ -f "$SUITE" ] || die "no suite file $SUITE"
  SUITE="$(realpath "$SUITE")"
  [ -x "$FWBENCH" ] || die "no fwbench binary at $FWBENCH; run scripts/setup (or set FWBENCH)"
  NAME="$("$VPY" -c 'import json, sys; print(json.load(open(sys.argv[1]))["name"])' "$SUITE")"
  DIR="$ROOT/var/reproducibility/$NAME"
  mkdir -p "$DIR"
  cd "$ROOT"
  for run in run1 run2; do
    CMD=("$(rel "$FWBENCH")" run "$(rel "$SUITE")" --out "$(rel "$DIR/$run.json")" --fresh)
    log "${CMD[*]}"
    "${CMD[@]}"
    RAN+=(--ran "${CMD[*]}")
  done
fi

cd "$ROOT"
"$VPY" bench/repro/reproducibility.py "$(rel "$DIR/run1.json")" "$(rel "$DIR/run2.json")" \
  --command "$COMMAND" ${RAN[@]+"${RAN[@]}"} --out-dir results
