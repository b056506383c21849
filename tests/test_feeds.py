"""Atom feeds: newest dated papers, valid XML, text kept as text, no build timestamp."""
from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

from generator.render.feeds import render_feeds
from sitefixture import make_paper, make_site

ATOM = "{http://www.w3.org/2005/Atom}"


def entries(xml: bytes) -> list[ET.Element]:
    return ET.fromstring(xml).findall(f"{ATOM}entry")


def test_site_feed_lists_newest_dated_papers_with_absolute_links():
    feeds = render_feeds(make_site(), size=2)
    assert set(feeds) == {"feeds/all.xml", "feeds/brain-decoding.xml", "feeds/spiking-networks.xml"}
    items = entries(feeds["feeds/all.xml"])
    assert [e.find(f"{ATOM}title").text for e in items] == ["Continuous Thought Machines", "Spikes in May"]
    assert items[0].find(f"{ATOM}link").get("href").startswith("https://lab.example.org/atlas/papers/")
    assert ET.fromstring(feeds["feeds/all.xml"]).find(f"{ATOM}updated").text.startswith("2025-05-08")


def test_topic_feed_holds_primary_and_secondary_papers():
    titles = [e.find(f"{ATOM}title").text for e in entries(render_feeds(make_site(), 30)["feeds/spiking-networks.xml"])]
    assert titles == ["Continuous Thought Machines", "Spikes in May",
                      "Brain-Diffuser: natural scene reconstruction from fMRI"]


def test_hostile_text_stays_text_and_feeds_are_deterministic():
    bad = make_paper("<script>alert(1)</script> & {{x}}", "<img src=x onerror=alert(1)>. Done.",
                     date=dt.date(2024, 1, 1), topics=("brain-decoding",))
    site = make_site(papers=(bad,))
    xml = render_feeds(site, 30)["feeds/all.xml"]
    entry = entries(xml)[0]
    assert entry.find(f"{ATOM}title").text == "<script>alert(1)</script> & {{x}}"
    assert b"<script>" not in xml and b"<img" not in xml
    assert render_feeds(site, 30) == render_feeds(make_site(papers=(bad,)), 30)
