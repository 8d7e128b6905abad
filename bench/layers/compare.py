"""Two fwbench.layers/1 documents of the same cells: per row, how far the second run's
totals and layers are from the first's. Exit 1 when a total (plain or layers added up) differs
by more than --limit (default 0.5%).
    .venv/bin/python bench/layers/compare.py results/layers.json /tmp/run2/layers.json"""

import argparse
import json
import sys


def key(row):
    return (row["framework"], row["profile"], row["route"])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("first")
    parser.add_argument("second")
    parser.add_argument("--limit", type=float, default=0.005)
    args = parser.parse_args()
    first = {key(r): r for r in json.load(open(args.first))["results"]}
    second = {key(r): r for r in json.load(open(args.second))["results"]}
    if set(first) != set(second):
        print("error: the two documents hold different cells", file=sys.stderr)
        return 2
    worst_total = worst_sum = 0.0
    worst_layer = (0, None)
    for k, a in first.items():
        b = second[k]
        total = abs(b["total_instructions"] / a["total_instructions"] - 1)
        summed = abs(b["layer_sum_instructions"] / a["layer_sum_instructions"] - 1)
        worst_total, worst_sum = max(worst_total, total), max(worst_sum, summed)
        for name, v in a["layers"].items():
            diff = abs(b["layers"][name]["instructions"] - v["instructions"])
            if diff > worst_layer[0]:
                worst_layer = (diff, "/".join(k) + " " + name)
    print(f"{len(first)} rows: total differs by at most {100 * worst_total:.3f}%, "
          f"layers added up by at most {100 * worst_sum:.3f}%; largest layer difference "
          f"{worst_layer[0]:,} instructions ({worst_layer[1]})")
    return 1 if max(worst_total, worst_sum) > args.limit else 0


if __name__ == "__main__":
    sys.exit(main())
