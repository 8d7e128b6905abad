#!/usr/bin/env bash
# Which CPython (issue 12, item 7): the same small suite (bench/pybuild/suite.json) through the
# project's .venv (pyenv's CPython 3.11.7: shared libpython, no PGO/LTO) and through a venv made
# from Debian's /usr/bin/python3.11 (3.11.2, a static PGO+LTO executable) with the same pins,
# in PAIRS pairs of back-to-back runs in a balanced random order (half of the pairs each way). Each run is
# `fwbench run bench/pybuild/suite.json --venv DIR`; bench/pybuild/pybuild.py pairs them and
# writes results/pybuild.{md,json}.
# Usage: bench/pybuild.sh
# Env: PAIRS=N (default 6)  SEED=N (order of each pair; default: from the clock)
#      DEBIAN_PYTHON=PATH (default /usr/bin/python3.11; `apt-get install python3.11-venv`)
#      RUNS_DIR=DIR  reuse DIR/pair*-{pyenv,debian}.json and DIR/order.json, run nothing
#      FWBENCH=PATH  the fwbench binary (default: $FWBENCH_BUILD or build/, src/cli/fwbench)
# Every run is bounded by the suite; servers and load stay on loopback.
set -euo pipefail
ENV_FWBENCH="${FWBENCH:-}"
source "$(dirname "$0")/../scripts/lib.sh"
FWBENCH="$(realpath -m "${ENV_FWBENCH:-$FWBENCH}")"
rel() { realpath -m --relative-base="$ROOT" "$1"; }
[ -x "$VPY" ] || die "no Python at $VPY; run scripts/setup"
PAIRS="${PAIRS:-6}"
SEED="${SEED:-$(date +%s)}"
DEBIAN_PYTHON="${DEBIAN_PYTHON:-/usr/bin/python3.11}"
DEBIAN_VENV="$ROOT/var/pybuild/venv-debian"

COMMAND=""
for v in PAIRS SEED FWBENCH_BUILD RUNS_DIR DEBIAN_PYTHON; do
  [ -n "${!v:-}" ] && COMMAND+="$v=$(printf %q "${!v}") "
done
[ -n "$ENV_FWBENCH" ] && COMMAND+="FWBENCH=$(printf %q "$ENV_FWBENCH") "
COMMAND+="bench/pybuild.sh"

# The second venv: Debian's interpreter, the project's exact pins (rebuilt when they change).
make_debian_venv() {
  [ -x "$DEBIAN_PYTHON" ] || die "no $DEBIAN_PYTHON; apt-get install python3.11 python3.11-venv"
  local stamp="$DEBIAN_VENV/.requirements.sha256" want
  want="$(sha256sum "$ROOT/apps/requirements.txt" | cut -d' ' -f1)"
  [ "$(cat "$stamp" 2>/dev/null)" = "$want" ] && return 0
  log "venv: $DEBIAN_VENV from $DEBIAN_PYTHON"
  rm -rf "$DEBIAN_VENV"
  "$DEBIAN_PYTHON" -m venv "$DEBIAN_VENV"
  "$DEBIAN_VENV/bin/python" -m pip install -q --disable-pip-version-check \
    -r "$ROOT/apps/requirements.txt"
  echo "$want" > "$stamp"
}

if [ -n "${RUNS_DIR:-}" ]; then
  DIR="$(realpath -m "$RUNS_DIR")"
  [ -f "$DIR/order.json" ] || die "RUNS_DIR: no $DIR/order.json"
else
  [ -x "$FWBENCH" ] || die "no fwbench binary at $FWBENCH; run scripts/setup (or set FWBENCH)"
  make_debian_venv
  DIR="$ROOT/var/pybuild/runs"
  rm -rf "$DIR"
  mkdir -p "$DIR"
  cd "$ROOT"
  # Which venv runs first in each pair: balanced (half the pairs each way, one coin for an odd
  # count) and shuffled with Python's generator seeded with SEED, so a drift cancels.
  read -r -a FIRST <<< "$("$VPY" -c 'import random, sys
r, n = random.Random(int(sys.argv[1])), int(sys.argv[2])
first = ["pyenv", "debian"] * (n // 2) + [r.choice(["pyenv", "debian"])] * (n % 2)
r.shuffle(first)
print(" ".join(first))' "$SEED" "$PAIRS")"
  ORDER="["
  for pair in $(seq 1 "$PAIRS"); do
    if [ "${FIRST[$((pair - 1))]}" = pyenv ]; then labels=(pyenv debian); else labels=(debian pyenv); fi
    for label in "${labels[@]}"; do
      venv="$ROOT/.venv"; [ "$label" = debian ] && venv="$DEBIAN_VENV"
      CMD=("$(rel "$FWBENCH")" run bench/pybuild/suite.json --venv "$(rel "$venv")"
           --out "$(rel "$DIR/pair$pair-$label.json")" --fresh --quiet)
      log "pair $pair: ${CMD[*]}"
      "${CMD[@]}"
    done
    [ "$pair" -gt 1 ] && ORDER+=","
    ORDER+="{\"pair\": $pair, \"order\": \"${labels[0]} first\"}"
  done
  echo "{\"a\": \"pyenv\", \"b\": \"debian\", \"seed\": $SEED, \"pairs\": $ORDER]}" > "$DIR/order.json"
fi

cd "$ROOT"
"$VPY" bench/pybuild/pybuild.py "$(rel "$DIR")" --command "$COMMAND" --out-dir results
