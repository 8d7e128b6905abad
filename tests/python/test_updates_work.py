"""/updates writes every drawn row, also one whose new randomNumber equals its old one, and
reads nothing back after writing. Each app runs in a fresh interpreter on a seeded SQLite file
with the random draws fixed: ids 1..N, each "new" number equal to the row's seeded one. The
statements are recorded with each ORM's own hook (SQLAlchemy's after_cursor_execute event,
Django's connection.execute_wrapper) in the test only; fwbench verify counts the same thing
on PostgreSQL with pg_stat_statements, where no draw can be forced."""

import json
import os
import subprocess
import sys

import dbtool
import harness
import pytest
from conftest import FRAMEWORKS

COUNT = 20

PROBE = r"""
import importlib, json, sys
spec, count, seed_json, paths = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4:]
sys.path[:0] = paths
from fwbench_common import params
seeded = {int(k): v for k, v in json.loads(seed_json).items()}
ids = list(range(1, count + 1))
draws = iter(seeded[i] for i in ids)          # every new number equals the stored one
params.random_world_ids = lambda n: ids[:n]
params.random_number = lambda: next(draws)
module, attr = spec.split(":", 1)
app = getattr(importlib.import_module(module), attr)
statements = []                               # [kind, rows written or None]
if module == "wsgi":
    from benchapp.extensions import db
    from sqlalchemy import event
    with app.app_context():
        engine = db.engine
    @event.listens_for(engine, "after_cursor_execute")
    def record(conn, cursor, statement, parameters, context, executemany):
        kind = statement.split(None, 1)[0].lower()
        statements.append([kind, cursor.rowcount if kind == "update" else None])
else:
    from django.db import connection
    def record(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        kind = sql.split(None, 1)[0].lower()
        statements.append([kind, context["cursor"].rowcount if kind == "update" else None])
        return result
    hook = connection.execute_wrapper(record)  # kept: the hook is removed when this closes
    hook.__enter__()
from wsgiref.util import setup_testing_defaults
environ = {"PATH_INFO": "/updates", "QUERY_STRING": f"queries={count}"}
setup_testing_defaults(environ)
status = []
body = b"".join(app(environ, lambda s, h, e=None: status.append(s)))
print(json.dumps({"status": status[0], "body": json.loads(body), "statements": statements}))
"""


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_updates_write_every_row_and_read_nothing_back(framework, tmp_path):
    url = f"sqlite:///{tmp_path / 'fwbench.db'}"
    dbtool.init(url)
    entry = harness.load_frameworks()[framework]
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env.update(entry["env"], FWBENCH_PROFILE="minimal", DATABASE_URL=url)
    seeded = {str(i): n for i, n in dbtool.seed_rows()[0][:COUNT]}
    out = subprocess.run(
        [sys.executable, "-c", PROBE, entry["wsgi"], str(COUNT), json.dumps(seeded),
         *entry["sys_path"]],
        cwd=entry["dir"], env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-3000:]
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result["status"].startswith("200"), result
    assert sorted(w["id"] for w in result["body"]) == list(range(1, COUNT + 1))
    data = ("select", "update", "insert", "delete")  # not BEGIN/COMMIT, not connection setup
    kinds = [kind for kind, _ in result["statements"] if kind in data]
    selects_before_update = kinds.index("update") if "update" in kinds else len(kinds)
    assert kinds[:selects_before_update] == ["select"] * COUNT, kinds
    assert "select" not in kinds[selects_before_update:], f"rows read back after the write: {kinds}"
    written = sum(rows for kind, rows in result["statements"] if kind == "update")
    assert written == COUNT, f"{written} of {COUNT} unchanged rows written: {result['statements']}"
    assert dbtool.read_worlds(url, list(range(1, COUNT + 1))) == {
        int(i): n for i, n in seeded.items()}
