"""The catalog as data (``papers.json``) for lab tools and wikis. Pure.

Format::

    {"papers": [{"id", "url", "title", "abstract", "authors", "organization",
                 "date", "added", "upvotes", "topics", "listings", "links"}],
     "topics": [{"id", "name", "url", "papers"}]}
"""
from __future__ import annotations

import json

from ..model import Paper, Site, topic_sizes


def paper_record(p: Paper) -> dict:
    """One paper as ``papers.json`` shows it."""
    return {
        "id": p.id, "url": p.url, "title": p.title, "abstract": p.abstract,
        "authors": p.authors,
        "organization": {"id": p.organization.id, "name": p.organization.name} if p.organization else None,
        "date": p.date.isoformat() if p.date else None, "added": p.added.isoformat() if p.added else None,
        "upvotes": p.upvotes,
        "topics": list(p.topics), "listings": list(p.listings), "links": list(p.links),
    }


def papers_json(site: Site) -> str:
    """The whole catalog, papers newest first then by title; topics with their sizes (primary papers)."""
    sizes = {t.id: size for t, size in topic_sizes(site)}
    data = {
        "papers": [paper_record(p) for p in site.papers],
        "topics": [{"id": t.id, "name": t.name, "url": t.url, "papers": sizes[t.id]} for t in site.topics],
    }
    return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=False) + "\n"
