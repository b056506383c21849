"""The pages a reader browses: home, a topic, the archive, a paper (site built from the seeds)."""
from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict

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


def test_home_shows_topic_cards_newest_papers_and_the_chart(site, open_page, screenshot):
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
    listed = [site.paper_at(a) for a in newest.locator("a").evaluate_all("as => as.map(a => a.href)")
              if site.paper_at(a)]
    dated = sorted((p for p in site.papers.values() if p["date"]), key=lambda p: p["date"], reverse=True)
    assert listed, "no paper links under 'Newest papers'"
    assert [p["date"] for p in listed] == [p["date"] for p in dated[:len(listed)]], "not the newest, newest first"

    chart = page.locator("figure.pa-chart img")
    chart.scroll_into_view_if_needed()
    expect(chart).to_be_visible()
    assert chart.evaluate("img => img.complete && img.naturalWidth > 0"), "the chart image did not load"
    assert chart.get_attribute("alt"), "the chart has no text alternative"


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
    found = {s["text"]: {site.paper_at(a)["id"] for a in s["links"]}
             for s in sections(home) if re.fullmatch(r"\d{4}|Undated", s["text"])}
    assert found == dict(expected), "year sections do not hold the topic's primary papers by year"
    years = list(found)
    assert years == sorted(years, key=lambda y: (y == "Undated", -int(y) if y != "Undated" else 0)), \
        f"years not newest first: {years}"
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
            assert paper["date"][:4] == year and _month_name(paper["date"]) == match.group(1), \
                f"{paper['id']} ({paper['date']}) listed under {section['text']}"
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
    candidates = [p for p in site.papers.values()
                  if p["date"] and p["upvotes"] and len(p["topics"]) > 1 and not re.search(r"[\[\]]", p["title"])]
    return max(candidates, key=lambda p: (p["upvotes"], p["id"]))


def test_paper_page_shows_metadata_related_papers_and_link_snippets(site, open_page, screenshot):
    paper = _showcase_paper(site)
    page = open_page(paper["url"])
    article = page.locator("article.pa-paper")
    expect(article.locator("h1")).to_have_text(paper["title"])

    meta = article.locator(".pa-meta")
    expect(meta.locator("time")).to_have_attribute("datetime", paper["date"])
    expect(meta).to_contain_text(f"▲ {paper['upvotes']}")
    if paper["authors"]:
        expect(meta).to_contain_text(f"{paper['authors']} author")
    chips = article.locator(".pa-topics a.pa-chip")
    expect(chips).to_have_text([site.topics[t]["name"] for t in paper["topics"]])
    assert [site.path_of(h) for h in chips.evaluate_all("as => as.map(a => a.href)")] == \
        [site.topics[t]["url"] for t in paper["topics"]]
    expect(article.locator(".pa-abstract")).to_contain_text(paper["abstract"][:40])

    related = article.locator("#related + ul.pa-papers > li > a:first-child")
    expect(related.first).to_be_visible()
    related_papers = [site.paper_at(a) for a in related.evaluate_all("as => as.map(a => a.href)")]
    assert all(related_papers) and paper not in related_papers, related_papers

    own = page.url.split("#")[0].split("?")[0]
    snippets = article.locator(".pa-permalink pre code")
    expect(snippets).to_have_count(2)
    markdown, wiki = snippets.all_inner_texts()
    assert markdown == f"[{paper['title']}]({own})", markdown
    assert wiki == f"[{own} {paper['title']}]", wiki
    screenshot(page, "paper", full_page=True)

    related.first.click()
    page.wait_for_url(site.page(related_papers[0]["url"]))
    expect(page.locator("article.pa-paper h1")).to_have_text(related_papers[0]["title"])
