"""A WSGI app that exercises every PEP 3333 corner the fwbench bridge must handle.

It dispatches on PATH_INFO; each route is one scenario. CLOSED records the names of body
iterables whose close() ran, so tests can check close() is always called.
"""
import io
import json
import sys

CLOSED = []


class ClosingBody:
    """An iterable body with close(); optionally fails while iterating or closing."""

    def __init__(self, name, chunks, fail_at=None, fail_close=False):
        self.name, self.chunks = name, chunks
        self.fail_at, self.fail_close = fail_at, fail_close

    def __iter__(self):
        for i, chunk in enumerate(self.chunks):
            if i == self.fail_at:
                raise RuntimeError("body iteration failed on purpose")
            yield chunk

    def close(self):
        CLOSED.append(self.name)
        if self.fail_close:
            raise RuntimeError("close failed on purpose")


def environ_dump(environ, start_response):
    out = {}
    for key, value in environ.items():
        out[key] = value if isinstance(value, (str, bool, int)) else type(value).__name__
    out["wsgi.version"] = list(environ["wsgi.version"])
    out["wsgi.input.read"] = environ["wsgi.input"].read().decode("latin-1")
    start_response("200 OK", [("Content-Type", "application/json")])
    return [json.dumps(out).encode()]


def list_body(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain"), ("X-Test", "list")])
    return [b"one ", b"", b"two"]


def generator_body(environ, start_response):
    start_response("201 Created", [("Content-Type", "text/plain")])
    return ClosingBody("generator", [b"a", b"b", b"c"])


def real_generator(environ, start_response):
    def gen():
        start_response("200 OK", [("Content-Type", "text/plain")])
        yield b"lazy "
        yield b"start"
    return gen()


def file_wrapper_body(environ, start_response):
    start_response("200 OK", [("Content-Type", "application/octet-stream")])
    data = bytes(range(256)) * 100
    return environ["wsgi.file_wrapper"](io.BytesIO(data), 1000)


def write_callable(environ, start_response):
    write = start_response("200 OK", [("Content-Type", "text/plain")])
    write(b"written ")
    return [b"returned"]


def exc_info_before_body(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    try:
        raise ValueError("handled")
    except ValueError:
        start_response("503 Service Unavailable", [("Retry-After", "1")], sys.exc_info())
    return [b"recovered"]


def exc_info_after_body(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])

    def gen():
        yield b"partial"
        try:
            raise ValueError("too late")
        except ValueError:
            start_response("500 Oops", [], sys.exc_info())
        yield b"never"
    return ClosingBody("after_body", gen())


def start_twice(environ, start_response):
    start_response("200 OK", [])
    start_response("200 OK", [])
    return [b"x"]


def never_starts(environ, start_response):
    return [b"no status"]


def raises(environ, start_response):
    raise KeyError("raised on purpose")


def iteration_fails(environ, start_response):
    start_response("200 OK", [])
    return ClosingBody("iteration_fails", [b"a", b"b"], fail_at=1)


def close_fails(environ, start_response):
    start_response("200 OK", [])
    return ClosingBody("close_fails", [b"ok"], fail_close=True)


def str_body(environ, start_response):
    start_response("200 OK", [])
    return ["text, not bytes"]


def bad_headers(environ, start_response):
    start_response("200 OK", [("X-Number", 5)])
    return [b""]


def writes_errors(environ, start_response):
    environ["wsgi.errors"].write("first line\n")
    environ["wsgi.errors"].writelines(["second ", "line\n"])
    environ["wsgi.errors"].flush()
    start_response("204 No Content", [])
    return []


def echo_input(environ, start_response):
    length = int(environ.get("CONTENT_LENGTH") or 0)
    data = environ["wsgi.input"].read(length)
    start_response("200 OK", [("Content-Type", environ.get("CONTENT_TYPE", ""))])
    return [data]


ROUTES = {"/" + f.__name__: f for f in (
    environ_dump, list_body, generator_body, real_generator, file_wrapper_body, write_callable,
    exc_info_before_body, exc_info_after_body, start_twice, never_starts, raises,
    iteration_fails, close_fails, str_body, bad_headers, writes_errors, echo_input)}


def app(environ, start_response):
    route = ROUTES.get(environ["PATH_INFO"])
    if route is None:
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return [b"not found"]
    return route(environ, start_response)


def pid(environ, start_response):
    import os
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [str(os.getpid()).encode()]


def crash(environ, start_response):
    import os
    os._exit(7)


def slow(environ, start_response):
    import time
    time.sleep(float(environ.get("QUERY_STRING") or "0.5"))
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"slow done"]


ROUTES.update({"/pid": pid, "/crash": crash, "/slow": slow})
