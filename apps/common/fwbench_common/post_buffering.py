"""Read the whole request body before the app runs, for gunicorn behind nginx.

uWSGI calls this post-buffering (`--post-buffering`, which bench/servers.json passes to uWSGI
behind nginx); gunicorn has no such option. Without it an app that answers before reading the
body (the contract's over-limit order gets 413 from its Content-Length alone) lets gunicorn close
the socket with the body unread: the kernel resets the connection while nginx is still sending
the body, and nginx answers 502 instead of the app's 413 (measured 2026-12-02 with Django: 2 of 30
over-limit POSTs through nginx got 502 without it, 0 of 30 with it). bench/servers.json loads
`fwbench_common.post_buffering:application` for gunicorn behind nginx, which wraps the app named
by FWBENCH_WSGI ("module:callable"). A request without a body (every measured route) costs one
environ lookup.
"""

import importlib
import io
import os


def _load(spec):
    module_name, _, attr = spec.partition(":")
    return getattr(importlib.import_module(module_name), attr or "application")


def with_post_buffering(app):
    def wrapped(environ, start_response):
        length = environ.get("CONTENT_LENGTH")
        if length and length != "0":
            environ["wsgi.input"] = io.BytesIO(environ["wsgi.input"].read())
        return app(environ, start_response)

    return wrapped


application = with_post_buffering(_load(os.environ.get("FWBENCH_WSGI", "")))
