"""Draws fwbench's report charts as deterministic SVG.

Usage: python charts.py SPEC.json OUT_DIR
SPEC.json is written by `fwbench report` (src/report/charts.cc). Same spec, same matplotlib:
byte-identical SVG (fixed hash salt, no date metadata, text as text in a fixed font).
Every panel draws at most 6 series, in the Okabe-Ito palette (safe for colour-blind readers),
with the legend outside the axes so it never covers data.
"""
import json
import math
import sys
from pathlib import Path

import matplotlib

matplotlib.use("svg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402
from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter  # noqa: E402

MAX_SERIES = 6
# Okabe & Ito (2008), "Color Universal Design": distinguishable with every common colour-vision
# deficiency. Frameworks take blue and vermillion first; criteria the others.
OKABE_ITO = ["#0072B2", "#D55E00", "#009E73", "#E69F00", "#56B4E9", "#CC79A7", "#F0E442",
             "#000000"]
# Criteria and load levels: the palette without black (black marks totals and reference lines).
SERIES = ["#009E73", "#E69F00", "#56B4E9", "#CC79A7", "#F0E442", "#0072B2"]
FLAGGED = "#999999"
# Layers (stacked bars, up to 10 segments, charts.cc kMaxLayers): Paul Tol's "muted" scheme,
# made for colour-blind readers, and its pale grey; ordered so neighbouring layers contrast.
LAYER_COLORS = ["#332288", "#88CCEE", "#117733", "#DDCC77", "#882255", "#44AA99", "#CC6677",
                "#999933", "#AA4499", "#DDDDDD"]
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


def check_series(chart):
    limit = chart.get("max_series", MAX_SERIES)
    for panel in chart["panels"]:
        if len(panel["series"]) > limit:
            sys.exit(f"{chart['file']}: a panel has {len(panel['series'])} series (max {limit})")


def save(fig, path):
    fig.savefig(path, format="svg", metadata={"Date": None, "Creator": "fwbench"},
                bbox_inches="tight")
    plt.close(fig)


def legend_outside(fig, handles, labels, ncol=None):
    """A legend below the figure, outside every axes."""
    fig.legend(handles, labels, loc="upper center", bbox_to_anchor=(0.5, 0.0), frameon=False,
               ncol=ncol or min(len(labels), 4))


def fw_color(spec, name):
    fws = spec["frameworks"]
    return OKABE_ITO[fws.index(name) % len(OKABE_ITO)] if name in fws else OKABE_ITO[-1]


def log_ticks(ax, axis="x"):
    fmt = FuncFormatter(lambda v, _: f"{v:g}")
    target = ax.xaxis if axis == "x" else ax.yaxis
    target.set_major_locator(LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
    target.set_major_formatter(fmt)
    target.set_minor_formatter(NullFormatter())


def forest(spec, chart, path):
    panels = chart["panels"]
    heights = [max(1.2, 0.22 * len(p["rows"]) + 0.6) for p in panels]
    fig, axes = plt.subplots(len(panels), 1, figsize=(7.2, sum(heights) + 0.4), squeeze=False,
                             gridspec_kw={"height_ratios": heights})
    lo_band, hi_band = chart["band"]
    xs = [v for p in panels for r in p["rows"] for v in (r["lo"], r["hi"], r["x"])]
    xmin, xmax = min(xs + [lo_band]) / 1.1, max(xs + [hi_band]) * 1.1
    handles = {}
    for ax, panel in zip([a for row in axes for a in row], panels):
        names = [s["name"] for s in panel["series"]]
        n = len(panel["rows"])
        ax.axvspan(lo_band, hi_band, color="#dddddd", alpha=0.6, zorder=0, lw=0)
        ax.axvline(1.0, color="#333333", lw=0.9, zorder=1)
        for i, r in enumerate(panel["rows"]):
            y = n - 1 - i
            name = names[r["series"]]
            flagged = name == "flagged"
            color = FLAGGED if flagged else SERIES[r["series"] % len(SERIES)]
            ax.plot([r["lo"], r["hi"]], [y, y], color=color, lw=1.4, zorder=2)
            h, = ax.plot([r["x"]], [y], marker=MARKERS[r["series"] % len(MARKERS)], ms=5,
                         color=color, markerfacecolor="white" if flagged else color, zorder=3,
                         linestyle="none")
            handles.setdefault(name, h)
        ax.set_yticks(range(n), [r["label"] for r in reversed(panel["rows"])], fontsize=7.5)
        ax.set_ylim(-0.7, n - 0.3)
        ax.set_xscale("log")
        ax.set_xlim(xmin, xmax)
        log_ticks(ax)
        ax.set_title(panel["title"], fontsize=10, loc="left")
        ax.grid(axis="y", visible=False)
    axes[-1][0].set_xlabel(chart["xlabel"])
    band = Patch(color="#dddddd", label="equivalence band")
    labels = list(handles) + ["equivalence band"]
    fig.tight_layout()
    legend_outside(fig, list(handles.values()) + [band], labels)
    save(fig, path)


def dumbbell(spec, chart, path):
    panels = chart["panels"]
    cols = min(2, len(panels))
    rows_n = math.ceil(len(panels) / cols)
    per = max(len(p["rows"]) for p in panels)
    fig, axes = plt.subplots(rows_n, cols, figsize=(4.2 * cols, (0.24 * per + 0.9) * rows_n),
                             squeeze=False)
    flat = [a for row in axes for a in row]
    for ax, panel in zip(flat, panels):
        names = [s["name"] for s in panel["series"]]
        n = len(panel["rows"])
        for i, r in enumerate(panel["rows"]):
            y = n - 1 - i
            vals = [v for v in r["values"] if v is not None]
            if len(vals) > 1:
                ax.plot([min(vals), max(vals)], [y, y], color="#bbbbbb", lw=2, zorder=1)
            for k, v in enumerate(r["values"]):
                if v is not None:
                    ax.plot([v], [y], marker=MARKERS[k % len(MARKERS)], ms=5, linestyle="none",
                            color=fw_color(spec, names[k]), zorder=2)
        ax.set_yticks(range(n), [r["label"] for r in reversed(panel["rows"])], fontsize=7.5)
        ax.set_ylim(-0.7, n - 0.3)
        ax.set_xscale("log")
        log_ticks(ax)
        ax.set_title(panel["title"], fontsize=10, loc="left")
        ax.set_xlabel(chart["xlabel"])
        ax.grid(axis="y", visible=False)
    for ax in flat[len(panels):]:
        ax.set_visible(False)
    names = [s["name"] for s in panels[0]["series"]]
    handles = [Line2D([], [], marker=MARKERS[k % len(MARKERS)], linestyle="none",
                      color=fw_color(spec, nm)) for k, nm in enumerate(names)]
    fig.tight_layout()
    legend_outside(fig, handles, names)
    save(fig, path)


def spectrum(spec, chart, path):
    """HDR-style: x is 1/(1-p) on a log axis, so the tail gets the room it deserves."""
    panels = chart["panels"]
    cols = min(4, len(panels))
    rows_n = math.ceil(len(panels) / cols)
    fig, axes = plt.subplots(rows_n, cols, figsize=(2.6 * cols, 2.2 * rows_n + 0.3),
                             squeeze=False)
    flat = [a for row in axes for a in row]
    ticks = [50, 90, 99, 99.9]
    styles = {}
    for ax, panel in zip(flat, panels):
        for s in panel["series"]:
            if s["name"] not in styles:
                k = len([n for n in styles if n.split(" · ")[0] == s["framework"]])
                styles[s["name"]] = {"color": fw_color(spec, s["framework"]),
                                     "linestyle": ["-", "--", ":", "-."][k % 4],
                                     "marker": MARKERS[k % len(MARKERS)]}
            st = styles[s["name"]]
            xs = [1.0 / (1.0 - p / 100.0) for p in s["x"]]
            ax.plot(xs, s["y"], color=st["color"], linestyle=st["linestyle"],
                    marker=st["marker"], markersize=3, linewidth=1.2)
        ax.set_xscale("log")
        ax.set_yscale("log")
        log_ticks(ax, "y")
        ax.set_xticks([1.0 / (1.0 - p / 100.0) for p in ticks], [f"{p:g}" for p in ticks])
        ax.minorticks_off()
        ax.set_title(panel["title"], fontsize=8.5, loc="left")
        ax.tick_params(labelsize=7)
    for ax in flat[len(panels):]:
        ax.set_visible(False)
    for ax in axes[-1]:
        ax.set_xlabel(chart["xlabel"] + " (%)", fontsize=8)
    for row in axes:
        row[0].set_ylabel(chart["ylabel"], fontsize=8)
    names = sorted(styles)
    handles = [Line2D([], [], **styles[n]) for n in names]
    fig.tight_layout()
    legend_outside(fig, handles, names)
    save(fig, path)


def bars(spec, chart, path):
    panels = chart["panels"]
    cols = min(4, len(panels))
    rows_n = math.ceil(len(panels) / cols)
    fig, axes = plt.subplots(rows_n, cols, figsize=(2.9 * cols, 2.6 * rows_n), squeeze=False)
    flat = [a for row in axes for a in row]
    for ax, panel in zip(flat, panels):
        groups, series = panel["groups"], panel["series"]
        width = 0.8 / max(1, len(series))
        for i, s in enumerate(series):
            xs = [g - 0.4 + width * (i + 0.5) for g, y in enumerate(s["y"]) if y is not None]
            ys = [y for y in s["y"] if y is not None]
            ax.bar(xs, ys, width=width * 0.92, color=fw_color(spec, s["name"]),
                   edgecolor="white", linewidth=0.5)
            for g, y in enumerate(s["y"]):
                if y is None:
                    ax.text(g - 0.4 + width * (i + 0.5), 0, "n/m", ha="center", va="bottom",
                            fontsize=6.5, color="#666666", rotation=90)
        ax.set_xticks(range(len(groups)), groups, fontsize=7.5, rotation=15)
        ax.set_title(panel["title"], fontsize=10, loc="left")
        ax.set_ylabel(panel["ylabel"])
        ax.grid(axis="x", visible=False)
    for ax in flat[len(panels):]:
        ax.set_visible(False)
    names = [s["name"] for s in panels[0]["series"]]
    handles = [Patch(color=fw_color(spec, n)) for n in names]
    fig.tight_layout()
    legend_outside(fig, handles + [Line2D([], [], linestyle="none")],
                   names + ["n/m: not measured"])
    save(fig, path)


def diverging(spec, chart, path):
    panels = chart["panels"]
    n = max(len(p["rows"]) for p in panels)
    fig, axes = plt.subplots(len(panels), 1, figsize=(9.0, (0.5 * n + 1.0) * len(panels)),
                             squeeze=False)
    for ax, panel in zip([a for row in axes for a in row], panels):
        names = [s["name"] for s in panel["series"]]
        colors = [SERIES[k % len(SERIES)] for k in range(len(names))]
        rows = panel["rows"]
        lim = 0.5
        for i, r in enumerate(rows):
            y = len(rows) - 1 - i
            pos, neg = 0.0, 0.0
            for k, v in enumerate(r["parts"]):
                if v >= 0:
                    ax.barh(y, v, left=pos, color=colors[k], height=0.6, edgecolor="white",
                            linewidth=0.4)
                    pos += v
                else:
                    ax.barh(y, v, left=neg, color=colors[k], height=0.6, edgecolor="white",
                            linewidth=0.4)
                    neg += v
            lim = max(lim, pos, -neg)
            ax.plot([r["total"]], [y], marker="|", ms=14, mew=2, color="black", zorder=3)
            ax.annotate(f"P({panel['right']} wins) = {r['p_win']:.2f}", xy=(1.01, y),
                        xycoords=("axes fraction", "data"), va="center", fontsize=8)
        ax.axvline(0, color="#333333", lw=0.9)
        ax.set_xlim(-lim * 1.1, lim * 1.1)
        ax.set_yticks(range(len(rows)), [r["label"] for r in reversed(rows)])
        ax.set_xlabel(f"← {panel['left']}      {chart['xlabel']}      {panel['right']} →")
        ax.set_title(panel["title"], fontsize=10, loc="left")
        ax.grid(axis="y", visible=False)
    handles = [Patch(color=SERIES[k % len(SERIES)]) for k in range(len(panels[0]["series"]))]
    fig.tight_layout()
    legend_outside(fig, handles, [s["name"] for s in panels[0]["series"]], ncol=3)
    save(fig, path)


def tornado(spec, chart, path):
    panels = chart["panels"]
    cols = min(2, len(panels))
    rows_n = math.ceil(len(panels) / cols)
    per = max(len(p["rows"]) for p in panels)
    fig, axes = plt.subplots(rows_n, cols, figsize=(6.2 * cols, (0.24 * per + 1.0) * rows_n),
                             squeeze=False)
    flat = [a for row in axes for a in row]
    colors = [SERIES[5], SERIES[2]]
    for ax, panel in zip(flat, panels):
        base, rows = panel["base"], panel["rows"]
        n = len(rows)
        for i, r in enumerate(rows):
            y = n - 1 - i
            ax.barh(y, r["value"] - base, left=base, color=colors[r["series"]], height=0.7)
        ax.axvline(base, color="#333333", lw=0.9)
        ax.axvline(0, color=OKABE_ITO[1], lw=0.9, linestyle="--")
        ax.set_yticks(range(n), [r["label"] for r in reversed(rows)], fontsize=7.5)
        ax.set_ylim(-0.7, n - 0.3)
        lo = min([0.0, base] + [r["value"] for r in rows])
        hi = max([0.0, base] + [r["value"] for r in rows])
        ax.set_xlim(lo - 0.08 * (hi - lo + 1e-9), hi + 0.08 * (hi - lo + 1e-9))
        ax.set_title(panel["title"], fontsize=9, loc="left")
        ax.set_xlabel(chart["xlabel"], fontsize=8)
        ax.grid(axis="y", visible=False)
    for ax in flat[len(panels):]:
        ax.set_visible(False)
    handles = [Patch(color=c) for c in colors] + [Line2D([], [], color=OKABE_ITO[1],
                                                         linestyle="--")]
    fig.tight_layout()
    legend_outside(fig, handles, [s["name"] for s in panels[0]["series"]] + ["margin 0 (flip)"])
    save(fig, path)


def stacked(spec, chart, path):
    """Horizontal stacked bars: per panel one bar per row, one segment per series (layer), a
    black tick at the row's total; one legend for every panel (they share their series)."""
    panels = chart["panels"]
    cols = min(2, len(panels))
    rows_n = math.ceil(len(panels) / cols)
    per = max(len(p["rows"]) for p in panels)
    fig, axes = plt.subplots(rows_n, cols, figsize=(5.4 * cols, (0.3 * per + 0.95) * rows_n),
                             squeeze=False)
    flat = [a for row in axes for a in row]
    names = [s["name"] for s in panels[0]["series"]]
    for ax, panel in zip(flat, panels):
        rows = panel["rows"]
        n = len(rows)
        hi = 0.0
        for i, r in enumerate(rows):
            y = n - 1 - i
            left = 0.0
            for k, v in enumerate(r["parts"]):
                if v > 0:
                    ax.barh(y, v, left=left, color=LAYER_COLORS[k % len(LAYER_COLORS)],
                            height=0.62, edgecolor="white", linewidth=0.4)
                    left += v
            ax.plot([r["total"]], [y], marker="|", ms=13, mew=1.8, color="black", zorder=3)
            hi = max(hi, left, r["total"])
        ax.set_yticks(range(n), [r["label"] for r in reversed(rows)], fontsize=7.5)
        for label, r in zip(ax.get_yticklabels(), reversed(rows)):
            label.set_color(fw_color(spec, r["framework"]))
        ax.set_ylim(-0.6, n - 0.4)
        ax.set_xlim(0, hi * 1.04)
        ax.set_title(panel["title"], fontsize=9.5, loc="left")
        ax.set_xlabel(chart["xlabel"], fontsize=8)
        ax.tick_params(axis="x", labelsize=7.5)
        ax.grid(axis="y", visible=False)
    for ax in flat[len(panels):]:
        ax.set_visible(False)
    handles = [Patch(color=LAYER_COLORS[k % len(LAYER_COLORS)]) for k in range(len(names))]
    handles.append(Line2D([], [], marker="|", ms=10, mew=1.8, color="black", linestyle="none"))
    fig.tight_layout()
    legend_outside(fig, handles, names + ["total without markers"], ncol=6)
    save(fig, path)


def main(argv):
    if len(argv) != 3:
        sys.exit("usage: charts.py SPEC.json OUT_DIR")
    spec = json.loads(Path(argv[1]).read_text())
    out = Path(argv[2])
    configure()
    draw = {"forest": forest, "dumbbell": dumbbell, "spectrum": spectrum, "bars": bars,
            "diverging": diverging, "tornado": tornado, "stacked": stacked}
    for chart in spec["charts"]:
        check_series(chart)
        draw[chart["kind"]](spec, chart, out / chart["file"])


if __name__ == "__main__":
    main(sys.argv)
