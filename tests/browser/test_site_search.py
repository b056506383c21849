"""Search as a reader uses it: type a word from an abstract, see the paper, open it."""

from __future__ import annotations

import re
from collections import defaultdict
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

PREFIX = 7
"""Letters that must already single the word out (search matches prefixes and word stems)."""


def _plain_words(text: str) -> list[str]:
    """Whitespace-separated words made of letters only, lower-cased, punctuation around them dropped.

    >>> _plain_words("See https://x.org/Model, (TRC^{2}) and Grokking.")
    ['see', 'and', 'grokking']
    """
    words = (w.strip(".,;:!?()[]\"'") for w in text.lower().split())
    return [w for w in words if w.isalpha() and w.isascii()]


def distinctive_word(papers: list[dict], field: str = "abstract") -> tuple[str, dict]:
    """A long word from one paper's abstract (or title) whose first letters appear in no other paper.

    >>> distinctive_word([{"id": "a", "title": "A", "abstract": "We study thalamocortical loops."},
    ...                   {"id": "b", "title": "B", "abstract": "We study cortical loops."}])[0]
    'thalamocortical'
    """
    owners: dict[str, set[str]] = defaultdict(set)
    for p in papers:
        for run in re.findall(r"[a-z]+", f"{p['title']} {p['abstract']}".lower()):
            owners[run[:PREFIX]].add(p["id"])
    candidates = [
        (word, p)
        for p in papers
        for word in set(_plain_words(p[field]))
        if len(word) >= 9 and owners[word[:PREFIX]] == {p["id"]}
    ]
    assert candidates, f"no paper's {field} has a word of its own"
    return max(candidates, key=lambda wp: (len(wp[0]), wp[0]))


def test_typing_a_word_from_an_abstract_finds_the_paper_and_opens_it(site, open_page, screenshot):
    word, paper = distinctive_word(site.catalog["papers"])
    page = open_page("")
    search = page.locator("input.md-search__input")
    expect(search, "no search box").to_be_visible()
    search.click()
    search.press_sequentially(word, delay=40)

    hit = page.locator(f'.md-search-result__item a.md-search-result__link[href*="{paper["url"]}"]')
    expect(hit.first).to_be_visible(timeout=10_000)
    expect(page.locator(".md-search-result__item mark").first).to_be_visible()
    screenshot(page, "search-results")

    hit.first.click()
    page.wait_for_url(re.compile(re.escape(site.page(paper["url"])) + r"(\?.*)?(#.*)?$"))
    expect(page.locator("article.pa-paper h1")).to_have_text(paper["title"])
    expect(page.locator(".pa-abstract")).to_contain_text(word)


def test_a_paper_found_by_its_title_is_listed_once_without_empty_sections(site, open_page):
    """Search shows the paper and its abstract, not the page's link lists (excluded from search)."""
    word, paper = distinctive_word(site.catalog["papers"], "title")
    page = open_page("")
    page.locator("input.md-search__input").click()
    page.locator("input.md-search__input").press_sequentially(word, delay=40)
    items = page.locator(".md-search-result__item", has=page.locator(f'a[href*="{paper["url"]}"]'))
    expect(items.first).to_be_visible()
    expect(items).to_have_count(1)
    links = items.locator("a.md-search-result__link").evaluate_all("as => as.map(a => a.href)")
    sections = sorted({urlsplit(a).fragment for a in links} - {""})
    assert set(sections) <= {"abstract"}, f"search shows these sections of {paper['url']}: {sections}"
