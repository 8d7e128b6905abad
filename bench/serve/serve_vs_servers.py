"""fwbench serve against the WSGI servers, side by side (run by bench/serve_vs_servers.sh).

Every server is started from its template in bench/servers.json (the argv, stop signal and
settings `fwbench run` uses), with the same app, profile, workers, threads and CPU pinning.
Rounds interleave: each round starts every server once, in an order rotated by the round, so
drift in a shared machine does not favour one server. Per server, framework, route and round:
req/s from `fwbench load` (after an unmeasured warm-up) and the server's CPU per request (user +
sys of its whole process group from /proc, over the measured window only).

Reported per cell: the median over rounds with min and max, and for fwbench serve against each
other server the one-sided Mann-Whitney U p-value (exact, over the rounds) that serve is faster.
Writes <out>.json and <out>.md atomically.
"""
import argparse
import datetime
import itertools
import json
import math
import os
import platform
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

SERVE = "embedded"
TICKS = os.sysconf("SC_CLK_TCK")


def render(argv, values):
    return [a.format(**values) for a in argv]


def variants(catalog):
    """The suite's server templates, plus "uwsgi-bare": uWSGI without fwbench's Date-header
    wrapper and without threads, the fastest way it runs (it then sends no Date header and
    fails verify), so serve is also compared with uWSGI at its leanest."""
    servers = dict(catalog["servers"])
    if "uwsgi" in servers:
        bare = json.loads(json.dumps(servers["uwsgi"]))
        argv = bare["argv"]
        for flag, value in (("--env", "FWBENCH_WSGI={wsgi}"), ("--threads", "{threads}")):
            i = argv.index(value)
            assert argv[i - 1] == flag, f"bench/servers.json uwsgi: expected {flag} {value}"
            del argv[i - 1:i + 1]
        argv[argv.index("fwbench_common.uwsgi_headers:application")] = "{wsgi}"
        servers["uwsgi-bare"] = bare
    return servers


def group_cpu_ticks(pgid):
    total = 0
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid:
            total += int(fields[11]) + int(fields[12])
    return total


class Server:
    def __init__(self, name, template, fw, args, port, db_url, log_dir):
        root = args.root
        venv = os.path.dirname(os.path.dirname(args.python))
        values = {"port": port, "host": "127.0.0.1", "workers": args.workers,
                  "threads": args.threads, "python": args.python, "venv": venv,
                  "fwbench": args.fwbench, "root": root,
                  "app_dir": fw["dir"], "wsgi": fw["wsgi"], "framework": fw["name"],
                  "profile": args.profile, "database_url": db_url,
                  "frameworks_file": fw["frameworks_file"]}
        env = dict(os.environ)
        env.pop("PYTHONHOME", None)
        env.update({"VIRTUAL_ENV": venv, "PATH": os.path.join(venv, "bin") + ":" + env["PATH"],
                    "PYTHONPATH": ":".join(fw["sys_path"]),
                    "PYTHONUNBUFFERED": "1", "FWBENCH_PROFILE": args.profile,
                    "DATABASE_URL": db_url})
        env.update(fw["env"])
        env.update(template.get("env", {}))
        cpus = parse_cpus(args.server_cpus)
        self.name = name
        self.stop_signal = getattr(signal, template["stop_signal"])
        self.stop_timeout = template["stop_timeout_s"]
        self.log = open(os.path.join(log_dir, f"{fw['name']}-{name}.log"), "ab")
        self.proc = subprocess.Popen(
            render(template["argv"], values), cwd=values["app_dir"], env=env,
            stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True,
            preexec_fn=lambda: os.sched_setaffinity(0, cpus))
        self.url = f"http://127.0.0.1:{port}"

    def wait_ready(self, path, deadline_s):
        end = time.monotonic() + deadline_s
        while time.monotonic() < end:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} exited with {self.proc.returncode} before "
                                   f"answering; see its log in the work folder")
            try:
                with urllib.request.urlopen(self.url + path, timeout=2) as r:
                    if r.status == 200:
                        return
            except OSError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"{self.name} did not answer {path} with 200 in {deadline_s} s")

    def stop(self):
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, self.stop_signal)
                self.proc.wait(self.stop_timeout)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                pass
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)  # stragglers of the group
        except ProcessLookupError:
            pass
        self.proc.wait()
        self.log.close()


def parse_cpus(text):
    cpus = set()
    for part in text.split(","):
        lo, _, hi = part.partition("-")
        cpus.update(range(int(lo), int(hi or lo) + 1))
    return cpus


def free_port():
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def load(args, url, seconds, json_path=None):
    cmd = ["taskset", "-c", args.load_cpus, args.fwbench, "load", url, "-t", "1",
           "-c", str(args.connections), "-d", f"{seconds}s"]
    if json_path:
        cmd += ["--json", json_path]
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                   timeout=seconds + 60)


def measure(args, server, route, work):
    url = f"{server.url}/{route}"
    if args.warmup > 0:
        load(args, url, args.warmup)
    report = os.path.join(work, "load.json")
    before = group_cpu_ticks(server.proc.pid)
    load(args, url, args.duration, report)
    after = group_cpu_ticks(server.proc.pid)
    with open(report) as f:
        overall = json.load(f)["overall"]
    requests = overall["requests"]
    return {"rps": overall["rps"], "requests": requests,
            "all_2xx": overall["status"].get("2xx", 0) == requests and requests > 0,
            "cpu_us_per_request": (after - before) / TICKS * 1e6 / requests if requests else None}


def mann_whitney_greater(xs, ys):
    """Exact one-sided p-value that xs tend to be larger than ys (ties count half)."""
    def u(a, b):
        return sum((x > y) + 0.5 * (x == y) for x in a for y in b)
    observed = u(xs, ys)
    pooled = xs + ys
    hits = total = 0
    for chosen in itertools.combinations(range(len(pooled)), len(xs)):
        a = [pooled[i] for i in chosen]
        b = [pooled[i] for i in range(len(pooled)) if i not in chosen]
        hits += u(a, b) >= observed
        total += 1
    return hits / total


def run(args, catalog, frameworks, work):
    servers = variants(catalog)
    db_url = f"sqlite:///{work}/fwbench.sqlite3"
    subprocess.run(render(catalog["db_init"], {"python": args.python, "root": args.root,
                                               "database_url": db_url}),
                   check=True, stdout=subprocess.DEVNULL)
    samples = []
    names = args.servers
    for round_no in range(args.rounds):
        order = names[round_no % len(names):] + names[:round_no % len(names)]
        fws = args.frameworks if round_no % 2 == 0 else list(reversed(args.frameworks))
        for fw_name in fws:
            fw = dict(frameworks[fw_name], name=fw_name)
            for name in order:
                server = Server(name, servers[name], fw, args, free_port(), db_url, work)
                try:
                    server.wait_ready("/plaintext", 120)
                    for route in args.routes:
                        m = measure(args, server, route, work)
                        m.update(framework=fw_name, server=name, route=route, round=round_no + 1)
                        samples.append(m)
                        print(f"round {round_no + 1}/{args.rounds} {fw_name:7} {name:17} "
                              f"/{route:10} {m['rps']:9.0f} req/s "
                              f"{m['cpu_us_per_request'] or 0:7.1f} us/req", file=sys.stderr)
                finally:
                    server.stop()
    return samples


def summarize(samples, args):
    cells = {}
    for s in samples:
        cells.setdefault((s["framework"], s["route"], s["server"]), []).append(s)
    rows = []
    for (fw, route, server), ss in cells.items():
        rps = [s["rps"] for s in ss]
        cpu = [s["cpu_us_per_request"] for s in ss if s["cpu_us_per_request"]]
        rows.append({"framework": fw, "route": route, "server": server, "rps_values": rps,
                     "rps_median": statistics.median(rps), "rps_min": min(rps),
                     "rps_max": max(rps), "all_2xx": all(s["all_2xx"] for s in ss),
                     "cpu_us_per_request_median": statistics.median(cpu) if cpu else None})
    checks = []
    for fw in args.frameworks:
        for route in args.routes:
            mine = cells.get((fw, route, SERVE))
            if not mine:
                continue
            mine_rps = [s["rps"] for s in mine]
            versus = {}
            for server in args.servers:
                other = cells.get((fw, route, server))
                if server == SERVE or not other:
                    continue
                other_rps = [s["rps"] for s in other]
                versus[server] = {
                    "ratio": statistics.median(mine_rps) / statistics.median(other_rps),
                    "p_serve_faster": mann_whitney_greater(mine_rps, other_rps)}
            sync = versus.get("gunicorn-sync", {}).get("ratio")
            checks.append({"framework": fw, "route": route, "versus": versus,
                           "ratio_vs_gunicorn_sync": sync,
                           "meets_1_5x_gunicorn_sync": bool(sync and sync >= 1.5),
                           "beats_every_other_server": all(v["ratio"] > 1 for v in versus.values())})
    return rows, checks


def document(samples, args, started, loadavg):
    rows, checks = summarize(samples, args)
    return {"schema": "fwbench.serve_vs_servers/2", "command": args.command,
            "started_at": started,
            "ended_at": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
            "machine": {"cores": os.cpu_count(), "kernel": platform.release(),
                        "loadavg_before": loadavg},
            "config": {"rounds": args.rounds, "duration_s": args.duration,
                       "warmup_s": args.warmup, "connections": args.connections,
                       "workers": args.workers, "threads": args.threads,
                       "profile": args.profile, "server_cpus": args.server_cpus,
                       "load_cpus": args.load_cpus},
            "samples": samples, "rows": rows, "checks": checks}


def write_atomic(path, text):
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path) or ".")
    with os.fdopen(fd, "w") as f:
        f.write(text)
    os.chmod(tmp, 0o644)
    os.replace(tmp, path)


def markdown(doc, args):
    rows = {(r["framework"], r["route"], r["server"]): r for r in doc["rows"]}
    cfg = doc["config"]
    md = ["# fwbench serve vs WSGI servers", "", f"Command: `{doc['command']}`", "",
          f"{doc['started_at']} to {doc['ended_at']}, {doc['machine']['cores']}-core VM "
          f"(kernel {doc['machine']['kernel']}), load average before "
          f"{doc['machine']['loadavg_before']}. Servers from `bench/servers.json` on CPU "
          f"{cfg['server_cpus']}, `fwbench load` on CPU {cfg['load_cpus']}; {cfg['workers']} "
          f"worker(s), {cfg['threads']} threads where a server has them, profile "
          f"{cfg['profile']}, {cfg['connections']} connections, {cfg['warmup_s']} s warm-up "
          f"then {cfg['duration_s']} s measured, {cfg['rounds']} interleaved rounds.", "",
          f"`embedded` is `fwbench serve`. `uwsgi` is the suite's template: {cfg['threads']} "
          "threads like the other threaded servers, and a Date header added by a small WSGI "
          "wrapper (uWSGI sends none). `uwsgi-bare` is uWSGI at its leanest: no threads, no "
          "wrapper, no Date header (it fails verify, so the suite does not run it this way).",
          ""]

    def rps_text(r):
        text = f"{r['rps_median']:,.0f} ({r['rps_min']:,.0f}-{r['rps_max']:,.0f})"
        return text if r["all_2xx"] else text + " non-2xx"

    def cpu_text(r):
        v = r["cpu_us_per_request_median"]
        return f"{v:,.1f}" if v else "n/a"

    for title, cell_text in (("Requests per second: median over rounds (min-max)", rps_text),
                             ("Server CPU per request (µs, median over rounds)", cpu_text)):
        md += [f"## {title}", "", "| framework | route | " + " | ".join(args.servers) + " |",
               "|---|---|" + "---:|" * len(args.servers)]
        for fw in args.frameworks:
            for route in args.routes:
                cells = [cell_text(rows[(fw, route, s)]) if (fw, route, s) in rows else "failed"
                         for s in args.servers]
                md.append(f"| {fw} | /{route} | " + " | ".join(cells) + " |")
        md.append("")
    others = [s for s in args.servers if s != SERVE]
    md += ["## fwbench serve against each server: median ratio (p that serve is faster)", "",
           "| framework | route | " + " | ".join(others) + " | >= 1.5x gunicorn-sync | beats all |",
           "|---|---|" + "---:|" * len(others) + ":---:|:---:|"]
    for c in doc["checks"]:
        cells = []
        for s in others:
            v = c["versus"].get(s)
            cells.append(f"{v['ratio']:.2f}x (p={v['p_serve_faster']:.3f})" if v else "n/a")
        md.append(f"| {c['framework']} | /{c['route']} | " + " | ".join(cells) +
                  f" | {'yes' if c['meets_1_5x_gunicorn_sync'] else 'no'}"
                  f" | {'yes' if c['beats_every_other_server'] else 'no'} |")
    n = doc["config"]["rounds"]
    md += ["", "Target (issue 4): fwbench serve >= 1.5x gunicorn-sync and above every other "
           "server. p is the exact one-sided Mann-Whitney U p-value over the rounds; with "
           f"{n} rounds the smallest possible is {1 / math.comb(2 * n, n):.3f}."]
    return "\n".join(md) + "\n"


def load_catalog(fwbench, frameworks_file):
    """The resolved app catalogue, `fwbench apps --json` (apps/README.md): the one reader of
    apps/frameworks.json is the binary, so this starts the apps exactly as the suite does."""
    out = subprocess.run([fwbench, "apps", "--json", "--frameworks", frameworks_file],
                         capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"error: {fwbench} apps --json failed: {out.stderr.strip()}")
    return json.loads(out.stdout)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--fwbench", required=True)
    p.add_argument("--python", required=True)
    p.add_argument("--root", required=True)
    p.add_argument("--out", required=True, help="path prefix: writes <out>.json and <out>.md")
    p.add_argument("--command", required=True)
    p.add_argument("--rounds", type=int, default=5)
    p.add_argument("--duration", type=float, default=4)
    p.add_argument("--warmup", type=float, default=1)
    p.add_argument("--connections", type=int, default=32)
    p.add_argument("--workers", type=int, default=1)
    p.add_argument("--threads", type=int, default=4)
    p.add_argument("--profile", help="default: the catalogue's default profile (minimal)")
    p.add_argument("--frameworks", default="flask,django")
    p.add_argument("--routes", default="plaintext,json")
    p.add_argument("--servers", default="embedded,gunicorn-sync,gunicorn-gthread,uwsgi,"
                                        "uwsgi-bare,granian")
    p.add_argument("--server-cpus", default="0")
    p.add_argument("--load-cpus", default="1")
    args = p.parse_args()
    for name in ("frameworks", "routes", "servers"):
        setattr(args, name, [x for x in getattr(args, name).split(",") if x])
    with open(os.path.join(args.root, "bench/servers.json")) as f:
        catalog = json.load(f)
    apps = load_catalog(args.fwbench, os.path.join(args.root, "apps/frameworks.json"))
    frameworks = {name: dict(entry, frameworks_file=apps["file"])
                  for name, entry in apps["frameworks"].items()}
    if args.profile is None:
        args.profile = apps["default_profile"]
    known = variants(catalog)
    for name in args.servers:
        if name not in known:
            sys.exit(f"error: unknown server {name!r} (--servers); known: {', '.join(known)}")
    for name in args.frameworks:
        if name not in frameworks:
            sys.exit(f"error: unknown framework {name!r} (--frameworks); known: "
                     f"{', '.join(frameworks)} (`fwbench apps`)")
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    loadavg = " ".join(open("/proc/loadavg").read().split()[:3])
    started = datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")
    with tempfile.TemporaryDirectory() as work:
        samples = run(args, catalog, frameworks, work)
    doc = document(samples, args, started, loadavg)
    os.makedirs(os.path.dirname(args.out) or ".", exist_ok=True)
    write_atomic(args.out + ".json", json.dumps(doc, indent=2) + "\n")
    md = markdown(doc, args)
    write_atomic(args.out + ".md", md)
    print(md)


if __name__ == "__main__":
    main()
