"""results/layers.md from results/layers.json (fwbench.layers/1): one table per route,
framework x profile rows, one column per layer, instructions per request, and under it the
same in thread CPU ns per request when the file has them. Deterministic: the same JSON gives
the same bytes.
    .venv/bin/python bench/layers/render.py results/layers.json results/layers.md"""

import json
import sys


def fmt(n):
    return f"{n:,}"


def render(doc):
    names = doc["layer_names"]
    rows = doc["results"]
    routes = list(dict.fromkeys(r["route"] for r in rows))
    command = doc.get("command", "fwbench inproc --layers")
    config = doc["config"]
    out = [
        "# Instructions per request, per layer (callgrind)",
        "",
        f"Command: `{command}`",
        "",
        f"Unit: {config['unit']}; {config['valgrind']}, Python {doc['python']}, "
        + ", ".join(f"{k} {v}" for k, v in sorted(doc["versions"].items()))
        + f"; {config['iterations']} calls per batch after {config['warmup']} warm-up calls, "
        f"PYTHONHASHSEED={config['python_hash_seed']}, random.seed({config['random_seed']}); "
        f"database: {config['database_url']}.",
        "",
        "Each route's representative request (as in `fwbench inproc`) through the embedded "
        "bridge, no socket. `total` is the app as the suite runs it, without markers; the "
        "layers come from the same app with the markers of `apps/common/fwbench_layers` "
        "installed, one callgrind batch per layer (method and each framework's boundaries: "
        "`bench/layers/README.md`). `hooks` is layers added up / total - 1: what the markers "
        "cost. `gap` is layers added up / one batch collecting every layer - 1.",
        "",
    ]
    gaps = [abs(r["attribution_gap"]) for r in rows]
    hooks = [abs(r["hook_overhead"]) for r in rows]
    out += [
        f"Over all {len(rows)} rows: |hooks| at most {100 * max(hooks):.1f}% "
        f"(target 3%), |gap| at most {100 * max(gaps):.2f}%.",
        "",
    ]
    timed = [r for r in rows if r.get("total_ns") is not None]
    if timed:
        hooks_ns = sorted(abs(r["hook_overhead_ns"]) for r in timed)
        within = sum(1 for h in hooks_ns if h <= 0.03)
        out += [
            f"Thread CPU time: {config['ns_unit']} ({config['ns_batches']} pairs of batches "
            f"of about {config['ns_batch_s']} s per route; "
            "`bench/layers/README.md`, \"Thread CPU time\": the plain app and a marked twin "
            "take turns batch by batch on one CPU). Each layer has two costs subtracted: its "
            "clock reads (`clock reads`, calibrated in a tight loop) and its share of what the "
            "markers cost on their own (`markers`: the twin's batch with markers and no clock "
            "reads, less the plain batch beside it; shared by the layers' timed intervals). "
            "`hooks` is what is left, layers added up / total - 1, the median over the pairs: "
            f"what the clock-read calibration missed. {len(timed)} rows timed: |hooks| at most "
            f"{100 * hooks_ns[-1]:.1f}%, median {100 * hooks_ns[len(hooks_ns) // 2]:.1f}%; "
            f"{within} of {len(timed)} within 3%.",
            "",
        ]
    header = "| framework | profile | total | " + " | ".join(names) + " | hooks | gap |"
    rule = "|---|---|" + "---:|" * (len(names) + 3)
    for route in routes:
        first = next(r for r in rows if r["route"] == route)
        out += [f"## {route}: {first['method']} {first['path']}", "", header, rule]
        for r in rows:
            if r["route"] != route:
                continue
            cells = [fmt(r["layers"][n]["instructions"]) for n in names]
            flag = "" if r["ok"] and r["unbalanced"] == 0 else " (status " + str(r["status"]) + ")"
            out.append(
                f"| {r['framework']}{flag} | {r['profile']} | {fmt(r['total_instructions'])} | "
                + " | ".join(cells)
                + f" | {100 * r['hook_overhead']:+.1f}% | {100 * r['attribution_gap']:+.2f}% |"
            )
        out.append("")
        if any(r["route"] == route and r.get("total_ns") is not None for r in rows):
            out += [f"Thread CPU ns per request, {route}:", "",
                    header.replace("| gap |", "| markers | clock reads |"), rule + "---:|"]
            for r in rows:
                if r["route"] != route or r.get("total_ns") is None:
                    continue
                cells = [fmt(r["layers"][n]["ns"]) for n in names]
                reads = r["thread_cpu"]["clock_reads_per_request"]
                marker = r.get("marker_ns")
                out.append(
                    f"| {r['framework']} | {r['profile']} | {fmt(r['total_ns'])} | "
                    + " | ".join(cells)
                    + f" | {100 * r['hook_overhead_ns']:+.1f}% | "
                    + ("-" if marker is None else fmt(marker)) + f" | {reads:.0f} x "
                    f"{r['thread_cpu']['clock_read_ns']:.0f} ns |"
                )
            out.append("")
    largest = [r for r in rows if r["route"] in ("json", "db", "fortunes")]
    if largest:
        out += ["## The two largest layers on /json, /db and /fortunes", "",
                "| route | framework | profile | largest | second |", "|---|---|---|---|---|"]
        for route in ("json", "db", "fortunes"):
            for r in largest:
                if r["route"] != route:
                    continue
                ranked = sorted(names, key=lambda n: -r["layers"][n]["instructions"])
                total = r["layer_sum_instructions"]
                top = [f"{n} ({fmt(r['layers'][n]['instructions'])}, "
                       f"{100 * r['layers'][n]['instructions'] / total:.0f}%)" for n in ranked[:2]]
                out.append(f"| {route} | {r['framework']} | {r['profile']} | {top[0]} | {top[1]} |")
        out.append("")
    return "\n".join(out)


def main():
    src, dst = sys.argv[1:3]
    text = render(json.load(open(src)))
    with open(dst, "w") as f:
        f.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
