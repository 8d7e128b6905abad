"""WSGI entry point: `gunicorn --chdir apps/falcon wsgi:app` (profile and DB from the env)."""

import sys
from pathlib import Path

_COMMON = str(Path(__file__).resolve().parent.parent / "common")
if _COMMON not in sys.path:
    sys.path.insert(0, _COMMON)

from benchfalcon import create_app  # noqa: E402

app = create_app()
