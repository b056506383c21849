"""Atom feeds of the papers newest to the site, site-wide and per topic, made with feedgen. Pure.

"New" means newly listed: entries are ordered by the day a listing first
showed the paper (``Paper.added``), so a paper published long ago but listed
today is news, and an undated paper appears by its added date. Papers with
neither an added nor a publication date have no date to stand under and are
left out.

The feeds are valid Atom (RFC 4287): every feed and entry has an id, a title,
an updated date, and the feed an author. Ids are the public addresses when
``site_url`` is known, else ``tag:`` URIs (RFC 4151), which stay the same
wherever the site is served. Feeds carry no build timestamps: a feed's
``updated`` is its newest entry's, so the same listings give byte-identical feeds.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from feedgen.feed import FeedGenerator
from slugify import slugify

from ..model import Paper, Site

TAG_DATE = "2025"
"""The date part of ``tag:`` ids (fixed, so ids never change)."""


def _when(date: dt.date) -> dt.datetime:
    """Midnight UTC of a paper's date."""
    return dt.datetime(date.year, date.month, date.day, tzinfo=dt.UTC)


def _absolute(site: Site, path: str) -> str:
    """An absolute URL where the site's address is known, else a root-relative one."""
    return (site.url.rstrip("/") + "/" + path) if site.url else "/" + path


def site_name(site: Site) -> str:
    """The site's name as XML can carry it (no control characters), ``"Paper Atlas"`` when blank.

    >>> site_name(Site(" Lab\x1f ", "", (), ())), site_name(Site(" ", "", (), ()))
    ('Lab', 'Paper Atlas')
    """
    return "".join(c for c in site.name if c.isprintable()).strip() or "Paper Atlas"


def feed_id(site: Site, path: str) -> str:
    """The permanent id of a feed or entry: its public address, or a ``tag:`` URI without one.

    >>> feed_id(Site("Lab Atlas", "", (), ()), "papers/x-1/")
    'tag:lab-atlas,2025:papers/x-1/'
    """
    return _absolute(site, path) if site.url else f"tag:{slugify(site_name(site)) or 'paper-atlas'},{TAG_DATE}:{path}"


def newness(p: Paper) -> tuple:
    """Newest added first (publication date when no added date is known), then newest published, then title."""
    when = p.added or p.date
    return (-(when.toordinal() if when else 0), p.sort_key)


def atom_feed(site: Site, papers: Sequence[Paper], title: str, path: str, page: str, size: int) -> bytes:
    """An Atom feed of the ``size`` papers most recently added to the site."""
    newest = sorted((p for p in papers if p.added or p.date), key=newness)[:size]
    fg = FeedGenerator()
    fg.id(feed_id(site, path))
    fg.title(title)
    fg.author(name=site_name(site), uri=site.url or None)
    fg.link(href=_absolute(site, path), rel="self")
    fg.link(href=_absolute(site, page), rel="alternate")
    fg.generator("Paper Atlas")
    fg.updated(_when(max(p.added or p.date for p in newest)) if newest else _when(dt.date(1970, 1, 1)))
    for p in newest:
        fe = fg.add_entry(order="append")
        fe.id(feed_id(site, p.url))
        fe.title(p.title)
        fe.link(href=_absolute(site, p.url))
        fe.updated(_when(p.added or p.date))
        if p.date:
            fe.published(_when(p.date))
        fe.summary(p.abstract or "(no abstract)")
        for t in p.topics:
            fe.category(term=t)
    return fg.atom_str(pretty=True)


def render_feeds(site: Site, size: int) -> dict[str, bytes]:
    """``feeds/all.xml`` and ``feeds/<topic>.xml``."""
    name = site_name(site)
    feeds = {"feeds/all.xml": atom_feed(site, site.papers, f"{name}: newest papers", "feeds/all.xml", "", size)}
    for t in site.topics:
        members = [p for p in site.papers if t.id in p.topics]
        feeds[f"feeds/{t.id}.xml"] = atom_feed(site, members, f"{name}: {t.name}", f"feeds/{t.id}.xml", t.url, size)
    return feeds
