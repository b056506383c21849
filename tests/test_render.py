"""Rendering: pages show untrusted text as text, link correctly and match the golden pages."""
from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.render.pages import clean, render_archive, render_pages, render_top
from generator.render.urls import rel
from generator.model import Organization
from generator.text import display_text
from htmlcheck import element_text, inspect, live_markup, split_page, to_html
from sitefixture import PAPERS, make_paper, make_site

GOLDEN = Path(__file__).parent / "fixtures" / "golden"
HOSTILE = [
    '<script>alert("x")</script>', "<img src=x onerror=alert(1)>", "[click](javascript:alert(1))",
    "{{ config.site_name }} {% if 1 %}x{% endif %}", "---", "# not a heading", "| a | b |", "*bold* _it_ ~s~",
    "$x^2$", "back\\slash \"dq\" 'sq'", "</title><script>x</script>", "<!-- comment", "&amp; &lt;", "`code`",
    "<div markdown=1>*x*</div>", "[[wiki]] <http://evil.example>", "\\{\\em x\\}", "&#106;avascript",
]


def golden(name: str, text: str) -> None:
    """Compare with a golden file; UPDATE_GOLDEN=1 rewrites it (then review the diff)."""
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8"), f"{name} differs from the golden file"


def test_paper_page_matches_golden():
    site = make_site()
    golden("paper.md", render_pages(site)[f"papers/{PAPERS[0].id}.md"])


def test_topic_page_matches_golden():
    golden("topic.md", render_pages(make_site())["topics/spiking-networks.md"])


def test_paper_page_shows_display_text_metadata_and_snippets():
    page = render_pages(make_site())[f"papers/{PAPERS[0].id}.md"]
    html = to_html(page)
    text = "".join(inspect(html).text)
    assert "\u201cBrain-Diffuser\u201d" in text and "15% over naïve" in text
    assert "<em>two-stage</em>" in html
    assert "Mar 9, 2023" in text and "2 authors" in text and "▲ 12" in text
    assert 'href="https://github.com/ozcelikfu/brain-diffuser"' in html
    permalink = f"https://lab.example.org/atlas/papers/{PAPERS[0].id}/"
    assert f"[Brain-Diffuser: natural scene reconstruction from fMRI]({permalink})" in text
    assert f"[{permalink} Brain-Diffuser: natural scene reconstruction from fMRI]" in text
    assert 'href="../../topics/brain-decoding/"' in html and "Brain Decoding from fMRI" in text
    for other in PAPERS[1:]:
        assert f'href="../{other.id}/"' in html


def test_organization_shown_instead_of_authors():
    page = render_pages(make_site())[f"papers/{PAPERS[1].id}.md"]
    assert "Sakana AI" in "".join(inspect(to_html(page)).text)


@pytest.mark.parametrize("bad", HOSTILE)
def test_hostile_title_and_abstract_render_as_text(bad):
    paper = make_paper(f"T {bad} end", f"A {bad} end. Second sentence.", date=dt.date(2024, 1, 2),
                       org=Organization("h", f"Org {bad}"), topics=("brain-decoding",))
    pages = render_pages(make_site(papers=(paper,)))
    for path, page in pages.items():
        html = to_html(page)
        assert live_markup(html) == [], path
    html = to_html(pages[f"papers/{paper.id}.md"])
    assert element_text(html, "h1") == f"T {bad} end"
    assert display_text(f"A {bad} end. Second sentence.") in "".join(inspect(html).text)


@settings(max_examples=150, deadline=None)
@given(title=st.text(min_size=1, max_size=80).filter(lambda s: s.strip()), abstract=st.text(max_size=200))
def test_arbitrary_text_never_produces_live_html(title, abstract):
    title = " ".join(title.split()) or "x"
    abstract = " ".join(abstract.split())
    paper = make_paper(title, abstract, date=dt.date(2024, 5, 1), topics=("brain-decoding",))
    page = render_pages(make_site(papers=(paper,)))[f"papers/{paper.id}.md"]
    front, _ = split_page(page)
    html = to_html(page)
    assert live_markup(html) == []
    shown = clean(title)
    assert element_text(html, "h1") == shown
    assert "".join(inspect(front["title"]).text) == shown


def test_rel_links_between_pages():
    assert rel("papers/a/", "papers/b/") == "../b/"
    assert rel("topics/", "topics/x/") == "x/"
    assert rel("", "feeds/all.xml") == "feeds/all.xml"
    assert rel("archive/2024/", "archive/") == "../"


def test_archive_groups_years_into_months_and_keeps_undated():
    pages = render_archive(make_site().papers)
    assert set(pages) == {"archive/index.md", "archive/2025.md", "archive/2023.md", "archive/undated.md"}
    year = pages["archive/2025.md"]
    assert "## May 2025" in year
    assert year.index("Continuous Thought Machines") < year.index("Spikes in May")
    index = pages["archive/index.md"]
    assert index.index("2025") < index.index("2023") < index.index("Undated")


def test_top_papers_ordered_by_upvotes_and_skip_zero():
    top = render_top(make_site().papers)
    overall = top.split("## 2025")[0]
    assert overall.index("Continuous Thought Machines") < overall.index("Brain-Diffuser")
    assert "Spikes in May" not in top


def test_home_page_summarises_the_site():
    home = render_pages(make_site())["index.md"]
    text = "".join(inspect(to_html(home)).text)
    assert "4 papers from 2 listings, in 2 topics" in text
    assert "published from Mar 9, 2023 to May 8, 2025" in text
    assert 'src="assets/generated/papers-per-year.svg"' in home


def test_topic_page_lists_secondary_papers_after_primary():
    page = render_pages(make_site())["topics/spiking-networks.md"]
    assert page.index("## 2025") < page.index("## Also touching on this topic") < page.index("Brain-Diffuser")


def test_only_paper_pages_are_indexed_for_search():
    for path, page in render_pages(make_site()).items():
        assert ("data-pagefind-body" in page) == path.startswith("papers/"), path
    html = to_html(render_pages(make_site())[f"papers/{PAPERS[0].id}.md"])
    soup = BeautifulSoup(html, "html.parser")
    for ignored in soup.select("[data-pagefind-ignore]"):
        ignored.decompose()
    indexed = soup.select_one("[data-pagefind-body]").get_text(" ")
    assert "15% over naïve" in indexed and "Related papers" not in indexed and "Google Scholar" not in indexed
    topic_name = make_site().topics[0].name
    assert topic_name not in indexed and "Why here" not in indexed     # navigation, not the paper's words
    assert topic_name in html and "Why here" in html


def test_long_lists_continue_on_numbered_pages():
    pages = render_pages(make_site(page_size=1))
    topic = sorted(p for p in pages if p.startswith("topics/spiking-networks"))
    assert topic == ["topics/spiking-networks.md", "topics/spiking-networks/2.md", "topics/spiking-networks/3.md"]
    first, last = pages[topic[0]], pages[topic[2]]
    assert 'href="2/"' in first and 'rel="next"' in first and "Page 1 of 3" in first
    assert 'href="../"' in last and "Also touching on this topic" in last and "Brain-Diffuser" in last
    assert "Brain-Diffuser" not in first
    assert "archive/2025/2.md" in pages and "May 2025" in pages["archive/2025/2.md"]
    shown = [p.title for p in PAPERS if any(f"{p.id}/" in pages[t] for t in topic)]
    assert len(shown) == 3, "every paper of the topic is on one of its pages"
