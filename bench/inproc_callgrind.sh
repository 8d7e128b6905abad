#!/usr/bin/env bash
# Deterministic in-process cost: instructions per request (callgrind's Ir) for each framework x
# profile x route through the WSGI bridge. Each cell runs `fwbench inproc` twice under
# valgrind --tool=callgrind, with N1 and N2 timed calls; the difference of the total instruction
# counts divided by the difference in calls cancels interpreter start-up and import, so the
# figure is comparable across noisy runs. A third run adds the pure-Python baseline loop
# (prebuilt environ, same app, N2 + N2/10 calls), so the bridge's overhead over plain Python is
# measured in instructions too. Writes results/inproc_callgrind.{json,md}.
#   FRAMEWORKS="flask django" PROFILES="minimal" ROUTES="plaintext json" N1=50 N2=250 bench/inproc_callgrind.sh
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VPY="$ROOT/.venv/bin/python"
FWBENCH="${FWBENCH:-$ROOT/build/src/cli/fwbench}"
FRAMEWORKS="${FRAMEWORKS:-flask django}"
PROFILES="${PROFILES:-minimal}"
ROUTES="${ROUTES:-plaintext json}"
N1="${N1:-50}"
N2="${N2:-250}"
OUT="${OUT:-$ROOT/results}"
COMMAND="FRAMEWORKS=\"$FRAMEWORKS\" PROFILES=\"$PROFILES\" ROUTES=\"$ROUTES\" N1=$N1 N2=$N2 $0"
command -v valgrind >/dev/null || { echo "error: valgrind is missing (scripts/setup installs it)" >&2; exit 1; }
[ -x "$FWBENCH" ] || { echo "error: $FWBENCH not built" >&2; exit 1; }
FWBENCH="$(realpath "$FWBENCH")"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
DB_URL="sqlite:///$WORK/fwbench.db"
"$VPY" "$ROOT/apps/dbtool.py" init --url "$DB_URL" >/dev/null

# total_ir N FW PROFILE ROUTE [--no-python-baseline]: instructions of every process of one run
# (parent + forked child).
total_ir() {
  local dir="$WORK/cg-$1-$2-$3-$4-${5:-baseline}"
  mkdir -p "$dir"
  valgrind --tool=callgrind --callgrind-out-file="$dir/callgrind.out.%p" \
    "$FWBENCH" inproc --framework "$2" --profile "$3" --route "$4" --iterations "$1" --samples 1 \
    ${5:-} --database-url "$DB_URL" --json "$dir/inproc.json" >"$dir/log" 2>&1 \
    || { echo "error: callgrind run failed, see below" >&2; tail -20 "$dir/log" >&2; exit 1; }
  cat "$dir"/callgrind.out.* | awk '/^totals:/ {s += $2} END {print s}'
}
# Calls fwbench inproc makes for N timed ones: 1 status probe + max(N/10, 1) warm-up + N.
calls() { echo $(( 1 + ($1 / 10 > 1 ? $1 / 10 : 1) + $1 )); }

: >"$WORK/rows.tsv"
for fw in $FRAMEWORKS; do
  for profile in $PROFILES; do
    for route in $ROUTES; do
      a="$(total_ir "$N1" "$fw" "$profile" "$route" --no-python-baseline)"
      b="$(total_ir "$N2" "$fw" "$profile" "$route" --no-python-baseline)"
      c="$(total_ir "$N2" "$fw" "$profile" "$route")"
      per=$(( (b - a) / ($(calls "$N2") - $(calls "$N1")) ))
      python=$(( (c - b) / ($(calls "$N2") - 1) ))
      printf '%s\t%s\t%s\t%s\t%s\n' "$fw" "$profile" "$route" "$per" "$python" >>"$WORK/rows.tsv"
      printf '%-7s %-9s %-12s %12s bridge, %12s python loop instructions/request\n' \
        "$fw" "$profile" "$route" "$per" "$python" >&2
    done
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
      "Deterministic: the difference of two runs with different call counts, so start-up and",
      "imports cancel out. Independent of machine noise.", "",
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
