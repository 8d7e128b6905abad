"""bench/layers/flamegraphs.py's attribution of py-spy samples to layers, on synthetic
collapsed stacks whose layers are known: the innermost boundary wins, unclaimed app frames are
the adapter, the body's iteration and close() called by the server are the response, and
samples outside the app or cut short are left out."""

import importlib.util
import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("flamegraphs",
                                              ROOT / "bench" / "layers" / "flamegraphs.py")
fg = importlib.util.module_from_spec(spec)
spec.loader.exec_module(fg)

SITE = "/v/lib/python3.11/site-packages"
PROC = 'process 1:"fwbench serve --app flask"'


def frame(qualname, path, line=1):
    return f"{qualname} ({SITE}/{path}:{line})"


def stack(*frames, count=1):
    return ";".join((PROC,) + frames) + f" {count}"


ENTRY = frame("Flask.__call__", "flask/app.py")
WSGI_APP = frame("Flask.wsgi_app", "flask/app.py")
DISPATCH = frame("Flask.dispatch_request", "flask/app.py")
VIEW_FN = "db (/repo/apps/flask/app/views.py:10)"


def test_innermost_boundary_wins_and_the_rest_is_adapter():
    raw = "\n".join([
        # The ORM under the view under the entry: orm.
        stack(ENTRY, WSGI_APP, DISPATCH, VIEW_FN, frame("scoped_session.get",
                                                        "sqlalchemy/orm/scoping.py"), count=7),
        # The dialect's execute under the ORM: db.
        stack(ENTRY, DISPATCH, frame("scoped_session.get", "sqlalchemy/orm/scoping.py"),
              frame("DefaultDialect.do_execute", "sqlalchemy/engine/default.py"), count=3),
        # The view's own code: view.
        stack(ENTRY, WSGI_APP, DISPATCH, VIEW_FN, count=2),
        # Flask glue outside every boundary: adapter.
        stack(ENTRY, WSGI_APP, frame("Flask.request_context", "flask/app.py"), count=5),
        # The server iterating the body: response.
        stack(frame("ClosingIterator.__next__", "werkzeug/wsgi.py"), count=4),
        # Not the app at all, or a stack the sampler cut short (no entry at its root): other.
        stack("<module> (/usr/lib/python3.11/threading.py:1)", count=9),
        stack(VIEW_FN, count=6),
        "a malformed line",
    ])
    counts = fg.layer_samples(raw, fg.LAYER_RULES["flask"], fg.WSGI_ENTRY["flask"])
    assert counts == {"orm": 7, "db": 3, "view": 2, "adapter": 5, "response": 4, "other": 15}


def test_shares_leave_out_other_and_compare_in_percentage_points():
    counts = {"orm": 60, "db": 20, "adapter": 20, "other": 100}
    instr = {"orm": 500, "db": 300, "adapter": 200, "server": 999}
    rows, worst = fg.compare(counts, instr)
    by = {r["layer"]: r for r in rows}
    assert by["orm"]["sampled_pct"] == pytest.approx(60)
    assert by["orm"]["instrumented_pct"] == pytest.approx(50)
    assert by["db"]["diff_pp"] == pytest.approx(-10)
    assert worst == pytest.approx(10)
    assert "server" not in by and "other" not in by


def test_an_instrumented_row_of_another_request_is_not_compared():
    doc = {"results": [{"framework": "flask", "profile": "minimal", "route": "queries",
                        "path": "/queries", "layers": {"orm": {"instructions": 1}}}]}
    instr, note = fg.instrumented(doc, "flask", "queries", "/queries?queries=20")
    assert instr is None and "another request (/queries)" in note
    instr, note = fg.instrumented(doc, "flask", "queries", "/queries")
    assert instr == {"orm": 1} and note == ""
