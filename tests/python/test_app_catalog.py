"""`fwbench apps --json` is the one resolved app catalogue: its entries, its errors, the default
profile the apps agree on, `fwbench serve` launching a crafted entry the way it says, and the
Python readers (appsize.py, this harness) all taking it from there."""

import importlib.util
import json
import os
import re
import selectors
import signal
import subprocess
import urllib.request
from pathlib import Path

import pytest

import harness

PROBE = harness.ROOT / "tests/cpp/suite/catalog_probe/probe_app.py"


def load_module(name, path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def fwbench():
    if not harness.FWBENCH.is_file():
        pytest.skip(f"no fwbench binary at {harness.FWBENCH}; run scripts/setup (or set FWBENCH)")
    return str(harness.FWBENCH)


@pytest.fixture
def crafted(tmp_path):
    """A catalogue whose app "probe" lives in lib/, runs from site/, with env and a repeat."""
    (tmp_path / "site").mkdir()
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "probe_app.py").write_text(PROBE.read_text())
    catalogue = {"frameworks": {"probe": {
        "dir": str(tmp_path / "site"), "wsgi": "probe_app:app",
        "pythonpath": [str(tmp_path / "lib"), "apps/common", str(tmp_path / "site")],
        "env": {"PROBE_ENV": "from-the-catalogue"}}}}
    path = tmp_path / "frameworks.json"
    path.write_text(json.dumps(catalogue))
    return path


def apps_json(fwbench, *args):
    out = subprocess.run([fwbench, "apps", "--json", *args], capture_output=True, text=True,
                         timeout=60)
    return out.returncode, out.stdout, out.stderr


def test_crafted_entry_is_resolved_in_launch_order(fwbench, crafted):
    code, out, err = apps_json(fwbench, "--frameworks", str(crafted))
    assert code == 0, err
    doc = json.loads(out)
    assert doc["schema"] == "fwbench.apps/1" and doc["file"] == str(crafted)
    entry = doc["frameworks"]["probe"]
    site, lib = crafted.parent / "site", crafted.parent / "lib"
    assert entry["dir"] == str(site)
    assert entry["sys_path"] == [str(site), str(lib), str(harness.APPS / "common")]
    assert (entry["wsgi"], entry["module"], entry["callable"]) == (
        "probe_app:app", "probe_app", "app")
    assert entry["env"] == {"PROBE_ENV": "from-the-catalogue"}
    assert entry["version_module"] == "probe"


def test_shipped_catalogue_runs_each_app_from_its_folder_first(fwbench):
    code, out, err = apps_json(fwbench)
    assert code == 0, err
    doc = json.loads(out)
    assert doc["file"] == str(harness.FRAMEWORKS_FILE)
    assert doc["frameworks"] == harness.load_frameworks()
    for name, entry in doc["frameworks"].items():
        assert entry["sys_path"][0] == entry["dir"] == str(harness.APPS / name)


def test_default_profile_is_the_apps_own(fwbench, monkeypatch):
    from fwbench_common import config
    monkeypatch.delenv("FWBENCH_PROFILE", raising=False)
    doc = json.loads(apps_json(fwbench)[1])
    assert doc["default_profile"] == config.profile() == "minimal"
    help_text = subprocess.run([fwbench, "serve", "--help"], capture_output=True, text=True,
                               timeout=60).stdout
    assert re.search(r"--profile\s+\S+\s+FWBENCH_PROFILE[^\n]*default: minimal", help_text), help_text


@pytest.mark.parametrize("entry, field", [
    ({"wsgi": "m:app"}, "frameworks.x.dir"),
    ({"dir": "d"}, "frameworks.x.wsgi"),
    ({"dir": "d", "wsgi": "m"}, "frameworks.x.wsgi"),
    ({"dir": "d", "wsgi": "m:app", "pythonpath": "apps/common"}, "frameworks.x.pythonpath"),
    ({"dir": "d", "wsgi": "m:app", "env": {"K": 1}}, "frameworks.x.env.K"),
])
def test_bad_entry_names_file_and_field(fwbench, tmp_path, entry, field):
    path = tmp_path / "frameworks.json"
    path.write_text(json.dumps({"frameworks": {"x": entry}}))
    code, out, err = apps_json(fwbench, "--frameworks", str(path))
    assert code != 0 and not out
    assert f"{path}: {field}" in err, err


def test_missing_file_and_unknown_framework_say_how_to_fix(fwbench, tmp_path, crafted):
    code, _, err = apps_json(fwbench, "--frameworks", str(tmp_path / "nope.json"))
    assert code != 0 and str(tmp_path / "nope.json") in err and "--frameworks" in err
    out = subprocess.run([fwbench, "serve", "--app", "flask", "--frameworks", str(crafted),
                          "--port", "0"], capture_output=True, text=True, timeout=60)
    assert out.returncode != 0
    assert 'no framework named "flask"' in out.stderr and "use one of: probe" in out.stderr


def test_serve_runs_the_entry_the_catalogue_resolves(fwbench, crafted):
    """`fwbench serve` with no --profile: the default profile, the entry's cwd, env and
    sys.path in front, in order."""
    entry = json.loads(apps_json(fwbench, "--frameworks", str(crafted))[1])["frameworks"]["probe"]
    proc = subprocess.Popen([fwbench, "serve", "--app", "probe", "--frameworks", str(crafted),
                             "--port", "0"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, start_new_session=True)
    try:
        ready = selectors.DefaultSelector()
        ready.register(proc.stdout, selectors.EVENT_READ)
        assert ready.select(timeout=60), "fwbench serve printed no listening line in 60 s"
        line = proc.stdout.readline()
        match = re.match(r"listening on (http://\S+)", line)
        assert match, (line, proc.stderr.read() if proc.poll() is not None else "")
        with urllib.request.urlopen(match.group(1) + "/", timeout=30) as response:
            seen = json.loads(response.read())
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
        proc.stdout.close()
        proc.stderr.close()
    assert seen["profile"] == "minimal"
    assert seen["cwd"] == entry["dir"]
    assert seen["probe_env"] == "from-the-catalogue"
    assert seen["file"] == str(crafted.parent / "lib" / "probe_app.py")
    assert seen["sys_path"][:len(entry["sys_path"])] == entry["sys_path"]


def test_python_readers_take_the_binarys_catalogue(fwbench):
    appsize = load_module("appsize_catalog", harness.ROOT / "src/report/appsize.py")
    expected = harness.load_frameworks()
    assert appsize.load_catalog(fwbench, harness.ROOT) == expected
    with pytest.raises(SystemExit, match="no fwbench binary"):
        appsize.load_catalog(Path("/nonexistent/fwbench"), harness.ROOT)


def test_import_rss_reads_the_catalogue_as_the_binary_does(fwbench):
    """apps/import_rss.py parses frameworks.json itself (its --apps may be an older copy whose
    paths resolve against that copy), so it must agree with `fwbench apps --json` here."""
    rss = load_module("import_rss_catalog", harness.APPS / "import_rss.py")
    for name, entry in harness.load_frameworks().items():
        argv, cwd, env = rss.command_for(f"{name}:minimal", harness.APPS, "sqlite:////x.db")
        assert str(cwd) == entry["dir"]
        assert argv[4:] == entry["sys_path"]
        assert argv[3] == entry["wsgi"]
        assert entry["env"].items() <= env.items()
