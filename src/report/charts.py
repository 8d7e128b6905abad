"""Draws fwbench's report charts as deterministic SVG.

Usage: python charts.py SPEC.json OUT_DIR
SPEC.json is written by `fwbench report` (src/report/charts.cc). Same spec, same matplotlib:
byte-identical SVG (fixed hash salt, no date metadata, text as text in a fixed font).
"""
import json
import sys
from pathlib import Path

import matplotlib

matplotlib.use("svg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.colors import to_rgb  # noqa: E402
from matplotlib.ticker import FuncFormatter, LogLocator  # noqa: E402

FRAMEWORK_COLORS = ["#1f5fa8", "#1e8449", "#c0392b", "#7d3c98", "#b9770e"]
LINESTYLES = ["-", "--", "-.", ":"]
MARKERS = ["o", "s", "^", "D", "v", "P"]


def configure():
    matplotlib.rcParams.update({
        "svg.hashsalt": "fwbench",
        "svg.fonttype": "none",
        "font.family": "DejaVu Sans",
        "font.size": 9,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.grid": True,
        "grid.alpha": 0.3,
        "path.simplify": False,
    })


def styles(spec):
    """One color family per framework, one shade/line/marker per server."""
    frameworks = spec["frameworks"]
    servers = {}
    out = {}
    for chart in spec["charts"]:
        for panel in chart["panels"]:
            for s in panel["series"]:
                servers.setdefault(s["framework"], [])
                if s["label"] not in servers[s["framework"]]:
                    servers[s["framework"]].append(s["label"])
    for fw, labels in servers.items():
        idx = frameworks.index(fw) if fw in frameworks else len(frameworks)
        base = to_rgb(FRAMEWORK_COLORS[idx % len(FRAMEWORK_COLORS)])
        for i, label in enumerate(sorted(labels)):
            mix = 0.45 * i / max(1, len(labels) - 1) if len(labels) > 1 else 0
            color = tuple(c + (1 - c) * mix for c in base)
            out[label] = {"color": color, "linestyle": LINESTYLES[i % len(LINESTYLES)],
                          "marker": MARKERS[i % len(MARKERS)]}
    return out


def grid(n):
    cols = min(3, n)
    rows = (n + cols - 1) // cols
    return rows, cols


def save(fig, path):
    fig.savefig(path, format="svg", metadata={"Date": None, "Creator": "fwbench"},
                bbox_inches="tight")
    plt.close(fig)


def legend_below(fig, axes):
    handles, labels = {}, []
    for ax in axes:
        for h, l in zip(*ax.get_legend_handles_labels()):
            if l not in handles:
                handles[l] = h
                labels.append(l)
    fig.legend([handles[l] for l in labels], labels, loc="lower center",
               ncol=min(3, len(labels)), frameon=False, bbox_to_anchor=(0.5, -0.02))


def lines(chart, style, path):
    panels = chart["panels"]
    rows, cols = grid(len(panels))
    fig, axes = plt.subplots(rows, cols, figsize=(3.6 * cols, 2.8 * rows + 0.6), squeeze=False)
    flat = [ax for row in axes for ax in row]
    for ax, panel in zip(flat, panels):
        for s in panel["series"]:
            st = style[s["label"]]
            yerr = [[y - lo for y, lo in zip(s["y"], s["lo"])],
                    [hi - y for y, hi in zip(s["y"], s["hi"])]]
            ax.errorbar(s["x"], s["y"], yerr=yerr, label=s["label"], color=st["color"],
                        linestyle=st["linestyle"], marker=st["marker"], markersize=4, capsize=2,
                        linewidth=1.4)
        ax.set_title(panel["title"], fontsize=10, loc="left")
        if chart.get("logx"):
            ax.set_xscale("log", base=2)
            xs = sorted({x for s in panel["series"] for x in s["x"]})
            ax.set_xticks(xs, [str(int(x)) for x in xs])
            ax.minorticks_off()
        ax.set_ylim(bottom=0)
        ax.set_xlabel(chart["xlabel"])
        ax.set_ylabel(chart["ylabel"])
    for ax in flat[len(panels):]:
        ax.set_visible(False)
    legend_below(fig, flat[:len(panels)])
    fig.tight_layout(rect=(0, 0.08, 1, 1))
    save(fig, path)


def spectrum(chart, style, path):
    """HDR-style: x is 1/(1-p) on a log axis, so the tail gets the room it deserves."""
    panels = chart["panels"]
    rows, cols = grid(len(panels))
    fig, axes = plt.subplots(rows, cols, figsize=(3.6 * cols, 2.8 * rows + 0.6), squeeze=False)
    flat = [ax for row in axes for ax in row]
    ticks = [50, 90, 99, 99.9, 99.99]
    for ax, panel in zip(flat, panels):
        for s in panel["series"]:
            st = style[s["label"]]
            xs = [1.0 / (1.0 - p / 100.0) for p in s["x"]]
            ax.plot(xs, s["y"], label=s["label"], color=st["color"], linestyle=st["linestyle"],
                    marker=st["marker"], markersize=4, linewidth=1.4)
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.yaxis.set_major_locator(LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
        ax.set_xticks([1.0 / (1.0 - p / 100.0) for p in ticks], [f"{p:g}%" for p in ticks])
        ax.minorticks_off()
        ax.set_title(panel["title"], fontsize=10, loc="left")
        ax.set_xlabel(chart["xlabel"])
        ax.set_ylabel(chart["ylabel"])
    for ax in flat[len(panels):]:
        ax.set_visible(False)
    legend_below(fig, flat[:len(panels)])
    fig.tight_layout(rect=(0, 0.08, 1, 1))
    save(fig, path)


def bars(chart, style, path):
    panel = chart["panels"][0]
    groups, series = panel["groups"], panel["series"]
    width = 0.8 / max(1, len(series))
    fig, ax = plt.subplots(figsize=(max(6.0, 1.3 * len(groups) + 2), 3.4))
    for i, s in enumerate(series):
        st = style[s["label"]]
        xs, ys, lo, hi = [], [], [], []
        for g, (y, l, h) in enumerate(zip(s["y"], s["lo"], s["hi"])):
            if y is None:
                continue
            xs.append(g - 0.4 + width * (i + 0.5))
            ys.append(y)
            lo.append(y - l)
            hi.append(h - y)
        ax.bar(xs, ys, width=width * 0.92, yerr=[lo, hi], capsize=2, label=s["label"],
               color=st["color"], edgecolor="white", linewidth=0.5)
    ax.set_xticks(range(len(groups)), groups)
    ax.set_ylabel(chart["ylabel"])
    ax.grid(axis="x", visible=False)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=min(3, len(series)),
              frameon=False)
    fig.tight_layout()
    save(fig, path)


def main(argv):
    if len(argv) != 3:
        sys.exit("usage: charts.py SPEC.json OUT_DIR")
    spec = json.loads(Path(argv[1]).read_text())
    out = Path(argv[2])
    configure()
    style = styles(spec)
    draw = {"lines": lines, "spectrum": spectrum, "bars": bars}
    for chart in spec["charts"]:
        draw[chart["kind"]](chart, style, out / chart["file"])


if __name__ == "__main__":
    main(sys.argv)
