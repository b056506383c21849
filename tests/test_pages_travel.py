"""Pages that travel, in the real MkDocs build with SITE_URL set: previews, permalinks, JSON-LD, feeds."""

from __future__ import annotations

import json
import os
import re
from html.parser import HTMLParser
from pathlib import Path

import feedparser
import pytest
from project import build_site, copy_project, shared_build, site_of

SITE_URL = "https://lab.example.org/atlas/"


class Head(HTMLParser):
    """The meta tags, canonical link, JSON-LD scripts and permalink box of a built page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.meta: dict[str, str] = {}
        self.canonical = ""
        self.jsonld: list[str] = []
        self.snippets: list[str] = []
        self._in: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "meta" and (a.get("property") or a.get("name")):
            self.meta[a.get("property") or a.get("name")] = a.get("content", "")
        elif tag == "link" and a.get("rel") == "canonical":
            self.canonical = a["href"]
        elif tag == "script" and a.get("type") == "application/ld+json":
            self._in = "jsonld"
            self.jsonld.append("")
        elif tag == "code" and "pa-snippet" in (a.get("class") or ""):
            self._in = "snippet"
            self.snippets.append("")

    def handle_endtag(self, tag):
        if tag in ("script", "code"):
            self._in = None

    def handle_data(self, data):
        if self._in == "jsonld":
            self.jsonld[-1] += data
        elif self._in == "snippet":
            self.snippets[-1] += data


def head(path: Path) -> Head:
    parser = Head()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


@pytest.fixture(scope="session")
def public_site(request) -> Path:
    """The seed site built with SITE_URL, once per session (``shared_build``)."""
    env = {**os.environ, "SITE_URL": SITE_URL}
    return site_of(shared_build(request, "public", lambda folder: build_site(copy_project(folder), env=env)), "public")


def test_each_paper_page_previews_as_itself_with_its_public_address(public_site):
    catalog = json.loads((public_site / "papers.json").read_text())["papers"]
    descriptions = set()
    for paper in catalog:
        page = head(public_site / paper["url"] / "index.html")
        address = SITE_URL + paper["url"]
        assert page.canonical == page.meta["og:url"] == address
        assert page.meta["og:type"] == "article" and page.meta["og:title"] == paper["title"]
        assert page.meta["og:site_name"] and page.meta["twitter:card"]
        description = page.meta["description"]
        assert description == page.meta["og:description"] and 0 < len(description) <= 160
        descriptions.add(description)
        data = json.loads(page.jsonld[0])
        assert (data["@type"], data["name"], data["url"]) == ("ScholarlyArticle", paper["title"], address)
        assert data.get("datePublished") == paper["date"]
        markdown = page.snippets[0]
        assert markdown.endswith(f"({address})"), "the permalink box holds the public address in the HTML"
    assert len(descriptions) > 0.9 * len(catalog), "descriptions are per paper, not the site's"


def test_feeds_validate_with_absolute_ids_and_hold_undated_papers(public_site):
    catalog = json.loads((public_site / "papers.json").read_text())["papers"]
    parsed = feedparser.parse((public_site / "feeds/all.xml").read_bytes())
    assert not parsed.bozo and parsed.version == "atom10"
    assert parsed.feed.id.startswith(SITE_URL) and parsed.feed.author_detail.name
    assert all(e.id.startswith(SITE_URL) for e in parsed.entries)
    newest = sorted((p["added"] or p["date"] or "" for p in catalog), reverse=True)[: len(parsed.entries)]
    assert [e.updated[:10] for e in parsed.entries] == newest
    if any(not p["date"] and p["added"] and p["added"] >= newest[-1] for p in catalog):
        assert any(e.get("published") is None for e in parsed.entries), "undated papers appear by added date"


def test_hostile_titles_stay_inside_their_json_ld(hostile_site):
    site = hostile_site
    catalog = json.loads((site / "papers.json").read_text())["papers"]
    for paper in catalog:
        html = (site / paper["url"] / "index.html").read_text(encoding="utf-8")
        page = head(site / paper["url"] / "index.html")
        assert len(page.jsonld) == 1 and json.loads(page.jsonld[0])["name"] == paper["title"]
        assert html.count("</script>") == len(re.findall(r"<script\b", html))
        assert page.meta["og:title"] == paper["title"]
