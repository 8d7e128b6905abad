#!/usr/bin/env bash
# Issue 12 item 5, outside the runner: gunicorn gthread (1 worker, 4 threads, flask minimal,
# SQLite) pinned to CPU 0, loaded from CPU 1 at an open-model 200 req/s (Poisson) for 15 s.
# Usage: bench/gthread/load.sh LABEL [gunicorn args...]   e.g. `... threads64 --threads 64`
# Env: WARMUP=5s  an unmeasured warmup for fwbench load
#      CLIENT=ondemand  load with bench/gthread/ondemand.py (connects on demand) instead
#      FWBENCH=PATH  the fwbench binary (default build/src/cli/fwbench)
# Writes var/gthread/LABEL.{json,log} and prints one line: rps, connects, latency percentiles.
set -euo pipefail
ENV_FWBENCH="${FWBENCH:-}"
source "$(dirname "$0")/../../scripts/lib.sh"
FWBENCH="${ENV_FWBENCH:-$FWBENCH}"
LABEL="$1"; shift
OUT="$ROOT/var/gthread"; mkdir -p "$OUT"
DB="$OUT/fwbench.db"
[ -f "$DB" ] || "$VPY" "$ROOT/apps/dbtool.py" init --url "sqlite:///$DB" >/dev/null
PORT=$("$VPY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cd "$ROOT/apps/flask"
PYTHONPATH="$ROOT/apps/flask:$ROOT/apps/common" FWBENCH_PROFILE=minimal DATABASE_URL="sqlite:///$DB" \
  setsid taskset -c 0 "$VPY" -m gunicorn --bind "127.0.0.1:$PORT" --workers 1 --worker-class gthread \
  --threads 4 --log-level warning "$@" wsgi:app > "$OUT/$LABEL.log" 2>&1 &
SERVER=$!
trap 'kill -TERM -- -$SERVER 2>/dev/null; wait $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$PORT/json" >/dev/null && break; sleep 0.1; done
if [ "${CLIENT:-}" = ondemand ]; then
  taskset -c 1 "$VPY" "$ROOT/bench/gthread/ondemand.py" "$PORT" 200 15 64
  exit 0
fi
taskset -c 1 "$FWBENCH" load "http://127.0.0.1:$PORT/json" -t1 -c64 -d15s ${WARMUP:+--warmup "$WARMUP"} \
  --rate 200 --arrival poisson --json "$OUT/$LABEL.json" >/dev/null
"$VPY" - "$OUT/$LABEL.json" "$LABEL" <<'PY'
import json, sys
o = json.load(open(sys.argv[1]))["overall"]
lat = o["latency"]["corrected"]
print(f"{sys.argv[2]}: rps={o['rps']:.0f} connects={o['connects']} p50={lat['p50_us'] / 1000:.1f} ms "
      f"p99={lat['p99_us'] / 1000:.1f} ms max={lat['max_us'] / 1000:.1f} ms")
PY
