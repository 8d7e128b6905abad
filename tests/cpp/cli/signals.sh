#!/usr/bin/env bash
# How long-running commands stop (src/cli/stop_on_signal.h):
#   1. `fwbench load` for 60 s against a loopback server: one SIGINT stops it early; it exits 0,
#      prints its summary and writes its JSON report.
#   2. `fwbench run` on a one-group suite: one SIGINT stops it after saving, saying how to
#      resume (exit 130); two SIGINTs end it at once (killed by SIGINT, no resume message).
# Everything started here is stopped on exit (trap). Exits non-zero when a check fails.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
FWBENCH="$1"
VPY="$ROOT/.venv/bin/python"
[ -x "$FWBENCH" ] || { echo "error: fwbench binary '$FWBENCH' not found; build it first" >&2; exit 2; }
[ -x "$VPY" ] || { echo "error: $VPY missing; run scripts/setup" >&2; exit 2; }
TMP="$(mktemp -d)"
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill -KILL "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; done
  rm -rf "$TMP"
}
trap cleanup EXIT
FAILED=0
check() {  # check NAME CONDITION-EXIT-STATUS DETAIL
  if [ "$2" -eq 0 ]; then echo "ok   $1"; else echo "FAIL $1: $3"; FAILED=1; fi
}

# Waits up to $2 seconds for pid $1 to exit; sets STATUS to its exit status (or 999).
wait_for() {
  local waited=0
  while kill -0 "$1" 2>/dev/null && [ "$waited" -lt "$(( $2 * 10 ))" ]; do
    sleep 0.1; waited=$((waited + 1))
  done
  if kill -0 "$1" 2>/dev/null; then STATUS=999; else wait "$1"; STATUS=$?; fi
}

# 1. fwbench load
PORT="$("$VPY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
(cd "$TMP" && exec "$VPY" -m http.server "$PORT" --bind 127.0.0.1 >/dev/null 2>&1) &
PIDS+=($!)
for _ in $(seq 100); do
  "$VPY" -c "import socket; socket.create_connection(('127.0.0.1', $PORT), 0.2)" 2>/dev/null && break
  sleep 0.1
done
"$FWBENCH" load "http://127.0.0.1:$PORT/" -c 2 -d 60s --json "$TMP/load.json" \
  >"$TMP/load.out" 2>"$TMP/load.err" &
LOAD=$!
PIDS+=($LOAD)
sleep 2
kill -INT "$LOAD"
wait_for "$LOAD" 20
check "load: one SIGINT stops it early with exit 0" "$([ "$STATUS" -eq 0 ]; echo $?)" \
  "status $STATUS; $(tail -c 300 "$TMP/load.err")"
check "load: the summary is printed" "$(grep -q . "$TMP/load.out"; echo $?)" "empty stdout"
check "load: the JSON report is written" \
  "$("$VPY" -c "import json,sys; d=json.load(open('$TMP/load.json')); sys.exit(0 if d else 1)" 2>/dev/null; echo $?)" \
  "no report at $TMP/load.json"
check "load: it says it stopped early" "$(grep -q 'stopping early' "$TMP/load.err"; echo $?)" \
  "$(tail -c 300 "$TMP/load.err")"

# 2. fwbench run, on a suite of one group (embedded, /json) with a long budget.
"$VPY" - "$ROOT/bench/suites/quick.json" "$TMP/suite.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
s.update(name="signals", servers=["embedded"], routes=["json"], repetitions=12)
s["paired"].update(max_rounds=12, budget_s=600)
json.dump(s, open(sys.argv[2], "w"))
PY
run_and_signal() {  # run_and_signal OUT SIGNALS: starts a run, waits for round 1, signals it
  "$FWBENCH" run "$TMP/suite.json" --out "$TMP/$1.json" --fresh >"$TMP/$1.out" 2>"$TMP/$1.err" &
  RUN=$!
  PIDS+=($RUN)
  for _ in $(seq 600); do grep -q "round 1" "$TMP/$1.err" 2>/dev/null && break; sleep 0.1; done
  for _ in $(seq "$2"); do kill -INT "$RUN" 2>/dev/null; sleep 0.2; done
  wait_for "$RUN" 120
}
run_and_signal once 1
check "run: one SIGINT saves, says how to resume and exits 130" \
  "$([ "$STATUS" -eq 130 ] && grep -q 'Rerun the same command to resume' "$TMP/once.err"; echo $?)" \
  "status $STATUS; $(tail -c 300 "$TMP/once.err")"
check "run: the results file is there" "$([ -s "$TMP/once.json" ]; echo $?)" "no $TMP/once.json"
run_and_signal twice 2
check "run: a second SIGINT ends it at once" \
  "$([ "$STATUS" -eq 130 ] && ! grep -q 'Rerun the same command' "$TMP/twice.err"; echo $?)" \
  "status $STATUS; $(tail -c 300 "$TMP/twice.err")"
exit $FAILED
