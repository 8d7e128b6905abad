"""The serve-vs-servers table from a `fwbench run` results file (run by bench/serve_vs_servers.sh).

Reads a fwbench.results/2 file of a suite with "compare": "servers"
(bench/suites/serve-vs-servers.json) and writes, per framework and route, each server's req/s
and server-tree CPU per request, then the first server's ratio to each other server. Every
number and interval is the results file's own (cells' `summary`, the `comparisons`); nothing is
estimated here. Starts no process.
"""
import argparse
import json
import lzma
import os
import sys
import tempfile

# Cell flags, as footnote marks: (test, mark, meaning).
FLAGS = [
    (lambda c: c.get("verify_skipped"), "†",
     "verify skipped (`\"verify\": \"skip\"` in bench/servers.json; it breaks the contract)"),
    (lambda c: c.get("starved"), "s",
     "starved: some connection completed nothing in a round (results/SCHEMA.md)"),
    (lambda c: ((c.get("summary") or {}).get("error_ratio") or {}).get("estimate", 0) > 0, "e",
     "some responses were errors or not 2xx (summary.error_ratio > 0)"),
    (lambda c: (c.get("summary") or {}).get("host_disturbed", 0) > 0, "h",
     "the host check found the host slowed in some kept round (summary.host_disturbed)"),
]


def load(path):
    opener = lzma.open if path.endswith(".xz") else open
    with opener(path, "rt") as f:
        doc = json.load(f)
    if doc.get("schema") != "fwbench.results/2":
        sys.exit(f"error: {path}: schema is {doc.get('schema')!r}, expected 'fwbench.results/2' "
                 "(a file of `fwbench run`)")
    if doc["meta"].get("suite", {}).get("compare") != "servers":
        sys.exit(f"error: {path}: meta.suite.compare is not \"servers\"; give the results of a "
                 "suite that compares servers (bench/suites/serve-vs-servers.json)")
    return doc


def server_labels(suite):
    """The servers' labels in the suite's order, one per proxy ("uwsgi", "uwsgi+nginx")."""
    labels = []
    for item in suite["servers"]:
        name = item if isinstance(item, str) else item["name"]
        proxies = suite.get("proxy", "none") if isinstance(item, str) else item.get(
            "proxy", suite.get("proxy", "none"))
        for proxy in proxies if isinstance(proxies, list) else [proxies]:
            labels.append(name if proxy == "none" else f"{name}+{proxy}")
    return labels


def label(cell):
    proxy = cell.get("proxy", "none")
    return cell["server"] if proxy == "none" else f"{cell['server']}+{proxy}"


def row_key(cell):
    level = f"c{cell['concurrency']}" if cell["model"] == "closed" else f"r{cell['rate']:g}"
    return (cell["framework"], cell["profile"], cell["db"], cell["route"], level)


def interval(summary, digits):
    """"6,100 [5,900-6,300]": the estimate with its 95% interval, as the file has them."""
    if not summary or summary.get("estimate") is None:
        return "n/a"
    text = f"{summary['estimate']:,.{digits}f}"
    ci = summary.get("ci95")
    if ci and None not in ci:
        text += f" [{ci[0]:,.{digits}f}-{ci[1]:,.{digits}f}]"
    return text


def cell_text(cell, metric, digits):
    if cell is None:
        return "not planned"
    if cell["status"] not in ("ok", "incomplete"):
        return cell["status"]
    marks = "".join(mark for test, mark, _ in FLAGS if test(cell))
    return interval(cell["summary"].get(metric), digits) + (f" {marks}" if marks else "")


def ratio_text(estimate):
    if not estimate:
        return "n/a"
    text = f"{estimate['ratio']:.2f}x"
    if estimate.get("ci95"):
        text += f" [{estimate['ci95'][0]:.2f}-{estimate['ci95'][1]:.2f}]"
    return text


def markdown(doc, command):
    meta, suite = doc["meta"], doc["meta"]["suite"]
    servers = server_labels(suite)
    cells = {}
    for cell in doc["cells"]:
        cells.setdefault(row_key(cell), {})[label(cell)] = cell
    rows = sorted(cells, key=lambda k: (suite["frameworks"].index(k[0]), k[1:]))
    paired, pin = meta["paired"], meta["pinning"]
    load = suite["load"]
    md = ["# fwbench serve vs WSGI servers", "", f"Command: `{command}`", "",
          f"{meta['started_at']} to {meta['ended_at']} ({meta['state']}), {meta['cores']} cores "
          f"({meta['cpu_model']}, kernel {meta['kernel']}). Suite `{suite.get('name', '?')}`: "
          f"servers of `bench/servers.json` on CPU "
          f"{pin['server_cpus'] or 'any'}, load on CPU {pin['load_cpus'] or 'any'}; "
          f"{suite.get('workers', 1)} worker(s), {suite.get('threads', 1)} threads where a server "
          f"has them; {paired['mode']} mode, {paired['slices']} slices of {paired['slice_s']} s "
          f"per server per round, at least {suite.get('warmup_s', 1)} s warm-up, "
          f"{paired['min_rounds']}-{paired['max_rounds']} rounds (servers restarted each round); "
          f"closed load, {load.get('threads', 1)} load thread(s).", "",
          "Each figure is the results file's estimate over rounds (geometric mean) with its 95% "
          "interval; ratios are its `comparisons` (per-round ratios of the paired slices). "
          "`embedded` is `fwbench serve`.", ""]
    for title, metric, digits in (("Requests per second", "rps", 0),
                                  ("Server CPU per request (µs, whole server tree)",
                                   "cpu_us_per_request", 1)):
        md += [f"## {title}", "", "| framework | profile | db | route | level | " +
               " | ".join(servers) + " |", "|---|---|---|---|---|" + "---:|" * len(servers)]
        for key in rows:
            texts = [cell_text(cells[key].get(s), metric, digits) for s in servers]
            md.append(f"| {' | '.join(key[:3])} | /{key[3]} | {key[4]} | " + " | ".join(texts) +
                      " |")
        md.append("")
    first, others = servers[0], servers[1:]
    ratios = {}
    for c in doc["comparisons"]:
        if c.get("axis") == "server" and c["server_a"] == first:
            ratios[(c["a"], c["server_b"])] = c
    md += [f"## {first} against each server: ratio {first}/server, 95% interval", "",
           "Primary metric of each comparison (`primary`): req/s in slices mode; ⚠ when its "
           "interval is wider than the target.", "",
           "| framework | route | metric | " + " | ".join(others) + " |",
           "|---|---|---|" + "---:|" * len(others)]
    for key in rows:
        mine = cells[key].get(first)
        if mine is None:
            continue
        for metric in ("rps", "cpu_us_per_request"):
            texts = []
            for s in others:
                c = ratios.get((mine["id"], s))
                text = ratio_text(c["metrics"].get(metric)) if c else "n/a"
                if c and metric == c["primary"] and c["noisy"]:
                    text += " ⚠"
                texts.append(text)
            md.append(f"| {key[0]} | /{key[3]} | {metric} | " + " | ".join(texts) + " |")
    md += [""] + [f"{mark}: {meaning}" + "  " for _, mark, meaning in FLAGS]
    return "\n".join(md).rstrip() + "\n"


def write_atomic(path, text):
    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=folder)
    with os.fdopen(fd, "w") as f:
        f.write(text)
    os.chmod(tmp, 0o644)
    os.replace(tmp, path)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("results", help="a fwbench.results/2 file (.json or .json.xz)")
    p.add_argument("--out", help="write the table here (default: stdout)")
    p.add_argument("--command", default="bench/serve_vs_servers.sh",
                   help="the command named in the table")
    args = p.parse_args()
    text = markdown(load(args.results), args.command)
    if args.out:
        write_atomic(args.out, text)
    sys.stdout.write(text)


if __name__ == "__main__":
    main()
