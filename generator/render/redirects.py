"""Redirect pages that keep old URLs working after a topic merge or a corrected title. Pure.

A redirect is a small static HTML page at the old address: a canonical
link and an immediate refresh to the new one, plus a visible link.
"""

from __future__ import annotations

from markupsafe import escape

from .urls import rel

_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Moved</title>
<link rel="canonical" href="{href}"><meta name="robots" content="noindex">
<meta http-equiv="refresh" content="0; url={href}"></head>
<body><p>This page has moved to <a href="{href}">{href}</a>.</p></body></html>
"""


def redirect_pages(redirects: dict[str, str], existing: set[str]) -> dict[str, str]:
    """``{"topics/old/": "topics/new/"}`` -> ``{"topics/old/index.html": page}``.

    Old addresses that are still real pages are left alone.

    >>> list(redirect_pages({"topics/old/": "topics/new/"}, set()))
    ['topics/old/index.html']
    """
    pages = {}
    for old, new in sorted(redirects.items()):
        old = old.strip("/") + "/"
        if old == new or f"{old.rstrip('/')}.md" in existing or f"{old}index.md" in existing:
            continue
        pages[f"{old}index.html"] = _PAGE.format(href=escape(rel(old, new)))
    return pages
