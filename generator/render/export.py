"""The catalog as data (``papers.json``) for lab tools and wikis. Pure.

Format::

    {"papers": [{"id", "url", "title", "abstract", "authors", "organization",
                 "date", "added", "upvotes", "topics", "listings", "links",
                 "arxiv_id", "authors_names", "published", "hf_url", "doi"}],
     "topics": [{"id", "name", "url", "papers"}],
     "retired": [{"id", "url", "title", "abstract", "topics", "moved_to"}]}

``retired`` (only when there are any) lists the papers no listing shows any more, whose addresses are
kept as short pages; the next build reads them back so they stay. ``moved_to`` is the URL of the listed
paper that is the same paper printed again (its address redirects there), else null.
"""

from __future__ import annotations

import json

from ..model import Paper, Site, topic_sizes


def paper_record(p: Paper) -> dict:
    """One paper as ``papers.json`` shows it."""
    return {
        "id": p.id,
        "url": p.url,
        "title": p.title,
        "abstract": p.abstract,
        "authors": p.authors,
        "organization": {"id": p.organization.id, "name": p.organization.name} if p.organization else None,
        "date": p.date.isoformat() if p.date else None,
        "added": p.added.isoformat() if p.added else None,
        "upvotes": p.upvotes,
        "topics": list(p.topics),
        "listings": list(p.listings),
        "links": list(p.links),
        **identifier_fields(p),
    }


def identifier_fields(p: Paper) -> dict:
    """The paper's identifiers: those stored (``seeds/_identifiers.json``), else those its listings
    print (arXiv id, authors' names, DOI); nulls where unknown."""
    ids = p.identifiers
    return {
        "arxiv_id": ids.arxiv_id if ids else None,
        "authors_names": list(p.names),
        "published": ids.published.isoformat() if ids and ids.published else None,
        "hf_url": ids.hf_url if ids else None,
        "doi": p.doi,
    }


def papers_json(site: Site) -> str:
    """The whole catalog, papers newest first then by title; topics with their sizes (primary papers)."""
    sizes = {t.id: size for t, size in topic_sizes(site)}
    data = {
        "papers": [paper_record(p) for p in site.papers],
        "topics": [{"id": t.id, "name": t.name, "url": t.url, "papers": sizes[t.id]} for t in site.topics],
    }
    if site.retired:
        data["retired"] = [
            {
                "id": r.id,
                "url": r.url,
                "title": r.title,
                "abstract": r.abstract,
                "topics": list(r.topics),
                "moved_to": f"papers/{r.moved_to}/" if r.moved_to else None,
            }
            for r in site.retired
        ]
    return "{\n" + ",\n".join(f"{json.dumps(key)}: {_one_per_line(items)}" for key, items in data.items()) + "\n}\n"


def _one_per_line(items: list[dict]) -> str:
    """A JSON list with one compact record a line: small, and a change shows as the lines it touches.

    >>> print(_one_per_line([{"id": "a", "n": 1}, {"id": "b"}]))
    [
    {"id":"a","n":1},
    {"id":"b"}
    ]
    """
    if not items:
        return "[]"
    return "[\n" + ",\n".join(json.dumps(i, ensure_ascii=False, separators=(",", ":")) for i in items) + "\n]"
