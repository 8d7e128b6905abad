"""The README's headline table, from a fwbench.results/2 file's comparisons: per route (and
database, when the file has more than one) and profile, the a/b ratio of the comparisons' primary
metric (server CPU per request in a duet, req/s in slices) as the geometric mean over every
server and closed-model level, with the range of the per-server ratios and how many of their 95%
intervals exclude 1. One table per framework pair (flask/django, ...), in the file's order.
    .venv/bin/python bench/report/headline.py results/results.json.xz
"""
import json
import lzma
import math
import sys


def load(path):
    opener = lzma.open if path.endswith(".xz") else open
    with opener(path, "rt") as f:
        doc = json.load(f)
    if doc.get("schema") != "fwbench.results/2":
        sys.exit(f"{path}: schema is {doc.get('schema')!r}, expected 'fwbench.results/2'; "
                 "rerun the suite with this fwbench")
    return doc


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: headline.py RESULTS.json[.xz]")
    comparisons = [c for c in load(sys.argv[1])["comparisons"] if c["model"] == "closed"]
    if not comparisons:
        sys.exit(f"{sys.argv[1]}: no closed-model comparisons")
    primary = {c["primary"] for c in comparisons}
    routes = list(dict.fromkeys((c["route"], c["db"]) for c in comparisons))
    several_dbs = len({db for _, db in routes}) > 1
    profiles = list(dict.fromkeys(c["profile"] for c in comparisons))
    pairs = list(dict.fromkeys((c["framework_a"], c["framework_b"]) for c in comparisons))
    for i, (a, b) in enumerate(pairs):
        if i:
            print()
        table([c for c in comparisons if (c["framework_a"], c["framework_b"]) == (a, b)],
              f"{a}/{b}", primary, routes, profiles, several_dbs)


def table(comparisons, pair, primary, routes, profiles, several_dbs):
    print(f"{pair} ratio of {', '.join(sorted(primary))} (geometric mean over servers; "
          "[lowest, highest]; intervals excluding 1)")
    print()
    print("| route | " + " | ".join(f"{p} profile" for p in profiles) + " |")
    print("|---|" + "---:|" * len(profiles))
    for route, db in routes:
        row = []
        for profile in profiles:
            mine = [c["metrics"][c["primary"]] for c in comparisons
                    if (c["route"], c["db"], c["profile"]) == (route, db, profile)]
            if not mine:
                row.append("n/a")
                continue
            ratios = [m["ratio"] for m in mine]
            apart = sum(1 for m in mine if m["ci95"] and not m["ci95"][0] <= 1 <= m["ci95"][1])
            mean = math.exp(sum(map(math.log, ratios)) / len(ratios))
            row.append(f"{mean:.2f} [{min(ratios):.2f}, {max(ratios):.2f}]; {apart}/{len(mine)}")
        label = f"/{route} · {db}" if several_dbs else f"/{route}"
        print(f"| {label} | " + " | ".join(row) + " |")

if __name__ == "__main__":
    main()
