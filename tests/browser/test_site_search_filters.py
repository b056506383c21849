"""Search a lab can steer: filters, sorting, result cards, the keyboard and shareable views.

Most tests use the site built from the seed listings (``site``); sorting by votes also uses a
synthetic site (benchmarks/synth.py) whose upvotes vary much more than the seeds' do.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import re
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect
from project import REPO, build_site, copy_project, shared_build, site_of

pytestmark = pytest.mark.browser
sys.path[:0] = [str(REPO / "benchmarks"), str(Path(__file__).parent)]

import synth  # noqa: E402
from test_site_search import distinctive_word  # noqa: E402

STATUS = "#pa-search-status"
CARDS = ".md-search-result__item"
expect.set_options(timeout=10_000)  # like the pages' own timeout: the first search loads the index
COUNT = re.compile(r"^(\d+) results?$|^No results$")


# --- helpers --------------------------------------------------------------------------------


def wait_results(page) -> str:
    """The status line once a search has answered ("12 results", "No results")."""
    expect(page.locator(STATUS)).to_have_text(COUNT)
    return page.locator(STATUS).inner_text()


def settled(page) -> str:
    """The status line once the searches the last keys and choices started have all answered:
    the same count in two readings half a second apart (a busy machine answers late)."""
    status = wait_results(page)
    for _ in range(20):
        page.wait_for_timeout(500)
        again = wait_results(page)
        if again == status:
            return status
        status = again
    return status


def shown(page, site_url: str) -> list[str]:
    """Site paths of the result cards, in order."""
    hrefs = page.locator(f"{CARDS} a.md-search-result__link").evaluate_all("as => as.map(a => a.href)")
    return [urlsplit(h).path.removeprefix(urlsplit(site_url).path) for h in hrefs]


def load_all(page, expected: int) -> None:
    """Scroll the result list until every one of ``expected`` results is shown."""
    cards = page.locator(CARDS)
    expect(cards.first).to_be_visible()
    while cards.count() < expected:
        before = cards.count()
        page.locator(".md-search__scrollwrap").evaluate("el => el.scrollTop = el.scrollHeight")
        expect(cards, f"scrolling showed no more than {before} of {expected} results").not_to_have_count(before)
    expect(cards).to_have_count(expected)


def choose(page, name: str, value: str) -> None:
    """Pick a value in one of the overlay's selects (topic, year, org, sort)."""
    page.locator(f'.pa-search-filters select[name="{name}"]').select_option(value)


def open_search(page):
    search = page.locator("input.md-search__input")
    search.click()
    return search


def has_code(paper: dict) -> bool:
    """A link to a code host in the abstract (project pages such as x.github.io do not count)."""
    hosts = ("github.com", "gitlab.com", "bitbucket.org", "codeberg.org", "huggingface.co")
    return any((urlsplit(u).hostname or "").removeprefix("www.") in hosts for u in paper["links"])


def year_of(paper: dict) -> str:
    return paper["date"][:4] if paper["date"] else "Undated"


def longdate(iso: str | None) -> str:
    if not iso:
        return "Undated"
    d = dt.date.fromisoformat(iso)
    return f"{d:%b} {d.day}, {d.year}"


# --- filters ---------------------------------------------------------------------------------


def test_filtering_by_a_topic_shows_exactly_that_topics_papers(site, open_page):
    topic = max(site.topics.values(), key=lambda t: (t["papers"], t["id"]))
    expected = {p["url"] for p in site.papers.values() if topic["id"] in p["topics"]}
    page = open_page("")
    open_search(page)
    choose(page, "topic", topic["name"])
    expect(page.locator(STATUS)).to_have_text(f"{len(expected)} results")
    load_all(page, len(expected))
    assert set(shown(page, site.url)) == expected


@pytest.mark.parametrize("which", ["a year", "Undated"])
def test_filtering_by_a_year_shows_exactly_that_years_papers(site, open_page, which):
    years = sorted({year_of(p) for p in site.papers.values()} - {"Undated"})
    year = years[len(years) // 2] if which == "a year" else "Undated"
    expected = {p["url"] for p in site.papers.values() if year_of(p) == year}
    page = open_page("")
    open_search(page)
    choose(page, "year", year)
    expect(page.locator(STATUS)).to_have_text(f"{len(expected)} result{'s' if len(expected) != 1 else ''}")
    load_all(page, len(expected))
    assert set(shown(page, site.url)) == expected


def test_filters_combine_with_words_and_count_what_each_choice_would_give(site, open_page):
    topic = max(site.topics.values(), key=lambda t: (t["papers"], t["id"]))
    in_topic = [p for p in site.papers.values() if topic["id"] in p["topics"]]
    year = max((year_of(p) for p in in_topic if p["date"]), key=lambda y: sum(year_of(p) == y for p in in_topic))
    expected = {p["url"] for p in in_topic if year_of(p) == year}
    page = open_page("")
    open_search(page)
    choose(page, "topic", topic["name"])
    choose(page, "year", year)
    expect(page.locator(STATUS)).to_have_text(f"{len(expected)} result{'s' if len(expected) != 1 else ''}")
    load_all(page, len(expected))
    assert set(shown(page, site.url)) == expected
    option = page.locator(f'select[name="year"] option[value="{year}"]')
    assert option.inner_text() == f"{year} ({len(expected)})"
    with_code = sum(1 for p in in_topic if year_of(p) == year and has_code(p))
    assert page.locator(".pa-search-check").inner_text().strip() == f"Has code ({with_code})"


def test_has_code_keeps_only_papers_linking_to_a_repository(site, open_page):
    expected = {p["url"] for p in site.papers.values() if has_code(p)}
    page = open_page("")
    open_search(page)
    page.locator('.pa-search-check input[name="code"]').check()
    expect(page.locator(STATUS)).to_have_text(f"{len(expected)} results")
    load_all(page, len(expected))
    assert set(shown(page, site.url)) == expected


# --- sorting ------------------------------------------------------------------------------


def _build_synth(folder: Path):
    root = copy_project(folder, seeds=[], topics=False)
    files, _ = synth.synthesise(150, seed=16)
    for name, text in files.items():
        (root / "seeds" / name).write_text(text, encoding="utf-8")
    config = root / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("  atlas:\n", "  atlas:\n    search_bundle_pages: 40\n", 1),
        encoding="utf-8",
    )
    return build_site(root)


@pytest.fixture(scope="session")
def synth_site(request) -> Path:
    """A site of synthetic papers with varied upvotes and organizations, built by the real command
    once per session (``shared_build``).

    Its search is split into bundles of 40 pages, as a large site's is into bundles of thousands,
    so sorting and filtering are seen to merge four bundles.
    """
    site = site_of(shared_build(request, "synth", _build_synth), "synthetic")
    bundles = json.loads((site / "search-bundles.json").read_text(encoding="utf-8"))
    assert bundles == ["pagefind/", "pagefind-2/", "pagefind-3/", "pagefind-4/"], bundles
    return site


@pytest.fixture(scope="session")
def synth_url(synth_site, serve_dir):
    with serve_dir(synth_site) as url:
        yield url


def _catalog(site_dir: Path) -> list[dict]:
    return json.loads((site_dir / "papers.json").read_text(encoding="utf-8"))["papers"]


def _votes_shown(page) -> list[int]:
    return page.locator(f"{CARDS} .pa-result__meta").evaluate_all(
        "ps => ps.map(p => { const v = p.querySelector('.pa-votes'); return v ? Number(v.textContent.replace(/\\D/g, '')) : 0; })"
    )


def test_sorting_by_upvotes_orders_the_results_by_votes(synth_site, synth_url, open_page):
    papers = _catalog(synth_site)
    votes = sorted((p["upvotes"] or 0 for p in papers), reverse=True)
    assert len(set(votes)) > 5, "the synthetic site should have varied upvotes"
    page = open_page(synth_url)
    open_search(page)
    choose(page, "sort", "votes")
    expect(page.locator(STATUS)).to_have_text(f"{len(papers)} results")
    load_all(page, len(papers))
    assert _votes_shown(page) == votes


def test_sorting_a_filtered_view_by_upvotes_with_words(synth_site, synth_url, open_page):
    papers = _catalog(synth_site)
    year = max({year_of(p) for p in papers} - {"Undated"}, key=lambda y: sum(year_of(p) == y for p in papers))
    expected = sorted((p["upvotes"] or 0 for p in papers if year_of(p) == year), reverse=True)
    page = open_page(f"{synth_url}?year={year}&sort=votes")
    expect(page.locator(STATUS)).to_have_text(f"{len(expected)} results")
    load_all(page, len(expected))
    assert _votes_shown(page) == expected
    assert page.locator('select[name="sort"]').input_value() == "votes"


def test_browsing_without_words_lists_newest_first(synth_site, synth_url, open_page):
    papers = _catalog(synth_site)
    org = max(
        {p["organization"]["name"] for p in papers if p["organization"]},
        key=lambda n: (sum(1 for p in papers if p["organization"] and p["organization"]["name"] == n), n),
    )
    mine = [p for p in papers if p["organization"] and p["organization"]["name"] == org]
    page = open_page(synth_url)
    open_search(page)
    choose(page, "org", org)
    expect(page.locator(STATUS)).to_have_text(f"{len(mine)} result{'s' if len(mine) != 1 else ''}")
    load_all(page, len(mine))
    dates = page.locator(f"{CARDS} time").evaluate_all("ts => ts.map(t => t.getAttribute('datetime') || '')")
    assert dates == sorted((p["date"] or "" for p in mine), reverse=True)


# --- result cards and junk -------------------------------------------------------------------


def _distinctive_title_word(papers: list[dict]) -> tuple[str, dict]:
    return distinctive_word(papers, "title")


def test_a_card_shows_title_date_topic_votes_and_a_snippet_of_the_abstract(site, open_page):
    papers = [p for p in site.catalog["papers"] if p["abstract"] and p["topics"]]
    word, paper = _distinctive_title_word(papers)
    page = open_page("")
    open_search(page).press_sequentially(word, delay=30)
    card = page.locator(CARDS, has=page.locator(f'a[href*="{paper["url"]}"]'))
    expect(card).to_have_count(1)
    assert card.locator("h1").inner_text() == paper["title"]
    meta = card.locator(".pa-result__meta")
    assert meta.locator("time").inner_text() == longdate(paper["date"])
    assert meta.locator(".pa-result__topic").inner_text() == site.topics[paper["topics"][0]]["name"]
    assert (meta.locator(".pa-votes").count() == 1) == bool(paper["upvotes"])
    snippet = card.locator(".pa-result__text").inner_text().replace("…", " ").split()
    assert snippet and " ".join(snippet) in " ".join(paper["abstract"].split()), "the snippet is not from the abstract"


def test_only_forms_of_the_query_word_are_marked(site, open_page):
    """Searching "neural" marks "neural" (or "neurally"), never "neurons" or "neuroscience":
    words that only share its first letters are other words."""
    abstracts = " ".join(p["abstract"] for p in site.catalog["papers"]).lower()
    others = {w for w in re.findall(r"[a-z]+", abstracts) if w.startswith("neur") and not w.startswith("neural")}
    assert others, "the seeds no longer hold words like 'neurons' beside 'neural': pick another query"
    page = open_page("")
    open_search(page).press_sequentially("neural", delay=30)
    settled(page)
    marked = page.locator(f"{CARDS} mark").all_inner_texts()
    assert marked, "no word is marked in the results"
    wrong = sorted({m for m in marked if not any(w.startswith("neural") for w in re.findall(r"[a-z]+", m.lower()))})
    assert not wrong, f"marked, though not a form of 'neural': {wrong}"


def _nonsense(catalog: list[dict], n: int) -> list[str]:
    """Random letter strings that begin no word of any title or abstract (seeded, so repeatable)."""
    vocabulary = {w for p in catalog for w in re.findall(r"[a-z]+", f"{p['title']} {p['abstract']}".lower())}
    rng = random.Random(16)
    out = []
    while len(out) < n:
        word = "".join(rng.choice("bcdfghjklmnpqrstvwxz") for _ in range(rng.randint(5, 9)))
        if not any(v.startswith(word[:4]) for v in vocabulary):
            out.append(word)
    return out


@pytest.mark.parametrize("k", range(3))
def test_a_query_of_nonsense_says_no_results(site, open_page, k):
    query = ["qwxzvbn flurgle", *_nonsense(site.catalog["papers"], 2)][k]
    page = open_page("")
    open_search(page).press_sequentially(query, delay=30)
    page.wait_for_timeout(400)
    expect(page.locator(STATUS)).to_have_text("No results")
    expect(page.locator(CARDS)).to_have_count(0)


def test_a_real_word_followed_by_nonsense_finds_nothing(site, open_page):
    word, _ = _distinctive_title_word(site.catalog["papers"])
    page = open_page("")
    open_search(page).press_sequentially(f"{word} {_nonsense(site.catalog['papers'], 1)[0]}", delay=30)
    page.wait_for_timeout(400)
    expect(page.locator(STATUS)).to_have_text("No results")


# --- keyboard and screen readers -------------------------------------------------------------


def test_the_keyboard_alone_searches_moves_to_the_third_result_and_opens_it(site, open_page):
    page = open_page("")
    page.keyboard.press("/")
    expect(page.locator("input.md-search__input")).to_be_focused()
    page.keyboard.type("neural", delay=30)
    assert int(COUNT.match(wait_results(page)).group(1)) >= 3
    for _ in range(3):
        page.keyboard.press("ArrowDown")
    third = page.locator(f"{CARDS} a.md-search-result__link").nth(2)
    expect(third).to_be_focused()
    page.keyboard.press("ArrowUp")
    expect(page.locator(f"{CARDS} a.md-search-result__link").nth(1)).to_be_focused()
    page.keyboard.press("ArrowDown")
    target = third.evaluate("a => a.href")
    page.keyboard.press("Enter")
    page.wait_for_url(target)
    expect(page.locator("article.pa-paper h1")).to_be_visible()


def test_tab_stays_inside_the_open_overlay_and_escape_closes_it(site, open_page):
    page = open_page("")
    open_search(page).press_sequentially("neural", delay=30)
    wait_results(page)
    for _ in range(40):
        page.keyboard.press("Tab")
        assert page.evaluate("!!document.activeElement.closest('.md-search__inner')"), "Tab left the overlay"
    for _ in range(5):
        page.keyboard.press("Shift+Tab")
        assert page.evaluate("!!document.activeElement.closest('.md-search__inner')"), "Shift+Tab left the overlay"
    page.keyboard.press("Escape")
    assert page.evaluate("!document.getElementById('__search').checked")
    expect(page.locator(".pa-search-filters")).to_be_hidden()


def test_the_number_of_results_is_announced(site, open_page):
    page = open_page("")
    open_search(page).press_sequentially("neural", delay=30)
    status = page.locator(STATUS)
    expect(status).to_have_text(COUNT)
    assert status.get_attribute("role") == "status"
    assert page.locator("input.md-search__input").get_attribute("aria-describedby") == "pa-search-status"


def test_focusing_the_box_preloads_the_search_engine(site, open_page):
    page = open_page("")
    with page.expect_request(lambda r: "/pagefind/" in r.url and ".pagefind" in r.url):
        page.locator("input.md-search__input").focus()


# --- views in the address ----------------------------------------------------------------------


def test_a_shared_address_reopens_the_same_filtered_view(site, open_page):
    topic = max(site.topics.values(), key=lambda t: (t["papers"], t["id"]))
    page = open_page("")
    open_search(page).press_sequentially("network", delay=30)
    choose(page, "topic", topic["name"])
    choose(page, "sort", "date")
    expect(page).to_have_url(re.compile(r"sort=date"))
    status = settled(page)
    first = shown(page, site.url)
    address = page.url
    assert "topic=" in address and "sort=date" in address and "q=network" in address

    again = open_page(site.path_of(address) + "?" + urlsplit(address).query)
    expect(again.locator(STATUS)).to_have_text(status)
    assert again.locator("input.md-search__input").input_value() == "network"
    assert again.locator('select[name="topic"]').input_value() == topic["name"]
    assert again.locator('select[name="sort"]').input_value() == "date"
    assert shown(again, site.url) == first
    again.keyboard.press("Escape")
    # closing the search leaves the page's own address (waited for: a busy machine runs the handler late)
    expect(again).to_have_url(site.page(site.path_of(address)))
    expect(again.locator("#__search")).not_to_be_checked()


def test_a_topic_page_links_to_its_filtered_search(site, open_page):
    topic = max(site.topics.values(), key=lambda t: (t["papers"], t["id"]))
    expected = {p["url"] for p in site.papers.values() if topic["id"] in p["topics"]}
    page = open_page(topic["url"])
    page.get_by_role("link", name="Search within this topic").click()
    expect(page.locator(STATUS)).to_have_text(f"{len(expected)} results")
    load_all(page, len(expected))
    assert set(shown(page, site.url)) == expected


def test_a_year_page_links_to_its_filtered_search(site, open_page):
    year = max({year_of(p) for p in site.papers.values()} - {"Undated"})
    expected = {p["url"] for p in site.papers.values() if year_of(p) == year}
    page = open_page(f"archive/{year}/")
    page.get_by_role("link", name=f"Search within {year}").click()
    expect(page.locator(STATUS)).to_have_text(f"{len(expected)} result{'s' if len(expected) != 1 else ''}")
    assert page.locator('select[name="year"]').input_value() == year


# --- under a path prefix, as on GitHub Pages -----------------------------------------------------


@pytest.fixture(scope="module")
def prefixed_url(built_site, serve_dir, tmp_path_factory):
    """The seed site served at http://127.0.0.1:<port>/atlas/, like https://lab.github.io/atlas/."""
    parent = tmp_path_factory.mktemp("prefix")
    (parent / "atlas").symlink_to(built_site, target_is_directory=True)
    with serve_dir(parent) as url:
        yield url + "atlas/"


def test_search_works_under_a_path_prefix(site, prefixed_url, open_page):
    topic = max(site.topics.values(), key=lambda t: (t["papers"], t["id"]))
    expected = {p["url"] for p in site.papers.values() if topic["id"] in p["topics"]}
    page = open_page(prefixed_url + f"?topic={topic['name'].replace(' ', '+')}")
    expect(page.locator(STATUS)).to_have_text(f"{len(expected)} results")
    first = page.locator(f"{CARDS} a.md-search-result__link").first
    href = first.evaluate("a => a.href")
    assert urlsplit(href).path.startswith("/atlas/papers/")
    first.click()
    page.wait_for_url(href)
    expect(page.locator("article.pa-paper h1")).to_be_visible()


# --- how it looks ------------------------------------------------------------------------------


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [1280, 390])
def test_the_open_overlay_fits_the_screen(site, open_page, screenshot, scheme, width):
    topic = max(site.topics.values(), key=lambda t: (t["papers"], t["id"]))
    viewport = {"width": width, "height": 900 if width > 500 else 844}
    page = open_page(
        f"?q=neural&topic={topic['name'].replace(' ', '+')}", viewport=viewport, scheme=scheme, mobile=width < 500
    )
    wait_results(page)
    page.wait_for_timeout(400)  # Material's opening transition
    screenshot(page, f"search-filters-{width}-{scheme}")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    boxes = page.locator(".pa-search-filters select:visible, .pa-search-check").evaluate_all(
        "els => els.map(e => e.getBoundingClientRect().right)"
    )
    assert boxes and max(boxes) <= width
