#!/usr/bin/env bash
# Deterministic in-process cost: instructions per request (callgrind's Ir) for each framework x
# profile x route through the WSGI bridge, and through a pure-Python loop that calls the same
# WSGI callable with a prebuilt environ. Each cell runs `fwbench inproc` twice under valgrind
# --tool=callgrind: once counting only inside InprocTimer::BridgeBatch, once only inside
# InprocTimer::PythonBatch (--toggle-collect). Each count covers the warm-up and timed calls
# (N/10 + N) and nothing else, so interpreter start-up and imports are not in it and the figure
# does not depend on machine noise. Writes results/inproc_callgrind.{json,md}.
#   FRAMEWORKS="flask django" PROFILES="minimal" ROUTES="plaintext json" N=200 JOBS=1 \
#     bench/inproc_callgrind.sh
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VPY="$ROOT/.venv/bin/python"
FWBENCH="${FWBENCH:-$ROOT/build/src/cli/fwbench}"
FRAMEWORKS="${FRAMEWORKS:-flask django}"
PROFILES="${PROFILES:-minimal}"
ROUTES="${ROUTES:-plaintext json}"
N="${N:-200}"
JOBS="${JOBS:-1}"  # cells run side by side (instruction counts do not depend on it)
OUT="${OUT:-$ROOT/results}"
COMMAND="FRAMEWORKS=\"$FRAMEWORKS\" PROFILES=\"$PROFILES\" ROUTES=\"$ROUTES\" N=$N $0"
command -v valgrind >/dev/null || { echo "error: valgrind is missing (scripts/setup installs it)" >&2; exit 1; }
[ -x "$FWBENCH" ] || { echo "error: $FWBENCH not built" >&2; exit 1; }
FWBENCH="$(realpath "$FWBENCH")"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
DB_URL="sqlite:///$WORK/fwbench.db"
"$VPY" "$ROOT/apps/dbtool.py" init --url "$DB_URL" >/dev/null

# batch_ir FUNCTION FW PROFILE ROUTE [--no-python-baseline]: instructions executed inside
# InprocTimer::FUNCTION, over every process of one run (parent + forked child).
batch_ir() {
  local dir="$WORK/cg-$1-$2-$3-$4"
  mkdir -p "$dir"
  valgrind --tool=callgrind --callgrind-out-file="$dir/callgrind.out.%p" \
    --toggle-collect="fwbench::embed::InprocTimer::$1*" \
    "$FWBENCH" inproc --framework "$2" --profile "$3" --route "$4" --iterations "$N" --samples 1 \
    ${5:-} --database-url "$DB_URL" --json "$dir/inproc.json" >"$dir/log" 2>&1 \
    || { echo "error: callgrind run failed, see below" >&2; tail -20 "$dir/log" >&2; exit 1; }
  cat "$dir"/callgrind.out.* | awk '/^totals:/ {s += $2} END {print s}'
}
# Calls inside each batch function for N timed ones: max(N/10, 1) warm-up + N (one sample).
CALLS=$(( (N / 10 > 1 ? N / 10 : 1) + N ))

: >"$WORK/rows.tsv"
# cell FW PROFILE ROUTE: one row, written to its own file so cells can run side by side.
cell() {
  local bridge python
  bridge="$(batch_ir BridgeBatch "$1" "$2" "$3" --no-python-baseline)"
  python="$(batch_ir PythonBatch "$1" "$2" "$3")"
  [ "$bridge" -gt 0 ] && [ "$python" -gt 0 ] \
    || { echo "error: no instructions counted for $1 $2 $3 (was InprocTimer inlined?)" >&2; exit 1; }
  printf '%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" $(( bridge / CALLS )) $(( python / CALLS )) \
    >"$WORK/row-$1-$2-$3.tsv"
  printf '%-7s %-9s %-12s %12s bridge, %12s python loop instructions/request\n' \
    "$1" "$2" "$3" $(( bridge / CALLS )) $(( python / CALLS )) >&2
}
pids=()
for fw in $FRAMEWORKS; do
  for profile in $PROFILES; do
    for route in $ROUTES; do
      while [ "$(jobs -rp | wc -l)" -ge "$JOBS" ]; do sleep 1; done
      cell "$fw" "$profile" "$route" &
      pids+=($!)
    done
  done
done
for pid in "${pids[@]}"; do wait "$pid" || { echo "error: a callgrind cell failed (above)" >&2; exit 1; }; done
for fw in $FRAMEWORKS; do
  for profile in $PROFILES; do
    for route in $ROUTES; do cat "$WORK/row-$fw-$profile-$route.tsv" >>"$WORK/rows.tsv"; done
  done
done

mkdir -p "$OUT"
"$VPY" - "$WORK/rows.tsv" "$OUT" "$COMMAND" <<'PY'
import json, os, sys, tempfile
rows_file, out, command = sys.argv[1:]
keys = ("framework", "profile", "route", "instructions_per_request",
        "python_loop_instructions_per_request")
rows = [dict(zip(keys, l.split("\t"))) for l in open(rows_file).read().splitlines()]
for r in rows:
    r["instructions_per_request"] = int(r["instructions_per_request"])
    r["python_loop_instructions_per_request"] = int(r["python_loop_instructions_per_request"])
    r["bridge_overhead"] = r["instructions_per_request"] / r["python_loop_instructions_per_request"] - 1
doc = {"schema": "fwbench.inproc_callgrind/1", "command": command, "rows": rows}
md = ["# In-process instructions per request (callgrind)", "", f"Command: `{command}`", "",
      "Deterministic: callgrind counts only the instructions inside the timed batch functions",
      "(warm-up and timed calls; no start-up, no imports), so machine noise does not move it. Python's",
      "hash randomization does, by about 0.3% between runs.", "",
      "The Python loop calls the same WSGI callable with a prebuilt environ; the overhead column",
      "is bridge / python - 1 (target: at most 5%).", "",
      "| framework | profile | route | bridge instr/request | python loop instr/request | overhead |",
      "|---|---|---|---:|---:|---:|"]
md += [f"| {r['framework']} | {r['profile']} | {r['route']} | {r['instructions_per_request']:,} | "
       f"{r['python_loop_instructions_per_request']:,} | {100 * r['bridge_overhead']:+.1f}% |"
       for r in rows]
for name, text in (("inproc_callgrind.json", json.dumps(doc, indent=2) + "\n"),
                   ("inproc_callgrind.md", "\n".join(md) + "\n")):
    fd, tmp = tempfile.mkstemp(dir=out)
    with os.fdopen(fd, "w") as f:
        f.write(text)
    os.replace(tmp, os.path.join(out, name))
print("\n".join(md))
PY
