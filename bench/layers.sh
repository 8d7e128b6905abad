#!/usr/bin/env bash
# Instructions per request, split into layers (server, adapter, routing, middleware, view, orm,
# db, template, serialization, response), for every contract route, both frameworks and both
# profiles: `fwbench inproc --layers` under callgrind on a fresh seeded SQLite file. Writes
# results/layers.json (fwbench.layers/1) and results/layers.md (bench/layers/render.py).
# Method and the boundaries per framework: bench/layers/README.md.
#   FRAMEWORKS="flask django" PROFILES="minimal standard" ROUTES="" N=20 WARMUP=100 \
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
OUT="${OUT:-$ROOT/results}"
COMMAND="FRAMEWORKS=\"$FRAMEWORKS\" PROFILES=\"$PROFILES\" ROUTES=\"$ROUTES\" N=$N WARMUP=$WARMUP bench/layers.sh"
command -v valgrind >/dev/null \
  || { echo "error: callgrind is missing; install the Debian package valgrind (scripts/setup does)" >&2; exit 1; }
[ -x "$FWBENCH" ] || { echo "error: $FWBENCH not built (see README: cmake + ninja)" >&2; exit 1; }
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
DB_URL="sqlite:///$WORK/fwbench.db"
"$VPY" "$ROOT/apps/dbtool.py" init --url "$DB_URL" >/dev/null

args=()
for fw in $FRAMEWORKS; do args+=(--framework "$fw"); done
for profile in $PROFILES; do args+=(--profile "$profile"); done
routes=(${ROUTES:-""})
mkdir -p "$OUT"
: >"$WORK/parts"
for route in "${routes[@]}"; do
  part="$WORK/layers-${route:-all}.json"
  "$FWBENCH" inproc --layers "${args[@]}" ${route:+--route "$route"} --iterations "$N" \
    --warmup "$WARMUP" --database-url "$DB_URL" --json "$part" >&2
  echo "$part" >>"$WORK/parts"
done
# One document: the parts' rows in order; the database URL is the temporary file's, so it is
# written as the kind of database only (the file is gone and its path differs per run).
"$VPY" - "$WORK/parts" "$OUT/layers.json" "$COMMAND" <<'PY'
import json, os, sys, tempfile
parts, out, command = sys.argv[1:]
docs = [json.load(open(p)) for p in open(parts).read().split()]
doc = docs[0]
for other in docs[1:]:
    doc["results"] += other["results"]
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
