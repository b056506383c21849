"""Atom feeds of the newest papers, site-wide and per topic, made with feedgen. Pure.

Feeds carry no build timestamps: a feed's ``updated`` is its newest paper's
date, so the same listings give byte-identical feeds.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from feedgen.feed import FeedGenerator

from ..model import Paper, Site


def _when(date: dt.date) -> dt.datetime:
    """Midnight UTC of a paper's date."""
    return dt.datetime(date.year, date.month, date.day, tzinfo=dt.timezone.utc)


def _absolute(site: Site, path: str) -> str:
    """An absolute URL where the site's address is known, else a root-relative one."""
    return (site.url.rstrip("/") + "/" + path) if site.url else "/" + path


def atom_feed(site: Site, papers: Sequence[Paper], title: str, path: str, page: str, size: int) -> bytes:
    """An Atom feed of the ``size`` newest dated papers."""
    newest = [p for p in papers if p.date][:size]
    fg = FeedGenerator()
    fg.id(_absolute(site, path))
    fg.title(title)
    fg.link(href=_absolute(site, path), rel="self")
    fg.link(href=_absolute(site, page), rel="alternate")
    fg.generator("Paper Atlas")
    fg.updated(_when(newest[0].date) if newest else _when(dt.date(1970, 1, 1)))
    for p in newest:
        fe = fg.add_entry(order="append")
        fe.id(_absolute(site, p.url))
        fe.title(p.title)
        fe.link(href=_absolute(site, p.url))
        fe.updated(_when(p.date))
        fe.published(_when(p.date))
        fe.summary(p.abstract or "(no abstract)")
        for t in p.topics:
            fe.category(term=t)
    return fg.atom_str(pretty=True)


def render_feeds(site: Site, size: int) -> dict[str, bytes]:
    """``feeds/all.xml`` and ``feeds/<topic>.xml``."""
    feeds = {"feeds/all.xml": atom_feed(site, site.papers, f"{site.name}: newest papers", "feeds/all.xml", "", size)}
    for t in site.topics:
        members = [p for p in site.papers if t.id in p.topics]
        feeds[f"feeds/{t.id}.xml"] = atom_feed(site, members, f"{site.name}: {t.name}", f"feeds/{t.id}.xml",
                                               t.url, size)
    return feeds
