"""Run-to-run reproducibility of fwbench's comparisons (run by bench/reproducibility.sh).

Reads two fwbench.results/2 files of the same suite, matches their `comparisons` by id and,
per comparison, sets the two ratios of its primary metric side by side: |difference| in %
(|r2/r1 - 1| * 100) and whether each run's 95% interval contains the other run's estimate.
A missing interval (fewer than 2 rounds) contains nothing. A comparison present in only one
run (or whose primary metric differs or is missing in the other) is listed as unmatched and
left out of the numbers. Targets (issue 11) apply to the primary metric of the default and
quick suites; the other metrics are summarised the same way, for context only.
Writes reproducibility[-<suite>].{md,json} atomically into --out-dir and prints the markdown.
Usage: reproducibility.py RUN1 RUN2 --command CMD [--ran CMD]... [--out-dir DIR]
"""
import argparse
import datetime
import json
import math
import os
import statistics
import sys
import tempfile

RESULTS_SCHEMA = "fwbench.results/2"
SCHEMA = "fwbench.reproducibility/1"
WITHIN_PCT = 5.0
# (summary key, "<=" or ">=", limit, label)
TARGETS = {
    "default": [("median_abs_diff_pct", "<=", 2.0, "median |difference| <= 2%"),
                ("share_within_5pct", ">=", 0.9, ">= 90% of comparisons within 5%"),
                ("share_intervals_containing", ">=", 0.9,
                 ">= 90% of intervals contain the other run's estimate")],
    "quick": [("median_abs_diff_pct", "<=", 3.0, "median |difference| <= 3%"),
              ("max_abs_diff_pct", "<=", 5.0, "max |difference| <= 5%")],
}


class InputError(Exception):
    pass


def load_run(path):
    try:
        with open(path) as f:
            doc = json.load(f)
    except (OSError, ValueError) as e:
        raise InputError(f"{path}: cannot read it as JSON: {e}") from None
    schema = doc.get("schema") if isinstance(doc, dict) else None
    if schema != RESULTS_SCHEMA:
        raise InputError(f"{path}: schema is {schema!r}, expected {RESULTS_SCHEMA!r} "
                         "(a results file written by a fwbench with paired comparisons)")
    if not isinstance(doc.get("comparisons"), list):
        raise InputError(f"{path}: field 'comparisons' is missing or not an array")
    for i, c in enumerate(doc["comparisons"]):
        if not (isinstance(c, dict) and "id" in c and isinstance(c.get("metrics"), dict)):
            raise InputError(f"{path}: comparisons[{i}] has no 'id' or no 'metrics' object")
    return doc


def contains(ci, value):
    return ci is not None and ci[0] <= value <= ci[1]


def pair(cid, metric, c1, c2):
    e1, e2 = c1["metrics"][metric], c2["metrics"][metric]
    r1, r2 = e1["ratio"], e2["ratio"]
    return {"id": cid, "metric": metric,
            "run1": {"ratio": r1, "ci95": e1.get("ci95"), "rounds": c1.get("rounds"),
                     "reached": c1.get("reached")},
            "run2": {"ratio": r2, "ci95": e2.get("ci95"), "rounds": c2.get("rounds"),
                     "reached": c2.get("reached")},
            "abs_diff_pct": abs(r2 / r1 - 1) * 100,
            "run1_contains_run2": contains(e1.get("ci95"), r2),
            "run2_contains_run1": contains(e2.get("ci95"), r1)}


def usable(comparison, metric):
    estimate = comparison.get("metrics", {}).get(metric) or {}
    ratio = estimate.get("ratio")
    return isinstance(ratio, (int, float)) and ratio > 0


def match(doc1, doc2):
    """(primary rows, secondary rows, unmatched) over the comparisons of two runs."""
    by_id2 = {c["id"]: c for c in doc2["comparisons"]}
    ids1 = {c["id"] for c in doc1["comparisons"]}
    rows, secondary, unmatched = [], [], []
    for c1 in doc1["comparisons"]:
        cid, c2 = c1["id"], by_id2.get(c1["id"])
        metric = c1.get("primary")
        if c2 is None:
            unmatched.append({"id": cid, "reason": "only in run 1"})
        elif c2.get("primary") != metric:
            unmatched.append({"id": cid, "reason": f"primary metric {metric} in run 1, "
                                                   f"{c2.get('primary')} in run 2"})
        elif not (usable(c1, metric) and usable(c2, metric)):
            unmatched.append({"id": cid, "reason": f"no ratio for {metric} in both runs"})
        else:
            rows.append(pair(cid, metric, c1, c2))
            for other in sorted(c1["metrics"]):
                if other != metric and usable(c1, other) and usable(c2, other):
                    secondary.append(pair(cid, other, c1, c2))
    unmatched += [{"id": c["id"], "reason": "only in run 2"}
                  for c in doc2["comparisons"] if c["id"] not in ids1]
    return rows, secondary, unmatched


def summarize(rows):
    diffs = [r["abs_diff_pct"] for r in rows]
    checks = [r[k] for r in rows for k in ("run1_contains_run2", "run2_contains_run1")]
    return {"comparisons": len(rows),
            "median_abs_diff_pct": statistics.median(diffs) if diffs else None,
            "share_within_5pct": (sum(d <= WITHIN_PCT for d in diffs) / len(diffs)
                                  if diffs else None),
            "max_abs_diff_pct": max(diffs) if diffs else None,
            "intervals_checked": len(checks),
            "share_intervals_containing": sum(checks) / len(checks) if checks else None}


def evaluate(suite, summary):
    out = []
    for key, op, limit, label in TARGETS.get(suite, []):
        value = summary[key]
        ok = value is not None and (value <= limit if op == "<=" else value >= limit)
        out.append({"target": label, "key": key, "op": op, "limit": limit, "value": value,
                    "result": "PASS" if ok else "MISS"})
    return out


def host_speed(doc):
    """The host probe over a run: geometric mean of every repetition's before/after probe in
    absolute units (million loop iterations/s: `reference` times the relative speed), the
    number of probes, and the share of repetitions the gate called disturbed. None without
    probes (a run with host_check off)."""
    logs, disturbed, reps = [], 0, 0
    for cell in doc.get("cells") or []:
        for rep in cell.get("repetitions") or []:
            host = rep.get("host") if isinstance(rep, dict) else None
            if not isinstance(host, dict) or not host.get("reference"):
                continue
            reps += 1
            disturbed += bool(host.get("disturbed"))
            for key in ("speed_before", "speed_after"):
                if isinstance(host.get(key), (int, float)) and host[key] > 0:
                    logs.append(math.log(host[key] * host["reference"]))
    if not logs:
        return None
    return {"mean_mips": math.exp(statistics.fmean(logs)), "probes": len(logs),
            "share_disturbed": disturbed / reps}


def shift_by_route(rows):
    """Per route: the geometric mean of run 2's ratio over run 1's, in % (signed). A shift
    shared by every server on a route is a change between the runs, not noise of one cell."""
    by_route = {}
    for r in rows:
        route = r["id"].split("/")[-2]
        by_route.setdefault(route, []).append(math.log(r["run2"]["ratio"] / r["run1"]["ratio"]))
    return {route: {"comparisons": len(v), "shift_pct": (math.exp(statistics.fmean(v)) - 1) * 100}
            for route, v in sorted(by_route.items())}


def one_or_both(v1, v2):
    return v1 if v1 == v2 else f"{v1} (run 1), {v2} (run 2)"


def document(paths, docs, command, ran, now):
    m1, m2 = (d.get("meta") or {} for d in docs)
    suite = m1.get("suite", {}).get("name")
    if suite != m2.get("suite", {}).get("name"):
        raise InputError(f"{paths[1]}: suite {m2.get('suite', {}).get('name')!r}, but "
                         f"{paths[0]} ran suite {suite!r}")
    rows, secondary, unmatched = match(*docs)
    summary = summarize(rows)
    metrics = sorted({r["metric"] for r in secondary})
    return {"schema": SCHEMA, "command": command, "ran": ran, "generated_at": now,
            "suite": suite,
            "fwbench_commit": one_or_both(m1.get("fwbench", {}).get("commit"),
                                          m2.get("fwbench", {}).get("commit")),
            "paired_mode": one_or_both((m1.get("paired") or {}).get("mode"),
                                       (m2.get("paired") or {}).get("mode")),
            "runs": [{"file": p, "started_at": m.get("started_at"), "ended_at": m.get("ended_at"),
                      "state": m.get("state"), "paired": m.get("paired"), "host": host_speed(d)}
                     for p, m, d in zip(paths, (m1, m2), docs)],
            "shift_by_route": shift_by_route(rows),
            "comparisons": rows, "unmatched": unmatched,
            "summary": summary, "targets": evaluate(suite, summary),
            "secondary": {"comparisons": secondary,
                          "summary": {m: summarize([r for r in secondary if r["metric"] == m])
                                      for m in metrics}}}


def fmt(value, spec, none="n/a"):
    return none if value is None else format(value, spec)


def ci(interval):
    return "n/a" if interval is None else f"[{interval[0]:.3f}, {interval[1]:.3f}]"


def table(rows):
    yes = {True: "yes", False: "no"}
    out = ["| comparison | metric | run 1 ratio | run 1 95% CI | run 2 ratio | run 2 95% CI "
           "| \\|difference\\| | run 1 CI holds run 2 | run 2 CI holds run 1 | rounds |",
           "| --- | --- | ---: | --- | ---: | --- | ---: | --- | --- | ---: |"]
    for r in rows:
        a, b = r["run1"], r["run2"]
        out.append(f"| {r['id']} | {r['metric']} | {a['ratio']:.3f} | {ci(a['ci95'])} "
                   f"| {b['ratio']:.3f} | {ci(b['ci95'])} | {r['abs_diff_pct']:.2f}% "
                   f"| {yes[r['run1_contains_run2']]} | {yes[r['run2_contains_run1']]} "
                   f"| {a['rounds']}, {b['rounds']} |")
    return out


def summary_lines(s):
    return [f"- comparisons: {s['comparisons']}",
            f"- median |difference|: {fmt(s['median_abs_diff_pct'], '.2f')}%",
            f"- within {WITHIN_PCT:g}%: {fmt(s['share_within_5pct'], '.0%')}",
            f"- max |difference|: {fmt(s['max_abs_diff_pct'], '.2f')}%",
            f"- intervals containing the other run's estimate: "
            f"{fmt(s['share_intervals_containing'], '.0%')} of {s['intervals_checked']} "
            "(two per comparison; a missing interval counts as not containing)"]


def host_lines(doc):
    """The host probe of each run and the per-route shift between runs: a systematic shift
    that follows the host's speed is a between-run effect the within-run intervals cannot see."""
    out = ["## Host and between-run shift (context, no targets)", ""]
    for i, r in enumerate(doc["runs"], 1):
        h = r.get("host")
        out.append(f"- run {i} host probe: " + ("not recorded" if h is None else
                   f"{h['mean_mips']:.2f} M iterations/s (geometric mean of {h['probes']} probes), "
                   f"{h['share_disturbed']:.0%} of repetitions below the gate's min_speed"))
    out += ["", "| route | comparisons | run 2 / run 1, geometric mean |", "| --- | ---: | ---: |"]
    out += [f"| {route} | {v['comparisons']} | {v['shift_pct']:+.2f}% |"
            for route, v in doc["shift_by_route"].items()]
    return out


def markdown(doc):
    md = [f"# Reproducibility of comparisons: suite {doc['suite']}, two runs back to back", "",
          f"Command: `{doc['command']}`", ""]
    md += [f"- ran: `{c}`" for c in doc["ran"]]
    md += [f"- run {i}: `{r['file']}`, {r['started_at']} to {r['ended_at']}"
           + ("" if r["state"] == "complete" else f" (state: {r['state']})")
           for i, r in enumerate(doc["runs"], 1)]
    md += [f"- written: {doc['generated_at']} (UTC)", f"- fwbench commit: {doc['fwbench_commit']}",
           f"- paired mode: {doc['paired_mode']}", "",
           "Per comparison, the primary metric's ratio (a/b) in each run; |difference| = "
           "|r2/r1 - 1| * 100.", ""]
    md += table(doc["comparisons"])
    if doc["unmatched"]:
        md += ["", "Unmatched (left out of the numbers):", ""]
        md += [f"- {u['id']}: {u['reason']}" for u in doc["unmatched"]]
    md += ["", "## Summary (primary metric)", ""] + summary_lines(doc["summary"]) + [""]
    if doc["targets"]:
        md += [f"- {t['result']} {t['target']}: measured " + (
            fmt(t["value"], ".0%") if t["key"].startswith("share") else
            fmt(t["value"], ".2f") + "%") for t in doc["targets"]]
    else:
        md.append(f"No targets for suite {doc['suite']} (they are set for default and quick).")
    md += [""] + host_lines(doc)
    sec = doc["secondary"]
    if sec["comparisons"]:
        md += ["", "## Other metrics (context, no targets)", ""]
        for metric, s in sec["summary"].items():
            md += [f"### {metric}", ""] + summary_lines(s) + [""]
        md += table(sec["comparisons"])
    return "\n".join(md) + "\n"


def write_atomic(path, text):
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path) or ".", prefix=".tmp-")
    try:
        with os.fdopen(fd, "w") as f:
            f.write(text)
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


def output_stem(out_dir, suite):
    return os.path.join(out_dir, "reproducibility" + ("" if suite == "default" else f"-{suite}"))


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("run1")
    p.add_argument("run2")
    p.add_argument("--command", required=True, help="the command that produced this, as run")
    p.add_argument("--ran", action="append", default=[], help="a command it ran (repeatable)")
    p.add_argument("--out-dir", default="results")
    args = p.parse_args(argv)
    try:
        docs = [load_run(args.run1), load_run(args.run2)]
        now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        doc = document([args.run1, args.run2], docs, args.command, args.ran, now)
    except InputError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    os.makedirs(args.out_dir, exist_ok=True)
    stem = output_stem(args.out_dir, doc["suite"])
    md = markdown(doc)
    write_atomic(stem + ".json", json.dumps(doc, indent=2) + "\n")
    write_atomic(stem + ".md", md)
    print(md, end="")
    print(f"wrote {stem}.md and {stem}.json", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
