"""The suite runs on the project's .venv with the pinned framework versions (pyenv's base
interpreter has its own Flask, so a wrong interpreter would import silently)."""

import importlib.metadata
import re
import sys
from pathlib import Path

import pytest

import harness
from conftest import FRAMEWORKS

PINS = {
    name.lower(): version
    for name, version in re.findall(r"^([A-Za-z0-9_.-]+)==(\S+)",
                                    (harness.APPS / "requirements.txt").read_text(), re.M)
}


def test_interpreter_is_the_project_venv():
    assert Path(sys.prefix).resolve() == (harness.ROOT / ".venv").resolve(), (
        f"running on {sys.executable}; use {harness.ROOT / '.venv/bin/python'} -m pytest")
    assert sys.prefix != sys.base_prefix


@pytest.mark.parametrize("name", FRAMEWORKS)
def test_framework_version_is_pinned(name):
    module = harness.load_frameworks()[name]["version_module"]
    assert module.lower() in PINS, f"{module} has no exact pin in apps/requirements.txt"
    assert importlib.metadata.version(module) == PINS[module.lower()]


@pytest.mark.parametrize("dist", ["Werkzeug", "Jinja2", "SQLAlchemy", "Flask-SQLAlchemy",
                                  "Flask-Login", "Flask-WTF", "psycopg", "gunicorn"])
def test_app_dependency_version_is_pinned(dist):
    assert importlib.metadata.version(dist) == PINS[dist.lower()]
