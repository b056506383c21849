"""The home page chart: an SVG drawn by matplotlib, deterministic, one series per large topic."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from generator.render.chart import papers_per_year_svg, series
from sitefixture import make_site


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
    assert not re.search(rb'(href|src)="(https?:)?//|url\((https?:)?//', svg), "the chart must load nothing from elsewhere"
