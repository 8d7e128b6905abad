"""The minimal profiles import only what their routes use: each app is started in a fresh
interpreter the way a server starts it (`fwbench apps --json`), serves a few requests, and its
sys.modules is checked. The standard profiles must import the same modules, so the test can
fail."""

import json
import os
import subprocess
import sys
from pathlib import Path

import harness
import pytest

SCRIPT = Path(__file__).resolve().parent / "imported_modules.py"

# Modules of the standard stacks; the minimal profile of that framework imports none of them.
STANDARD_ONLY = {
    "flask": ["flask_login", "flask_wtf", "wtforms"],
    "django": ["django.contrib.admin", "django.contrib.sessions", "django.contrib.messages",
               "django.contrib.auth.middleware"],
}


def imported(framework: str, profile: str, database_url: str) -> dict:
    entry = harness.load_frameworks()[framework]
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env.update(entry["env"], FWBENCH_PROFILE=profile, DATABASE_URL=database_url)
    out = subprocess.run([sys.executable, str(SCRIPT), entry["wsgi"], *entry["sys_path"]],
                         cwd=entry["dir"], env=env, capture_output=True,
                         text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-3000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


def loaded(modules: list, package: str) -> list:
    return [m for m in modules if m == package or m.startswith(package + ".")]


@pytest.mark.parametrize("framework", sorted(STANDARD_ONLY))
def test_minimal_profile_imports_no_standard_stack(framework, database_url):
    result = imported(framework, "minimal", database_url)
    assert result["statuses"]["GET /updates"].startswith("200"), result["statuses"]
    assert result["statuses"]["GET /cms"].startswith("200"), result["statuses"]
    for package in STANDARD_ONLY[framework]:
        assert not loaded(result["modules"], package), (
            f"{framework} minimal imported {loaded(result['modules'], package)}")


@pytest.mark.parametrize("framework", sorted(STANDARD_ONLY))
def test_standard_profile_imports_its_stack(framework, database_url):
    result = imported(framework, "standard", database_url)
    assert result["statuses"]["GET /updates"].startswith("200"), result["statuses"]
    for package in STANDARD_ONLY[framework]:
        assert loaded(result["modules"], package), f"{framework} standard lacks {package}"


def test_every_framework_is_covered():
    assert sorted(STANDARD_ONLY) == sorted(harness.load_frameworks())
