"""The Date header for servers that send none (uWSGI's --http-socket and --http11-socket).

The contract requires Server and Date on every response, as TechEmpower's rules do. uWSGI adds
Server with `--add-header`, but a static header cannot carry a fresh Date, so the uWSGI template
in bench/servers.json loads `fwbench_common.uwsgi_headers:application`, which wraps the app named
by FWBENCH_WSGI ("module:callable") and adds Date to each response. This costs uWSGI one
formatdate() per request, a deviation written down in bench/servers.json's quirks.
"""

import importlib
import os
from email.utils import formatdate


def _load(spec):
    module_name, _, attr = spec.partition(":")
    return getattr(importlib.import_module(module_name), attr or "application")


def with_date_header(app):
    def wrapped(environ, start_response):
        def start(status, headers, exc_info=None):
            headers.append(("Date", formatdate(usegmt=True)))
            return start_response(status, headers, exc_info)

        return app(environ, start)

    return wrapped


application = with_date_header(_load(os.environ.get("FWBENCH_WSGI", "")))
