"""The home page chart: papers per year by primary topic, drawn with matplotlib to SVG. Pure.

The SVG is deterministic (fixed hash salt, no date metadata) and keeps text
as text, so it is small, searchable and byte-identical between builds.
"""
from __future__ import annotations

import io
from collections import Counter

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402

from ..model import Site, topic_sizes  # noqa: E402

MAX_SERIES = 8
"""Topics drawn as their own colour; the rest are summed as "Other topics"."""


def series(site: Site) -> tuple[list[int], list[tuple[str, list[int]]]]:
    """Years, and per topic (largest first) its count of dated papers per year."""
    years = sorted({p.date.year for p in site.papers if p.date})
    counts = Counter((p.topics[0] if p.topics else "", p.date.year) for p in site.papers if p.date)
    ranked = [t for t, _ in topic_sizes(site)]
    shown = ranked[:MAX_SERIES]
    rows = [(t.name, [counts[(t.id, y)] for y in years]) for t in shown]
    rest = {t.id for t in ranked[MAX_SERIES:]} | {""}
    other = [sum(counts[(t, y)] for t in rest) for y in years]
    if any(other):
        rows.append(("Other topics", other))
    return years, rows


def papers_per_year_svg(site: Site) -> bytes:
    """A stacked bar chart of dated papers per year by primary topic, as SVG bytes."""
    years, rows = series(site)
    with plt.rc_context({"svg.hashsalt": "paper-atlas", "svg.fonttype": "none", "font.size": 10,
                         "text.color": "#777", "axes.labelcolor": "#777", "xtick.color": "#777",
                         "ytick.color": "#777", "axes.edgecolor": "#999"}):
        fig, ax = plt.subplots(figsize=(7.6, 4.6), dpi=100, layout="constrained")
        bottom = [0] * len(years)
        colours = plt.get_cmap("tab10").colors
        for i, (name, values) in enumerate(rows):
            ax.bar(years, values, bottom=bottom, label=name.replace("$", r"\$"), color=colours[i % 10])
            bottom = [b + v for b, v in zip(bottom, values)]
        ax.set_ylabel("papers")
        ax.xaxis.set_major_locator(MaxNLocator(nbins=10, integer=True))
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.spines[["top", "right"]].set_visible(False)
        if rows:
            fig.legend(fontsize=8, frameon=False, loc="outside lower center", ncol=2)
        fig.patch.set_alpha(0)
        ax.patch.set_alpha(0)
        out = io.StringIO()
        fig.savefig(out, format="svg", metadata={"Date": None, "Creator": None})
        plt.close(fig)
    return out.getvalue().encode("utf-8")
