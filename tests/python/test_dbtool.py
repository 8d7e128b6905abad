"""apps/dbtool.py: the one schema and seed both apps use."""

import json
import sqlite3
import subprocess
import sys

import harness

import dbtool  # noqa: E402  (harness loads apps/dbtool.py)

DBTOOL = harness.APPS / "dbtool.py"


def test_init_seeds_world_and_fortunes(tmp_path, contract):
    url = f"sqlite:///{tmp_path / 'a.db'}"
    dbtool.init(url)
    with sqlite3.connect(tmp_path / "a.db") as conn:
        count, low, high, lo_n, hi_n = conn.execute(
            "SELECT count(*), min(id), max(id), min(randomnumber), max(randomnumber) FROM world"
        ).fetchone()
        fortunes = conn.execute("SELECT id, message FROM fortune ORDER BY id").fetchall()
    world = contract["world"]
    assert (count, low, high) == (world["rows"], world["id_min"], world["id_max"])
    assert world["random_min"] <= lo_n and hi_n <= world["random_max"]
    assert [list(row) for row in fortunes] == contract["fortunes"]["seed"]


def test_init_is_idempotent_and_seed_is_fixed(tmp_path):
    first, second = tmp_path / "1.db", tmp_path / "2.db"
    dbtool.init(f"sqlite:///{first}")
    with sqlite3.connect(first) as conn:
        conn.execute("UPDATE world SET randomnumber = 1")
    dbtool.init(f"sqlite:///{first}")
    dbtool.init(f"sqlite:///{second}")
    dump = [sqlite3.connect(p).execute("SELECT * FROM world ORDER BY id").fetchall()
            for p in (first, second)]
    assert dump[0] == dump[1]
    assert len({n for _, n in dump[0]}) > 1000


def test_worlds_cli_prints_json(tmp_path):
    url = f"sqlite:///{tmp_path / 'w.db'}"
    dbtool.init(url)
    out = subprocess.run([sys.executable, str(DBTOOL), "worlds", "--url", url, "--ids", "3,1"],
                         check=True, capture_output=True, text=True).stdout
    expected = dbtool.read_worlds(url, [1, 3])
    assert json.loads(out) == {str(k): v for k, v in expected.items()}
    assert list(json.loads(out)) == ["1", "3"]


def test_bad_url_exits_non_zero_with_fix(tmp_path):
    proc = subprocess.run([sys.executable, str(DBTOOL), "init", "--url", "mysql://x/y"],
                          capture_output=True, text=True)
    assert proc.returncode != 0
    assert "sqlite:////abs/path.db" in proc.stderr


def test_statement_stats_need_postgresql(tmp_path):
    url = f"sqlite:///{tmp_path / 'x.db'}"
    for command in ("stats-reset", "stats-read"):
        proc = subprocess.run([sys.executable, str(DBTOOL), command, "--url", url],
                              capture_output=True, text=True)
        assert proc.returncode == 2, proc.stderr
        assert "statement statistics need PostgreSQL" in proc.stderr


def test_serve_answers_a_json_line_per_question_and_keeps_going_after_an_error(tmp_path):
    url = f"sqlite:///{tmp_path / 's.db'}"
    dbtool.init(url)
    questions = [{"command": "worlds", "ids": [3, 1, 99999]},
                 {"command": "stats-read"},
                 {"command": "nope"},
                 {"command": "worlds", "ids": [2]}]
    proc = subprocess.run([sys.executable, str(DBTOOL), "serve", "--url", url],
                          input="".join(json.dumps(q) + "\n" for q in questions),
                          capture_output=True, text=True, check=True)
    answers = [json.loads(line) for line in proc.stdout.splitlines()]
    expected = dbtool.read_worlds(url, [1, 2, 3])
    assert answers[0] == {"result": {"1": expected[1], "3": expected[3]}}
    assert answers[1]["exit_code"] == 2 and "PostgreSQL" in answers[1]["error"]
    assert answers[2]["exit_code"] == 1 and "unknown command" in answers[2]["error"]
    assert answers[3] == {"result": {"2": expected[2]}}


def test_serve_sees_rows_committed_after_its_first_read(tmp_path):
    path = tmp_path / "c.db"
    url = f"sqlite:///{path}"
    dbtool.init(url)
    proc = subprocess.Popen([sys.executable, str(DBTOOL), "serve", "--url", url],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        def ask(question):
            proc.stdin.write(json.dumps(question) + "\n")
            proc.stdin.flush()
            return json.loads(proc.stdout.readline())

        before = ask({"command": "worlds", "ids": [5]})["result"]["5"]
        with sqlite3.connect(path) as conn:
            conn.execute("UPDATE world SET randomnumber = ? WHERE id = 5", (before % 10000 + 1,))
        assert ask({"command": "worlds", "ids": [5]}) == {"result": {"5": before % 10000 + 1}}
    finally:
        proc.stdin.close()
        assert proc.wait(timeout=10) == 0
