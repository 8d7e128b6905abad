#!/usr/bin/env bash
# Run-to-run variation of throughput: the quick suite's /json cells, 3 interleaved repetitions,
# and the coefficient of variation of req/s per cell (issue 5's "<= 5% on a quiet machine").
# Writes results/quick_json_cv.{json,md} and prints the table. Usage: bench/quick_json_cv.sh
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
"$VPY" - "$WORK/results.json" "$ROOT/results/quick_json_cv.json" "$CMD" "$LOAD_BEFORE" \
  "$ROOT/results/quick_json_cv.md" "$REPS" "$ROOT" <<'PY'
import json, os, sys
reps, root = int(sys.argv[6]), sys.argv[7]
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
json.dump(out, open(sys.argv[2] + ".tmp", "w"), indent=2)
os.replace(sys.argv[2] + ".tmp", sys.argv[2])
meta = out["meta"]
md = ["# Run-to-run CV of throughput: quick suite, /json cells, %d repetitions" % reps, "",
      "Command: `bench/quick_json_cv.sh` (written by it). It runs `%s`: the quick suite "
      "(`bench/suites/quick.json`) with routes = [\"json\"] and repetitions = %d, rounds "
      "interleaved, server on CPU %s and load on CPU %s." % (sys.argv[3].replace(root + "/", ""),
      reps, meta["pinning"]["server_cpus"], meta["pinning"]["load_cpus"]), "",
      "Measured %s to %s on a %s-core %s VM (kernel %s), load average before: %s." % (
          meta["started_at"], meta["ended_at"], meta["cores"], meta["cpu_model"],
          meta["kernel"], sys.argv[4]), "",
      "| cell | req/s per repetition | median req/s | CV |", "| --- | --- | ---: | ---: |"]
for r in rows:
    values = ", ".join("%.0f" % v for v in (r["rps_values"] or []))
    md.append("| %s | %s | %.0f | %.1f%% |" % (r["id"], values, r["rps_median"] or 0,
                                               100 * (r["cv"] or 0)))
md += ["", "Highest CV: %s (target: at most 5%% on a quiet machine)." % (
    "%.1f%%" % (100 * out["max_cv"]) if ok else "n/a")]
with open(sys.argv[5] + ".tmp", "w") as f:
    f.write("\n".join(md) + "\n")
os.replace(sys.argv[5] + ".tmp", sys.argv[5])
print("\n".join(md))
PY
