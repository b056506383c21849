"""Hostile titles found through search show as text: no script runs, no markup appears."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def hostile_url(hostile_site, serve_dir):
    """The hostile site served for the whole module, so it outlives each test's pages."""
    with serve_dir(hostile_site) as url:
        yield url


def test_search_shows_a_script_title_as_text(hostile_url, open_page):
    page = open_page(hostile_url)
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.locator("input.md-search__input").click()
    page.locator("input.md-search__input").press_sequentially("Attention", delay=40)
    title = page.locator(".md-search-result__item h1").first
    title.wait_for()
    assert title.inner_text() == '<script>alert("title")</script> Attention Is Not Enough'
    assert page.locator(".md-search-result script, .md-search-result img").count() == 0
    title.click()
    page.wait_for_load_state("load")
    assert page.locator("article.pa-paper h1").inner_text().startswith("<script>")
    assert dialogs == []
