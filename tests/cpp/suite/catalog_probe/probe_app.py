"""A WSGI app that answers every request with how it was launched: its cwd, sys.path, the
FWBENCH_PROFILE and PROBE_ENV it sees and the file it was imported from (app_launch_test.cc,
tests/python/test_app_catalog.py)."""

import json
import os
import sys


def app(environ, start_response):
    body = json.dumps({"cwd": os.getcwd(), "sys_path": sys.path, "file": __file__,
                       "profile": os.environ.get("FWBENCH_PROFILE"),
                       "probe_env": os.environ.get("PROBE_ENV")}).encode()
    start_response("200 OK", [("Content-Type", "application/json"),
                              ("Content-Length", str(len(body)))])
    return [body]
