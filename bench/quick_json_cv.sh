#!/usr/bin/env bash
# Run-to-run variation of throughput: the quick suite's /json cells, 3 interleaved repetitions,
# and the coefficient of variation of req/s per cell (issue 5's "<= 5% on a quiet machine").
# A repetition measured while the host check (results/SCHEMA.md) finds the host slowed is measured
# again, up to three times; every attempt is listed.
# Writes results/quick_json_cv.{json,md}, appends a line to results/quick_json_cv_history.jsonl
# and prints the table. Usage: bench/quick_json_cv.sh
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
suite.update(name="quick-json-cv", routes=["json"], repetitions=int(sys.argv[3]),
             host_check={"min_speed": 0.75, "retries": 3, "wait_s": 10})
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
def attempts(cell):  # kept repetitions and the ones the host check discarded
    return cell.get("repetitions", []) + cell.get("discarded", [])
rows = []
for cell in results["cells"]:
    rps = cell.get("summary", {}).get("rps", {})
    host = [rep.get("host") or {} for rep in cell.get("repetitions", [])]
    discarded = [{"rps": d["load"]["overall"]["rps"], "reason": d["reason"]}
                 for d in cell.get("discarded", [])]
    rows.append({"id": cell["id"], "status": cell["status"], "rps_values": rps.get("values"),
                 "rps_median": rps.get("median"), "rps_ci95": rps.get("ci95"),
                 "cv": rps.get("cv"), "noisy": rps.get("noisy"),
                 "host_speed": [[h.get("speed_before"), h.get("speed_after")] for h in host],
                 "host_disturbed": cell.get("summary", {}).get("host_disturbed"),
                 "discarded": discarded})
ok = [r["cv"] for r in rows if r["status"] == "ok" and r["cv"] is not None]
out = {"what": "run-to-run CV of throughput (req/s) over interleaved repetitions of the quick suite's /json cells",
       "command": sys.argv[3], "loadavg_before": sys.argv[4],
       "meta": {k: results["meta"].get(k) for k in ("cpu_model", "cores", "kernel", "started_at", "ended_at", "pinning", "host_check")},
       "max_cv": max(ok) if ok else None, "cells": rows}
json.dump(out, open(sys.argv[2] + ".tmp", "w"), indent=2)
os.replace(sys.argv[2] + ".tmp", sys.argv[2])
# Every run is also appended, one line each, so a later quieter run never hides this one.
history = {"started_at": out["meta"]["started_at"], "loadavg_before": sys.argv[4],
           "commit": results["meta"].get("fwbench", {}).get("commit"), "max_cv": out["max_cv"],
           "cv": {r["id"]: r["cv"] for r in rows},
           "discarded": sum(len(r["discarded"]) for r in rows),
           "slow_probe_attempts": sum(1 for c in results["cells"] for a in attempts(c)
                                      if (a.get("host") or {}).get("disturbed")),
           "attempts": sum(len(attempts(c)) for c in results["cells"]),
           "kept_disturbed": sum(r["host_disturbed"] or 0 for r in rows)}
with open(os.path.join(os.path.dirname(sys.argv[2]), "quick_json_cv_history.jsonl"), "a") as f:
    f.write(json.dumps(history) + "\n")
meta = out["meta"]
md = ["# Run-to-run CV of throughput: quick suite, /json cells, %d repetitions" % reps, "",
      "Command: `bench/quick_json_cv.sh` (written by it). It runs `%s`: the quick suite "
      "(`bench/suites/quick.json`) with routes = [\"json\"] and repetitions = %d, rounds "
      "interleaved, server on CPU %s and load on CPU %s." % (sys.argv[3].replace(root + "/", ""),
      reps, meta["pinning"]["server_cpus"], meta["pinning"]["load_cpus"]), "",
      "Measured %s to %s on a %s-core %s VM (kernel %s), load average before: %s." % (
          meta["started_at"], meta["ended_at"], meta["cores"], meta["cpu_model"],
          meta["kernel"], sys.argv[4]), "",
      "Host check (results/SCHEMA.md): before and after each repetition a fixed pure-Python "
      "loop is timed on the server CPU; a repetition where either probe fell below %s of the run's "
      "best is discarded and measured again (up to %s times). Host speed below is "
      "before/after, as a fraction of the best probe." % (
          (meta.get("host_check") or {}).get("min_speed"),
          (meta.get("host_check") or {}).get("retries")), "",
      "| cell | req/s per repetition | median req/s | CV | host speed per repetition | discarded (req/s) |",
      "| --- | --- | ---: | ---: | --- | --- |"]
for r in rows:
    values = ", ".join("%.0f" % v for v in (r["rps_values"] or []))
    speeds = ", ".join("%.2f/%.2f" % tuple(s) if None not in s else "n/a" for s in r["host_speed"])
    dropped = ", ".join("%.0f" % d["rps"] for d in r["discarded"]) or "none"
    md.append("| %s | %s | %.0f | %.1f%% | %s | %s |" % (
        r["id"], values, r["rps_median"] or 0, 100 * (r["cv"] or 0), speeds, dropped))
def relative(slow):
    shares = []
    for cell in results["cells"]:
        best = max([a["load"]["overall"]["rps"] for a in attempts(cell)] or [0])
        for a in attempts(cell):
            h = a.get("host") or {}
            if best > 0 and h and (h["disturbed"] == slow):
                shares.append(a["load"]["overall"]["rps"] / best)
    if not shares:
        return "none"
    return "%.2f of the cell's best (%d attempts)" % (sorted(shares)[len(shares) // 2], len(shares))
md += ["", "Throughput of the attempts whose host probe read slow: median %s; of the others: "
       "median %s." % (relative(True), relative(False))]
md += ["", "Highest CV: %s (target: at most 5%% on a quiet machine). Every run of this "
       "script is a line in `results/quick_json_cv_history.jsonl`." % (
    "%.1f%%" % (100 * out["max_cv"]) if ok else "n/a")]
with open(sys.argv[5] + ".tmp", "w") as f:
    f.write("\n".join(md) + "\n")
os.replace(sys.argv[5] + ".tmp", sys.argv[5])
print("\n".join(md))
PY
