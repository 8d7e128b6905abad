"""Which CPython build: Debian's python3.11 against pyenv's, paired run by run (bench/pybuild.sh).

Reads the runs of bench/pybuild/suite.json that bench/pybuild.sh made, one fwbench.results/2
file per (pair, venv), and the order it ran them in (order.json). Per pair and cell (framework,
route), the ratio B/A of the two runs' server CPU per request (summary.cpu_us_per_request
.estimate, itself the geometric mean over the run's rounds). Across pairs: the geometric mean
with a 95% Student-t interval on the logs of the per-pair ratios, as src/common/paired_stats
AcrossRounds does across rounds (the pair is the independent unit here: its two runs ran back
to back, in a random order, so a slow spell of the shared host that spans both cancels).
Writes pybuild.{md,json} atomically into --out-dir and prints the markdown.
Usage: pybuild.py RUNS_DIR --command CMD [--out-dir DIR]
"""
import argparse
import datetime
import json
import math
import os
import statistics
import sys
import tempfile

SCHEMA = "fwbench.pybuild/1"
METRIC = "cpu_us_per_request"
# t(0.975, dof): the quantile src/common/paired_stats.cc computes; a table is enough here.
T975 = [None, 12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
        2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086]


class InputError(Exception):
    pass


def across(values):
    """Geometric mean and 95% Student-t interval on the logs (None below 2 values)."""
    logs = [math.log(v) for v in values]
    mean = statistics.fmean(logs)
    if len(logs) < 2:
        return {"n": len(logs), "ratio": math.exp(mean), "ci95": None, "per_pair": values}
    if len(logs) - 1 >= len(T975):
        raise InputError(f"{len(logs)} pairs: the t table stops at {len(T975) - 1} degrees of freedom")
    half = T975[len(logs) - 1] * statistics.stdev(logs) / math.sqrt(len(logs))
    return {"n": len(logs), "ratio": math.exp(mean),
            "ci95": [math.exp(mean - half), math.exp(mean + half)], "per_pair": values}


def load(path):
    try:
        with open(path) as f:
            doc = json.load(f)
    except (OSError, ValueError) as e:
        raise InputError(f"{path}: cannot read it as JSON: {e}") from None
    if doc.get("schema") != "fwbench.results/2":
        raise InputError(f"{path}: not a fwbench.results/2 file")
    return doc


def cell_values(doc, path, dropped):
    """Per (framework, route) of the run's ok cells; a cell that is not ok goes to `dropped`."""
    out = {}
    for cell in doc["cells"]:
        summary = cell.get("summary", {}).get(METRIC)
        if cell.get("status") != "ok" or not summary:
            dropped.append({"file": path, "cell": cell["id"], "status": cell.get("status"),
                            "reason": " ".join((cell.get("reason") or "").split())[:120]})
            continue
        out[(cell["framework"], cell["route"])] = {
            "estimate": summary["estimate"], "half_width_pct": summary.get("half_width_pct"),
            "disturbed": cell["summary"].get("host_disturbed", 0)}
    return out


def starts_of(doc):
    """Per framework: the run's cold start estimate (warm cache) and its cold (compile) start;
    every cell of one app server carries the same figures, so the first cell is taken."""
    out = {}
    for cell in doc["cells"]:
        start = cell.get("summary", {}).get("cold_start_ms") or {}
        out.setdefault(cell["framework"], {"cold_start_ms": start.get("estimate"),
                                           "cold_compile_ms": cell.get("cold_compile_ms")})
    return out


def build_of(doc):
    meta = doc["meta"]
    build = meta.get("python_build") or {}
    keys = ("version", "realpath", "shared", "pgo", "lto", "compiler", "evidence")
    return {"venv": meta.get("venv"), **{k: build.get(k) for k in keys}}


def analyse(runs_dir):
    try:
        with open(os.path.join(runs_dir, "order.json")) as f:
            order = json.load(f)
    except (OSError, ValueError) as e:
        raise InputError(f"{runs_dir}/order.json: {e}") from None
    a_label, b_label = order["a"], order["b"]
    pairs, ratios, builds, widths, disturbed, starts, dropped = [], {}, {}, [], 0, {}, []
    cell_rounds = 0
    for pair in order["pairs"]:
        values = {}
        for label in (a_label, b_label):
            path = os.path.join(runs_dir, f"pair{pair['pair']}-{label}.json")
            doc = load(path)
            values[label] = cell_values(doc, path, dropped)
            builds.setdefault(label, build_of(doc))
            for fw, v in starts_of(doc).items():
                for k, x in v.items():
                    starts.setdefault(label, {}).setdefault(fw, {}).setdefault(k, []).append(x)
            widths += [v["half_width_pct"] for v in values[label].values()
                       if v["half_width_pct"] is not None]
            disturbed += sum(v["disturbed"] for v in values[label].values())
            cell_rounds += sum(len(c.get("repetitions", [])) for c in doc["cells"])
        pairs.append({"pair": pair["pair"], "order": pair["order"]})
        per_pair = {}  # a cell counts in a pair only when both of its runs measured it
        for key, a in values[a_label].items():
            if key in values[b_label]:
                per_pair[key] = values[b_label][key]["estimate"] / a["estimate"]
                ratios.setdefault(key, []).append(per_pair[key])
        pairs[-1]["cells"] = len(per_pair)
        if per_pair:
            pairs[-1]["mean_log"] = statistics.fmean(math.log(r) for r in per_pair.values())
    if not ratios:
        raise InputError(f"{runs_dir}: no cell was measured in both runs of any pair")
    rows = [{"framework": fw, "route": route, **across(r)} for (fw, route), r in ratios.items()]
    # All cells at once: per pair, the geometric mean over its cells, then across pairs.
    overall_per_pair = [math.exp(p.pop("mean_log")) for p in pairs if "mean_log" in p]
    return {"a": a_label, "b": b_label, "builds": builds, "pairs": pairs, "rows": rows,
            "overall": across(overall_per_pair), "starts": starts, "dropped": dropped,
            "noise": {"median_run_half_width_pct": statistics.median(widths) if widths else None,
                      "max_run_half_width_pct": max(widths) if widths else None,
                      "host_disturbed_rounds": disturbed, "cell_rounds": cell_rounds}}


def fmt_ci(ci):
    return "n/a" if ci is None else f"[{ci[0]:.3f}, {ci[1]:.3f}]"


def markdown(doc):
    a, b = doc["a"], doc["b"]
    lines = [f"# Which CPython: {b} / {a}, server CPU per request", "",
             f"Generated {doc['generated_at']} by:", "", "```sh", doc["command"], "```", ""]
    lines += ["| venv | version | executable | shared libpython | PGO | LTO | compiler |",
              "|---|---|---|---|---|---|---|"]
    for label in (a, b):
        x = doc["builds"][label]
        lines.append(f"| {label} | {x['version']} | `{x['realpath']}` | {x['shared']} | "
                     f"{x['pgo']} | {x['lto']} | {x['compiler']} |")
    lines += ["", "Per pair the two runs ran back to back, in a balanced random order "
              f"({'; '.join(p['order'] for p in doc['pairs'])}). Ratio {b}/{a} of server CPU µs "
              "per request (below 1: the Debian build is cheaper); 95% Student-t interval on the "
              "logs of the per-pair ratios, pairs as the unit.", "",
              "| framework | route | ratio | 95% interval | per pair |", "|---|---|---:|---|---|"]
    for r in sorted(doc["rows"], key=lambda r: (r["framework"], r["route"])):
        per = ", ".join(f"{v:.3f}" for v in r["per_pair"])
        lines.append(f"| {r['framework']} | {r['route']} | {r['ratio']:.3f} | "
                     f"{fmt_ci(r['ci95'])} | {per} |")
    o = doc["overall"]
    lines.append(f"| all | geometric mean of the cells | {o['ratio']:.3f} | {fmt_ci(o['ci95'])} | "
                 + ", ".join(f"{v:.3f}" for v in o["per_pair"]) + " |")
    lines += ["", "Starts of the same runs (gunicorn sync, ms to the first 200): cold start with a "
              "warm bytecode cache (per run, the geometric mean over its rounds) and \"cold "
              "(compile)\", one start per run right after the app's __pycache__ was wiped.", "",
              "| venv | framework | cold start, per run | cold (compile), per run |",
              "|---|---|---|---|"]
    for label in (a, b):
        for fw, v in sorted(doc["starts"].get(label, {}).items()):
            show = lambda xs: ", ".join("–" if x is None else f"{x:.0f}" for x in xs)
            lines.append(f"| {label} | {fw} | {show(v['cold_start_ms'])} | "
                         f"{show(v['cold_compile_ms'])} |")
    for d in doc["dropped"]:
        lines.append(f"\nLeft out of its pair: `{d['cell']}` in `{os.path.basename(d['file'])}` "
                     f"({d['status']}: {d['reason']}).")
    n = doc["noise"]
    lines += ["", f"Noise: within a run, the median cell's 95% half-width over its rounds was "
              f"{n['median_run_half_width_pct']:.1f}% (largest {n['max_run_half_width_pct']:.1f}%); "
              f"the host check flagged {n['host_disturbed_rounds']} of {n['cell_rounds']} cell rounds "
              "(a probe on the server CPU below 0.75 of the run's best; kept, since the pairing "
              "is across runs).", ""]
    return "\n".join(lines)


def write_atomic(path, text):
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path) or ".", prefix=".pybuild-")
    with os.fdopen(fd, "w") as f:
        f.write(text)
    os.replace(tmp, path)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("runs_dir")
    parser.add_argument("--command", required=True, help="the command that made the runs")
    parser.add_argument("--out-dir", default="results")
    args = parser.parse_args(argv)
    try:
        doc = {"schema": SCHEMA, "command": args.command,
               "generated_at": datetime.datetime.now(datetime.timezone.utc)
               .strftime("%Y-%m-%dT%H:%M:%SZ"), "metric": METRIC, **analyse(args.runs_dir)}
    except InputError as e:
        print(f"pybuild.py: {e}", file=sys.stderr)
        return 2
    text = markdown(doc)
    write_atomic(os.path.join(args.out_dir, "pybuild.json"), json.dumps(doc, indent=1) + "\n")
    write_atomic(os.path.join(args.out_dir, "pybuild.md"), text)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
