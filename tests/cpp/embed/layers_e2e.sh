#!/usr/bin/env bash
# `fwbench inproc --layers` end to end (ctest embed.layers_e2e): on the fixture app whose cost
# per layer is known (tests/python/fixtures/layers_fixture.py) the layers split as the fixture
# spends, add up to the total, and the markers balance; an unknown framework, an unknown route
# and a missing valgrind each give a clear error. Usage: layers_e2e.sh FWBENCH
set -euo pipefail
FWBENCH="$(realpath "$1")"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# expect_error NAME TEXT... -- ARGS: fwbench fails and its stderr names every TEXT.
expect_error() {
  local name="$1"; shift
  local texts=()
  while [ "$1" != "--" ]; do texts+=("$1"); shift; done
  shift
  if "$@" >"$WORK/$name.out" 2>"$WORK/$name.err"; then fail "$name: exit 0"; fi
  for text in "${texts[@]}"; do
    grep -qF -- "$text" "$WORK/$name.err" || { cat "$WORK/$name.err" >&2; fail "$name: no '$text'"; }
  done
  echo "ok: $name"
}
expect_error unknown_framework "nosuch" "flask" -- \
  "$FWBENCH" inproc --layers --framework nosuch --json "$WORK/x.json"
expect_error unknown_route "no contract route named 'nosuch'" "plaintext" -- \
  "$FWBENCH" inproc --layers --framework flask --route nosuch --json "$WORK/x.json"
expect_error no_valgrind "callgrind is missing" "Debian package valgrind" -- \
  env PATH=/nonexistent "$FWBENCH" inproc --layers --framework flask --route json \
  --json "$WORK/x.json"

command -v valgrind >/dev/null || fail "valgrind is not installed (scripts/setup installs it)"
"$FWBENCH" inproc --layers --framework layers_fixture:app \
  --pythonpath "$ROOT/tests/python/fixtures" --profile minimal --route plaintext \
  --iterations 4 --warmup 3 --ns-batches 5 --ns-batch-s 0.05 --json "$WORK/layers.json" \
  >"$WORK/run.out" 2>&1 \
  || { cat "$WORK/run.out" >&2; fail "fixture run"; }
"$ROOT/.venv/bin/python" - "$WORK/layers.json" "$ROOT/tests/python/fixtures" <<'PY'
import json, statistics, sys
sys.path.insert(0, sys.argv[2])
from layers_fixture import UNIT, WORK
doc = json.load(open(sys.argv[1]))
assert doc["schema"] == "fwbench.layers/1", doc["schema"]
(row,) = doc["results"]
assert row["ok"] and row["unbalanced"] == 0, row
layers = {name: v["instructions"] for name, v in row["layers"].items()}
assert sorted(layers) == sorted(doc["layer_names"]) and len(layers) == 10, layers
# The layers partition every instruction of the instrumented batch...
assert abs(row["attribution_gap"]) < 0.005, row["attribution_gap"]
# ...and the markers cost little next to the uninstrumented total.
assert abs(row["hook_overhead"]) < 0.03, row["hook_overhead"]
# Each worked layer costs WORK[layer] units: the same instructions per unit within 3%.
per_unit = {name: layers[name] / WORK[name] for name in WORK}
typical = statistics.median(per_unit.values())
for name, value in per_unit.items():
    assert abs(value / typical - 1) < 0.03, (name, per_unit)
# A unit is a loop of UNIT iterations: at least a few instructions each.
assert typical > 5 * UNIT, per_unit
# server and adapter (bridge and app glue) are small next to one unit.
assert layers["server"] + layers["adapter"] < 2 * typical, layers
print("ok: fixture split", {k: round(v) for k, v in per_unit.items()})
# The thread-CPU pass: every layer timed, five batches, and the clock reads that split the
# layers measured and subtracted. An ordering, not a time: the layer doing five units of work
# costs more than twice the one doing one unit.
ns = {name: v["ns"] for name, v in row["layers"].items()}
assert all(isinstance(v, int) for v in ns.values()), ns
assert row["total_ns"] > 0 and row["layer_sum_ns"] > 0, row
assert row["thread_cpu"]["batches"] == 5, row["thread_cpu"]
assert row["thread_cpu"]["clock_read_ns"] > 0, row["thread_cpu"]
assert row["thread_cpu"]["clock_reads_per_request"] >= 2 * len(WORK), row["thread_cpu"]
assert ns["template"] > 2 * ns["routing"] > 0, ns
print("ok: fixture thread CPU", ns, "total", row["total_ns"])
PY
# --no-ns: instructions only, the ns fields null.
"$FWBENCH" inproc --layers --no-ns --framework layers_fixture:app \
  --pythonpath "$ROOT/tests/python/fixtures" --profile minimal --route plaintext \
  --iterations 2 --warmup 1 --json "$WORK/no-ns.json" >"$WORK/no-ns.out" 2>&1 \
  || { cat "$WORK/no-ns.out" >&2; fail "--no-ns run"; }
"$ROOT/.venv/bin/python" - "$WORK/no-ns.json" <<'PY'
import json, sys
(row,) = json.load(open(sys.argv[1]))["results"]
assert row["total_ns"] is None and row["layers"]["view"]["ns"] is None, row
print("ok: --no-ns")
PY
