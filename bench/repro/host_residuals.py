"""Do rounds measured on a slowed host move a comparison more than the others?

Reads fwbench.results/2 files. For every comparison, each round's log ratio of the primary
metric (comparisons[].metrics[primary].per_round) minus the comparison's mean is a residual;
the round is "slowed" when either host probe around it (repetitions[].host, speed_before and
speed_after) is below the run's host_check.min_speed. Prints, per file and over all files,
the count and the root mean square residual (%) of slowed and quiet rounds. If slowed rounds
were no noisier, waiting for a quiet host (host_check.wait_s) buys nothing but time.
Usage: host_residuals.py RESULTS.json[.xz] [RESULTS.json[.xz] ...]
"""
import json
import lzma
import math
import sys


def residuals(doc):
    """(residual %, slowed) for every round of every comparison of one results file."""
    min_speed = doc["meta"].get("host_check", {}).get("min_speed", 0.75)
    cells = {c["id"]: c for c in doc["cells"]}
    out = []
    for comp in doc.get("comparisons", []):
        values = comp["metrics"].get(comp["primary"], {}).get("per_round") or []
        if len(values) < 2:
            continue
        rounds_a = {r["round"]: r for r in cells[comp["a"]]["repetitions"]}
        rounds_b = {r["round"]: r for r in cells[comp["b"]]["repetitions"]}
        common = sorted(set(rounds_a) & set(rounds_b))
        if len(common) != len(values):
            continue  # rounds and values cannot be matched one to one
        logs = [math.log(v) for v in values]
        mean = sum(logs) / len(logs)
        for rnd, value in zip(common, logs):
            host = rounds_a[rnd].get("host") or {}
            slowest = min(host.get("speed_before", 1.0), host.get("speed_after", 1.0))
            out.append(((value - mean) * 100, slowed := slowest < min_speed))
    return out


def line(label, rows):
    parts = [label]
    for name, want in (("slowed", True), ("quiet", False)):
        xs = [r for r, s in rows if s == want]
        rms = math.sqrt(sum(x * x for x in xs) / len(xs)) if xs else float("nan")
        parts.append(f"{name}: {len(xs)} rounds, rms residual {rms:.2f}%")
    return " | ".join(parts)


def main(paths):
    if not paths:
        sys.exit(__doc__)
    everything = []
    for path in paths:
        try:
            with (lzma.open if path.endswith(".xz") else open)(path, "rt") as f:
                rows = residuals(json.load(f))
        except (OSError, ValueError, KeyError, lzma.LZMAError) as e:
            sys.exit(f"{path}: not a readable fwbench.results/2 file ({e}); "
                     "give files written by `fwbench run`")
        everything += rows
        print(line(path, rows))
    if len(paths) > 1:
        print(line("all", everything))


if __name__ == "__main__":
    main(sys.argv[1:])
