"""bench/layers/render.py: results/layers.md regenerates byte for byte from results/layers.json,
and every published row balanced its markers and answered its expected status."""

import importlib.util
import json
import pathlib

ROOT = pathlib.Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("layers_render", ROOT / "bench" / "layers" / "render.py")
render = importlib.util.module_from_spec(spec)
spec.loader.exec_module(render)


def test_published_tables_regenerate():
    doc = json.loads((ROOT / "results" / "layers.json").read_text())
    assert render.render(doc) == (ROOT / "results" / "layers.md").read_text()


def test_published_rows_are_complete():
    doc = json.loads((ROOT / "results" / "layers.json").read_text())
    assert doc["schema"] == "fwbench.layers/1"
    cells = {(r["framework"], r["profile"]) for r in doc["results"]}
    assert cells == {(f, p) for f in ("flask", "django") for p in ("minimal", "standard")}
    contract = json.loads((ROOT / "apps" / "contract.json").read_text())
    routes = {r["name"] for r in contract["routes"]}
    for row in doc["results"]:
        assert row["ok"] and row["unbalanced"] == 0, row["route"]
        assert set(row["layers"]) == set(doc["layer_names"])
        assert abs(row["attribution_gap"]) < 0.01
    assert {r["route"] for r in doc["results"]} == routes
