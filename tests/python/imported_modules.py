"""Prints, as a JSON list, the modules an app has imported after serving a few requests.

Usage: python imported_modules.py SPEC PATHS...  (SPEC "module:callable"; PATHS put on sys.path
in order; cwd, FWBENCH_PROFILE, DATABASE_URL and the framework's env as a server would set
them). The requests go straight to the WSGI callable with wsgiref's environ defaults, so no
test client adds imports of its own.
"""

import importlib
import io
import json
import sys
from wsgiref.util import setup_testing_defaults

REQUESTS = [
    ("GET", "/plaintext", ""), ("GET", "/json", ""), ("GET", "/db", ""),
    ("GET", "/queries", "queries=2"), ("GET", "/fortunes", ""), ("GET", "/updates", "queries=2"),
    ("GET", "/cms", ""),
    ("GET", "/r/1/items/x", ""), ("GET", "/no/such/route", ""),
    ("POST", "/api/orders", '{"customer": "Ada", "items": [{"sku": "A-1", "qty": 1, "unit_price": "1"}]}'),
]


def call(app, method: str, path: str, payload: str) -> str:
    environ = {"REQUEST_METHOD": method, "PATH_INFO": path}
    if method == "GET":
        environ["QUERY_STRING"] = payload
    else:
        body = payload.encode()
        environ.update({"CONTENT_TYPE": "application/json", "CONTENT_LENGTH": str(len(body)),
                        "wsgi.input": io.BytesIO(body)})
    setup_testing_defaults(environ)
    status = []
    chunks = app(environ, lambda s, headers, exc_info=None: status.append(s))
    try:
        b"".join(chunks)
    finally:
        getattr(chunks, "close", lambda: None)()
    return status[0]


def main() -> None:
    for path in reversed(sys.argv[2:]):
        sys.path.insert(0, path)
    module_name, attr = sys.argv[1].split(":", 1)
    app = getattr(importlib.import_module(module_name), attr)
    statuses = {f"{method} {path}": call(app, method, path, payload)
                for method, path, payload in REQUESTS}
    print(json.dumps({"statuses": statuses, "modules": sorted(sys.modules)}))


if __name__ == "__main__":
    main()
