"""py-spy flame graphs of a worker under load, and their per-layer shares beside the
instrumented ones of `fwbench inproc --layers` (issue 15, the cross-check). Run by
bench/flamegraphs.sh, which documents the command.

For each framework of the app catalogue (`fwbench apps --json`) and each route of the default
suite (bench/suites/default.json, on SQLite), in the minimal profile:
- `fwbench serve --app F --workers 1` on a free loopback port, on a freshly seeded SQLite file;
- `fwbench load` on the route, closed model, CONNECTIONS connections, for WARMUP + SECONDS + 2 s;
- after WARMUP seconds, two py-spy recorders on the serving process and its worker for SECONDS
  at RATE Hz, side by side: one writes the flame graph (SVG), one the collapsed stacks (raw);
- the server is stopped (SIGTERM to its process group, SIGKILL after 10 s) whatever happens.

The collapsed stacks are sorted into the layers of bench/layers/README.md by the same
boundaries the markers use (LAYER_RULES): a sample belongs to the innermost frame a rule
claims; one no rule claims is `adapter` under the WSGI callable, `response` under the body's
iteration or close(), and `other` outside the app or when py-spy caught a partial stack. The shares are taken over the Python-visible layers (the
C++ `server` layer has no Python frame) and set beside results/layers.json's instruction
shares over the same layers. TOLERANCE_PP says what "agree" means; a disagreement is listed,
not hidden (instructions are not time: C code such as SQLite runs at a different IPC than the
interpreter loop; a sample sees time spent in C code the markers leave to the caller).

Usage: flamegraphs.py --fwbench BIN --out-dir DIR [--layers results/layers.json]
                      [--seconds 10] [--rate 200] [--connections 8] [--warmup 3]
       flamegraphs.py --render-only --out-dir DIR [--layers ...]   (tables from kept raw files)
"""
import argparse
import datetime
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = "fwbench.flamegraphs/1"
PROFILE = "minimal"
TOLERANCE_PP = 10.0
# The boundaries of apps/common/fwbench_layers (bench/layers/README.md), as frames: (layer,
# file suffix, function names). A sample belongs to the innermost frame a rule claims, as an
# instruction belongs to the innermost marked call; a sample in the app that no rule claims is
# `adapter` (the markers wrap the whole WSGI callable as adapter); one outside the app is
# `other`. A rule names the function (py-spy's Class.function, class dropped) and its file.
FLASK_RULES = [
    ("routing", "/flask/app.py", ("create_url_adapter",)),
    ("routing", "/flask/ctx.py", ("match_request",)),
    ("middleware", "/flask/app.py", ("preprocess_request", "process_response",
                                     "do_teardown_request", "do_teardown_appcontext")),
    ("middleware", "/flask/sessions.py", ("open_session", "save_session")),
    ("view", "/flask/app.py", ("dispatch_request",)),
    ("template", "/jinja2/environment.py", ("render",)),
    ("response", "/flask/app.py", ("make_response",)),
    ("response", "/flask/json/provider.py", ("response",)),
    ("response", "/werkzeug/wrappers/response.py", ("__call__",)),
    ("serialization", "/flask/json/provider.py", ("dumps",)),
    ("orm", "/sqlalchemy/orm/scoping.py", ("get", "execute", "scalars", "scalar", "commit",
                                           "rollback", "remove")),
    ("orm", "/sqlalchemy/engine/result.py", ("all", "scalars", "first", "one")),
    ("db", "/sqlalchemy/engine/default.py", ("do_execute", "do_executemany",
                                             "do_execute_no_params", "do_commit", "do_rollback")),
    ("db", "/sqlalchemy/engine/cursor.py", ("fetchone", "fetchmany", "fetchall")),
]
DJANGO_RULES = [
    ("routing", "/django/core/handlers/base.py", ("resolve_request",)),
    ("middleware", "/django/core/handlers/exception.py", ("inner",)),
    ("view", "/apps/django/", None),
    ("template", "/django/template/backends/django.py", ("render",)),
    ("response", "/django/http/response.py", ("__init__",)),
    ("serialization", "/json/encoder.py", ("encode",)),
    ("orm", "/django/db/models/manager.py", ("get_queryset",)),
    ("orm", "/django/db/models/query.py", ("get", "all", "filter", "_fetch_all", "bulk_update")),
    ("orm", "/django/db/transaction.py", ("__enter__", "__exit__")),
    ("db", "/django/db/backends/utils.py", ("_execute", "_executemany")),
    ("db", "/django/db/utils.py", ("inner",)),
    ("db", "/django/db/backends/base/base.py", ("_commit", "_rollback")),
]
LAYER_RULES = {"flask": FLASK_RULES, "django": DJANGO_RULES}
# What the server calls: the WSGI callable (under it, what no rule claims is `adapter`), and the
# body's iteration and close() (werkzeug's ClosingIterator, Django's HttpResponse), which the
# markers count as `response`. A sample whose outermost Python frame is neither was cut short
# by the sampler (py-spy reads the stack while the process runs) and is `other`.
WSGI_ENTRY = {
    "flask": {"adapter": [("/flask/app.py", ("__call__",))],
              "response": [("/werkzeug/wsgi.py", ("__iter__", "__next__", "close")),
                           ("/werkzeug/wrappers/response.py", ("__iter__", "close"))]},
    "django": {"adapter": [("/django/core/handlers/wsgi.py", ("__call__",))],
               "response": [("/django/http/response.py", ("__iter__", "close"))]},
}
PYTHON_LAYERS = ["adapter", "routing", "middleware", "view", "orm", "db", "template",
                 "serialization", "response"]


class InputError(Exception):
    pass


def split_frame(frame):
    """'Class.function (file:line)' -> (function, file); ('', '') for py-spy's process frames."""
    start = frame.rfind(" (")
    if start < 0 or frame.startswith("process "):
        return "", ""
    return frame[:start].rsplit(".", 1)[-1], frame[start + 2:].rsplit(":", 1)[0]


def layer_of(stack, rules, entry):
    """The layer of one sample: its frames root first, each 'Class.function (file:line)'."""
    frames = [f for f in map(split_frame, stack) if f[1]]
    for function, path in reversed(frames):
        for layer, suffix, functions in rules:
            if suffix in path and (functions is None or function in functions):
                return layer
    if not frames:
        return "other"
    function, path = frames[0]
    for layer, places in entry.items():
        if any(suffix in path and function in names for suffix, names in places):
            return layer
    return "other"


def layer_samples(raw_text, rules, entry):
    """{layer: samples} from py-spy's raw (collapsed) output: 'frame;frame;... count'."""
    counts = {}
    for line in raw_text.splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        layer = layer_of(stack.split(";"), rules, entry)
        counts[layer] = counts.get(layer, 0) + int(count)
    return counts


def shares(values, layers):
    total = sum(values.get(layer, 0) for layer in layers)
    return {layer: (100.0 * values.get(layer, 0) / total if total else None) for layer in layers}


def instrumented(layers_doc, framework, route, target):
    """({layer: instructions}, note) of results/layers.json for (framework, minimal, route) when
    its request is `target` (path?query); (None, why) otherwise."""
    if not layers_doc:
        return None, "no layers file"
    for row in layers_doc.get("results", []):
        if (row.get("framework"), row.get("profile"), row.get("route")) != (framework, PROFILE,
                                                                            route):
            continue
        measured = row.get("path", "") + (f"?{row['query']}" if row.get("query") else "")
        if measured != target:
            return None, f"the instrumented row measured another request ({measured})"
        return {name: v.get("instructions", 0) for name, v in row.get("layers", {}).items()}, ""
    return None, f"no instrumented row for {framework} {PROFILE} {route}"


def compare(sampled_counts, instr):
    s = shares(sampled_counts, PYTHON_LAYERS)
    i = shares(instr, PYTHON_LAYERS) if instr else None
    rows = []
    for layer in PYTHON_LAYERS:
        diff = None if i is None or s[layer] is None else s[layer] - i[layer]
        rows.append({"layer": layer, "sampled_pct": s[layer],
                     "instrumented_pct": None if i is None else i[layer], "diff_pp": diff})
    diffs = [abs(r["diff_pp"]) for r in rows if r["diff_pp"] is not None]
    return rows, (max(diffs) if diffs else None)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_ready(url, proc, timeout_s=60):
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise InputError(f"fwbench serve exited with {proc.returncode} before {url} answered")
        try:
            with urllib.request.urlopen(url, timeout=2) as resp:
                if resp.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise InputError(f"{url} did not answer 200 within {timeout_s} s")


def stop(proc):
    if proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=10)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait(timeout=10)


def record_one(args, framework, route, path, database_url, out_dir, logs):
    """Serves `framework`, loads `path`, records; returns the raw file's path."""
    stem = f"{framework}-{PROFILE}-{route}"
    svg, raw = out_dir / f"{stem}.svg", logs / f"{stem}.raw.txt"
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with open(logs / f"{stem}.serve.log", "w") as log:
        serve = subprocess.Popen(
            [args.fwbench, "serve", "--app", framework, "--workers", "1", "--port", str(port),
             "--profile", PROFILE, "--database-url", database_url],
            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    load = None
    try:
        wait_ready(base + path, serve)
        load = subprocess.Popen(
            [args.fwbench, "load", base + path, "-c", str(args.connections),
             "-d", f"{args.warmup + args.seconds + 2}s", "--json", str(logs / f"{stem}.load.json")],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(args.warmup)
        spy = [args.py_spy, "record", "--pid", str(serve.pid), "--subprocesses", "--nonblocking",
               "--rate", str(args.rate), "--duration", str(args.seconds), "--full-filenames"]
        recorders = [subprocess.Popen(spy + ["--format", fmt, "-o", str(out)],
                                      stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
                     for fmt, out in (("flamegraph", svg), ("raw", raw))]
        for rec in recorders:
            _, err = rec.communicate(timeout=args.seconds + 60)
            if rec.returncode != 0:
                raise InputError(f"py-spy failed ({rec.returncode}) on {stem}: {err.strip()[-300:]}")
        load.wait(timeout=args.seconds + 60)
    finally:
        if load is not None and load.poll() is None:
            load.kill()
            load.wait(timeout=10)
        stop(serve)
    return raw


def routes_of(suite_file):
    suite = json.loads(Path(suite_file).read_text())
    out = []
    for r in suite["routes"]:
        name = r if isinstance(r, str) else r["name"]
        dbs = None if isinstance(r, str) else r.get("databases")
        if dbs is not None and "sqlite" not in dbs:
            continue
        path = r.get("path") if isinstance(r, dict) else None
        contract_route = name.split("-")[0]
        out.append((name, contract_route, path or f"/{contract_route}"))
    return out


def frameworks_of(fwbench):
    out = subprocess.run([fwbench, "apps", "--json"], capture_output=True, text=True, timeout=60)
    if out.returncode != 0:
        raise InputError(f"{fwbench} apps --json failed: {out.stderr.strip()}")
    return sorted(json.loads(out.stdout)["frameworks"])


def render(doc):
    md = ["# Sampled (py-spy) against instrumented (callgrind) layer shares", "",
          f"Command: `{doc['command']}`" + (
              " (the shares re-read from the stacks `bench/flamegraphs.sh` recorded into "
              "var/flamegraphs/, 11 MB, not committed; the SVGs are that recording's)"
              if doc["command"].startswith("RENDER_ONLY") else ""), "",
          f"- written: {doc['generated_at']} (UTC); {doc['py_spy']}; "
          f"{doc['seconds']} s at {doc['rate']} Hz per graph, `fwbench serve --workers 1` under "
          f"`fwbench load -c {doc['connections']}` (closed), profile {PROFILE}, SQLite",
          f"- instrumented: `{doc['layers_file']}` (instructions of one request, in-process)",
          f"- agreement: every layer's sampled share within {TOLERANCE_PP:g} percentage points "
          "of its instrumented share, both over the nine Python-visible layers (the C++ "
          "`server` layer has no Python frame; samples outside every layer are `other` and "
          "left out)", ""]
    for item in doc["graphs"]:
        md += [f"## {item['framework']} {item['route']} (`{item['path']}`)", "",
               f"Flame graph: [{item['svg']}]({item['svg']}); {item['samples']} samples, "
               f"{item['other_samples']} outside every layer.", ""]
        if all(r["sampled_pct"] is None for r in item["layers"]):
            md += [f"- not compared: {item['not_compared']}", ""]
            continue
        md += ["| layer | sampled % | instrumented % | difference (pp) |",
               "| --- | ---: | ---: | ---: |"]
        for r in item["layers"]:
            f = (lambda v, spec: "n/a" if v is None else format(v, spec))
            md.append(f"| {r['layer']} | {f(r['sampled_pct'], '.1f')} | "
                      f"{f(r['instrumented_pct'], '.1f')} | {f(r['diff_pp'], '+.1f')} |")
        verdict = (f"not compared: {item['not_compared']}" if item["max_abs_diff_pp"] is None else
                   f"largest difference {item['max_abs_diff_pp']:.1f} pp: " +
                   ("agrees" if item["agrees"] else "DISAGREES"))
        md += ["", f"- {verdict}", ""]
    agree = [g["agrees"] for g in doc["graphs"] if g["agrees"] is not None]
    md += ["## Summary", "", f"- {sum(agree)} of {len(agree)} graphs agree within "
           f"{TOLERANCE_PP:g} pp on every layer."]
    return "\n".join(md) + "\n"


def write_atomic(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name + ".")
    with os.fdopen(fd, "w") as f:
        f.write(text)
    os.replace(tmp, path)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--fwbench", default=str(ROOT / "build/src/cli/fwbench"))
    p.add_argument("--py-spy", default=str(Path(sys.executable).parent / "py-spy"))
    p.add_argument("--suite", default=str(ROOT / "bench/suites/default.json"))
    p.add_argument("--layers", default="results/layers.json")
    p.add_argument("--out-dir", default="results/flamegraphs")
    p.add_argument("--logs", default="var/flamegraphs")
    p.add_argument("--seconds", type=int, default=10)
    p.add_argument("--rate", type=int, default=200)
    p.add_argument("--connections", type=int, default=8)
    p.add_argument("--warmup", type=int, default=3)
    p.add_argument("--command", default="bench/flamegraphs.sh")
    p.add_argument("--render-only", action="store_true",
                   help="re-read the kept raw stacks in --logs; record nothing")
    args = p.parse_args(argv)
    out_dir, logs = Path(args.out_dir), Path(args.logs)
    logs.mkdir(parents=True, exist_ok=True)
    out_dir.mkdir(parents=True, exist_ok=True)
    try:
        layers_doc = (json.loads(Path(args.layers).read_text())
                      if Path(args.layers).is_file() else None)
        frameworks = frameworks_of(args.fwbench)
        routes = routes_of(args.suite)
        version = subprocess.run([args.py_spy, "--version"], capture_output=True, text=True,
                                 timeout=30).stdout.strip()
        database = logs / "flamegraphs.sqlite3"
        database_url = f"sqlite:///{database.resolve()}"
        if not args.render_only:
            subprocess.run([args.fwbench, "db", "init", "--url", database_url],
                           check=True, stdout=subprocess.DEVNULL, timeout=300)
        graphs = []
        for framework in frameworks:
            for route, contract_route, path in routes:
                stem = f"{framework}-{PROFILE}-{route}"
                raw = logs / f"{stem}.raw.txt"
                if not args.render_only:
                    print(f"recording {stem}", file=sys.stderr, flush=True)
                    raw = record_one(args, framework, route, path, database_url, out_dir, logs)
                if not raw.is_file():
                    raise InputError(f"no recorded stacks at {raw}; run without --render-only")
                if framework in LAYER_RULES:
                    counts = layer_samples(raw.read_text(), LAYER_RULES[framework],
                                           WSGI_ENTRY[framework])
                    instr, note = instrumented(layers_doc, framework, contract_route, path)
                else:  # the graph, without layer shares: no boundaries are named for it
                    counts = layer_samples(raw.read_text(), [], {})  # every sample "other"
                    instr, note = None, (f"no layer boundaries for {framework} (LAYER_RULES "
                                         "here, apps/common/fwbench_layers)")
                rows, worst = compare(counts, instr)
                graphs.append({"framework": framework, "route": route, "path": path,
                               "contract_route": contract_route,
                               "svg": f"{out_dir.name}/{stem}.svg",
                               "samples": sum(counts.values()),
                               "other_samples": counts.get("other", 0), "layers": rows,
                               "max_abs_diff_pp": worst, "not_compared": note,
                               "agrees": None if worst is None else worst <= TOLERANCE_PP})
    except (InputError, OSError, ValueError, KeyError, subprocess.SubprocessError) as e:
        print(f"flamegraphs: {e}", file=sys.stderr)
        return 2
    doc = {"schema": SCHEMA, "command": args.command,
           "generated_at": datetime.datetime.now(datetime.timezone.utc).strftime(
               "%Y-%m-%dT%H:%M:%SZ"),
           "py_spy": version, "seconds": args.seconds, "rate": args.rate,
           "connections": args.connections, "layers_file": args.layers,
           "tolerance_pp": TOLERANCE_PP, "rules": LAYER_RULES, "graphs": graphs}
    parent = out_dir.parent
    write_atomic(parent / "flamegraphs.json", json.dumps(doc, indent=1) + "\n")
    write_atomic(parent / "flamegraphs.md", render(doc))
    print(render(doc))
    return 0


if __name__ == "__main__":
    sys.exit(main())
