#!/usr/bin/env bash
# Run-to-run variation of throughput: the quick suite's /json cells, 3 interleaved repetitions,
# and the coefficient of variation of req/s per cell (issue 5's "<= 5% on a quiet machine").
# Writes results/quick_json_cv.json and prints a table. Usage: bench/quick_json_cv.sh
# Env: FWBENCH_BUILD (build dir, default build/), CV_REPETITIONS (default 3).
set -euo pipefail
source "$(dirname "$0")/../scripts/lib.sh"
[ -x "$FWBENCH" ] || die "no fwbench binary at $FWBENCH; run scripts/setup or set FWBENCH_BUILD"
WORK="$ROOT/var/cv"
mkdir -p "$WORK"
REPS="${CV_REPETITIONS:-3}"
"$VPY" - "$ROOT/bench/suites/quick.json" "$WORK/quick-json.json" "$REPS" <<'PY'
import json, sys
suite = json.load(open(sys.argv[1]))
suite.update(name="quick-json-cv", routes=["json"], repetitions=int(sys.argv[3]))
json.dump(suite, open(sys.argv[2], "w"), indent=2)
PY
CMD="$FWBENCH run $WORK/quick-json.json --out $WORK/results.json --fresh"
log "$CMD"
LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"
$CMD
"$VPY" - "$WORK/results.json" "$ROOT/results/quick_json_cv.json" "$CMD" "$LOAD_BEFORE" <<'PY'
import json, sys
results = json.load(open(sys.argv[1]))
rows = []
for cell in results["cells"]:
    rps = cell.get("summary", {}).get("rps", {})
    rows.append({"id": cell["id"], "status": cell["status"], "rps_values": rps.get("values"),
                 "rps_median": rps.get("median"), "rps_ci95": rps.get("ci95"),
                 "cv": rps.get("cv"), "noisy": rps.get("noisy")})
ok = [r["cv"] for r in rows if r["status"] == "ok" and r["cv"] is not None]
out = {"what": "run-to-run CV of throughput (req/s) over interleaved repetitions of the quick suite's /json cells",
       "command": sys.argv[3], "loadavg_before": sys.argv[4],
       "meta": {k: results["meta"].get(k) for k in ("cpu_model", "cores", "kernel", "started_at", "ended_at", "pinning")},
       "max_cv": max(ok) if ok else None, "cells": rows}
json.dump(out, open(sys.argv[2], "w"), indent=2)
print("%-55s %10s %7s" % ("cell", "median rps", "cv"))
for r in rows:
    print("%-55s %10.0f %6.1f%%" % (r["id"], r["rps_median"] or 0, 100 * (r["cv"] or 0)))
print("max cv: %s  (loadavg before: %s)" % ("%.1f%%" % (100 * out["max_cv"]) if ok else "n/a", sys.argv[4]))
PY
