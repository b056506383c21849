"""The real MkDocs build, strict: pages, links between them, feeds, sizes, and hostile input."""

from __future__ import annotations

import json
import re
import shutil
import xml.etree.ElementTree as ET

import pytest
from project import build_site

PAYLOADS = ["<script>alert", "<img src=x", 'href="javascript:', 'src="javascript:', "<iframe", "<b>Org"]


@pytest.fixture(scope="module")
def seed_site(built_site):
    """The seed site, built once per session (tests/conftest.py)."""
    return built_site


def internal_links(html: str) -> list[str]:
    return [u for u in re.findall(r'(?:href|src)="([^"#?]+)', html) if not re.match(r"^[a-z]+:|^//", u)]


def test_strict_build_has_every_page(seed_site):
    papers = json.loads((seed_site / "papers.json").read_text())
    assert len(papers["papers"]) == 170
    for p in papers["papers"]:
        assert (seed_site / p["url"] / "index.html").is_file()
    for t in papers["topics"]:
        assert (seed_site / t["url"] / "index.html").is_file()
    for page in (
        "index.html",
        "topics/index.html",
        "archive/index.html",
        "archive/undated/index.html",
        "top/index.html",
        "about/index.html",
        "feeds/all.xml",
        "assets/generated/papers-per-year.svg",
    ):
        assert (seed_site / page).is_file(), page


def test_search_index_holds_every_paper_page_and_nothing_else(seed_site):
    counts = [
        sum(
            lang["page_count"]
            for lang in json.loads((seed_site / b / "pagefind-entry.json").read_text())["languages"].values()
        )
        for b in json.loads((seed_site / "search-bundles.json").read_text())
    ]
    assert sum(counts) == 170 and min(counts) > 0, counts
    assert not (seed_site / "search/search_index.json").exists(), "no second, whole-site index to download"


def test_links_between_generated_pages_resolve(seed_site):
    broken = []
    for html_file in seed_site.rglob("*.html"):
        if "assets" in html_file.parts or html_file.name == "404.html":  # 404 links from the server root
            continue
        for link in internal_links(html_file.read_text(encoding="utf-8")):
            target = (html_file.parent / link).resolve()
            if not (target.is_file() or (target / "index.html").is_file()):
                broken.append(f"{html_file.relative_to(seed_site)} -> {link}")
    assert broken == []


def test_feeds_parse_and_are_announced(seed_site):
    for feed in (seed_site / "feeds").glob("*.xml"):
        assert ET.parse(feed).getroot().tag == "{http://www.w3.org/2005/Atom}feed"
    home = (seed_site / "index.html").read_text()
    assert 'type="application/atom+xml"' in home and "feeds/all.xml" in home
    topic = json.loads((seed_site / "papers.json").read_text())["topics"][0]
    page = (seed_site / topic["url"] / "index.html").read_text()
    assert f"feeds/{topic['id']}.xml" in page


def test_no_paper_page_over_150_kb_and_nothing_from_other_hosts(seed_site):
    sizes = [p.stat().st_size for p in (seed_site / "papers").rglob("index.html")]
    assert max(sizes) < 150_000
    home = (seed_site / "index.html").read_text()
    assert "fonts.googleapis" not in home and "cdn" not in " ".join(re.findall(r'src="([^"]+)"', home))


def test_hostile_listings_build_and_inject_nothing(hostile_build, hostile_site, tmp_path):
    assert hostile_build.returncode == 0, hostile_build.output
    for name in ("windows1252.txt", "binary.bin", "empty.txt"):
        assert name in hostile_build.stderr, f"{name} not reported"
    strict = tmp_path / "strict"  # a copy (cache included), so the shared build is left as it is
    shutil.copytree(hostile_build.root, strict, ignore=shutil.ignore_patterns("site"), symlinks=True)
    assert build_site(strict, "--strict").returncode == 1
    site = hostile_site
    titles = {p["title"] for p in json.loads((site / "papers.json").read_text())["papers"]}
    assert {
        '<script>alert("title")</script> Attention Is Not Enough',
        "<img src=x onerror=alert(1)> {{ config.site_name }} {% if true %}x{% endif %}",
        "[x](javascript:alert(4)) Markdown Link Title",
        "CRLF Paper \u2014 with a dash",
        "Caf\u00e9 Na\u00efve Paper",
        "Truncated Listing First Paper",
    } <= titles
    for path in site.rglob("*"):
        if path.suffix in {".html", ".json"} and "assets" not in path.parts and path.name != "papers.json":
            text = path.read_text(encoding="utf-8")
            for payload in PAYLOADS:
                assert payload not in text, f"{payload!r} live in {path.relative_to(site)}"
    for feed in (site / "feeds").glob("*.xml"):
        root_el = ET.parse(feed).getroot()
        for el in root_el.iter():
            assert el.get("type") in (None, "text", "application/atom+xml"), f"markup content in {feed.name}"
            assert not (el.get("href") or "").lower().startswith("javascript:"), feed.name
    templated = [
        p for p in json.loads((site / "papers.json").read_text())["papers"] if "config.site_name" in p["title"]
    ]
    page = (site / templated[0]["url"] / "index.html").read_text(encoding="utf-8")
    assert "{{ config.site_name }} {% if true %}x{% endif %}</h1>" in page, "template syntax must stay text"
    assert (site / "pagefind/pagefind-entry.json").is_file()
