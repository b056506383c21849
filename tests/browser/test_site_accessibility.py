"""Accessibility audit with axe-core: no serious or critical violation on the main kinds of page."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

SERIOUS = ("serious", "critical")


def audit(page, axe_script) -> list[dict]:
    """axe-core's violations on the page as it is shown (WCAG 2.x A and AA rules and best practices)."""
    page.add_script_tag(path=str(axe_script))
    return page.evaluate("""async () => {
        const result = await axe.run(document, {resultTypes: ["violations"]});
        return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.map(n => ({target: n.target.join(" "), summary: n.failureSummary}))}));
    }""")


def describe(violations: list[dict]) -> str:
    """One paragraph per violation, with up to five offending elements."""
    out = []
    for v in violations:
        out.append(f"[{v['impact']}] {v['id']}: {v['help']} ({len(v['nodes'])} elements)")
        out += [f"    {n['target']}: {n['summary'].splitlines()[-1].strip()}" for n in v["nodes"][:5]]
    return "\n".join(out)


def _pages(site) -> dict[str, str]:
    """Home, the largest topic, the most upvoted paper, the archive and the hand-written About page."""
    topic = max(site.topics.values(), key=lambda t: (t["papers"], t["id"]))
    paper = max(site.papers.values(), key=lambda p: (p["upvotes"] or 0, p["id"]))
    return {"home": "", "topic": topic["url"], "paper": paper["url"], "archive": "archive/", "about": "about/"}


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("kind", ["home", "topic", "paper", "archive", "about"])
def test_no_serious_accessibility_violations(site, open_page, axe_script, kind, scheme):
    page = open_page(_pages(site)[kind], scheme=scheme)
    violations = [v for v in audit(page, axe_script) if v["impact"] in SERIOUS]
    assert not violations, f"{kind} page ({scheme}):\n{describe(violations)}"


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_open_search_with_filters_and_results_has_no_serious_violations(site, open_page, axe_script, scheme):
    topic = max(site.topics.values(), key=lambda t: (t["papers"], t["id"]))
    page = open_page(f"?q=neural&topic={topic['name'].replace(' ', '+')}", scheme=scheme)
    page.locator(".md-search-result__item").first.wait_for()
    page.wait_for_timeout(400)  # Material's opening transition, so colours are final
    violations = [v for v in audit(page, axe_script) if v["impact"] in SERIOUS]
    assert not violations, f"open search ({scheme}):\n{describe(violations)}"


def test_the_audit_catches_an_image_without_text(open_page, axe_script):
    """The audit can fail: an image with no alt text is a critical violation."""
    page = open_page("")
    page.evaluate("""() => { const img = document.createElement("img");
                             img.src = "assets/generated/papers-per-year.svg";
                             document.querySelector("article").append(img); }""")
    ids = {v["id"] for v in audit(page, axe_script) if v["impact"] in SERIOUS}
    assert "image-alt" in ids
