"""The README's headline table: Flask/Django ratio of closed-loop req/s medians per route and
profile, as the geometric mean over every server and concurrency both frameworks finished.
    .venv/bin/python bench/report/headline.py results/results.json.xz
"""
import lzma
import json
import math
import sys


def load(path):
    opener = lzma.open if path.endswith(".xz") else open
    with opener(path, "rt") as f:
        return json.load(f)


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: headline.py RESULTS.json[.xz]")
    cells = [c for c in load(sys.argv[1])["cells"] if c["status"] == "ok" and c["model"] == "closed"]
    pairs = {}
    for c in cells:
        key = (c["route"], c["profile"], c["server"], c["concurrency"])
        pairs.setdefault(key, {})[c["framework"]] = c["summary"]["rps"]["median"]
    routes = list(dict.fromkeys(c["route"] for c in cells))
    profiles = list(dict.fromkeys(c["profile"] for c in cells))
    print("| route | " + " | ".join(f"{p} profile" for p in profiles) + " |")
    print("|---|" + "---:|" * len(profiles))
    for route in routes:
        row = []
        for profile in profiles:
            ratios = [v["flask"] / v["django"] for k, v in pairs.items()
                      if k[:2] == (route, profile) and {"flask", "django"} <= v.keys()]
            row.append(f"{math.exp(sum(map(math.log, ratios)) / len(ratios)):.2f}"
                       if ratios else "n/a")
        print(f"| /{route} | " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
