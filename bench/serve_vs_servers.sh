#!/usr/bin/env bash
# fwbench serve against gunicorn (sync, gthread), uWSGI and granian (WSGI), side by side in one
# run: same app and profile, same worker count, same CPU pinning (servers on SERVER_CPUS, the
# load generator on LOAD_CPUS), same load. Writes results/serve_vs_servers.{json,md} with the
# ratios and the exact command.
#   bench/serve_vs_servers.sh            # defaults below; env overrides:
#   DURATION=10 WARMUP=2 CONNECTIONS=32 WORKERS=1 FRAMEWORKS="flask django" ROUTES="plaintext json"
#   SERVERS="fwbench-serve gunicorn-sync gunicorn-gthread uwsgi granian" LOADER=auto|fwbench|wrk
# Target (issue 4): fwbench-serve req/s >= 1.5x gunicorn-sync, and above every other server.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
VPY="$VENV/bin/python"
FWBENCH="${FWBENCH:-$ROOT/build/src/cli/fwbench}"
DURATION="${DURATION:-10}"
WARMUP="${WARMUP:-2}"
CONNECTIONS="${CONNECTIONS:-32}"
WORKERS="${WORKERS:-1}"
PROFILE="${PROFILE:-minimal}"
FRAMEWORKS="${FRAMEWORKS:-flask django}"
ROUTES="${ROUTES:-plaintext json}"
SERVERS="${SERVERS:-fwbench-serve gunicorn-sync gunicorn-gthread uwsgi granian}"
SERVER_CPUS="${SERVER_CPUS:-0}"
LOAD_CPUS="${LOAD_CPUS:-1}"
LOADER="${LOADER:-auto}"
OUT="${OUT:-$ROOT/results}"
COMMAND="$0 $*  (DURATION=$DURATION WARMUP=$WARMUP CONNECTIONS=$CONNECTIONS WORKERS=$WORKERS PROFILE=$PROFILE SERVER_CPUS=$SERVER_CPUS LOAD_CPUS=$LOAD_CPUS)"

[ -x "$FWBENCH" ] || { echo "error: $FWBENCH not built; run scripts/setup or set FWBENCH" >&2; exit 1; }
FWBENCH="$(realpath "$FWBENCH")"
WORK="$(mktemp -d)"
SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ]; then kill -KILL -- "-$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

DB_URL="sqlite:///$WORK/fwbench.db"
"$VPY" "$ROOT/apps/dbtool.py" init --url "$DB_URL" >/dev/null

# The loader: fwbench load when it answers, else wrk.
if [ "$LOADER" = auto ]; then
  if "$FWBENCH" load --help >/dev/null 2>&1 && ! "$FWBENCH" load --help 2>&1 | grep -q "not built"; then
    LOADER=fwbench
  else
    LOADER=wrk
  fi
fi

free_port() { "$VPY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
fw_field() { "$VPY" -c 'import json,sys; e=json.load(open(sys.argv[1]))["frameworks"][sys.argv[2]]; v=e.get(sys.argv[3], ""); print(":".join(v) if isinstance(v, list) else (" ".join(f"{k}={x}" for k,x in v.items()) if isinstance(v, dict) else v))' "$ROOT/apps/frameworks.json" "$1" "$2"; }

# start_server NAME FRAMEWORK PORT: runs in its own process group, pinned to SERVER_CPUS.
start_server() {
  local name="$1" fw="$2" port="$3" wsgi dir pythonpath envs
  wsgi="$(fw_field "$fw" wsgi)"; dir="$ROOT/$(fw_field "$fw" dir)"
  pythonpath="$(fw_field "$fw" pythonpath | tr ':' '\n' | sed "s#^#$ROOT/#" | paste -sd:)"
  envs="$(fw_field "$fw" env)"
  local -a cmd
  case "$name" in
    fwbench-serve) cmd=("$FWBENCH" serve --app "$fw" --workers "$WORKERS" --port "$port" --profile "$PROFILE" --database-url "$DB_URL") ;;
    gunicorn-sync) cmd=("$VENV/bin/gunicorn" -w "$WORKERS" -k sync -b "127.0.0.1:$port" --log-level warning "$wsgi") ;;
    gunicorn-gthread) cmd=("$VENV/bin/gunicorn" -w "$WORKERS" -k gthread --threads 4 -b "127.0.0.1:$port" --log-level warning "$wsgi") ;;
    uwsgi) cmd=("$VENV/bin/uwsgi" --http11-socket "127.0.0.1:$port" --processes "$WORKERS" --master --module "$wsgi" --disable-logging --die-on-term --need-app) ;;
    granian) cmd=("$VENV/bin/granian" --interface wsgi --workers "$WORKERS" --host 127.0.0.1 --port "$port" --log-level warning "$wsgi") ;;
    *) echo "unknown server $name" >&2; exit 1 ;;
  esac
  (cd "$dir" && exec env $envs PYTHONPATH="$pythonpath" FWBENCH_PROFILE="$PROFILE" DATABASE_URL="$DB_URL" \
     setsid taskset -c "$SERVER_CPUS" "${cmd[@]}") >"$WORK/$name.out" 2>"$WORK/$name.err" &
  SERVER_PID=$!
  for _ in $(seq 1 200); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/plaintext" || true)" = 200 ] && return 0
    kill -0 "$SERVER_PID" 2>/dev/null || break
    sleep 0.1
  done
  echo "error: $name ($fw) did not start:" >&2; tail -20 "$WORK/$name.err" >&2; return 1
}

stop_server() {
  kill -TERM -- "-$SERVER_PID" 2>/dev/null || true
  for _ in $(seq 1 100); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
  kill -KILL -- "-$SERVER_PID" 2>/dev/null || true
  wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=""
}

# measure URL -> prints req/s
measure() {
  local url="$1"
  if [ "$LOADER" = fwbench ]; then
    taskset -c "$LOAD_CPUS" "$FWBENCH" load "$url" -t 1 -c "$CONNECTIONS" -d "${DURATION}s" --warmup "${WARMUP}s" \
      --json "$WORK/load.json" >/dev/null 2>&1
    "$VPY" -c 'import json,sys; d=json.load(open(sys.argv[1])); o=d["overall"]; print(o["rps"] if o["status"]["2xx"]==o["requests"] else -o["rps"])' "$WORK/load.json"
  else
    taskset -c "$LOAD_CPUS" wrk -t1 -c"$CONNECTIONS" -d"${WARMUP}s" "$url" >/dev/null 2>&1
    taskset -c "$LOAD_CPUS" wrk -t1 -c"$CONNECTIONS" -d"${DURATION}s" "$url" >"$WORK/wrk.out" 2>&1
    if grep -q "Non-2xx" "$WORK/wrk.out"; then echo "-$(awk '/Requests\/sec/ {print $2}' "$WORK/wrk.out")";
    else awk '/Requests\/sec/ {print $2}' "$WORK/wrk.out"; fi
  fi
}

echo "# loader=$LOADER, servers on CPU $SERVER_CPUS, load on CPU $LOAD_CPUS, $WORKERS worker(s), $CONNECTIONS connections, ${DURATION}s (+${WARMUP}s warm-up)" >&2
echo "# note: the machine is shared and noisy; compare ratios, not absolutes" >&2
: >"$WORK/rows.tsv"
for fw in $FRAMEWORKS; do
  for server in $SERVERS; do
    port="$(free_port)"
    if ! start_server "$server" "$fw" "$port"; then
      for route in $ROUTES; do printf '%s\t%s\t%s\t%s\n' "$fw" "$server" "$route" "null" >>"$WORK/rows.tsv"; done
      stop_server; continue
    fi
    for route in $ROUTES; do
      rps="$(measure "http://127.0.0.1:$port/$route")"
      printf '%s\t%s\t%s\t%s\n' "$fw" "$server" "$route" "$rps" >>"$WORK/rows.tsv"
      printf '%-7s %-17s /%-10s %10s req/s\n' "$fw" "$server" "$route" "$rps" >&2
    done
    stop_server
  done
done

mkdir -p "$OUT"
"$VPY" - "$WORK/rows.tsv" "$OUT" "$COMMAND" "$LOADER" "$CONNECTIONS" "$DURATION" "$WORKERS" "$PROFILE" <<'PY'
import datetime, json, os, platform, sys, tempfile
rows_file, out, command, loader, conns, duration, workers, profile = sys.argv[1:]
rows = []
for line in open(rows_file):
    fw, server, route, rps = line.rstrip("\n").split("\t")
    value = None if rps in ("null", "") else float(rps)
    rows.append({"framework": fw, "server": server, "route": route,
                 "rps": abs(value) if value is not None else None,
                 "all_2xx": value is not None and value >= 0})
def rps(fw, server, route):
    for r in rows:
        if (r["framework"], r["server"], r["route"]) == (fw, server, route):
            return r["rps"]
checks = []
for fw in dict.fromkeys(r["framework"] for r in rows):
    for route in dict.fromkeys(r["route"] for r in rows):
        mine = rps(fw, "fwbench-serve", route)
        others = {r["server"]: r["rps"] for r in rows
                  if r["framework"] == fw and r["route"] == route and r["server"] != "fwbench-serve"}
        sync = others.get("gunicorn-sync")
        ratio = mine / sync if mine and sync else None
        best_other = max((v for v in others.values() if v), default=None)
        checks.append({"framework": fw, "route": route, "fwbench_serve_rps": mine,
                       "ratio_vs_gunicorn_sync": ratio,
                       "ratios_vs": {k: (mine / v if mine and v else None) for k, v in others.items()},
                       "meets_1_5x_gunicorn_sync": bool(ratio and ratio >= 1.5),
                       "beats_every_other_server": bool(mine and best_other and mine > best_other)})
doc = {"schema": "fwbench.serve_vs_servers/1", "command": command,
       "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
       "machine": {"cores": os.cpu_count(), "kernel": platform.release(),
                   "note": "shared 2-core VM: noisy; read the ratios"},
       "config": {"loader": loader, "connections": int(conns), "duration_s": float(duration),
                  "workers": int(workers), "profile": profile},
       "rows": rows, "checks": checks}
def write(path, text):
    fd, tmp = tempfile.mkstemp(dir=out)
    with os.fdopen(fd, "w") as f:
        f.write(text)
    os.replace(tmp, path)
write(os.path.join(out, "serve_vs_servers.json"), json.dumps(doc, indent=2) + "\n")
servers = list(dict.fromkeys(r["server"] for r in rows))
md = ["# fwbench serve vs WSGI servers", "",
      f"Command: `{command}`", "",
      f"{doc['date']}; loader {loader}, {conns} connections, {duration}s per cell, {workers} worker(s) "
      f"per server, profile {profile}. {doc['machine']['note']}.", "",
      "| framework | route | " + " | ".join(servers) + " | serve / gunicorn-sync | beats all |",
      "|---|---|" + "---:|" * len(servers) + "---:|:---:|"]
for c in checks:
    cells = []
    for s in servers:
        v = rps(c["framework"], s, c["route"])
        cells.append(f"{v:,.0f}" if v else "failed")
    ratio = c["ratio_vs_gunicorn_sync"]
    ratio_text = f"{ratio:.2f}x" if ratio else "n/a"
    beats = "yes" if c["beats_every_other_server"] else "no"
    md.append(f"| {c['framework']} | /{c['route']} | " + " | ".join(cells) +
              f" | {ratio_text} | {beats} |")
md += ["", "Target: fwbench-serve >= 1.5x gunicorn-sync and above every other server."]
write(os.path.join(out, "serve_vs_servers.md"), "\n".join(md) + "\n")
print("\n".join(md))
PY
