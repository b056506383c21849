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


PHONE_390 = {"width": 390, "height": 844}
"""The phone width the chart must be legible at."""

CHART_TEXT_JS = """() => {
  // Rendered size and colour of the chart's tick labels, and the page's background.
  const texts = [...document.querySelectorAll("figure.pa-chart > svg text")];
  const fill = getComputedStyle(texts[0]).fill;
  return {heights: texts.map(t => t.getBoundingClientRect().height), fill,
          background: getComputedStyle(document.body).backgroundColor,
          width: document.querySelector("figure.pa-chart > svg").getBoundingClientRect().width};
}"""


def _luminance(css: str) -> float:
    """Relative luminance of ``rgb(r, g, b)`` (WCAG)."""
    import re

    channels = [int(c) / 255 for c in re.findall(r"\d+", css)[:3]]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def _contrast(a: str, b: str) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_chart_is_legible_on_a_phone_in_light_and_dark(open_page, screenshot, scheme):
    page = open_page("", viewport=PHONE_390, mobile=True, scheme=scheme)
    page.locator("figure.pa-chart").scroll_into_view_if_needed()
    chart = page.evaluate(CHART_TEXT_JS)
    assert chart["width"] <= PHONE_390["width"]
    assert min(chart["heights"]) >= 8, f"chart labels are {min(chart['heights']):.1f}px tall on a 390px phone"
    assert _contrast(chart["fill"], chart["background"]) >= 3, (
        f"chart text {chart['fill']} on {chart['background']} in {scheme} mode"
    )
    legend = page.locator(".pa-legend li").first
    assert legend.evaluate("li => parseFloat(getComputedStyle(li).fontSize)") >= 11
    screenshot(page, f"phone-chart-{scheme}")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_desktop_screenshots_of_home_and_a_paper(site, open_page, screenshot, scheme):
    page = open_page("", scheme=scheme)
    page.locator("figure.pa-chart").scroll_into_view_if_needed()
    screenshot(page, f"desktop-home-chart-{scheme}")
    paper = max(site.papers.values(), key=lambda p: (bool(p["organization"]), p["upvotes"] or 0, p["id"]))
    page = open_page(paper["url"], scheme=scheme)
    screenshot(page, f"desktop-paper-{scheme}", full_page=True)
