"""Rendering: pages show untrusted text as text, link correctly and match the golden pages."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from dataclasses import replace
from pathlib import Path

import pytest
from htmlcheck import element_text, inspect, live_markup, split_page, to_html, without_chart
from hypothesis import given, settings
from hypothesis import strategies as st
from sitefixture import CAPTURES, PAPERS, TOPICS, make_paper, make_site

from generator.model import Organization, topic_sizes
from generator.render.escaping import clean
from generator.render.pages import render_archive, render_bibs, render_pages, render_paper, render_top
from generator.render.urls import rel
from generator.text import display_text

GOLDEN = Path(__file__).parent / "fixtures" / "golden"
HOSTILE = [
    '<script>alert("x")</script>',
    "<img src=x onerror=alert(1)>",
    "[click](javascript:alert(1))",
    "{{ config.site_name }} {% if 1 %}x{% endif %}",
    "---",
    "# not a heading",
    "| a | b |",
    "*bold* _it_ ~s~",
    "$x^2$",
    "back\\slash \"dq\" 'sq'",
    "</title><script>x</script>",
    "<!-- comment",
    "&amp; &lt;",
    "`code`",
    "<div markdown=1>*x*</div>",
    "[[wiki]] <http://evil.example>",
    "\\{\\em x\\}",
    "&#106;avascript",
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
    paper = make_paper(
        f"T {bad} end",
        f"A {bad} end. Second sentence.",
        date=dt.date(2024, 1, 2),
        org=Organization("h", f"Org {bad}"),
        topics=("brain-decoding",),
    )
    pages = render_pages(make_site(papers=(paper,)))
    for path, page in pages.items():
        html = without_chart(to_html(page))
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
    site = make_site(papers=(paper,))  # only the paper page: the whole site would draw its chart 150 times
    page = render_paper(site, paper, {t.id: t for t in site.topics}, {paper.id: paper})
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
    assert set(pages) == {
        "archive/index.md",
        "archive/2025.md",
        "archive/2023.md",
        "archive/undated.md",
        "archive/2025/may.md",
        "archive/2023/march.md",
    }
    year = pages["archive/2025.md"]
    assert '<h2 id="may-2025">May 2025</h2>' in year
    assert year.index("Continuous Thought Machines") < year.index("Spikes in May")
    index = pages["archive/index.md"]
    assert index.index("2025") < index.index("2023") < index.index("Undated")


def test_top_papers_ordered_by_upvotes_and_skip_zero():
    top = render_top(make_site().papers)
    overall = top.split('<h2 id="y2025">')[0]
    assert overall.index("Continuous Thought Machines") < overall.index("Brain-Diffuser")
    assert "Spikes in May" not in top


def test_home_page_summarises_the_site():
    home = render_pages(make_site())["index.md"]
    text = "".join(inspect(to_html(home)).text)
    assert "4 papers in 2 topics" in text and "listing" not in text.split("Newest listing")[0]
    assert "published from Mar 9, 2023 to May 8, 2025" in text
    assert "Newest listing: Daily Papers of Jun 1, 2025" in text
    assert 'href="archive/2025/"' in home, "the chart's bars link to their year pages"


def test_topic_page_lists_secondary_papers_after_primary():
    page = render_pages(make_site())["topics/spiking-networks.md"]
    assert (
        page.index('<h2 id="y2025">2025</h2>')
        < page.index('<h2 id="secondary">Also touching on this topic</h2>')
        < page.index("Brain-Diffuser")
    )


def test_only_paper_pages_are_indexed_for_search():
    for path, page in render_pages(make_site()).items():
        assert ("data-pagefind-body" in page) == path.startswith("papers/"), path
    html = to_html(render_pages(make_site())[f"papers/{PAPERS[0].id}.md"])
    indexed = _indexed_text(html)
    assert PAPERS[0].title in indexed and "15% over naïve" in indexed
    for left_out in ("Related papers", "Google Scholar", "Abstract", "authors", "Brain Decoding from fMRI", "Why here"):
        assert left_out not in indexed, left_out


def _indexed_text(html: str) -> str:
    """The text Pagefind indexes: inside data-pagefind-body, outside any data-pagefind-ignore."""
    from html.parser import HTMLParser

    class Indexed(HTMLParser):
        def __init__(self):
            super().__init__()
            self.stack: list[tuple[bool, bool]] = []  # (in body, ignored) per open element
            self.text: list[str] = []

        def handle_starttag(self, tag, attrs):
            body, ignored = self.stack[-1] if self.stack else (False, False)
            names = dict(attrs)
            if tag not in ("br", "img", "hr", "meta", "link", "input"):
                self.stack.append((body or "data-pagefind-body" in names, ignored or "data-pagefind-ignore" in names))

        def handle_endtag(self, tag):
            if self.stack:
                self.stack.pop()

        def handle_data(self, data):
            if self.stack and self.stack[-1] == (True, False):
                self.text.append(data)

    parser = Indexed()
    parser.feed(html)
    return " ".join(" ".join(parser.text).split())


def test_paper_pages_carry_the_search_filters_sorts_and_card_fields():
    site = make_site()
    for p in site.papers:
        html = to_html(render_pages(site)[f"papers/{p.id}.md"])
        article = html[html.index('<article class="pa-paper"') :].split(">", 1)[0]
        assert f'data-pa-year="{p.date.year if p.date else "Undated"}"' in article
        assert f'data-pa-votes="{p.upvotes or 0}"' in article
        assert 'data-pagefind-sort="date[data-pa-day], votes[data-pa-votes]"' in article
        assert ('data-pa-code="yes"' in article) == any("github.com/" in u for u in p.links)
        assert html.count('data-pagefind-filter="topic"') == len(
            [t for t in p.topics if t in {t.id for t in site.topics}]
        )


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


# --- link previews, permalinks, citations --------------------------------------------------------


def _front(page: str) -> dict:
    return split_page(page)[0]


def test_each_paper_page_has_its_own_description_and_scholarly_article():
    pages = render_pages(make_site())
    descriptions = set()
    for p in PAPERS:
        front = _front(pages[f"papers/{p.id}.md"])
        assert front["og_type"] == "article"
        assert len(front["description"]) <= 160 and front["description"] in p.abstract
        descriptions.add(front["description"])
        data = json.loads(front["jsonld"])
        assert data["@type"] == "ScholarlyArticle" and data["name"] == p.title
        assert data["url"] == f"https://lab.example.org/atlas/papers/{p.id}/"
        assert data.get("datePublished") == (p.date.isoformat() if p.date else None)
    assert len(descriptions) == len(PAPERS)


def test_long_first_sentence_is_cut_to_160_characters():
    paper = make_paper("Long", "word " * 100 + ". Next.", date=dt.date(2024, 1, 1), topics=("brain-decoding",))
    description = _front(render_pages(make_site(papers=(paper,)))[f"papers/{paper.id}.md"])["description"]
    assert len(description) <= 160 and description.endswith("\u2026")


@pytest.mark.parametrize("bad", HOSTILE)
def test_json_ld_and_description_cannot_break_out_of_the_head(bad):
    paper = make_paper(
        f"T {bad} </script><!-- end",
        f"A {bad} </script> end. Two.",
        date=dt.date(2024, 1, 2),
        topics=("brain-decoding",),
    )
    front = _front(render_pages(make_site(papers=(paper,)))[f"papers/{paper.id}.md"])
    assert not re.search("[<>]", front["jsonld"]), "the theme prints JSON-LD raw inside <script>"
    assert json.loads(front["jsonld"])["name"] == clean(paper.title)
    assert not re.search('[<>"]', front["description"]), "the theme prints the description inside an attribute"


def test_permalink_and_snippets_are_relative_without_a_site_address():
    site = make_site(url="")
    html = to_html(render_pages(site)[f"papers/{PAPERS[0].id}.md"])
    text = "".join(inspect(html).text)
    assert f"[{PAPERS[0].title}](papers/{PAPERS[0].id}/)" in text
    assert "https://" not in html.split('id="cite"')[1].split("</div>")[0]
    assert "does not know the site's public address" in text


def test_paper_page_names_its_listings_by_date_and_carries_bibtex():
    page = render_pages(make_site())[f"papers/{PAPERS[0].id}.md"]
    text = "".join(inspect(to_html(page)).text)
    assert "Daily Papers of May 10, 2025" in text and "Daily Papers of Jun 1, 2025" in text
    assert "a.txt" not in text
    bib = text.split("BibTeX")[1]
    assert bib.lstrip().startswith(f"@misc{{{PAPERS[0].id},") and "year = {2023}" in bib
    assert "note = {Listed in Hugging Face Daily Papers of May 10, 2025}" in bib
    assert 'class="pa-permalink copy"' in page, "Material adds its copy button to code blocks inside .copy"


def test_topic_bib_file_holds_every_paper_of_the_topic():
    bibs = render_bibs(make_site())
    assert set(bibs) == {f"topics/{t.id}.bib" for t in TOPICS}
    spiking = bibs["topics/spiking-networks.bib"]
    members = [p for p in PAPERS if "spiking-networks" in p.topics]
    assert spiking.count("@misc{") == len(members)
    assert all(f"@misc{{{p.id}," in spiking for p in members)
    assert "\\textbraceleft{}" not in spiking and "\\&" in bibs["topics/brain-decoding.bib"]


# --- new, organizations, months, top -----------------------------------------------------------


def test_new_page_lists_exactly_what_the_newest_listing_added():
    site = make_site()
    page = render_pages(site)["new/index.md"]
    latest, recent = page.split('<h2 id="recent">Added in the')
    newest = max(CAPTURES.values())
    expected = {p.id for p in PAPERS if p.added == newest}
    assert expected and {p.id for p in PAPERS if f"{p.id}/" in latest} == expected
    assert {p.id for p in PAPERS if f"{p.id}/" in recent} == {p.id for p in PAPERS if p.added and p.added != newest}
    assert "Daily Papers of Jun 1, 2025" in latest


def test_organization_pages_hold_their_papers_and_are_linked_from_the_paper():
    pages = render_pages(make_site())
    sakana = next(p for p in PAPERS if p.organization)
    assert f"orgs/{sakana.organization.id}.md" in pages
    org_page = pages[f"orgs/{sakana.organization.id}.md"]
    assert f"{sakana.id}/" in org_page and sum(f"{p.id}/" in org_page for p in PAPERS) == 1
    paper_html = to_html(pages[f"papers/{sakana.id}.md"])
    assert f'href="../../orgs/{sakana.organization.id}/"' in paper_html
    assert "Sakana AI" in pages["orgs/index.md"]


def test_month_pages_link_to_each_other_and_from_their_year():
    pages = render_archive(make_site().papers)
    assert 'href="may/"' in pages["archive/2025.md"]
    may, march = pages["archive/2025/may.md"], pages["archive/2023/march.md"]
    assert 'href="../../2023/march/" rel="prev"' in may and 'rel="next"' not in may
    assert 'href="../../2025/may/" rel="next"' in march
    assert "Spikes in May" in may and "Brain-Diffuser" not in may
    assert 'aria-label="Breadcrumb"' in may


def test_top_papers_show_ties_as_ties_and_each_topic_has_its_own():
    papers = [
        make_paper(f"Paper {c}", date=dt.date(2024, 1, 1), upvotes=v, topics=(t,))
        for c, v, t in [
            ("A", 9, "brain-decoding"),
            ("B", 5, "brain-decoding"),
            ("C", 5, "spiking-networks"),
            ("D", 1, "spiking-networks"),
        ]
    ]
    site = make_site(papers=tuple(papers))
    top = render_pages(site)["top/index.md"]
    overall = top.split('<h2 id="y2024">')[0]
    ranks = re.findall(r'<li value="(\d+)"><a href="../papers/[^"]+/">Paper (\w)', overall)
    assert ranks == [("1", "A"), ("2", "B"), ("2", "C"), ("4", "D")]
    by_topic = top.split('<h2 id="topics">By topic</h2>')[1]
    spiking = by_topic.split(">Spiking Neural Networks</h3>")[1]
    assert "Paper C" in spiking and "Paper D" in spiking and "Paper A" not in spiking


def test_new_page_of_the_seeds_lists_the_papers_the_newest_listing_added(project):
    from generator.pipeline import Report, gather

    ctx = gather(project, Report())
    captures = {lst.name: lst.captured for lst in ctx.listings if lst.captured}
    newest = max(captures.values())
    newest_names = {name for name, day in captures.items() if day == newest}
    expected = {
        p.id
        for p in ctx.site.papers
        if set(p.listings) & newest_names and all(captures.get(name, newest) >= newest for name in p.listings)
    }
    latest = render_pages(ctx.site)["new/index.md"].split('<h2 id="recent">Added in the')[0]
    shown = set(re.findall(r'href="\.\./papers/([^"/]+)/"', latest))
    assert expected and shown == expected


def test_topic_links_to_its_top_papers_only_when_it_has_some():
    unvoted = make_paper("Nobody voted", date=dt.date(2024, 1, 1), upvotes=0, topics=("spiking-networks",))
    voted = make_paper("Somebody voted", date=dt.date(2024, 1, 1), upvotes=3, topics=("brain-decoding",))
    pages = render_pages(make_site(papers=(unvoted, voted)))
    assert "#t-brain-decoding" in pages["topics/brain-decoding.md"]
    assert "#t-spiking-networks" not in pages["topics/spiking-networks.md"]
    assert '<h3 id="t-brain-decoding">' in pages["top/index.md"] and "#t-spiking-networks" not in pages["top/index.md"]


def test_the_catch_all_topic_is_listed_last_however_big():
    site = make_site()
    first, *rest = site.topics
    site = replace(site, topics=(replace(first, catch_all=True), *rest))
    assert [t.id for t, _ in topic_sizes(site)][-1] == first.id
    index = render_pages(site)["topics/index.md"]
    assert index.index(rest[0].name) < index.index(first.name)
