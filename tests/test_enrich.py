"""enrich: arXiv ids and authors from a loopback stand-in for the Hub; pages and papers.json show them."""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import subprocess
import sys
from dataclasses import replace

import pytest
from fakehub import FakeHub, Trouble, hub_paper
from htmlcheck import to_html
from hypothesis import given, settings
from hypothesis import strategies as st
from project import REPO, copy_project
from sitefixture import make_paper, make_site

from generator.catalog import paper_id
from generator.enrich.entries import (
    AMBIGUOUS,
    MATCHED,
    UNMATCHED,
    Entry,
    entries_from_json,
    entries_to_json,
    match,
    merge,
    todo,
)
from generator.enrich.hub import Etiquette, Hub
from generator.enrich.run import enrich, lookup
from generator.model import Identifiers
from generator.pipeline import attach_identifiers
from generator.render.cite import bibtex
from generator.render.export import papers_json
from generator.render.pages import render_pages, scholarly_article

MATCHING = "Continuous Thought Machines"
MISSING = "A Paper the Hub Never Heard Of"
TWICE = "Attention Is All You Need"
TITLES = [MATCHING, MISSING, TWICE, "Sparse Coding Beyond ell_1", "Fifth Paper on Spikes"]
HUB_NAMES = ["Luke Darlow", "Ciaran Regan", "Sebastian Risi", "Jeffrey Seely", "Llion Jones"]
HF = "https://huggingface.co/papers/"
HUB = [
    hub_paper("2505.05522", "Continuous Thought-Machines", HUB_NAMES),
    hub_paper("2401.09999", "Continuous Thought Experiments", ["Someone Else"]),
    hub_paper("1706.03762", "Attention is all you need", ["Ashish Vaswani"], "2017-06-12"),
    hub_paper("2404.00001", "Attention Is All You Need!", ["Another Team"], "2024-04-01"),
    hub_paper("2402.01234", "Sparse coding beyond $\\ell_1$", ["Ada Lovelace"], "2024-02-02"),
    hub_paper("2403.04321", "Fifth paper on spikes", ["Grace Hopper"], "2024-03-03"),
]


def listing(titles: list[str]) -> str:
    """A Daily Papers listing with one dated paper per title."""
    blocks = [
        f"{t}\n\nWe study {t.lower()}. It works.\n\n  • 2 authors\n·\nMay {i + 1}, 2025 {i}\n"
        for i, t in enumerate(titles)
    ]
    return "Daily Papers\n\nbyAK and the research community\n\nDec 10\n\n" + "\n".join(blocks)


@pytest.fixture
def lab(tmp_path):
    """A project whose one listing holds TITLES."""
    root = copy_project(tmp_path / "lab", seeds=[], topics=False)
    (root / "seeds" / "001_lab.txt").write_text(listing(TITLES), encoding="utf-8")
    return root


def run_enrich(root, hub_url, *args, token=None, wait=True):
    """``python -m generator enrich`` against the fake Hub (no pause, no backoff)."""
    env = {k: v for k, v in os.environ.items() if k not in ("HF_TOKEN", "HF_ENDPOINT")}
    env.update(HF_ENDPOINT=hub_url, HF_HOME=str(root / ".hf-home"), **({"HF_TOKEN": token} if token else {}))
    cmd = [
        sys.executable,
        "-m",
        "generator",
        "enrich",
        "--root",
        str(root),
        "--pace",
        "0",
        "--backoff",
        "0",
        "--timeout",
        "2",
        *args,
    ]
    if not wait:
        return subprocess.Popen(cmd, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    return subprocess.run(cmd, cwd=REPO, env=env, capture_output=True, text=True, timeout=120)


def stored(root) -> dict:
    return json.loads((root / "seeds" / "_identifiers.json").read_text(encoding="utf-8"))["papers"]


def test_enrich_records_matches_and_reports_the_rest(lab):
    with FakeHub(HUB) as hub:
        done = run_enrich(lab, hub.url, token="hf_secret_token")
    assert done.returncode == 0, done.stderr
    papers = stored(lab)
    ctm = papers[paper_id(MATCHING)]
    assert ctm["status"] == MATCHED and ctm["arxiv_id"] == "2505.05522"
    assert ctm["authors"][:2] == ["Luke Darlow", "Ciaran Regan"] and ctm["published"] == "2025-05-08"
    assert ctm["hf_url"] == "https://huggingface.co/papers/2505.05522"
    assert papers[paper_id("Sparse Coding Beyond ell_1")]["arxiv_id"] == "2402.01234"  # LaTeX in the Hub's title
    assert papers[paper_id(MISSING)]["status"] == UNMATCHED and "arxiv_id" not in papers[paper_id(MISSING)]
    twice = papers[paper_id(TWICE)]
    assert twice["status"] == AMBIGUOUS and twice["candidates"] == ["1706.03762", "2404.00001"]
    assert MISSING in done.stdout and TWICE in done.stdout and "1706.03762" in done.stdout
    # the token went to the Hub with the searches, and nowhere else
    assert {r["authorization"] for r in hub.requests if r["path"].endswith("/search")} == {"Bearer hf_secret_token"}
    assert "hf_secret_token" not in done.stdout + done.stderr
    assert not any("hf_secret_token" in p.read_text(errors="replace") for p in lab.rglob("*") if p.is_file())


def test_second_run_asks_nothing_and_changes_nothing(lab):
    with FakeHub(HUB) as hub:
        run_enrich(lab, hub.url)
        before = (lab / "seeds" / "_identifiers.json").read_bytes()
        hub.requests.clear()
        again = run_enrich(lab, hub.url)
    assert again.returncode == 0 and hub.requests == []
    assert (lab / "seeds" / "_identifiers.json").read_bytes() == before


def test_pinned_entry_survives_and_is_completed(lab):
    pins = {
        "papers": {
            paper_id(TWICE): {"title": TWICE, "pinned": True, "arxiv_id": "1706.03762", "primary_class": "cs.CL"},
            paper_id(MATCHING): {
                "title": MATCHING,
                "pinned": True,
                "arxiv_id": "2401.09999",
                "authors": ["Hand Written"],
            },
        }
    }
    (lab / "seeds" / "_identifiers.json").write_text(json.dumps(pins), encoding="utf-8")
    with FakeHub(HUB) as hub:
        done = run_enrich(lab, hub.url, "--retry")
        searched = hub.searches()
    assert done.returncode == 0, done.stderr
    papers = stored(lab)
    twice = papers[paper_id(TWICE)]
    assert twice["pinned"] and twice["arxiv_id"] == "1706.03762" and twice["primary_class"] == "cs.CL"
    assert twice["authors"] == ["Ashish Vaswani"] and twice["published"] == "2017-06-12"  # filled from paper_info
    ctm = papers[paper_id(MATCHING)]
    assert ctm["arxiv_id"] == "2401.09999" and ctm["authors"] == ["Hand Written"]  # the search would say otherwise
    assert TWICE not in searched and MATCHING not in searched


def test_a_hub_that_answers_nothing_stops_the_run_and_keeps_the_file(lab):
    with FakeHub(HUB) as hub:
        run_enrich(lab, hub.url)
        before = stored(lab)
        (lab / "seeds" / "002_more.txt").write_text(listing(["One More Paper", "Two More", "Three More", "Four"]))
        hub.troubles = [Trouble(status=503)] * 100
        down = run_enrich(lab, hub.url, "--retries", "1")
    assert down.returncode == 1
    assert "Stopped early" in down.stdout and "Failed" in down.stdout
    assert stored(lab) == before


def test_interrupted_run_resumes_where_it_stopped(lab):
    """Kill the run while it waits on the Hub; the next run keeps what was saved and asks only for the rest."""
    with FakeHub(HUB) as hub:
        hub.stall_word = TITLES[2]  # newest first: the listing dates make TITLES[4] the first paper looked up
        proc = run_enrich(lab, hub.url, "--every", "1", wait=False)
        assert hub.stalled.wait(60), "the run never reached the stalled paper"
        proc.send_signal(signal.SIGKILL)
        proc.communicate(timeout=30)
        saved = stored(lab)
        assert set(saved) == {paper_id(TITLES[4]), paper_id(TITLES[3])}
        assert saved[paper_id(TITLES[3])]["arxiv_id"] == "2402.01234"
        hub.stall_word = None
        hub.release.set()
        hub.requests.clear()
        resumed = run_enrich(lab, hub.url)
        searched = hub.searches()
    assert resumed.returncode == 0, resumed.stderr
    assert sorted(searched) == sorted(TITLES[:3])
    assert set(stored(lab)) == {paper_id(t) for t in TITLES}


def test_interrupt_saves_what_was_fetched(tmp_path, monkeypatch):
    papers = [make_paper(t) for t in TITLES]
    saves = []

    def stop_after_two():
        if len(calls) == 2:
            raise KeyboardInterrupt
        calls.append(1)

    calls: list = []
    with FakeHub(HUB) as hub:
        monkeypatch.setenv("HF_ENDPOINT", hub.url)
        result, outcome = enrich(
            papers, {}, Hub(Etiquette(pace=0, backoff=0)), saves.append, every=100, step=stop_after_two
        )
    assert outcome.stopped == "interrupted"
    assert saves[-1] == result and set(result) == {paper_id(t) for t in TITLES[:2]}


def hub_client(url, monkeypatch, **etiquette):
    """A Hub client pointed at the fake through HF_ENDPOINT, recording its waits instead of sleeping."""
    monkeypatch.setenv("HF_ENDPOINT", url)
    waits: list[float] = []
    return Hub(Etiquette(**{"pace": 0, "backoff": 0, **etiquette}), sleep=waits.append), waits


def test_a_paper_whose_listing_prints_its_arxiv_id_is_looked_up_by_that_id(monkeypatch):
    renamed = replace(make_paper("Thought Machines That Run Continuously"), listed_arxiv_id="2505.05522")
    unknown = replace(make_paper(MATCHING), listed_arxiv_id="2601.00001")  # not on the Hub: found by title
    with FakeHub(HUB) as hub:
        client, _ = hub_client(hub.url, monkeypatch)
        found = {p.id: lookup(p, None, client) for p in (renamed, unknown)}
        asked = [r["path"] for r in hub.requests]
    assert found[renamed.id] == Entry(
        renamed.title, MATCHED, "2505.05522", tuple(HUB_NAMES), dt.date(2025, 5, 8), HF + "2505.05522"
    )
    assert found[unknown.id].arxiv_id == "2505.05522" and found[unknown.id].status == MATCHED
    assert [a.rsplit("/", 1)[-1] for a in asked] == ["2505.05522", "2601.00001", "search"]


def test_timeout_is_retried(monkeypatch):
    with FakeHub(HUB) as hub:
        client, _ = hub_client(hub.url, monkeypatch, timeout=0.3)
        hub.troubles = [Trouble(delay=2.0)]
        found = client.search(MATCHING)
        assert len(hub.searches()) == 2
    assert found[0].arxiv_id == "2505.05522"


def test_429_waits_as_retry_after_says(monkeypatch):
    with FakeHub(HUB) as hub:
        client, waits = hub_client(hub.url, monkeypatch, backoff=1.0)
        hub.troubles = [Trouble(status=429, headers={"Retry-After": "7"}), Trouble(status=503)]
        found = client.search(MATCHING)
    assert waits == [7.0, 2.0]  # Retry-After honoured, then the backoff (1 s doubled on the second retry)
    assert found[0].arxiv_id == "2505.05522"


def test_retries_run_out(monkeypatch):
    from generator.enrich.hub import HubError

    with FakeHub(HUB) as hub:
        client, waits = hub_client(hub.url, monkeypatch, retries=2, backoff=0.5)
        hub.troubles = [Trouble(status=500)] * 5
        with pytest.raises(HubError, match="HTTP 500"):
            client.search(MATCHING)
    assert waits == [0.5, 1.0] and len(hub.searches()) == 3


def test_pace_between_requests(monkeypatch):
    with FakeHub(HUB) as hub:
        client, waits = hub_client(hub.url, monkeypatch, pace=60.0)
        client.search(MATCHING)
        client.search(TWICE)
    assert len(waits) == 1 and 0 < waits[0] <= 60.0  # the second request waited for its turn


# --- the pure part: matching, merging, the file ---


def test_match_needs_the_same_normalised_title():
    from generator.enrich.entries import Candidate

    paper = make_paper("Beyond ell_1: Sparse Coding")
    assert match(paper, [Candidate("2401.1", "Beyond $\\ell_1$ -- sparse coding")]).status == MATCHED
    assert match(paper, [Candidate("2401.1", "Beyond ell_2: Sparse Coding")]).status == UNMATCHED
    same = [Candidate("2401.00001", "beyond ell1 sparse coding"), Candidate("2401.00002", "Beyond ell_1 sparse coding")]
    assert match(paper, same).candidates == ("2401.00001", "2401.00002")
    assert match(paper, same[:1] * 2).status == MATCHED  # the same paper twice is one paper


def test_unmatched_are_retried_only_on_request():
    papers = [make_paper(t) for t in TITLES]
    entries = {
        paper_id(MISSING): Entry(MISSING, UNMATCHED),
        paper_id(MATCHING): Entry(
            MATCHING, MATCHED, "2505.05522", ("A",), dt.date(2025, 1, 1), "https://huggingface.co/x"
        ),
    }
    assert {p.title for p in todo(papers, entries)} == set(TITLES) - {MISSING, MATCHING}
    assert {p.title for p in todo(papers, entries, retry=True)} == set(TITLES) - {MATCHING}


def test_merge_never_replaces_a_pin():
    pin = Entry("T", MATCHED, "2401.00002", pinned=True)
    merged = merge({"t": pin}, {"t": Entry("T", MATCHED, "2401.00001", ("Found",), dt.date(2024, 1, 1), "https://h")})
    assert merged["t"].arxiv_id == "2401.00002" and merged["t"].pinned and merged["t"].authors == ("Found",)


entry_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=30)
entries = st.dictionaries(
    st.from_regex(r"[a-z0-9-]{1,20}-[0-9a-f]{6}", fullmatch=True),
    st.builds(
        Entry,
        entry_text,
        st.sampled_from([MATCHED, UNMATCHED, AMBIGUOUS]),
        st.one_of(st.none(), st.from_regex(r"\d{4}\.\d{5}", fullmatch=True)),
        st.lists(entry_text.map(str.strip).filter(bool), max_size=4).map(tuple),
        st.one_of(st.none(), st.dates()),
        st.one_of(st.none(), st.just("https://huggingface.co/papers/x")),
        st.none(),
        st.lists(st.from_regex(r"\d{4}\.\d{5}", fullmatch=True), max_size=2).map(tuple),
        st.booleans(),
    ),
    max_size=5,
)


@settings(max_examples=60, deadline=None)
@given(entries)
def test_file_round_trips_and_is_stable(found):
    text = entries_to_json(found)
    back, problems = entries_from_json(text, "seeds/_identifiers.json")
    assert problems == [] and back == found
    assert entries_to_json(back) == text


def test_bad_entries_are_problems_with_line_and_value():
    text = (
        '{"papers": {\n "a-000001": {"arxiv_id": "arXiv:2401"},\n "b-000002": {"published": "May 5"},\n'
        ' "c-000003": {"colour": 1},\n "d-000004": {"arxiv_id": "2401.00001"}\n}}'
    )
    found, problems = entries_from_json(text, "seeds/_identifiers.json")
    assert list(found) == ["d-000004"]
    shown = [str(p) for p in problems]
    assert shown[0].startswith("seeds/_identifiers.json:2: paper a-000001") and "'arXiv:2401'" in shown[0]
    assert "'May 5'" in shown[1] and "colour" in shown[2]


# --- what a reader sees ---

NAMES = ("Luke Darlow", "Ciaran <b>Regan</b>", "Sebastian Risi", "Jeffrey Seely", "Llion Jones")


def page_of(paper, url="https://lab.example.org/atlas/"):
    site = make_site()
    site = replace(site, url=url, papers=(paper,), topics=(), related={})
    return to_html(render_pages(site)[f"papers/{paper.id}.md"])


def test_page_links_the_paper_names_authors_and_cites_the_eprint():
    paper = make_paper(MATCHING, date=dt.date(2025, 5, 8))
    ids = Identifiers("2505.05522", NAMES, dt.date(2025, 5, 7), "https://huggingface.co/papers/2505.05522", "cs.NE")
    html = page_of(replace(paper, identifiers=ids))
    assert 'href="https://arxiv.org/abs/2505.05522"' in html and 'href="https://arxiv.org/pdf/2505.05522"' in html
    assert 'href="https://huggingface.co/papers/2505.05522"' in html
    assert "arxiv.org/search" not in html and "Find this paper" not in html
    assert "Luke Darlow, Ciaran &lt;b&gt;Regan&lt;/b&gt;, Sebastian Risi et al." in html
    assert "Jeffrey Seely, Llion Jones" in html  # all names in the page, behind the details box
    assert "<b>Regan" not in html
    assert "eprint = {2505.05522}" in html and "archivePrefix = {arXiv}" in html and "primaryClass = {cs.NE}" in html
    assert "author = {Luke Darlow and Ciaran &lt;b&gt;Regan&lt;/b&gt; and" in html


def test_page_without_identifiers_keeps_search_links():
    html = page_of(make_paper(MISSING, date=dt.date(2025, 5, 8)))
    assert "Find this paper" in html and "arxiv.org/search" in html
    assert "eprint" not in html and "pa-authors" not in html
    assert "url = {https://lab.example.org/atlas/papers/" in html


def test_names_a_listing_prints_are_shown_cited_and_exported_until_the_hub_gives_its_own():
    listed = ("Alice Smith", "Bob <i>Jones</i>", "Carol White")
    paper = replace(make_paper(MISSING, date=dt.date(2025, 5, 8)), authors=3, author_names=listed)
    html = page_of(paper)
    assert "Alice Smith, Bob &lt;i&gt;Jones&lt;/i&gt;, Carol White" in html and "<i>Jones" not in html
    assert "author = {Alice Smith and Bob &lt;i&gt;Jones&lt;/i&gt; and Carol White}" in html
    jsonld = scholarly_article(replace(make_site(), url="https://lab.example.org/atlas/"), paper)
    assert jsonld["author"][1] == {"@type": "Person", "name": "Bob <i>Jones</i>"}  # for reference managers
    assert "Find this paper" in html, "names alone are no arXiv id: the search links stay"
    site = replace(make_site(), papers=(paper,), topics=(), related={})
    assert json.loads(papers_json(site))["papers"][0]["authors_names"] == list(listed)
    hub = replace(paper, identifiers=Identifiers("2505.05522", NAMES))
    assert json.loads(papers_json(replace(site, papers=(hub,))))["papers"][0]["authors_names"] == list(NAMES)
    assert "Alice Smith" not in page_of(hub), "the Hub's names, in the paper's order, replace a listing's"


def test_an_arxiv_id_a_listing_prints_links_the_paper_unless_the_identifiers_file_says_otherwise():
    paper = replace(make_paper(MISSING, date=dt.date(2025, 5, 8)), listed_arxiv_id="2401.00002")
    entry = Entry(title=MISSING, status="matched", arxiv_id="2505.05522", authors=NAMES)
    [alone], [stored], [pinned], [named] = (
        attach_identifiers([paper], entries)
        for entries in (
            {},
            {paper.id: entry},
            {paper.id: Entry(title=MISSING, arxiv_id=None, pinned=True, authors=NAMES)},
            {paper.id: Entry(title=MISSING, authors=NAMES)},
        )
    )
    assert alone.identifiers == Identifiers("2401.00002")
    html = page_of(alone)
    assert 'href="https://arxiv.org/abs/2401.00002"' in html and "eprint = {2401.00002}" in html
    assert stored.identifiers.arxiv_id == "2505.05522", "the file (the Hub's answer or a pin) wins"
    assert pinned.identifiers.arxiv_id is None, "a pin of no id is the lab's word"
    assert named.identifiers == Identifiers("2401.00002", NAMES)


def test_a_doi_a_listing_prints_is_linked_cited_and_exported():
    doi = '10.1002/(SICI)1097-4636:3<353::AID>3.0.CO;2-M"x'
    paper = replace(make_paper(MISSING, date=dt.date(2025, 5, 8)), doi=doi)
    html = page_of(paper)
    assert 'href="https://doi.org/10.1002/(SICI)1097-4636:3%3C353::AID%3E3.0.CO;2-M%22x"' in html
    assert "Read this paper" in html and "Find this paper" not in html
    assert "doi:10.1002/(SICI)1097-4636:3&lt;353::AID&gt;3.0.CO;2-M&#34;x</a>" in html, "the DOI itself, as text"
    assert "doi = {10.1002/(SICI)1097-4636:3&lt;353::AID&gt;3.0.CO;2-M&#34;x}" in html, "escaped like all text"
    assert scholarly_article(make_site(), paper)["sameAs"] == [paper.doi_url]
    site = replace(make_site(), papers=(paper,), topics=(), related={})
    assert json.loads(papers_json(site))["papers"][0]["doi"] == doi


def test_bibtex_escapes_title_and_names():
    paper = replace(
        make_paper("50% of {x}_1 & more \\ hostile }"), identifiers=Identifiers("2401.00001", ("O'Brien & Co }",))
    )
    text = bibtex(paper, "papers/x/", "")
    lines = text.splitlines()
    assert lines[1] == (
        "  title = {{50\\% of \\textbraceleft{}x\\textbraceright{}\\_1 \\& more "
        "\\textbackslash{} hostile \\textbraceright{}}},"
    )
    assert "  author = {O'Brien \\& Co \\textbraceright{}}," in lines
    assert "  eprint = {2401.00001}," in lines and "  url = {https://arxiv.org/abs/2401.00001}" in lines
    assert text.count("{") == text.count("}")


def test_build_reads_the_file_and_never_the_network(lab):
    with FakeHub(HUB) as hub:
        run_enrich(lab, hub.url)
        hub.requests.clear()
        env = {**os.environ, "HF_ENDPOINT": hub.url}
        built = subprocess.run(
            [sys.executable, "-m", "generator", "build", "--root", str(lab), "--strict"],
            cwd=REPO,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert hub.requests == []
    assert built.returncode == 0, built.stdout + built.stderr
    data = {p["title"]: p for p in json.loads((lab / "docs" / "papers.json").read_text())["papers"]}
    assert data[MATCHING]["arxiv_id"] == "2505.05522" and data[MATCHING]["authors_names"][0] == "Luke Darlow"
    assert data[MATCHING]["published"] == "2025-05-08"
    assert data[MATCHING]["hf_url"] == "https://huggingface.co/papers/2505.05522"
    assert data[MISSING]["arxiv_id"] is None and data[MISSING]["authors_names"] == []
    page = (lab / "docs" / "papers" / f"{paper_id(MATCHING)}.md").read_text()
    assert "https://arxiv.org/pdf/2505.05522" in page


def test_a_broken_identifiers_file_is_reported_and_not_overwritten(lab):
    path = lab / "seeds" / "_identifiers.json"
    path.write_text('{"papers": {"x-000001": {"arxiv_id": 42}}}', encoding="utf-8")
    with FakeHub(HUB) as hub:
        done = run_enrich(lab, hub.url)
        assert hub.requests == []
    assert done.returncode == 1 and "x-000001" in done.stderr and "42" in done.stderr
    assert path.read_text() == '{"papers": {"x-000001": {"arxiv_id": 42}}}'
    check = subprocess.run(
        [sys.executable, "-m", "generator", "build", "--root", str(lab), "--strict"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert check.returncode == 1 and "_identifiers.json" in check.stderr
