#!/usr/bin/env bash
# Instructions per request, split into layers (server, adapter, routing, middleware, view, orm,
# db, template, serialization, response), for every contract route, both frameworks and both
# profiles: `fwbench inproc --layers` under callgrind on a fresh seeded SQLite file. Writes
# results/layers.json (fwbench.layers/1) and results/layers.md (bench/layers/render.py).
# Method and the boundaries per framework: bench/layers/README.md.
#   FRAMEWORKS="flask django" PROFILES="minimal standard" ROUTES="" N=20 WARMUP=100 JOBS=1 \
#     bench/layers.sh            # ROUTES empty: every contract route
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VPY="$ROOT/.venv/bin/python"
FWBENCH="${FWBENCH:-$ROOT/build/src/cli/fwbench}"
FRAMEWORKS="${FRAMEWORKS:-flask django}"
PROFILES="${PROFILES:-minimal standard}"
ROUTES="${ROUTES:-}"
N="${N:-20}"
WARMUP="${WARMUP:-100}"
JOBS="${JOBS:-1}"
OUT="${OUT:-$ROOT/results}"
COMMAND="FRAMEWORKS=\"$FRAMEWORKS\" PROFILES=\"$PROFILES\" ROUTES=\"$ROUTES\" N=$N WARMUP=$WARMUP bench/layers.sh"
command -v valgrind >/dev/null \
  || { echo "error: callgrind is missing; install the Debian package valgrind (scripts/setup does)" >&2; exit 1; }
[ -x "$FWBENCH" ] || { echo "error: $FWBENCH not built (see README: cmake + ninja)" >&2; exit 1; }
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
# The SQLite files live at the same path in every run and checkout: the database URL is in
# the measured process (environment, engine URL), and a path that differs between runs moves
# its allocations (bench/layers/README.md, "Reproducible"). One run at a time holds the folder.
DBDIR="${LAYERS_DB_DIR:-/tmp/fwbench-layers-db}"
mkdir -p "$DBDIR"
exec 9>"$DBDIR/lock"
flock -n 9 || { echo "error: another bench/layers.sh holds $DBDIR (wait, or set LAYERS_DB_DIR)" >&2; exit 1; }
# One fwbench run per framework x profile, JOBS of them side by side (instruction counts do
# not depend on it), merged in a fixed order.
mkdir -p "$OUT"
: >"$WORK/parts"
pids=()
# cell FW PROFILE ROUTE: one part file (ROUTE "all": every contract route), on its own fresh
# SQLite file so that side-by-side cells never wait on each other's locks.
cell() {
  local part="$WORK/layers-$1-$2-$3.json" db="sqlite:///$DBDIR/$1-$2-$3.db" route=()
  [ "$3" = all ] || route=(--route "$3")
  rm -f "$DBDIR/$1-$2-$3.db"*
  "$VPY" "$ROOT/apps/dbtool.py" init --url "$db" >/dev/null
  "$FWBENCH" inproc --layers --framework "$1" --profile "$2" "${route[@]}" \
    --iterations "$N" --warmup "$WARMUP" --database-url "$db" --json "$part" \
    >"$part.log" 2>&1 || { cat "$part.log" >&2; exit 1; }
}
for fw in $FRAMEWORKS; do
  for profile in $PROFILES; do
    for route in ${ROUTES:-all}; do
      while [ "$(jobs -rp | wc -l)" -ge "$JOBS" ]; do sleep 1; done
      cell "$fw" "$profile" "$route" &
      pids+=($!)
      echo "$WORK/layers-$fw-$profile-$route.json" >>"$WORK/parts"
    done
  done
done
for pid in "${pids[@]}"; do wait "$pid" || { echo "error: a layers run failed (above)" >&2; exit 1; }; done
# One document: the parts' rows in order; the database URL is written as the kind of database
# only (one file per cell, re-seeded by the next run).
"$VPY" - "$WORK/parts" "$OUT/layers.json" "$COMMAND" <<'PY'
import json, os, sys, tempfile
parts, out, command = sys.argv[1:]
docs = [json.load(open(p)) for p in open(parts).read().split()]
doc = docs[0]
for other in docs[1:]:
    doc["results"] += other["results"]
    doc["versions"].update(other["versions"])
doc["config"]["database_url"] = "sqlite (a fresh file seeded by apps/dbtool.py init)"
doc["command"] = command
fd, tmp = tempfile.mkstemp(dir=os.path.dirname(out))
with os.fdopen(fd, "w") as f:
    json.dump(doc, f, indent=2)
    f.write("\n")
os.replace(tmp, out)
PY
"$VPY" "$ROOT/bench/layers/render.py" "$OUT/layers.json" "$OUT/layers.md"
cat "$OUT/layers.md"
