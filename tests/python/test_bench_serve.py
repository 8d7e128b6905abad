"""bench/serve/serve_vs_servers.py: its statistics and the server variants it derives from
bench/servers.json (so the benchmark keeps starting servers the way the suite does)."""

import importlib.util
import json
import pathlib

ROOT = pathlib.Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location(
    "serve_vs_servers", ROOT / "bench" / "serve" / "serve_vs_servers.py")
svs = importlib.util.module_from_spec(spec)
spec.loader.exec_module(svs)


def catalog():
    return json.loads((ROOT / "bench" / "servers.json").read_text())


def test_mann_whitney_exact_values():
    # Complete separation of 3 vs 3: one arrangement in C(6,3) = 20.
    assert svs.mann_whitney_greater([5, 6, 7], [1, 2, 3]) == 1 / 20
    assert svs.mann_whitney_greater([1, 2, 3], [5, 6, 7]) == 1.0
    # 5 vs 5, complete separation: 1 / 252.
    assert abs(svs.mann_whitney_greater([6, 7, 8, 9, 10], [1, 2, 3, 4, 5]) - 1 / 252) < 1e-12
    # Identical samples: every arrangement ties or beats the observed U.
    assert svs.mann_whitney_greater([1, 1], [1, 1]) == 1.0


def test_uwsgi_bare_drops_threads_and_the_date_wrapper_only():
    servers = svs.variants(catalog())
    suite = servers["uwsgi"]["argv"]
    bare = servers["uwsgi-bare"]["argv"]
    assert "--threads" not in bare and "{wsgi}" in bare
    assert not any("uwsgi_headers" in a or "FWBENCH_WSGI" in a for a in bare)
    assert len(suite) - len(bare) == 4  # --env X and --threads N
    assert servers["uwsgi-bare"]["stop_signal"] == servers["uwsgi"]["stop_signal"]
    for name in catalog()["servers"]:
        assert servers[name] == catalog()["servers"][name]  # the suite's own are unchanged


def test_cpu_lists():
    assert svs.parse_cpus("0") == {0}
    assert svs.parse_cpus("0-2,5") == {0, 1, 2, 5}


def test_tables_from_samples():
    import argparse
    args = argparse.Namespace(
        command="bench/serve_vs_servers.sh", rounds=3, duration=4, warmup=1, connections=32,
        workers=1, threads=4, profile="minimal", server_cpus="0", load_cpus="1",
        frameworks=["flask"], routes=["json"], servers=["embedded", "gunicorn-sync", "uwsgi"])
    rps = {"embedded": [3000, 3100, 3200], "gunicorn-sync": [1000, 1100, 1050],
           "uwsgi": [3150, 2900, 3000]}
    samples = [{"framework": "flask", "route": "json", "server": server, "round": i + 1,
                "rps": v, "requests": int(v * 4), "all_2xx": True, "cpu_us_per_request": 1e6 / v}
               for server, values in rps.items() for i, v in enumerate(values)]
    doc = svs.document(samples, args, "2026-11-27T00:00:00+00:00", "0.1 0.1 0.1")
    (check,) = doc["checks"]
    assert check["ratio_vs_gunicorn_sync"] == 3100 / 1050
    assert check["meets_1_5x_gunicorn_sync"] and check["beats_every_other_server"]
    assert check["versus"]["gunicorn-sync"]["p_serve_faster"] == 1 / 20
    md = svs.markdown(doc, args)
    assert "| flask | /json | 3,100 (3,000-3,200) | 1,050 (1,000-1,100) | 3,000 (2,900-3,150) |" in md
    assert "with 3 rounds the smallest possible is 0.050." in md
    assert "| flask | /json | 2.95x (p=0.050) | 1.03x (p=0.250) | yes | yes |" in md
