"""Redirect pages keep old addresses working."""

from __future__ import annotations

from generator.render.redirects import redirect_pages


def test_old_address_points_to_the_new_one_relatively():
    pages = redirect_pages({"papers/old-title-abc123/": "papers/new-title-def456/"}, set())
    page = pages["papers/old-title-abc123/index.html"]
    assert '<meta http-equiv="refresh" content="0; url=../new-title-def456/">' in page
    assert '<link rel="canonical" href="../new-title-def456/">' in page


def test_an_address_that_is_still_a_page_is_not_shadowed():
    assert redirect_pages({"topics/live/": "topics/other/"}, {"topics/live.md"}) == {}


def test_hostile_target_is_escaped():
    page = redirect_pages({"a/": 'b/"><script>x</script>'}, set())["a/index.html"]
    assert "<script>x" not in page
