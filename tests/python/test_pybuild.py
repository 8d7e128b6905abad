"""bench/pybuild/pybuild.py on small synthetic runs: per-pair ratios of server CPU per request,
the Student-t interval on their logs, the build table, and a clear error for a failed cell."""

import importlib.util
import json
import math
import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("pybuild", ROOT / "bench" / "pybuild" / "pybuild.py")
pb = importlib.util.module_from_spec(spec)
spec.loader.exec_module(pb)


def run(cpu, build, status="ok"):
    cells = []
    for (fw, route), value in cpu.items():
        cells.append({"id": f"{fw}/minimal/gunicorn-sync/sqlite/{route}/closed-c16",
                      "framework": fw, "route": route, "status": status, "reason": None,
                      "cold_compile_ms": 900.0,
                      "summary": {"cpu_us_per_request": {"estimate": value, "half_width_pct": 2.0},
                                  "cold_start_ms": {"estimate": 700.0}, "host_disturbed": 0},
                      "repetitions": [{}, {}]})
    return {"schema": "fwbench.results/2", "cells": cells,
            "meta": {"venv": "/v", "python_build": build}}


PYENV = {"version": "3.11.7", "realpath": "/p", "shared": True, "pgo": False, "lto": False,
         "compiler": "GCC", "evidence": "e"}
DEBIAN = {"version": "3.11.2", "realpath": "/d", "shared": False, "pgo": "unknown",
          "lto": "unknown", "compiler": "GCC", "evidence": "e"}


def write_runs(tmp_path, debian_factors, status="ok"):
    pairs = []
    for i, factor in enumerate(debian_factors, start=1):
        base = {("flask", "json"): 100.0 * i, ("django", "json"): 200.0}
        (tmp_path / f"pair{i}-pyenv.json").write_text(json.dumps(run(base, PYENV)))
        fast = {k: v * factor for k, v in base.items()}
        (tmp_path / f"pair{i}-debian.json").write_text(json.dumps(run(fast, DEBIAN, status)))
        pairs.append({"pair": i, "order": "pyenv first" if i % 2 else "debian first"})
    (tmp_path / "order.json").write_text(
        json.dumps({"a": "pyenv", "b": "debian", "seed": 1, "pairs": pairs}))


def test_ratio_per_cell_is_the_geometric_mean_of_the_pairs_with_a_t_interval(tmp_path):
    write_runs(tmp_path, [0.8, 0.9, 0.85])
    doc = pb.analyse(str(tmp_path))
    rows = {(r["framework"], r["route"]): r for r in doc["rows"]}
    logs = [math.log(x) for x in (0.8, 0.9, 0.85)]
    mean = sum(logs) / 3
    sd = (sum((x - mean) ** 2 for x in logs) / 2) ** 0.5
    half = 4.303 * sd / 3 ** 0.5  # t(0.975, 2)
    for key in (("flask", "json"), ("django", "json")):
        assert rows[key]["ratio"] == pytest.approx(math.exp(mean))
        assert rows[key]["ci95"] == pytest.approx([math.exp(mean - half), math.exp(mean + half)])
        assert rows[key]["per_pair"] == pytest.approx([0.8, 0.9, 0.85])
    assert doc["overall"]["ratio"] == pytest.approx(math.exp(mean))
    assert doc["builds"]["debian"]["pgo"] == "unknown"
    assert doc["starts"]["pyenv"]["flask"]["cold_compile_ms"] == [900.0] * 3
    assert doc["noise"]["cell_rounds"] == 3 * 2 * 2 * 2  # pairs x runs x cells x rounds


def test_writes_markdown_and_json_with_the_command(tmp_path):
    write_runs(tmp_path, [0.9, 0.92])
    out = tmp_path / "out"
    out.mkdir()
    assert pb.main([str(tmp_path), "--command", "bench/pybuild.sh", "--out-dir", str(out)]) == 0
    md = (out / "pybuild.md").read_text()
    assert "bench/pybuild.sh" in md and "| flask | json | 0.910 |" in md
    assert json.loads((out / "pybuild.json").read_text())["schema"] == "fwbench.pybuild/1"


def test_a_failed_cell_leaves_only_its_pair_and_says_so(tmp_path):
    write_runs(tmp_path, [0.8, 0.9, 0.85])
    doc = json.loads((tmp_path / "pair2-debian.json").read_text())
    doc["cells"][0].update(status="failed", reason="no complete response")
    (tmp_path / "pair2-debian.json").write_text(json.dumps(doc))
    out = pb.analyse(str(tmp_path))
    rows = {(r["framework"], r["route"]): r for r in out["rows"]}
    assert rows[("flask", "json")]["per_pair"] == pytest.approx([0.8, 0.85])
    assert rows[("django", "json")]["per_pair"] == pytest.approx([0.8, 0.9, 0.85])
    assert out["dropped"][0]["cell"].startswith("flask/")


def test_no_common_cell_is_a_clear_error(tmp_path, capsys):
    write_runs(tmp_path, [0.9, 0.92], status="failed")
    assert pb.main([str(tmp_path), "--command", "x", "--out-dir", str(tmp_path)]) == 2
    assert "no cell was measured in both runs" in capsys.readouterr().err
