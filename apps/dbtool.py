#!/usr/bin/env python
"""Creates, seeds and reads the shared benchmark database. This file owns the schema.

  dbtool.py init   --url DATABASE_URL          drop/recreate world and fortune, seed them
  dbtool.py worlds --url DATABASE_URL --ids 1,2,3   print {"1": randomnumber, ...} as JSON
  dbtool.py stats-reset --url POSTGRESQL_URL   zero pg_stat_statements (fwbench verify's counts)
  dbtool.py stats-read  --url POSTGRESQL_URL [--reset]   print this database's statement
                  statistics as JSON, {"statements": [{"query", "calls", "rows"}, ...]}; --reset
                  zeroes them after reading (one process where verify would need two)
  dbtool.py serve --url DATABASE_URL          answer the three above over stdin/stdout, one
                  JSON line each way, keeping its connections open (fwbench verify asks a
                  dozen questions per app; one interpreter start with psycopg is ~0.5 s):
                    {"command": "worlds", "ids": [1, 2]}  -> {"result": {"1": n, "2": m}}
                    {"command": "stats-reset"}           -> {"result": null}
                    {"command": "stats-read", "reset": true} -> {"result": {"statements": [...]}}
                  a failure answers {"error": "...", "exit_code": N} (the codes below) and
                  the loop goes on; end of input ends it

DATABASE_URL: sqlite:////abs/path.db or postgresql://user@127.0.0.1:PORT/dbname.
The 12 fortunes come from contract.json; World gets 10,000 rows from a fixed seed, so every
database made by `init` holds the same data. Run it with the project's .venv python.
Exit status: 2 for a bad URL, 3 when pg_stat_statements is not enabled, 1 for a DB error.
"""

import argparse
import json
import random
import sqlite3
import sys
from pathlib import Path

APPS_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(APPS_DIR / "common"))

from fwbench_common.config import ConfigError, parse_database_url  # noqa: E402

CONTRACT = APPS_DIR / "contract.json"
WORLD_SEED = 20261127
SCHEMA = (
    "DROP TABLE IF EXISTS world",
    "DROP TABLE IF EXISTS fortune",
    "CREATE TABLE world (id integer PRIMARY KEY, randomnumber integer NOT NULL)",
    "CREATE TABLE fortune (id integer PRIMARY KEY, message varchar(2048) NOT NULL)",
)


def seed_rows() -> tuple:
    """(world rows, fortune rows): the same data on every call and every backend."""
    contract = json.loads(CONTRACT.read_text(encoding="utf-8"))
    rows = contract["world"]["rows"]
    rng = random.Random(WORLD_SEED)
    worlds = [(i, rng.randint(1, 10000)) for i in range(1, rows + 1)]
    fortunes = [(fid, message) for fid, message in contract["fortunes"]["seed"]]
    return worlds, fortunes


def connect(url: str):
    """A DB-API connection and its parameter placeholder ("?" or "%s")."""
    db = parse_database_url(url)
    if db["backend"] == "sqlite":
        Path(db["path"]).parent.mkdir(parents=True, exist_ok=True)
        return sqlite3.connect(db["path"], timeout=30), "?"
    import psycopg

    conn = psycopg.connect(
        host=db["host"], port=db["port"], user=db["user"] or None,
        password=db["password"] or None, dbname=db["name"],
    )
    return conn, "%s"


def init(url: str) -> None:
    worlds, fortunes = seed_rows()
    conn, ph = connect(url)
    try:
        if isinstance(conn, sqlite3.Connection):
            # WAL lets readers run beside the one writer (/updates under several workers).
            conn.execute("PRAGMA journal_mode=WAL")
        cur = conn.cursor()
        for statement in SCHEMA:
            cur.execute(statement)
        cur.executemany(f"INSERT INTO world (id, randomnumber) VALUES ({ph}, {ph})", worlds)
        cur.executemany(f"INSERT INTO fortune (id, message) VALUES ({ph}, {ph})", fortunes)
        conn.commit()
        if not isinstance(conn, sqlite3.Connection):
            conn.autocommit = True
            conn.execute("VACUUM ANALYZE world")
            conn.execute("VACUUM ANALYZE fortune")
    finally:
        conn.close()
    print(f"seeded {len(worlds)} world rows and {len(fortunes)} fortunes into {url}")


def _read_worlds(conn, ph: str, ids: list) -> dict:
    marks = ", ".join([ph] * len(ids))
    cur = conn.cursor()
    cur.execute(f"SELECT id, randomnumber FROM world WHERE id IN ({marks})", list(ids))
    return {int(i): int(n) for i, n in cur.fetchall()}


def read_worlds(url: str, ids: list) -> dict:
    """{id: randomnumber} for the given ids that exist."""
    conn, ph = connect(url)
    try:
        return _read_worlds(conn, ph, ids)
    finally:
        conn.close()


class NoStatStatements(RuntimeError):
    """pg_stat_statements is not usable in this database; the message says how to enable it."""


ENABLE_STAT_STATEMENTS = (
    "enable it: add shared_preload_libraries = 'pg_stat_statements' to postgresql.conf, "
    "restart PostgreSQL, then run CREATE EXTENSION pg_stat_statements in this database "
    "(scripts/pg start DIR does both for the clusters it makes)"
)


def _stats_connection(url: str):
    """An autocommit psycopg connection to a database where pg_stat_statements can be read."""
    if parse_database_url(url)["backend"] != "postgresql":
        raise ConfigError(f"statement statistics need PostgreSQL, not {url!r}")
    conn, _ = connect(url)
    conn.autocommit = True
    installed = conn.execute(
        "SELECT 1 FROM pg_extension WHERE extname = 'pg_stat_statements'").fetchone()
    if not installed:
        conn.close()
        raise NoStatStatements(f"the extension pg_stat_statements is not created in {url}; "
                               + ENABLE_STAT_STATEMENTS)
    preload = conn.execute("SHOW shared_preload_libraries").fetchone()[0]
    if "pg_stat_statements" not in [name.strip() for name in preload.split(",")]:
        conn.close()
        raise NoStatStatements(f"pg_stat_statements is not in shared_preload_libraries of the "
                               f"server at {url}; " + ENABLE_STAT_STATEMENTS)
    return conn


THIS_DB = "(SELECT oid FROM pg_database WHERE datname = current_database())"


def _reset(conn) -> None:
    """Zeroes the statement statistics of this database only (all users, all statements), so
    other databases of the same server keep theirs."""
    conn.execute(f"SELECT pg_stat_statements_reset(0, {THIS_DB}, 0)")


def stats_reset(url: str) -> None:
    conn = _stats_connection(url)
    try:
        _reset(conn)
    finally:
        conn.close()


def _stats_read(conn, reset: bool) -> list:
    rows = conn.execute("SELECT query, calls, rows FROM pg_stat_statements "
                        f"WHERE dbid = {THIS_DB} ORDER BY query").fetchall()
    if reset:
        _reset(conn)
    return [{"query": query, "calls": int(calls), "rows": int(n)} for query, calls, n in rows]


def stats_read(url: str, reset: bool = False) -> list:
    """[{"query", "calls", "rows"}] for every statement run in this database since the reset,
    top-level statements only (pg_stat_statements.track = top, the default); `reset` zeroes
    them afterwards."""
    conn = _stats_connection(url)
    try:
        return _stats_read(conn, reset)
    finally:
        conn.close()


class Server:
    """`serve`: one connection for World reads (autocommit, so each read sees every commit
    before it) and one for the statistics, each opened on its first use and kept."""

    def __init__(self, url: str):
        self.url = url
        self.worlds = None
        self.stats = None

    def answer(self, request: dict):
        command = request.get("command")
        if command == "worlds":
            if self.worlds is None:
                conn, ph = connect(self.url)
                if isinstance(conn, sqlite3.Connection):
                    conn.isolation_level = None
                else:
                    conn.autocommit = True
                self.worlds = (conn, ph)
            rows = _read_worlds(*self.worlds, [int(i) for i in request["ids"]])
            return {str(k): v for k, v in sorted(rows.items())}
        if command in ("stats-reset", "stats-read"):
            if self.stats is None:
                self.stats = _stats_connection(self.url)
            if command == "stats-reset":
                return _reset(self.stats)
            return {"statements": _stats_read(self.stats, bool(request.get("reset")))}
        raise ValueError(f"unknown command {command!r}; use worlds, stats-reset or stats-read")

    def close(self) -> None:
        for conn in (self.worlds[0] if self.worlds else None, self.stats):
            if conn is not None:
                conn.close()


def serve(url: str, lines, out) -> None:
    """Answers each JSON line of `lines` with one JSON line on `out` until the input ends."""
    server = Server(url)
    try:
        for line in lines:
            if not line.strip():
                continue
            try:
                reply = {"result": server.answer(json.loads(line))}
            except ConfigError as err:
                reply = {"error": str(err), "exit_code": 2}
            except NoStatStatements as err:
                reply = {"error": str(err), "exit_code": 3}
            except Exception as err:  # a DB error or a bad request: say which, keep serving
                reply = {"error": f"{type(err).__name__}: {err} (url {url}); check that the "
                         "database is reachable and initialised (dbtool.py init)", "exit_code": 1}
            out.write(json.dumps(reply) + "\n")
            out.flush()
    finally:
        server.close()


def parse_ids(text: str) -> list:
    try:
        ids = [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise SystemExit(f"dbtool: --ids {text!r} is not a comma-separated list of integers")
    if not ids:
        raise SystemExit("dbtool: --ids is empty; pass e.g. --ids 1,2,3")
    return ids


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    p_init = sub.add_parser("init", help="drop, recreate and seed world and fortune")
    p_init.add_argument("--url", required=True)
    p_worlds = sub.add_parser("worlds", help='print {"id": randomnumber} for --ids as JSON')
    p_worlds.add_argument("--url", required=True)
    p_worlds.add_argument("--ids", required=True)
    p_reset = sub.add_parser("stats-reset", help="zero pg_stat_statements for this database")
    p_reset.add_argument("--url", required=True)
    p_read = sub.add_parser("stats-read", help="print this database's pg_stat_statements as JSON")
    p_read.add_argument("--url", required=True)
    p_read.add_argument("--reset", action="store_true", help="zero the statistics after reading")
    p_serve = sub.add_parser("serve", help="answer worlds/stats requests, a JSON line each way")
    p_serve.add_argument("--url", required=True)
    args = parser.parse_args(argv)
    try:
        if args.command == "init":
            init(args.url)
        elif args.command == "worlds":
            rows = read_worlds(args.url, parse_ids(args.ids))
            print(json.dumps({str(k): v for k, v in sorted(rows.items())}))
        elif args.command == "stats-reset":
            stats_reset(args.url)
        elif args.command == "serve":
            parse_database_url(args.url)
            serve(args.url, sys.stdin, sys.stdout)
        else:
            print(json.dumps({"statements": stats_read(args.url, args.reset)}))
    except ConfigError as err:
        print(f"dbtool: {err}", file=sys.stderr)
        return 2
    except NoStatStatements as err:
        print(f"dbtool {args.command}: {err}", file=sys.stderr)
        return 3
    except Exception as err:  # a DB error: say where, and how to fix
        print(f"dbtool {args.command}: {type(err).__name__}: {err} (url {args.url}); "
              "check that the database is reachable and initialised (dbtool.py init)",
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
