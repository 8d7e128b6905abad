"""fwbench load vs wrk, side by side on one machine (run by bench/load_vs_wrk.sh).

nginx (a private config/prefix in a temp dir, its own loopback port) returns 200 "Hello, World!"
with keep-alive, pinned to CPU 0; each generator runs pinned to CPU 1 for a few seconds, the two
alternating. Reported per cell: req/s, and the generator's CPU per request (user+sys from
wait4's rusage of the generator process). A second part runs both against a close-delimited
server (no Content-Length, closes after each response) to show how each counts those responses.
Writes results/load_vs_wrk.md and results/load_vs_wrk.json (atomically: temp file + rename).
"""
import argparse
import json
import os
import re
import shlex
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time

NGINX_CONF = """\
{user}
worker_processes 1;
master_process off;
daemon off;
pid {dir}/nginx.pid;
error_log {dir}/error.log warn;
events {{ worker_connections 4096; multi_accept on; }}
http {{
  access_log off;
  client_body_temp_path {dir}/body;
  proxy_temp_path {dir}/proxy;
  fastcgi_temp_path {dir}/fastcgi;
  uwsgi_temp_path {dir}/uwsgi;
  scgi_temp_path {dir}/scgi;
  keepalive_requests 100000000;
  keepalive_timeout 65;
  default_type text/plain;
  server {{
    listen 127.0.0.1:{port} backlog=4096;
    location / {{ return 200 "Hello, World!"; }}
  }}
}}
"""

# A close-delimited server: answers every connection with a body that has no Content-Length,
# then closes (as uWSGI's --http-socket does). Single-threaded, selectors-based.
CLOSE_SERVER = r"""
import selectors, socket, sys
sel = selectors.DefaultSelector()
ls = socket.socket(); ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
ls.bind(("127.0.0.1", int(sys.argv[1]))); ls.listen(4096); ls.setblocking(False)
sel.register(ls, selectors.EVENT_READ)
RESP = b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\nHello, World!"
while True:
    for key, _ in sel.select():
        if key.fileobj is ls:
            try:
                c, _ = ls.accept()
            except BlockingIOError:
                continue
            c.setblocking(False); sel.register(c, selectors.EVENT_READ)
        else:
            c = key.fileobj
            try:
                data = c.recv(65536)
                if data and b"\r\n\r\n" in data:
                    c.sendall(RESP)
            except OSError:
                pass
            sel.unregister(c); c.close()
"""


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port, proc, timeout=10):
    end = time.time() + timeout
    while time.time() < end:
        if proc.poll() is not None:
            raise SystemExit(f"server exited early with {proc.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), 0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise SystemExit(f"server on port {port} did not start")


def run_measured(cmd):
    """Runs cmd, returns (stdout, user+sys seconds of the process and its children)."""
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"command failed ({proc.returncode}): {shlex.join(cmd)}\n{out}")
    return out, usage.ru_utime + usage.ru_stime, usage.ru_utime


def wrk_cell(wrk, url, conns, duration, cpu):
    cmd = ["taskset", "-c", cpu, wrk, "-t1", f"-c{conns}", f"-d{duration}s", url]
    out, cpu_s, user_s = run_measured(cmd)
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    errors = dict(zip(["connect", "read", "write", "timeout"], map(int, m.groups()))) if m else {}
    return {"tool": "wrk", "command": shlex.join(cmd), "requests": requests, "rps": rps,
            "cpu_s": cpu_s, "user_s": user_s, "errors": errors}


def fwbench_cell(fwbench, url, conns, duration, cpu, tmp, extra=()):
    report = os.path.join(tmp, "fwbench.json")
    cmd = ["taskset", "-c", cpu, fwbench, "load", "-t1", f"-c{conns}", f"-d{duration}s",
           *extra, "--json", report, url]
    out, cpu_s, user_s = run_measured(cmd)
    with open(report) as f:
        overall = json.load(f)["overall"]
    return {"tool": "fwbench", "command": shlex.join(cmd), "requests": overall["requests"],
            "rps": overall["rps"], "cpu_s": cpu_s, "user_s": user_s,
            "errors": overall["errors"], "connects": overall["connects"]}


def with_per_request(cell):
    n = max(1, cell["requests"])
    cell["cpu_us_per_request"] = cell["cpu_s"] / n * 1e6
    cell["user_us_per_request"] = cell["user_s"] / n * 1e6
    return cell


def median_cell(cells):
    keys = ["rps", "cpu_us_per_request", "user_us_per_request"]
    return {k: statistics.median(c[k] for c in cells) for k in keys}


def compare(run_a, run_b, reps):
    """Alternates the two generators `reps` times each; returns both lists of cells."""
    a_cells, b_cells = [], []
    for rep in range(reps):
        order = [(run_a, a_cells), (run_b, b_cells)]
        if rep % 2:
            order.reverse()
        for run, cells in order:
            cells.append(with_per_request(run()))
    return a_cells, b_cells


def write_atomic(path, text):
    tmp = f"{path}.tmp.{os.getpid()}"
    with open(tmp, "w") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--fwbench", required=True)
    ap.add_argument("--wrk", default="wrk")
    ap.add_argument("--nginx", default="/usr/sbin/nginx")
    ap.add_argument("--python", default=sys.executable)
    ap.add_argument("--connections", default="16,64,256")
    ap.add_argument("--duration", type=int, default=5)
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--out", required=True, help="results/load_vs_wrk (.md and .json added)")
    ap.add_argument("--command", default="", help="the command line, recorded in the results")
    args = ap.parse_args()

    tmp = tempfile.mkdtemp(prefix="fwbench-bench-")
    servers = []
    try:
        port = free_port()
        user = "user root;" if os.geteuid() == 0 else ""
        with open(os.path.join(tmp, "nginx.conf"), "w") as f:
            f.write(NGINX_CONF.format(user=user, dir=tmp, port=port))
        nginx = subprocess.Popen(["taskset", "-c", "0", args.nginx, "-p", tmp, "-c",
                                  os.path.join(tmp, "nginx.conf"), "-e", os.path.join(tmp, "error.log")],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        servers.append(nginx)
        wait_port(port, nginx)
        url = f"http://127.0.0.1:{port}/"
        rows = []
        for conns in [int(c) for c in args.connections.split(",")]:
            print(f"== nginx, 1 thread, {conns} connections", file=sys.stderr, flush=True)
            f_cells, w_cells = compare(
                lambda: fwbench_cell(args.fwbench, url, conns, args.duration, "1", tmp),
                lambda: wrk_cell(args.wrk, url, conns, args.duration, "1"), args.reps)
            f_med, w_med = median_cell(f_cells), median_cell(w_cells)
            rows.append({"server": "nginx", "connections": conns, "fwbench": f_med, "wrk": w_med,
                         "rps_ratio": f_med["rps"] / w_med["rps"],
                         "cpu_ratio": f_med["cpu_us_per_request"] / w_med["cpu_us_per_request"],
                         "runs": {"fwbench": f_cells, "wrk": w_cells}})
            print(json.dumps({k: rows[-1][k] for k in ["connections", "rps_ratio", "cpu_ratio"]}),
                  file=sys.stderr, flush=True)
        nginx.terminate()
        nginx.wait(10)

        print("== close-delimited server, 1 thread, 16 connections", file=sys.stderr, flush=True)
        cport = free_port()
        close_server = subprocess.Popen(["taskset", "-c", "0", args.python, "-c", CLOSE_SERVER,
                                         str(cport)])
        servers.append(close_server)
        wait_port(cport, close_server)
        curl = f"http://127.0.0.1:{cport}/"
        f_cells, w_cells = compare(
            lambda: fwbench_cell(args.fwbench, curl, 16, args.duration, "1", tmp),
            lambda: wrk_cell(args.wrk, curl, 16, args.duration, "1"), 1)
        close_row = {"server": "close-delimited (python, no Content-Length)", "connections": 16,
                     "fwbench": f_cells[0], "wrk": w_cells[0]}
    finally:
        for s in servers:
            if s.poll() is None:
                s.send_signal(signal.SIGTERM)
                try:
                    s.wait(10)
                except subprocess.TimeoutExpired:
                    s.kill()
                    s.wait()
        shutil.rmtree(tmp, ignore_errors=True)

    doc = {"schema": "fwbench.bench.load_vs_wrk/1", "command": args.command,
           "started_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
           "duration_s": args.duration, "reps": args.reps,
           "pinning": {"server_cpu": "0", "generator_cpu": "1"},
           "note": "shared 2-core VM: absolute numbers are noisy, "
                   "the alternating side-by-side ratios are the result",
           "nginx": rows, "close_delimited": close_row}
    write_atomic(args.out + ".json", json.dumps(doc, indent=2) + "\n")

    md = ["# fwbench load vs wrk", "",
          f"Command: `{args.command}`", "",
          f"Run at {doc['started_at']}. nginx (`return 200 \"Hello, World!\"`, keep-alive, one "
          "process) pinned to CPU 0, the generator to CPU 1, 1 generator thread, "
          f"{args.duration} s per run, the two generators alternating, median of {args.reps} runs. "
          "CPU per request is the generator's user+sys (wait4 rusage) divided by the requests it "
          "completed. The VM is shared, so absolute numbers are noisy; "
          "the ratios come from runs interleaved in time.", "",
          "| connections | fwbench req/s | wrk req/s | req/s ratio | fwbench CPU µs/req (user) "
          "| wrk CPU µs/req (user) | CPU ratio |",
          "|---:|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        f, w = r["fwbench"], r["wrk"]
        md.append(f"| {r['connections']} | {f['rps']:.0f} | {w['rps']:.0f} | {r['rps_ratio']:.3f} "
                  f"| {f['cpu_us_per_request']:.2f} ({f['user_us_per_request']:.2f}) "
                  f"| {w['cpu_us_per_request']:.2f} ({w['user_us_per_request']:.2f}) "
                  f"| {r['cpu_ratio']:.3f} |")
    f, w = close_row["fwbench"], close_row["wrk"]
    md += ["", "## Close-delimited responses", "",
           "A server that sends no Content-Length and closes after each response (as uWSGI's "
           "`--http-socket` does); 16 connections, one run each.", "",
           "| tool | req/s | responses | errors | connects |", "|---|---:|---:|---|---:|",
           f"| fwbench | {f['rps']:.0f} | {f['requests']} | {json.dumps(f['errors'])} | {f['connects']} |",
           f"| wrk | {w['rps']:.0f} | {w['requests']} | {json.dumps(w['errors'])} | n/a |", "",
           "fwbench counts each close-delimited body as a complete response; wrk reports them "
           "as read errors.", ""]
    write_atomic(args.out + ".md", "\n".join(md))
    print("\n".join(md))


if __name__ == "__main__":
    main()
