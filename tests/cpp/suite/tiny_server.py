"""A stand-in HTTP server for the runner's tests (not a benchmark subject).

    tiny_server.py --port P [--exit-after N] [--worker] [--import MODULE --report FILE]

Answers every GET with 200 and {"message": "Hello, World!"}, keep-alive. --exit-after N makes
the process exit with code 3 after N requests (a server crashing mid-cell). --worker forks a
child that sleeps in its own right and does NOT die with its parent, like a server worker
that only the process-group kill can reap. --import MODULE imports MODULE (from PYTHONPATH)
before serving, after appending "MODULE warm" or "MODULE cold" to FILE: whether its bytecode
cache file existed when the server started.
"""
import argparse
import http.server
import importlib
import importlib.util
import os
import socketserver
import sys
import time


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--exit-after", type=int, default=0)
    parser.add_argument("--worker", action="store_true")
    parser.add_argument("--import", dest="module", default="")
    parser.add_argument("--report", default="")
    args = parser.parse_args()
    if args.module:
        source = importlib.util.find_spec(args.module).origin
        warm = os.path.exists(importlib.util.cache_from_source(source))
        with open(args.report, "a") as report:
            report.write("%s %s\n" % (args.module, "warm" if warm else "cold"))
        importlib.import_module(args.module)
    if args.worker and os.fork() == 0:
        while True:
            time.sleep(1)
    served = [0]

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self):
            body = b'{"message": "Hello, World!"}'
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            served[0] += 1
            if args.exit_after and served[0] >= args.exit_after:
                sys.stderr.write("tiny_server: exiting after %d requests\n" % served[0])
                sys.stderr.flush()
                os._exit(3)

        def log_message(self, *unused):
            pass

    class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
        daemon_threads = True
        allow_reuse_address = True

    Server(("127.0.0.1", args.port), Handler).serve_forever()


if __name__ == "__main__":
    main()
