"""How the site looks: the light/dark switch, and phone-sized screens."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 812}
"""An iPhone-sized screen, in CSS pixels."""


def scheme_and_background(page) -> tuple[str, str]:
    """The palette Material applied (``default`` or ``slate``) and the body's background colour."""
    return page.evaluate("""() => [document.body.getAttribute("data-md-color-scheme"),
                                   getComputedStyle(document.body).backgroundColor]""")


def toggle(page):
    """The palette switch in the header (the one shown for the current palette)."""
    return page.locator("form[data-md-component=palette] label.md-header__button:visible")


def test_light_dark_toggle_switches_the_colours_and_is_remembered(site, open_page, screenshot):
    page = open_page("")
    light, light_bg = scheme_and_background(page)
    assert light == "default"

    toggle(page).click()
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", "slate")
    dark, dark_bg = scheme = scheme_and_background(page)
    assert dark_bg != light_bg, f"background stayed {light_bg} in dark mode"
    screenshot(page, "home-dark")

    page.locator("a.pa-card").first.click()
    page.wait_for_load_state("load")
    assert scheme_and_background(page) == scheme, "dark mode forgotten on the next page"

    toggle(page).click()
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", "default")
    assert scheme_and_background(page)[1] == light_bg


def test_a_dark_system_preference_opens_in_dark_mode(open_page):
    page = open_page("", scheme="dark")
    assert scheme_and_background(page)[0] == "slate"


def _phone_pages(site) -> dict[str, str]:
    """Home, the largest topic, and the paper with the longest title (long words wrap or overflow)."""
    topic = max(site.topics.values(), key=lambda t: (t["papers"], t["id"]))
    paper = max(site.papers.values(), key=lambda p: (bool(p["links"]), len(p["title"]), p["id"]))
    return {"home": "", "topic": topic["url"], "paper": paper["url"]}


@pytest.mark.parametrize("kind", ["home", "topic", "paper"])
def test_phone_screen_has_no_sideways_scrolling(site, open_page, screenshot, kind):
    page = open_page(_phone_pages(site)[kind], viewport=PHONE, mobile=True)
    width = page.evaluate("""() => [document.scrollingElement.scrollWidth, document.scrollingElement.clientWidth]""")
    wide = page.evaluate("""() => [...document.querySelectorAll("body *")]
        .filter(el => el.getBoundingClientRect().right > document.scrollingElement.clientWidth + 1
                      && getComputedStyle(el).visibility !== "hidden" && el.getClientRects().length)
        .filter(el => !el.closest(".md-sidebar, .md-search, .md-nav, [hidden]"))
        .slice(0, 5).map(el => el.tagName.toLowerCase() + (el.className ? "." + el.className : ""))""")
    screenshot(page, f"phone-{kind}", full_page=False)
    assert width[0] <= width[1], f"{kind} page is {width[0]}px wide on a {width[1]}px screen; too wide: {wide}"
