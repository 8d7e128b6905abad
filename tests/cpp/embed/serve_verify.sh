#!/usr/bin/env bash
# `fwbench serve` passes `fwbench verify` for every framework of `fwbench apps`, both
# profiles, on a fresh SQLite database. Usage: serve_verify.sh FWBENCH_BINARY
# Every server it starts is in its own process group and is killed on any exit path.
set -euo pipefail
FWBENCH="$1"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
VPY="$ROOT/.venv/bin/python"
WORK="$(mktemp -d)"
SERVER_PID=""

cleanup() {
  if [ -n "$SERVER_PID" ]; then kill -KILL -- "-$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

DB_URL="sqlite:///$WORK/fwbench.db"
"$VPY" "$ROOT/apps/dbtool.py" init --url "$DB_URL" >/dev/null

frameworks=$("$FWBENCH" apps --json |
  "$VPY" -c 'import json,sys; print(" ".join(sorted(json.load(sys.stdin)["frameworks"])))')
[ -n "$frameworks" ] || { echo "no frameworks in fwbench apps --json"; exit 1; }

failed=0
for fw in $frameworks; do
  for profile in minimal standard; do
    log="$WORK/serve-$fw-$profile.log"
    # Its own stdout file: the background job truncates a shared one only when it runs, so the
    # loop below could read the previous server's port first.
    out="$WORK/serve-$fw-$profile.out"
    setsid "$FWBENCH" serve --app "$fw" --workers 2 --port 0 --profile "$profile" \
      --database-url "$DB_URL" >"$out" 2>"$log" &
    SERVER_PID=$!
    port=""
    for _ in $(seq 1 300); do
      port=$(sed -n 's#^listening on http://127.0.0.1:\([0-9]*\)$#\1#p' "$out" 2>/dev/null || true)
      [ -n "$port" ] && break
      kill -0 "$SERVER_PID" 2>/dev/null || break
      sleep 0.1
    done
    if [ -z "$port" ]; then
      echo "FAIL $fw/$profile: the server did not start"; cat "$log"; failed=1
    elif "$FWBENCH" verify "http://127.0.0.1:$port" --profile "$profile" --database-url "$DB_URL" \
        >"$WORK/verify.out" 2>&1; then
      echo "ok   $fw/$profile: fwbench verify passed on port $port"
    else
      echo "FAIL $fw/$profile: fwbench verify failed"; cat "$WORK/verify.out"; tail -20 "$log"; failed=1
    fi
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" || { echo "FAIL $fw/$profile: serve exited non-zero after SIGTERM"; failed=1; }
    if pgrep -g "$SERVER_PID" >/dev/null 2>&1; then
      echo "FAIL $fw/$profile: processes left in the server's group"; failed=1
    fi
    SERVER_PID=""
  done
done
exit $failed
