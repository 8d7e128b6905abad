"""Serves one WSGI app in-process to the test session, over stdin/stdout JSON lines.

Usage: python wsgi_worker.py SPEC PATHS...  (SPEC "module:callable"; PATHS put on sys.path
in order; the environment carries FWBENCH_PROFILE, DATABASE_URL and the framework's env).
Each request line {"method", "path", "query", "headers", "body_b64"} gets one response line
{"status", "headers": [[name, value], ...], "body_b64"}. Each (framework, profile) runs in
its own process because Django's settings, like a server's, are fixed at start.
"""

import base64
import importlib
import json
import sys


def load_app(spec: str, paths: list):
    for path in reversed(paths):
        sys.path.insert(0, path)
    module_name, attr = spec.split(":", 1)
    return getattr(importlib.import_module(module_name), attr)


def main() -> None:
    from werkzeug.test import Client

    client = Client(load_app(sys.argv[1], sys.argv[2:]))
    out = sys.stdout
    sys.stdout = sys.stderr  # an app's stray print must not corrupt the protocol
    print(json.dumps({"ready": True}), file=out, flush=True)
    for line in sys.stdin:
        req = json.loads(line)
        resp = client.open(
            req["path"], method=req["method"], query_string=req.get("query") or "",
            headers=req.get("headers") or {}, data=base64.b64decode(req.get("body_b64") or ""),
        )
        body = resp.get_data()
        reply = {"status": resp.status_code, "headers": list(resp.headers.items()),
                 "body_b64": base64.b64encode(body).decode()}
        print(json.dumps(reply), file=out, flush=True)
        resp.close()


if __name__ == "__main__":
    main()
