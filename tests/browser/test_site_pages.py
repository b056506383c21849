"""The pages a reader browses: home, a topic, the archive, a paper (site built from the seeds)."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from urllib.parse import urljoin

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

SECTIONS_JS = """
() => {
  // Each h2 of the page content with the papers listed under it (up to the next h2).
  const out = [];
  for (const h2 of document.querySelectorAll("article.md-content__inner h2")) {
    const links = [];
    for (let el = h2.nextElementSibling; el && el.tagName !== "H2"; el = el.nextElementSibling) {
      if (el.matches("ul.pa-papers")) {
        for (const li of el.querySelectorAll(":scope > li")) links.push(li.querySelector("a").href);
      }
    }
    out.push({id: h2.id, text: h2.textContent.trim(), links});
  }
  return out;
}
"""


def sections(page) -> list[dict]:
    """``[{"id", "text", "links"}]``: the page's h2 sections and the paper links under each."""
    return page.evaluate(SECTIONS_JS)


def year_of(paper: dict) -> str:
    """``"2025"``, or ``"Undated"``."""
    return paper["date"][:4] if paper["date"] else "Undated"


def added_order(p: dict) -> str:
    """The home page's and feeds' notion of new: the added date, else the publication date."""
    return p["added"] or p["date"] or ""


def test_home_shows_topic_cards_recently_added_papers_and_the_chart(site, open_page, screenshot):
    page = open_page("")
    expect(page.locator("h1")).to_be_visible()
    expect(page.locator("p.pa-lead").first).to_contain_text(f"{len(site.papers)} papers")
    screenshot(page, "home")
    cards = page.locator("a.pa-card")
    expect(cards.first).to_be_visible()
    assert cards.count() == len(site.topics)
    card_targets = {site.path_of(cards.nth(i).evaluate("a => a.href")) for i in range(cards.count())}
    assert card_targets == {t["url"] for t in site.topics.values()}

    newest = page.locator("#newest + ul.pa-papers > li")
    expect(newest.first).to_be_visible()
    listed = [
        site.paper_at(a) for a in newest.locator("a").evaluate_all("as => as.map(a => a.href)") if site.paper_at(a)
    ]
    ranked = sorted(site.papers.values(), key=added_order, reverse=True)
    assert listed, "no paper links under 'Recently added'"
    assert [added_order(p) for p in listed] == [added_order(p) for p in ranked[: len(listed)]], (
        "not the most recently added, newest first"
    )
    assert "listing" not in page.locator("p.pa-lead").first.inner_text().split("Newest listing")[0], (
        "the home page counts listings"
    )

    chart = page.locator("figure.pa-chart > svg")
    chart.scroll_into_view_if_needed()
    expect(chart).to_be_visible()
    assert page.locator("figure.pa-chart").get_attribute("aria-label"), "the chart has no text alternative"
    undated = sum(1 for p in site.papers.values() if not p["date"])
    expect(page.locator(".pa-chart__note")).to_contain_text(f"{undated} papers without a publication date")
    bars = page.locator("figure.pa-chart > svg a")
    years = {
        site.path_of(urljoin(page.url, h))
        for h in bars.evaluate_all("as => as.map(a => a.getAttribute('href') || a.getAttribute('xlink:href'))")
    }
    assert years == {f"archive/{p['date'][:4]}/" for p in site.papers.values() if p["date"]}
    bars.first.click()
    page.wait_for_url(re.compile(r"/archive/\d{4}/$"))
    expect(page.locator("h1")).to_have_text(re.compile(r"^\d{4}$"))


def test_topic_page_lists_its_papers_by_year(site, open_page, screenshot):
    topic = max(site.topics.values(), key=lambda t: (t["papers"], t["id"]))
    home = open_page("")
    home.locator(f'a.pa-card[href$="{topic["url"]}"]').click()
    home.wait_for_url(site.page(topic["url"]))
    expect(home.locator("h1")).to_have_text(topic["name"])

    expected: dict[str, set[str]] = defaultdict(set)
    for p in site.papers.values():
        if p["topics"][:1] == [topic["id"]]:
            expected[year_of(p)].add(p["id"])
    found = {
        s["text"]: {site.paper_at(a)["id"] for a in s["links"]}
        for s in sections(home)
        if re.fullmatch(r"\d{4}|Undated", s["text"])
    }
    assert found == dict(expected), "year sections do not hold the topic's primary papers by year"
    years = list(found)
    assert years == sorted(years, key=lambda y: (y == "Undated", -int(y) if y != "Undated" else 0)), (
        f"years not newest first: {years}"
    )
    screenshot(home, "topic")


def test_archive_shows_a_year_by_month(site, open_page):
    counts = defaultdict(int)
    for p in site.papers.values():
        counts[year_of(p)] += 1
    year = max((y for y in counts if y != "Undated"), key=lambda y: (counts[y], y))
    page = open_page("archive/")
    page.get_by_role("link", name=year, exact=True).click()
    page.wait_for_url(site.page(f"archive/{year}/"))
    expect(page.locator("h1")).to_have_text(year)

    found = sections(page)
    assert found, "the year page has no month sections"
    seen = set()
    for section in found:
        match = re.fullmatch(r"([A-Z][a-z]+) (\d{4})", section["text"])
        assert match and match.group(2) == year, f"not a month of {year}: {section['text']!r}"
        for address in section["links"]:
            paper = site.paper_at(address)
            assert paper["date"][:4] == year and _month_name(paper["date"]) == match.group(1), (
                f"{paper['id']} ({paper['date']}) listed under {section['text']}"
            )
            seen.add(paper["id"])
    assert seen == {p["id"] for p in site.papers.values() if year_of(p) == year}


def _month_name(iso: str) -> str:
    """``"2025-05-08"`` -> ``"May"``."""
    return f"{dt.date.fromisoformat(iso):%B}"


def test_archive_lists_undated_papers(site, open_page):
    undated = {p["id"] for p in site.papers.values() if not p["date"]}
    if not undated:
        pytest.skip("every seed paper has a date")
    page = open_page("archive/")
    page.get_by_role("link", name="Undated", exact=True).click()
    page.wait_for_url(site.page("archive/undated/"))
    listed = page.locator("ul.pa-papers > li > a:first-child").evaluate_all("as => as.map(a => a.href)")
    assert {site.paper_at(a)["id"] for a in listed} == undated


def _showcase_paper(site) -> dict:
    """A dated paper with upvotes and several topics, most upvoted first (no brackets in its title)."""
    candidates = [
        p
        for p in site.papers.values()
        if p["date"] and p["upvotes"] and len(p["topics"]) > 1 and not re.search(r"[\[\]]", p["title"])
    ]
    return max(candidates, key=lambda p: (p["upvotes"], p["id"]))


def test_paper_page_shows_metadata_related_papers_and_link_snippets(site, open_page, screenshot):
    paper = _showcase_paper(site)
    page = open_page(paper["url"])
    article = page.locator("article.pa-paper")
    expect(article.locator("h1")).to_have_text(paper["title"])

    meta = article.locator(".pa-meta")
    expect(meta.locator("time").first).to_have_attribute("datetime", paper["date"])
    if paper["added"]:
        expect(meta.locator(".pa-added time")).to_have_attribute("datetime", paper["added"])
    expect(meta).to_contain_text(f"▲ {paper['upvotes']}")
    if paper["authors"]:
        expect(meta).to_contain_text(f"{paper['authors']} author")
    chips = article.locator(".pa-topics a.pa-chip")
    expect(chips).to_have_text([site.topics[t]["name"] for t in paper["topics"]])
    assert [site.path_of(h) for h in chips.evaluate_all("as => as.map(a => a.href)")] == [
        site.topics[t]["url"] for t in paper["topics"]
    ]
    expect(article.locator(".pa-abstract")).to_contain_text(paper["abstract"][:40])

    related = article.locator("#related + ul.pa-papers > li > a:first-child")
    expect(related.first).to_be_visible()
    related_papers = [site.paper_at(a) for a in related.evaluate_all("as => as.map(a => a.href)")]
    assert all(related_papers) and paper not in related_papers, related_papers

    expect(page.locator("nav.pa-crumbs")).to_contain_text("Home")
    expect(page.locator("nav.pa-crumbs a").last).to_have_text(site.topics[paper["topics"][0]]["name"])
    # Built without SITE_URL: the snippets hold the site path, written at build time, not the browsed address.
    snippets = article.locator(".pa-permalink pre code")
    expect(snippets).to_have_count(3)
    markdown, wiki, bib = snippets.all_inner_texts()
    assert markdown == f"[{paper['title']}]({paper['url']})", markdown
    assert wiki == f"[{paper['url']} {paper['title']}]", wiki
    assert bib.startswith(f"@misc{{{paper['id']},") and f"year = {{{paper['date'][:4]}}}" in bib, bib
    assert "127.0.0.1" not in article.locator(".pa-permalink").inner_text()
    article.locator(".pa-permalink").scroll_into_view_if_needed()  # Material mounts code blocks when seen
    copy = article.locator(".pa-permalink button[data-md-type=copy]")
    expect(copy).to_have_count(3)
    expect(article.locator(".pa-provenance")).to_contain_text("Daily Papers of ")
    assert ".txt" not in article.locator(".pa-provenance").inner_text()
    screenshot(page, "paper", full_page=True)

    related.first.click()
    page.wait_for_url(site.page(related_papers[0]["url"]))
    expect(page.locator("article.pa-paper h1")).to_have_text(related_papers[0]["title"])


def test_copy_button_copies_the_snippet(site, open_page):
    paper = _showcase_paper(site)
    page = open_page(paper["url"])
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site.url.rstrip("/"))
    page.locator(".pa-permalink").scroll_into_view_if_needed()
    page.locator(".pa-permalink button[data-md-type=copy]").first.click()
    copied = page.evaluate("() => navigator.clipboard.readText()")
    assert copied == f"[{paper['title']}]({paper['url']})"


def test_new_page_lists_the_papers_of_the_newest_listing(site, open_page):
    newest = max(p["added"] for p in site.papers.values() if p["added"])
    page = open_page("")
    page.locator("a.md-tabs__link", has_text="New").click()
    page.wait_for_url(site.page("new/"))
    latest = {s["id"]: s for s in sections(page)}["latest"]
    assert {site.paper_at(a)["id"] for a in latest["links"]} == {
        p["id"] for p in site.papers.values() if p["added"] == newest
    }


def test_organization_page_from_the_meta_line(site, open_page):
    paper = max((p for p in site.papers.values() if p["organization"]), key=lambda p: p["id"])
    page = open_page(paper["url"])
    page.locator("article.pa-paper .pa-meta a.pa-org").click()
    expect(page.locator("h1")).to_have_text(paper["organization"]["name"])
    listed = page.locator("ul.pa-papers > li > a:first-child").evaluate_all("as => as.map(a => a.href)")
    assert {site.paper_at(a)["id"] for a in listed} == {
        p["id"]
        for p in site.papers.values()
        if p["organization"] and p["organization"]["id"] == paper["organization"]["id"]
    }


def test_month_pages_from_the_year_page_with_previous_and_next(site, open_page):
    months = sorted({p["date"][:7] for p in site.papers.values() if p["date"]})
    middle = months[len(months) // 2]
    year, month = middle.split("-")
    name = _month_name(middle + "-01")
    page = open_page(f"archive/{year}/")
    page.locator("ul.pa-months").get_by_role("link", name=name, exact=True).click()
    expect(page.locator("h1")).to_have_text(f"{name} {year}")
    listed = page.locator("ul.pa-papers > li > a:first-child").evaluate_all("as => as.map(a => a.href)")
    assert {site.paper_at(a)["id"] for a in listed} == {
        p["id"] for p in site.papers.values() if (p["date"] or "").startswith(middle)
    }
    k = months.index(middle)
    page.locator('a[rel="prev"]').click()
    before = months[k - 1]
    expect(page.locator("h1")).to_have_text(f"{_month_name(before + '-01')} {before[:4]}")
    page.locator('a[rel="next"]').first.click()
    expect(page.locator("h1")).to_have_text(f"{name} {year}")
