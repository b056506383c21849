"""The home page chart: an SVG drawn by matplotlib, deterministic, one series per large topic."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET

from htmlcheck import inspect
from sitefixture import PAPERS, make_paper, make_site

from generator.model import Topic
from generator.render.chart import chart_html, papers_per_year_svg, series


def test_series_counts_dated_papers_per_year_by_primary_topic():
    years, rows = series(make_site())
    assert years == [2023, 2025]
    assert dict(rows) == {"Brain Decoding from fMRI": [1, 0], "Spiking Neural Networks": [0, 2]}


def test_svg_is_valid_deterministic_and_names_topics():
    svg = papers_per_year_svg(make_site())
    root = ET.fromstring(svg)
    assert root.tag.endswith("svg")
    assert svg == papers_per_year_svg(make_site())
    assert b"Spiking Neural Networks" in svg
    assert not re.search(rb'(href|src)="(https?:)?//|url\((https?:)?//', svg), (
        "the chart must load nothing from elsewhere"
    )


def test_inline_chart_links_bars_to_years_and_follows_the_palette():
    html = str(chart_html(make_site(), ""))
    hrefs = set(re.findall(r'<a xlink:href="([^"]+)"', html))
    assert hrefs == {"archive/2023/", "archive/2025/"}
    assert "currentColor" in html and "#777" not in html, "text and axes take the page's colour"
    assert 'aria-label="2025: 2 papers"' in html
    legend = [t for t in inspect(html.split("<figcaption>")[1].split("</figcaption>")[0]).text if t.strip()]
    assert legend == ["Brain Decoding from fMRI", "Spiking Neural Networks"]


def test_chart_says_how_many_papers_are_undated():
    undated = sum(1 for p in PAPERS if not p.date)
    text = "".join(inspect(str(chart_html(make_site(), ""))).text)
    assert f"{undated} paper without a publication date is not in the chart" in text
    dated = tuple(p for p in PAPERS if p.date)
    assert "without a publication date" not in str(chart_html(make_site(papers=dated), ""))


def test_hostile_topic_name_stays_text_in_the_chart():
    bad = Topic("bad", '<script>alert(1)</script> $x$ & "q"', "")
    paper = make_paper("P", date=dt.date(2024, 1, 1), topics=("bad",))
    html = str(chart_html(make_site(papers=(paper,), topics=(bad,)), ""))
    assert "<script>" not in html
    assert '<script>alert(1)</script> $x$ & "q"' in "".join(inspect(html).text)
