"""The Django project is a sound project in both profiles: system checks pass and the
migrations match the models."""

import subprocess
import sys

import pytest

import harness
from conftest import PROFILES

DJANGO_DIR = harness.APPS / "django"


@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize("command", [["check", "--fail-level", "WARNING"],
                                     ["makemigrations", "--check", "--dry-run"]])
def test_manage_py(profile, command, database_url):
    env = {"PATH": "/usr/bin:/bin", "FWBENCH_PROFILE": profile, "DATABASE_URL": database_url}
    proc = subprocess.run([sys.executable, "manage.py", *command], cwd=DJANGO_DIR, env=env,
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
