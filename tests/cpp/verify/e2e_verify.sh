#!/usr/bin/env bash
# End-to-end test of `fwbench verify` and `fwbench db init` against real servers:
#   e2e_verify.sh FWBENCH positive   every app of `fwbench apps`, both profiles, served by
#                                    gunicorn (sync, 1 worker) on a free loopback port, verified
#                                    on SQLite (statement counts reported unchecked) and then on a
#                                    private PostgreSQL (scripts/pg), where every DB route's
#                                    statement counts must be checked and pass.
#   e2e_verify.sh FWBENCH negative   the broken fixtures (tests/python/fixtures/broken_apps.py)
#                                    and an app run in the other profile must FAIL verify, each
#                                    with a message naming the broken rule.
#   e2e_verify.sh FWBENCH statements on a private PostgreSQL: an app whose /updates reloads every
#                                    row after the commit must FAIL naming the route and the
#                                    counts; a database without pg_stat_statements must FAIL
#                                    saying how to enable it.
# Every server and the PostgreSQL cluster are stopped on any exit (trap). Prints one line per
# scenario and a closing "N passed, N failed"; exits non-zero when any scenario failed.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
FWBENCH="$1"
MODE="${2:-positive}"
VPY="$ROOT/.venv/bin/python"
GUNICORN="$ROOT/.venv/bin/gunicorn"
[ -x "$FWBENCH" ] || { echo "error: fwbench binary '$FWBENCH' not found; build it first" >&2; exit 2; }
[ -x "$GUNICORN" ] || { echo "error: $GUNICORN missing; run scripts/setup" >&2; exit 2; }

TMP="$(mktemp -d)"
chmod 755 "$TMP"  # the PostgreSQL cluster's owner must reach $TMP/pg
SERVER_PID=""
PG_STARTED=0
PASSED=0
FAILED=0

stop_server() {
  [ -n "$SERVER_PID" ] || return 0
  kill -TERM "$SERVER_PID" 2>/dev/null
  for _ in $(seq 50); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$SERVER_PID" 2>/dev/null
  wait "$SERVER_PID" 2>/dev/null
  SERVER_PID=""
}

cleanup() {
  stop_server
  [ "$PG_STARTED" -eq 1 ] && "$ROOT/scripts/pg" stop "$TMP/pg" >/dev/null 2>&1
  rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
  "$VPY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# A resolved catalogue field (`fwbench apps --json`): fw_field FRAMEWORK dir|wsgi|sys_path|env.
fw_field() {
  "$FWBENCH" apps --json | "$VPY" -c '
import json, sys
value = json.load(sys.stdin)["frameworks"][sys.argv[1]][sys.argv[2]]
if sys.argv[2] == "sys_path":
    print(":".join(value))
elif sys.argv[2] == "env":
    print("\n".join(f"{k}={v}" for k, v in value.items()))
else:
    print(value)' "$1" "$2"
}

wait_ready() {  # wait_ready PORT: true once /plaintext answers, false after ~20 s or a dead server
  "$VPY" - "$1" "$SERVER_PID" <<'EOF'
import os, sys, time, urllib.request
port, pid = sys.argv[1], int(sys.argv[2])
for _ in range(200):
    try:
        os.kill(pid, 0)
    except OSError:
        sys.exit(1)
    try:
        urllib.request.urlopen(f"http://127.0.0.1:{port}/plaintext", timeout=1).read()
        sys.exit(0)
    except Exception:
        time.sleep(0.1)
sys.exit(1)
EOF
}

# serve PROFILE DATABASE_URL CHDIR PYTHONPATH WSGI [ENV...]: starts gunicorn, sets PORT
# (PYTHONPATH: the sys_path list joined with colons).
serve() {
  local profile="$1" db_url="$2" chdir="$3" pythonpath="$4" wsgi="$5"
  shift 5
  local envs=()
  for kv in "$@"; do [ -n "$kv" ] && envs+=(--env "$kv"); done
  PORT="$(free_port)"
  # PYTHONPATH, as the suite sets it: gunicorn's --pythonpath would put the list in reverse order.
  PYTHONPATH="$pythonpath" FWBENCH_PROFILE="$profile" DATABASE_URL="$db_url" "$GUNICORN" \
    --workers 1 --worker-class sync \
    --bind "127.0.0.1:$PORT" --chdir "$chdir" --no-control-socket \
    "${envs[@]}" "$wsgi" >"$TMP/server.log" 2>&1 &
  SERVER_PID=$!
  if ! wait_ready "$PORT"; then
    echo "server $wsgi ($profile) did not come up on port $PORT; its log:" >&2
    tail -n 20 "$TMP/server.log" >&2
    stop_server
    return 1
  fi
}

serve_framework() {  # serve_framework FRAMEWORK PROFILE DATABASE_URL
  local fw="$1" env_lines
  env_lines="$(fw_field "$fw" env)"
  local -a env_list=()
  [ -n "$env_lines" ] && mapfile -t env_list <<<"$env_lines"
  serve "$2" "$3" "$(fw_field "$fw" dir)" "$(fw_field "$fw" sys_path)" "$(fw_field "$fw" wsgi)" \
    "${env_list[@]}"
}

record() {  # record OK NAME [WHY]
  if [ "$1" -eq 1 ]; then
    PASSED=$((PASSED + 1)); echo "ok    $2"
  else
    FAILED=$((FAILED + 1)); echo "FAIL  $2${3:+: $3}"
  fi
}

# expect_pass NAME PROFILE DATABASE_URL: verify must exit 0 with every check passed; on
# PostgreSQL the statements of every DB route must have been counted (4 routes, all passed), on
# SQLite the report must say plainly that they were not.
expect_pass() {
  local out="$TMP/verify.out"
  "$FWBENCH" verify "http://127.0.0.1:$PORT" --profile "$2" --database-url "$3" \
    --json "$TMP/verify.json" >"$out" 2>&1
  local rc=$?
  if [ $rc -eq 0 ] && "$VPY" - "$TMP/verify.json" "$3" "$out" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
ok = d["passed"] and d["schema"] == "fwbench.verify/1" and d["checks"] > 0 and not d["failures"]
counts = d["statement_counts"]
if sys.argv[2].startswith("postgresql"):
    routes = counts.get("routes", [])
    ok = ok and counts["checked"] and len(routes) == 4 and all(r["passed"] for r in routes)
    ok = ok and sum(1 for line in open(sys.argv[3]) if "/statements  statements: " in line) == 4
else:
    ok = ok and not counts["checked"] and "SQLite" in counts["reason"]
    ok = ok and "statement counts unchecked: SQLite" in open(sys.argv[3]).read()
sys.exit(not ok)
EOF
  then
    record 1 "$1 ($(tail -n 1 "$out"))"
  else
    grep -v '^PASS' "$out" >&2
    record 0 "$1" "verify exited $rc"
  fi
}

# expect_fail NAME PROFILE PATTERN...: verify must exit non-zero and print every PATTERN.
# VERIFY_DB, when set, is passed as --database-url.
expect_fail() {
  local name="$1" profile="$2" out="$TMP/verify.out"
  shift 2
  "$FWBENCH" verify "http://127.0.0.1:$PORT" --profile "$profile" \
    ${VERIFY_DB:+--database-url "$VERIFY_DB"} >"$out" 2>&1
  local rc=$? missing=""
  for pattern in "$@"; do grep -qF -- "$pattern" "$out" || missing+=" '$pattern'"; done
  if [ $rc -ne 0 ] && [ -z "$missing" ]; then
    record 1 "$name ($(grep -m1 '^FAIL' "$out"))"
  else
    cat "$out" >&2
    record 0 "$name" "exit $rc, output lacks:${missing:- nothing}"
  fi
}

frameworks() {
  "$FWBENCH" apps --json | "$VPY" -c 'import json,sys; print(" ".join(json.load(sys.stdin)["frameworks"]))'
}

run_positive() {
  local sqlite_url="sqlite:///$TMP/fwbench.db" pg_url db_url db
  "$FWBENCH" db init --url "$sqlite_url" >/dev/null || { record 0 "db init sqlite"; return; }
  record 1 "fwbench db init --url sqlite"
  PG_STARTED=1
  pg_url="$("$ROOT/scripts/pg" start "$TMP/pg")" || { record 0 "scripts/pg start"; return; }
  "$FWBENCH" db init --url "$pg_url" >/dev/null || { record 0 "db init postgresql"; return; }
  record 1 "fwbench db init --url postgresql"
  for db in sqlite postgresql; do
    [ "$db" = sqlite ] && db_url="$sqlite_url" || db_url="$pg_url"
    for fw in $(frameworks); do
      for profile in minimal standard; do
        if serve_framework "$fw" "$profile" "$db_url"; then
          expect_pass "verify $fw/$profile on $db" "$profile" "$db_url"
        else
          record 0 "serve $fw/$profile on $db"
        fi
        stop_server
      done
    done
  done
  "$ROOT/scripts/pg" stop "$TMP/pg" >/dev/null && PG_STARTED=0
  if "$ROOT/scripts/pg" url "$TMP/pg" >/dev/null 2>&1; then
    record 0 "scripts/pg stop" "cluster still running"
  else
    record 1 "scripts/pg stop"
  fi
}

run_negative() {
  local db_url="sqlite:///$TMP/fwbench.db" fixtures="$ROOT/tests/python/fixtures"
  "$FWBENCH" db init --url "$db_url" >/dev/null || { record 0 "db init sqlite"; return; }
  # A bad DATABASE_URL: db init fails, saying what and how to fix it.
  if "$FWBENCH" db init --url "mysql://127.0.0.1/x" >"$TMP/db.out" 2>&1; then
    record 0 "db init with a bad URL" "exited 0"
  elif grep -q "seeding mysql://127.0.0.1/x failed" "$TMP/db.out" && grep -q "not supported" "$TMP/db.out"; then
    record 1 "db init with a bad URL ($(head -c 100 "$TMP/db.out" | head -n 1))"
  else
    cat "$TMP/db.out" >&2; record 0 "db init with a bad URL" "unclear message"
  fi
  # A dead server: a clear error and a non-zero exit.
  PORT="$(free_port)"
  expect_fail "dead server" minimal "FAIL" "reachable" "got no response" "start the app first"
  serve minimal "$db_url" "$fixtures" "$fixtures" broken_apps:no_escape_app \
    && expect_fail "unescaped fortunes and cms page" minimal "fortunes/table" \
      "fortunes_table must_not_contain" "body contains '<script>' (not HTML-escaped)" \
      "FAIL  /cms  cms/page  html_equals must_contain: body lacks '&lt;script&gt;'" \
      "html_equals must_not_contain: body contains '<script>' (not HTML-escaped)"
  stop_server
  serve minimal "$db_url" "$fixtures" "$fixtures" broken_apps:cms_missing_article_app \
    && expect_fail "cms page missing an article" minimal \
      "FAIL  /cms  cms/page  html_equals: common/cms_page.expected.html: token" \
      "expected 'Showing 50 articles' got 'Showing 49 articles'" "1 FAILED"
  stop_server
  serve minimal "$db_url" "$fixtures" "$fixtures" broken_apps:no_clamp_app \
    && expect_fail "unclamped queries" minimal \
      "FAIL  /queries?queries=501  queries/over_max  world_list: expected 500 rows, got 501 rows" \
      "FAIL  /updates?queries=501  updates/over_max  updates_persisted: expected 500 rows, got 501 rows"
  stop_server
  # The right app in the wrong profile: the profile's header rules catch it.
  serve_framework flask minimal "$db_url" \
    && expect_fail "minimal app verified as standard" standard "header X-Frame-Options: missing"
  stop_server
  serve_framework flask standard "$db_url" \
    && expect_fail "standard app verified as minimal" minimal "absent header X-Frame-Options"
  stop_server
}

run_statements() {
  local pg_url nostats_url fixtures="$ROOT/tests/python/fixtures"
  PG_STARTED=1
  pg_url="$("$ROOT/scripts/pg" start "$TMP/pg")" || { record 0 "scripts/pg start"; return; }
  "$FWBENCH" db init --url "$pg_url" >/dev/null || { record 0 "db init postgresql"; return; }
  # The Flask /updates before the fix: 20 more SELECTs per request, one per reloaded row.
  serve minimal "$pg_url" "$fixtures" "$fixtures" broken_apps:reload_app \
    && VERIFY_DB="$pg_url" expect_fail "updates reloading every row" minimal \
      "FAIL  /updates?queries=20  updates/statements  statements: expected per request 20 select world (20 rows) + 20 update world (20 rows) (single-row updates) or 20 select world (20 rows) + 1 update world (20 rows) (one batched update); measured per request 40 select world (40 rows)" \
      "PASS  /queries?queries=20  queries/statements  statements: 20 select world (20 rows) per request" \
      "1 FAILED"
  stop_server
  # A database without the extension (a second database of the same cluster).
  nostats_url="${pg_url%/*}/fwbench_nostats"
  "$VPY" -c 'import psycopg,sys; c=psycopg.connect(sys.argv[1], autocommit=True); c.execute("CREATE DATABASE fwbench_nostats")' \
    "$pg_url" || { record 0 "create database fwbench_nostats"; return; }
  "$FWBENCH" db init --url "$nostats_url" >/dev/null || { record 0 "db init fwbench_nostats"; return; }
  serve_framework flask minimal "$nostats_url" \
    && VERIFY_DB="$nostats_url" expect_fail "no pg_stat_statements" minimal \
      "FAIL  $nostats_url  statement_counts  pg_stat_statements: statement counts cannot be taken" \
      "the extension pg_stat_statements is not created" \
      "shared_preload_libraries = 'pg_stat_statements'" "CREATE EXTENSION pg_stat_statements" \
      "statement counts unchecked"
  stop_server
}

case "$MODE" in
  positive) run_positive ;;
  negative) run_negative ;;
  statements) run_statements ;;
  *) echo "usage: e2e_verify.sh FWBENCH positive|negative|statements" >&2; exit 2 ;;
esac
echo "$PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ] && [ "$PASSED" -gt 0 ]
