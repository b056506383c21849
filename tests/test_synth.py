"""Tests for benchmarks/synth.py: synthetic listings read back like real ones, and never change by chance."""

from __future__ import annotations

import datetime as dt
import doctest
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

import synth  # noqa: E402

from generator.catalog import build_catalog  # noqa: E402
from generator.read.parse import parse_listing  # noqa: E402

N = 300


@pytest.fixture(scope="module")
def made():
    files, _ = synth.synthesise(N, seed=7)
    listings = [parse_listing(text, name) for name, text in sorted(files.items())]
    papers, problems = build_catalog(listings)
    return files, listings, papers, problems


def test_the_same_seed_gives_the_same_files():
    assert synth.synthesise(40, seed=3)[0] == synth.synthesise(40, seed=3)[0]
    assert synth.synthesise(40, seed=3)[0] != synth.synthesise(40, seed=4)[0]


def test_listings_read_back_without_problems_as_the_asked_number_of_papers(made):
    _, listings, papers, problems = made
    assert [str(p) for lst in listings for p in lst.problems] == []
    assert problems == []
    assert len(papers) == N


def test_listings_start_with_the_page_header_and_a_year_less_capture_day(made):
    files, listings, _, _ = made
    for (name, text), listing in zip(sorted(files.items()), listings):
        assert text.startswith(
            "new\n\nGet trending papers in your email inbox!\n\nSubscribe\n\nDaily Papers\n\n"
            "byAK and the research community\n\n"
        ), name
        assert listing.captured is not None, name


def test_the_mix_of_cases_is_there(made):
    _, listings, papers, _ = made
    records = [r for lst in listings for r in lst.records]
    assert 0.15 <= sum(len(p.listings) > 1 for p in papers) / N <= 0.40
    assert 0.02 <= sum(p.upvotes is None for p in papers) / N <= 0.15
    assert any(p.organization for p in papers)
    assert any(r.upvotes for r in records)
    assert any(r.date_text and "," not in r.date_text for r in records)
    assert any(", " in r.date_text for r in records)


def test_every_paper_is_dated_on_or_before_the_capture_day_of_each_listing_that_shows_it(made):
    _, listings, _, _ = made
    for listing in listings:
        for r in listing.records:
            if r.date:
                assert r.date <= listing.captured, (listing.name, r.line, r.date_text)


def test_titles_read_as_titles_and_abstracts_as_abstracts(made):
    _, listings, _, _ = made
    records = [r for lst in listings for r in lst.records]
    assert all(r.title and len(r.abstract) >= 600 for r in records)


def test_date_line_and_other_examples():
    assert doctest.testmod(synth).failed == 0
    assert synth.date_line(dt.date(2024, 12, 31), dt.date(2025, 1, 2), 3) == "Dec 31, 2024 3"
