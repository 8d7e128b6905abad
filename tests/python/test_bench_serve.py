"""bench/serve/servers_table.py: the serve-vs-servers table comes from the results file's own
estimates and comparisons (it computes no statistics), and refuses files it cannot read."""

import importlib.util
import json
import lzma
import pathlib
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "bench" / "serve" / "servers_table.py"
spec = importlib.util.spec_from_file_location("servers_table", SCRIPT)
table = importlib.util.module_from_spec(spec)
spec.loader.exec_module(table)


def summary(estimate, lo, hi):
    return {"n": 3, "estimate": estimate, "ci95": [lo, hi], "half_width_pct": 1.0,
            "median": estimate, "cv": 0.01, "values": [estimate] * 3}


def cell(server, rps, cpu, **extra):
    c = {"id": f"flask/minimal/{server}/sqlite/json/closed-c32", "framework": "flask",
         "profile": "minimal", "server": server, "proxy": "none", "db": "sqlite",
         "route": "json", "model": "closed", "concurrency": 32, "rate": None,
         "group": "flask/sqlite/json/closed-c32", "status": "ok", "verify_skipped": False,
         "starved": False,
         "summary": {"rps": summary(*rps), "cpu_us_per_request": summary(*cpu),
                     "error_ratio": summary(0, 0, 0)}}
    c.update(extra)
    return c


def comparison(a, b, rps, cpu, noisy=False):
    def estimate(ratio, lo, hi):
        return {"n": 3, "ratio": ratio, "ci95": [lo, hi], "half_width_pct": 2.0,
                "per_round": [ratio] * 3}
    return {"id": f"{a}~{b}/minimal/flask/sqlite/json/closed-c32", "axis": "server",
            "a": f"flask/minimal/{a}/sqlite/json/closed-c32",
            "b": f"flask/minimal/{b}/sqlite/json/closed-c32", "server_a": a, "server_b": b,
            "framework_a": "flask", "framework_b": "flask", "primary": "rps",
            "metrics": {"rps": estimate(*rps), "cpu_us_per_request": estimate(*cpu)},
            "noisy": noisy, "reached": not noisy}


def document():
    suite = {"schema": "fwbench.suite/1", "name": "serve-vs-servers", "compare": "servers",
             "frameworks": ["flask"], "servers": ["embedded", "uwsgi-bare", "granian",
                                                  {"name": "uwsgi", "proxy": "nginx"}],
             "load": {"closed": [32]}, "workers": 1, "threads": 4}
    return {
        "schema": "fwbench.results/2",
        "meta": {"suite": suite, "started_at": "2026-12-02T12:00:00Z",
                 "ended_at": "2026-12-02T12:05:00Z", "state": "complete", "cores": 2,
                 "cpu_model": "test cpu", "kernel": "6.1",
                 "pinning": {"server_cpus": "0", "load_cpus": "1"},
                 "paired": {"mode": "slices", "slices": 8, "slice_s": 0.25, "min_rounds": 3,
                            "max_rounds": 3}},
        "cells": [cell("embedded", (6100, 5900, 6300), (150.0, 148.0, 152.5)),
                  cell("uwsgi-bare", (5000, 4800, 5200), (180.0, 175.0, 185.0),
                       verify_skipped=True, starved=True),
                  cell("granian", (5500, 5400, 5600), (170.0, 160.0, 180.0), status="failed")],
        "comparisons": [comparison("embedded", "uwsgi-bare", (1.22, 1.18, 1.26),
                                   (0.83, 0.80, 0.86), noisy=True)],
    }


def test_cells_and_ratios_are_the_files_own_with_their_intervals():
    md = table.markdown(document(), "bench/serve_vs_servers.sh")
    assert "| embedded | uwsgi-bare | granian | uwsgi+nginx |" in md
    assert ("| flask | minimal | sqlite | /json | c32 | 6,100 [5,900-6,300] | "
            "5,000 [4,800-5,200] †s | failed | not planned |") in md
    assert ("| flask | minimal | sqlite | /json | c32 | 150.0 [148.0-152.5] | "
            "180.0 [175.0-185.0] †s | failed | not planned |") in md
    # The ratio is the comparison's, with ⚠ on a noisy primary metric only.
    assert "| flask | /json | rps | 1.22x [1.18-1.26] ⚠ | n/a | n/a |" in md
    assert "| flask | /json | cpu_us_per_request | 0.83x [0.80-0.86] | n/a | n/a |" in md
    assert "†: verify skipped" in md
    assert "Command: `bench/serve_vs_servers.sh`" in md


def test_a_round_on_a_slowed_host_marks_the_cell():
    doc = document()
    doc["cells"][0]["summary"]["host_disturbed"] = 1
    md = table.markdown(doc, "x")
    assert "| 6,100 [5,900-6,300] h |" in md
    assert "h: the host check found the host slowed" in md


def test_a_summary_without_an_interval_shows_the_estimate_alone():
    assert table.interval({"estimate": 6100.0, "ci95": None}, 0) == "6,100"
    assert table.interval(None, 0) == "n/a"


def test_cli_reads_xz_and_writes_the_table(tmp_path):
    path = tmp_path / "results.json.xz"
    with lzma.open(path, "wt") as f:
        json.dump(document(), f)
    out = tmp_path / "table.md"
    subprocess.run([sys.executable, str(SCRIPT), str(path), "--out", str(out), "--command", "x"],
                   check=True, capture_output=True)
    assert out.read_text().startswith("# fwbench serve vs WSGI servers\n\nCommand: `x`")


@pytest.mark.parametrize("change, message", [
    (lambda d: d.update(schema="fwbench.results/1"), "expected 'fwbench.results/2'"),
    (lambda d: d["meta"]["suite"].pop("compare"), "meta.suite.compare is not \"servers\""),
])
def test_files_it_cannot_read_are_refused_naming_the_field(tmp_path, change, message):
    doc = document()
    change(doc)
    path = tmp_path / "r.json"
    path.write_text(json.dumps(doc))
    run = subprocess.run([sys.executable, str(SCRIPT), str(path)], capture_output=True, text=True)
    assert run.returncode != 0
    assert message in run.stderr and str(path) in run.stderr


def test_the_shipped_suite_compares_servers_known_to_the_catalogue():
    suite = json.loads((ROOT / "bench" / "suites" / "serve-vs-servers.json").read_text())
    servers = json.loads((ROOT / "bench" / "servers.json").read_text())["servers"]
    assert suite["compare"] == "servers"
    assert table.server_labels(suite)[0] == "embedded"
    for name in table.server_labels(suite):
        assert name in servers
    assert servers["uwsgi-bare"]["verify"] == "skip"
