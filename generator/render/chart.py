"""The home page chart: papers per year by primary topic, drawn with matplotlib to SVG. Pure.

The SVG is deterministic (fixed hash salt, no date metadata) and keeps text
as text, so it is small, searchable and byte-identical between builds.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from types import ModuleType

from markupsafe import Markup, escape

from ..model import Site, topic_sizes
from .urls import rel

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


def _pyplot() -> tuple[ModuleType, type]:
    """matplotlib's pyplot (drawing off screen) and ``MaxNLocator``, imported when a chart is drawn.

    Importing matplotlib takes most of a second, and a build whose pages are cached draws nothing.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    return plt, MaxNLocator


def papers_per_year_svg(site: Site) -> bytes:
    """A stacked bar chart of dated papers per year by primary topic, as SVG bytes."""
    years, rows = series(site)
    plt, MaxNLocator = _pyplot()
    with plt.rc_context(
        {
            "svg.hashsalt": "paper-atlas",
            "svg.fonttype": "none",
            "font.size": 10,
            "text.color": "#777",
            "axes.labelcolor": "#777",
            "xtick.color": "#777",
            "ytick.color": "#777",
            "axes.edgecolor": "#999",
        }
    ):
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


INK = "#010203"
"""Stand-in colour for text and axes, replaced by ``currentColor`` so the chart follows the page's palette."""


def _colour(rgb: tuple[float, float, float]) -> str:
    """``(1.0, 0.5, 0.0)`` -> ``"#ff7f00"``."""
    return "#" + "".join(f"{round(c * 255):02x}" for c in rgb)


def chart_html(site: Site, here: str) -> Markup:
    """The chart inline in a page: bars link to their year pages, text in the page's colour, HTML legend.

    Inline, the SVG's text and axes take ``currentColor`` (light or dark as the
    page is) and its labels stay as large as the page's own text on a phone,
    since the legend and the note on undated papers are HTML that wraps.
    """
    years, rows = series(site)
    plt, MaxNLocator = _pyplot()
    undated = sum(1 for p in site.papers if not p.date)
    colours = plt.get_cmap("tab10").colors
    totals = [sum(values[k] for _, values in rows) for k in range(len(years))]
    svg = ""
    if years:
        with plt.rc_context(
            {
                "svg.hashsalt": "paper-atlas",
                "svg.fonttype": "none",
                "font.size": 15,
                "text.color": INK,
                "axes.labelcolor": INK,
                "xtick.color": INK,
                "ytick.color": INK,
                "axes.edgecolor": INK,
            }
        ):
            fig, ax = plt.subplots(figsize=(6.0, 3.2), dpi=100, layout="constrained")
            bottom = [0] * len(years)
            for i, (_, values) in enumerate(rows):
                bars = ax.bar(years, values, bottom=bottom, color=colours[i % 10])
                for year, value, bar in zip(years, values, bars):
                    if value:
                        bar.set_url(rel(here, f"archive/{year}/"))
                bottom = [b + v for b, v in zip(bottom, values)]
            ax.set_ylabel("papers")
            ax.xaxis.set_major_locator(MaxNLocator(nbins=6, integer=True))
            ax.yaxis.set_major_locator(MaxNLocator(nbins=5, integer=True))
            ax.spines[["top", "right"]].set_visible(False)
            fig.patch.set_alpha(0)
            ax.patch.set_alpha(0)
            out = io.StringIO()
            fig.savefig(out, format="svg", metadata={"Date": None, "Creator": None})
            plt.close(fig)
        svg = out.getvalue()
        svg = svg[svg.index("<svg") :].replace(INK, "currentColor").replace("*{", ".pa-chart svg *{")
        svg = re.sub(r"\s*<metadata>.*?</metadata>", "", svg, count=1, flags=re.S).replace(' target="_blank"', "")
        for year, total in zip(years, totals):
            href = str(escape(rel(here, f"archive/{year}/")))
            label = f"{year}: {total} paper{'s' if total != 1 else ''}"
            svg = svg.replace(
                f'<a xlink:href="{href}">', f'<a xlink:href="{href}" aria-label="{label}"><title>{label}</title>'
            )
        svg = "\n".join(line for line in svg.splitlines() if line.strip())
    swatch = Markup(
        '<li><svg class="pa-swatch" width="12" height="12" aria-hidden="true">'
        '<rect width="12" height="12" fill="{}"/></svg>{}</li>'
    )
    legend = Markup("").join(swatch.format(_colour(colours[i % 10]), name) for i, (name, _) in enumerate(rows))
    note = (
        Markup(
            '<p class="pa-small pa-chart__note">{} paper{} without a publication date {} not in the chart: '
            '<a href="{}">Undated</a>.</p>'
        ).format(undated, "s" if undated != 1 else "", "is" if undated == 1 else "are", rel(here, "archive/undated/"))
        if undated
        else ""
    )
    return Markup(
        '<figure class="pa-chart" aria-label="Papers per year by primary topic; each bar links to its year">'
        '\n{}\n<figcaption><ul class="pa-legend">{}</ul></figcaption>\n</figure>\n{}'
    ).format(Markup(svg), legend, note)
