"""bench/repro/reproducibility.py on small synthetic fwbench.results/2 files: differences,
interval containment, targets per suite, unmatched comparisons, and clear input errors."""

import importlib.util
import json
import math
import os
import statistics
import pathlib
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location(
    "reproducibility", ROOT / "bench" / "repro" / "reproducibility.py")
rp = importlib.util.module_from_spec(spec)
spec.loader.exec_module(rp)


def estimate(ratio, ci, n=5):
    return {"n": n, "ratio": ratio, "ci95": ci, "per_round": [ratio] * n,
            "half_width_pct": None if ci is None else 100 * ((ci[1] / ci[0]) ** 0.5 - 1)}


def comparison(route, ratio, ci, rounds=5, primary="rps", **others):
    metrics = {primary: estimate(ratio, ci, rounds)}
    metrics.update({name: estimate(*value, rounds) for name, value in others.items()})
    return {"id": f"flask~django/minimal/embedded/sqlite/{route}/closed-c32",
            "framework_a": "flask", "framework_b": "django", "server": "embedded",
            "route": route, "model": "closed", "concurrency": 32, "rate": None,
            "mode": "slices", "primary": primary, "metrics": metrics, "target_pct": 3,
            "reached": True, "noisy": False, "rounds": rounds}


def results(suite, comparisons, schema="fwbench.results/2"):
    return {"schema": schema,
            "meta": {"suite": {"name": suite}, "fwbench": {"version": "0.1.0", "commit": "abc123"},
                     "paired": {"mode": "slices", "slice_s": 0.5}, "state": "complete",
                     "started_at": "2026-12-01T10:00:00Z", "ended_at": "2026-12-01T10:10:00Z"},
            "cells": [], "comparisons": comparisons}


def run(tmp_path, doc1, doc2):
    """main() on the two documents; returns (exit code, out dir)."""
    paths = []
    for name, doc in (("run1.json", doc1), ("run2.json", doc2)):
        (tmp_path / name).write_text(json.dumps(doc))
        paths.append(str(tmp_path / name))
    out = tmp_path / "results"
    code = rp.main(paths + ["--command", "RUNS_DIR=x bench/reproducibility.sh",
                            "--ran", "build/src/cli/fwbench run s.json --out x/run1.json --fresh",
                            "--out-dir", str(out)])
    return code, out


def read(out, stem):
    return json.loads((out / f"{stem}.json").read_text()), (out / f"{stem}.md").read_text()


def test_differences_and_containment(tmp_path):
    run1 = [comparison("json", 1.00, [0.99, 1.01]), comparison("db", 0.80, None, rounds=1)]
    run2 = [comparison("json", 1.02, [1.00, 1.04]), comparison("db", 0.84, [0.82, 0.86])]
    code, out = run(tmp_path, results("mine", run1), results("mine", run2))
    assert code == 0
    doc, md = read(out, "reproducibility-mine")
    assert doc["schema"] == "fwbench.reproducibility/1"
    json_row, db_row = doc["comparisons"]
    assert json_row["abs_diff_pct"] == pytest.approx(2.0)
    assert json_row["run1_contains_run2"] is False  # 1.02 outside [0.99, 1.01]
    assert json_row["run2_contains_run1"] is True   # 1.00 inside [1.00, 1.04]
    assert db_row["abs_diff_pct"] == pytest.approx(5.0)
    assert db_row["run1_contains_run2"] is False    # no interval with one round
    assert db_row["run2_contains_run1"] is False    # 0.80 outside [0.82, 0.86]
    assert (db_row["run1"]["rounds"], db_row["run2"]["rounds"]) == (1, 5)
    s = doc["summary"]
    assert s["median_abs_diff_pct"] == pytest.approx(3.5)
    assert s["max_abs_diff_pct"] == pytest.approx(5.0)
    assert s["share_within_5pct"] == 1.0
    assert (s["intervals_checked"], s["share_intervals_containing"]) == (4, 0.25)
    assert doc["targets"] == [] and "No targets for suite mine" in md
    assert "| flask~django/minimal/embedded/sqlite/json/closed-c32 | rps | 1.000 | " \
           "[0.990, 1.010] | 1.020 | [1.000, 1.040] | 2.00% | no | yes | 5, 5 |" in md
    assert "| 0.800 | n/a | 0.840 |" in md


def test_header_names_command_commit_mode_and_time(tmp_path):
    code, out = run(tmp_path, results("mine", [comparison("json", 1.0, [0.9, 1.1])]),
                    results("mine", [comparison("json", 1.0, [0.9, 1.1])]))
    doc, md = read(out, "reproducibility-mine")
    assert "Command: `RUNS_DIR=x bench/reproducibility.sh`" in md
    assert "- ran: `build/src/cli/fwbench run s.json --out x/run1.json --fresh`" in md
    assert "- fwbench commit: abc123" in md and "- paired mode: slices" in md
    assert f"- written: {doc['generated_at']} (UTC)" in md
    assert doc["generated_at"].endswith("Z")
    assert not [p for p in os.listdir(out) if p.startswith(".tmp")]  # no temp file left


def test_default_targets_pass_then_miss(tmp_path):
    routes = ["json", "db", "fortunes"]
    ci = [0.95, 1.05]
    run1 = [comparison(r, 1.0, ci) for r in routes]
    close = [comparison(r, v, ci) for r, v in zip(routes, [1.01, 0.995, 1.015])]
    code, out = run(tmp_path, results("default", run1), results("default", close))
    doc, md = read(out, "reproducibility")  # the default suite's files carry no suffix
    assert [t["result"] for t in doc["targets"]] == ["PASS"] * 3
    assert "- PASS median |difference| <= 2%: measured 1.00%" in md

    far = [comparison(r, v, [v * 0.99, v * 1.01]) for r, v in zip(routes, [1.01, 1.03, 1.10])]
    code, out = run(tmp_path, results("default", run1), results("default", far))
    doc, md = read(out, "reproducibility")
    assert [t["result"] for t in doc["targets"]] == ["MISS", "MISS", "MISS"]
    # median 3%; 2 of 3 within 5%; run 1's interval holds 1.01 and 1.03, and of run 2's
    # intervals only /json's [1.00, 1.02] holds 1.0
    assert doc["summary"]["share_within_5pct"] == pytest.approx(2 / 3)
    assert doc["summary"]["share_intervals_containing"] == pytest.approx(3 / 6)
    assert "- MISS >= 90% of comparisons within 5%: measured 67%" in md


def test_quick_targets_median_and_max(tmp_path):
    routes = ["json", "db", "fortunes"]
    run1 = [comparison(r, 1.0, [0.9, 1.1]) for r in routes]
    run2 = [comparison(r, v, [0.9, 1.1]) for r, v in zip(routes, [1.01, 1.02, 1.06])]
    code, out = run(tmp_path, results("quick", run1), results("quick", run2))
    doc, md = read(out, "reproducibility-quick")
    assert [(t["key"], t["result"]) for t in doc["targets"]] == [
        ("median_abs_diff_pct", "PASS"), ("max_abs_diff_pct", "MISS")]
    assert "- MISS max |difference| <= 5%: measured 6.00%" in md


def test_secondary_metrics_are_context_only(tmp_path):
    run1 = [comparison("json", 1.0, [0.98, 1.02], cpu_us_per_request=(1.0, [0.9, 1.1]))]
    run2 = [comparison("json", 1.0, [0.98, 1.02], cpu_us_per_request=(1.5, [1.4, 1.6]))]
    code, out = run(tmp_path, results("quick", run1), results("quick", run2))
    doc, md = read(out, "reproducibility-quick")
    assert [t["result"] for t in doc["targets"]] == ["PASS", "PASS"]  # primary (rps) only
    (row,) = doc["secondary"]["comparisons"]
    assert row["metric"] == "cpu_us_per_request"
    assert row["abs_diff_pct"] == pytest.approx(50.0)
    assert doc["secondary"]["summary"]["cpu_us_per_request"]["max_abs_diff_pct"] == \
        pytest.approx(50.0)
    assert "### cpu_us_per_request" in md


def test_unmatched_comparisons_are_listed_not_counted(tmp_path):
    run1 = [comparison("json", 1.0, [0.9, 1.1]), comparison("db", 1.0, [0.9, 1.1])]
    run2 = [comparison("json", 1.0, [0.9, 1.1]), comparison("fortunes", 1.0, [0.9, 1.1]),
            comparison("queries", 1.0, [0.9, 1.1])]
    run1.append(comparison("queries", 1.0, [0.9, 1.1], primary="cpu_us_per_request"))
    code, out = run(tmp_path, results("default", run1), results("default", run2))
    assert code == 0
    doc, md = read(out, "reproducibility")
    assert [r["id"] for r in doc["comparisons"]] == [run1[0]["id"]]
    assert {u["id"]: u["reason"] for u in doc["unmatched"]} == {
        run1[1]["id"]: "only in run 1",
        run1[2]["id"]: "primary metric cpu_us_per_request in run 1, rps in run 2",
        run2[1]["id"]: "only in run 2"}
    assert doc["summary"]["comparisons"] == 1
    assert f"- {run2[1]['id']}: only in run 2" in md


def test_v1_file_is_rejected_naming_it(tmp_path, capsys):
    v1 = results("default", [], schema="fwbench.results/1")
    del v1["comparisons"]
    code, out = run(tmp_path, results("default", []), v1)
    assert code == 2
    err = capsys.readouterr().err
    assert str(tmp_path / "run2.json") in err and "fwbench.results/1" in err
    assert not out.exists()


def test_runs_of_different_suites_are_rejected(tmp_path, capsys):
    code, _ = run(tmp_path, results("default", []), results("quick", []))
    assert code == 2 and "suite 'quick'" in capsys.readouterr().err


def test_script_without_binary_tells_to_run_setup(tmp_path):
    env = dict(os.environ, FWBENCH=str(tmp_path / "no-fwbench"))
    env.pop("RUNS_DIR", None)
    proc = subprocess.run([str(ROOT / "bench" / "reproducibility.sh")], env=env,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode != 0
    assert "no fwbench binary" in proc.stderr and "scripts/setup" in proc.stderr


def test_host_probe_and_per_route_shift(tmp_path):
    def with_host(doc, speed, reference=3.0, disturbed=False):
        doc["cells"] = [{"id": "c", "repetitions": [
            {"host": {"reference": reference, "speed_before": speed, "speed_after": speed,
                      "disturbed": disturbed}}] * 2}]
        return doc
    run1 = with_host(results("other", [comparison("json", 1.00, [0.99, 1.01]),
                                       comparison("db", 1.40, [1.38, 1.42])]), 1.0)
    run2 = with_host(results("other", [comparison("json", 1.00, [0.99, 1.01]),
                                       comparison("db", 1.47, [1.45, 1.49])]), 0.5, disturbed=True)
    code, out = run(tmp_path, run1, run2)
    doc, md = read(out, "reproducibility-other")
    assert code == 0
    assert doc["runs"][0]["host"] == {"mean_mips": pytest.approx(3.0), "probes": 4,
                                      "share_disturbed": 0.0}
    assert doc["runs"][1]["host"]["mean_mips"] == pytest.approx(1.5)
    assert doc["runs"][1]["host"]["share_disturbed"] == 1.0
    assert doc["shift_by_route"]["db"]["shift_pct"] == pytest.approx(5.0)
    assert doc["shift_by_route"]["json"]["shift_pct"] == pytest.approx(0.0)
    assert "| db | 1 | +5.00% |" in md
    assert "run 2 host probe: 1.50 M iterations/s" in md


def test_runs_without_host_probes_say_so(tmp_path):
    code, out = run(tmp_path, results("other", [comparison("json", 1.00, [0.99, 1.01])]),
                    results("other", [comparison("json", 1.00, [0.99, 1.01])]))
    doc, md = read(out, "reproducibility-other")
    assert code == 0 and doc["runs"][0]["host"] is None
    assert "run 1 host probe: not recorded" in md


def host_run(speeds, ratio_at_reference, slope):
    """One comparison whose per-round ratio follows the host: ratio * speed**slope exactly,
    with the probes in cell a's repetitions (before = after = the round's speed)."""
    per_round = [ratio_at_reference * s ** slope for s in speeds]
    c = comparison("db", per_round[0], [0.5, 2.0], rounds=len(speeds))
    c["metrics"]["rps"]["per_round"] = per_round
    c["db"], c["a"] = "sqlite", "flask/minimal/embedded/sqlite/db/closed-c32"
    doc = results("default", [c])
    doc["cells"] = [{"id": c["a"], "repetitions": [
        {"host": {"speed_before": s, "speed_after": s, "reference": 3.0}} for s in speeds]}]
    return doc


def test_host_adjustment_reads_each_run_at_the_reference_speed():
    # Run 1 mostly quiet, run 2 mostly slowed: raw ratios differ, adjusted ones agree.
    doc1 = host_run([1.0, 0.95, 1.0, 0.6], 1.30, -0.10)
    doc2 = host_run([0.6, 0.55, 0.65, 1.0], 1.30, -0.10)
    rows, _, _ = rp.match(doc1, doc2)
    section = rp.host_adjusted_section([doc1, doc2], rows)
    assert section["slopes"][0]["run1"] == pytest.approx(-0.10)
    assert section["slopes"][0]["run2"] == pytest.approx(-0.10)
    assert section["median_abs_diff_pct"] == pytest.approx(0, abs=1e-9)
    raw = [statistics.fmean(map(math.log, d["comparisons"][0]["metrics"]["rps"]["per_round"]))
           for d in (doc1, doc2)]
    assert abs(raw[1] - raw[0]) > 0.02  # the raw per-round means do differ


def test_host_residuals_split_rounds_by_the_host_probe(tmp_path, capsys):
    """bench/repro/host_residuals.py: a round is slowed when either probe is below min_speed;
    residuals are the per-round log ratios minus their mean, rms per kind of round."""
    spec = importlib.util.spec_from_file_location(
        "host_residuals", ROOT / "bench" / "repro" / "host_residuals.py")
    hr = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(hr)

    def rep(rnd, before, after):
        return {"round": rnd, "host": {"speed_before": before, "speed_after": after}}

    per_round = [2.0, 2.0 * math.exp(0.1), 2.0 * math.exp(-0.1)]  # log residuals 0, +10%, -10%
    doc = results("default", [comparison("json", 2.0, [1.9, 2.1], rounds=3)])
    doc["comparisons"][0]["metrics"]["rps"]["per_round"] = per_round
    doc["comparisons"][0]["a"], doc["comparisons"][0]["b"] = "a", "b"
    doc["meta"]["host_check"] = {"min_speed": 0.75}
    hosts = [rep(1, 1.0, 0.9), rep(2, 0.5, 1.0), rep(3, 1.0, 0.7)]
    doc["cells"] = [{"id": "a", "repetitions": hosts}, {"id": "b", "repetitions": hosts}]
    rows = hr.residuals(doc)
    assert [s for _, s in rows] == [False, True, True]
    assert [round(r, 6) for r, _ in rows] == [0.0, 10.0, -10.0]
    path = tmp_path / "run.json"
    path.write_text(json.dumps(doc))
    hr.main([str(path)])
    out = capsys.readouterr().out
    assert "slowed: 2 rounds, rms residual 10.00%" in out
    assert "quiet: 1 rounds, rms residual 0.00%" in out
    bad = tmp_path / "bad.json"
    bad.write_text("{}")
    with pytest.raises(SystemExit) as e:
        hr.main([str(bad)])
    assert "not a readable fwbench.results/2 file" in str(e.value)
