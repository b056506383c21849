"""Atom feeds: valid RFC 4287 (checked with feedparser), newest to the site first, text kept as text."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

import feedparser
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sitefixture import CAPTURES, PAPERS, make_paper, make_site

from generator.render.feeds import render_feeds

ATOM = "{http://www.w3.org/2005/Atom}"


def entries(xml: bytes) -> list[ET.Element]:
    return ET.fromstring(xml).findall(f"{ATOM}entry")


def assert_valid_atom(xml: bytes, absolute: bool) -> feedparser.FeedParserDict:
    """The elements RFC 4287 requires, read back by feedparser; ids absolute URLs or tag: URIs."""
    parsed = feedparser.parse(xml)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    feed = parsed.feed
    assert feed.get("id") and feed.get("title") and feed.get("updated_parsed")
    assert feed.get("author_detail", {}).get("name"), "atom:feed needs an atom:author"
    scheme = ("https://",) if absolute else ("tag:",)
    ids = [feed.id] + [e.id for e in parsed.entries]
    assert all(i.startswith(scheme) for i in ids), ids
    assert len(set(ids)) == len(ids), "ids must be unique"
    for e in parsed.entries:
        assert e.get("title") and e.get("updated_parsed") and e.get("link"), e
    return parsed


@pytest.mark.parametrize("url", ["https://lab.example.org/atlas/", ""])
def test_every_feed_is_valid_atom_with_or_without_a_site_address(url):
    for path, xml in render_feeds(make_site(url=url), size=30).items():
        assert_valid_atom(xml, absolute=bool(url)), path


def test_feed_orders_by_added_date_so_undated_papers_appear():
    feeds = render_feeds(make_site(), size=30)
    parsed = assert_valid_atom(feeds["feeds/all.xml"], absolute=True)
    titles = [e.title for e in parsed.entries]
    undated = next(p for p in PAPERS if p.date is None)
    assert undated.added == max(CAPTURES.values())
    assert titles[0] == undated.title, "the paper the newest listing added comes first, dated or not"
    assert set(titles) == {p.title for p in PAPERS}
    first = parsed.entries[0]
    assert first.updated.startswith(undated.added.isoformat())
    assert parsed.feed.updated.startswith(max(CAPTURES.values()).isoformat())


def test_site_feed_keeps_its_size_and_absolute_links():
    items = entries(render_feeds(make_site(), size=2)["feeds/all.xml"])
    assert len(items) == 2
    assert items[0].find(f"{ATOM}link").get("href").startswith("https://lab.example.org/atlas/papers/")


def test_old_paper_listed_recently_is_news():
    old = make_paper("Old but new to us", date=dt.date(2001, 1, 1), listings=("b.txt",), topics=("brain-decoding",))
    recent = make_paper("Published lately", date=dt.date(2025, 5, 30), listings=("a.txt",), topics=("brain-decoding",))
    parsed = feedparser.parse(render_feeds(make_site(papers=(old, recent)), 30)["feeds/all.xml"])
    assert [e.title for e in parsed.entries] == ["Old but new to us", "Published lately"]
    assert parsed.entries[0].published.startswith("2001-01-01")


def test_topic_feed_holds_primary_and_secondary_papers():
    titles = {e.find(f"{ATOM}title").text for e in entries(render_feeds(make_site(), 30)["feeds/spiking-networks.xml"])}
    assert titles == {p.title for p in PAPERS if "spiking-networks" in p.topics}


def test_hostile_text_stays_text_and_feeds_are_deterministic():
    bad = make_paper(
        "<script>alert(1)</script> & {{x}}",
        "<img src=x onerror=alert(1)>. Done.",
        date=dt.date(2024, 1, 1),
        topics=("brain-decoding",),
    )
    site = make_site(papers=(bad,))
    xml = render_feeds(site, 30)["feeds/all.xml"]
    entry = entries(xml)[0]
    assert entry.find(f"{ATOM}title").text == "<script>alert(1)</script> & {{x}}"
    assert b"<script>" not in xml and b"<img" not in xml
    assert render_feeds(site, 30) == render_feeds(make_site(papers=(bad,)), 30)


@settings(max_examples=40, deadline=None)
@given(name=st.text(max_size=30), dated=st.booleans())
def test_any_site_name_gives_valid_tag_ids(name, dated):
    paper = make_paper("A paper", date=dt.date(2024, 1, 1) if dated else None, topics=("brain-decoding",))
    xml = render_feeds(make_site(name=name or "x", url="", papers=(paper,)), 30)["feeds/all.xml"]
    assert_valid_atom(xml, absolute=False)
