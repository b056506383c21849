"""The site works on its own: every kind of page loads everything from its own host, without errors.

The ``open_page`` fixture records every request and console error; when a test
ends it fails if any request went to a host other than 127.0.0.1 (a CDN font,
an analytics script...) or any page logged an error (a 404, a script error).
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def _every_kind_of_page(site) -> list[str]:
    """One page of each kind the generator writes, plus the hand-written About page."""
    topic = next(iter(site.topics.values()))
    dated = next(p for p in site.papers.values() if p["date"])
    pages = ["", "topics/", topic["url"], "archive/", f"archive/{dated['date'][:4]}/", "top/", dated["url"], "about/"]
    if any(not p["date"] for p in site.papers.values()):
        pages.append("archive/undated/")
    return pages


def test_every_kind_of_page_loads_only_from_its_own_host_without_errors(site, open_page, traffic):
    pages = _every_kind_of_page(site)
    page = open_page(pages[0])
    for path in pages[1:]:
        page.goto(site.page(path), wait_until="load")
        expect(page.locator("article.md-content__inner h1")).to_be_visible()
    page.wait_for_load_state("networkidle")
    assert {site.path_of(u) for u in traffic.requests} >= set(pages), "some pages were not visited"
    assert not traffic.problems(), "\n".join(traffic.problems())


def test_a_request_to_another_host_is_caught(open_page, traffic):
    """The check can fail: a stylesheet from a font CDN is recorded (and never sent)."""
    page = open_page("")
    with page.expect_event("requestfailed", lambda r: "fonts.googleapis.com" in r.url):
        page.evaluate("""() => { const link = document.createElement("link"); link.rel = "stylesheet";
            link.href = "https://fonts.googleapis.com/css?family=Roboto"; document.head.append(link); }""")
    # the page was idle already, so waiting for "networkidle" returned at once; wait for the block's console error
    for _ in range(50):
        if any("ERR_BLOCKED_BY_CLIENT" in e for e in traffic.errors):
            break
        page.wait_for_timeout(100)
    assert traffic.outside() == ["https://fonts.googleapis.com/css?family=Roboto"]
    assert any("ERR_BLOCKED_BY_CLIENT" in e for e in traffic.errors), traffic.errors
    traffic.requests.clear()
    traffic.errors.clear()
