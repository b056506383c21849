"""Tests for generator/catalog.py: merging the seeds, merge rules, orphans, permanent ids."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.addresses import Published, keep_addresses, read_published
from generator.catalog import abstract_key, build_catalog, paper_id, paper_key, title_key
from generator.model import Organization
from generator.read.parse import Listing, decode, parse_listing

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
FIXTURES = ROOT / "tests" / "fixtures" / "listings"
S = ["000_d50e86dd121e9ce5.txt", "001_55d04869f91147e5.txt", "002_3337651eb4912f9a.txt", "003_3ca0abc178579382.txt"]
ABSTRACT = "We study a thing. It works on three benchmarks. Code will be released."


def read(path: Path) -> Listing:
    text, _ = decode(path.read_bytes(), path.name)
    return parse_listing(text, path.name)


def listing(name: str, *blocks: str, header: str = "Dec 10") -> Listing:
    """A listing made of blocks (title, abstract, meta lines...), separated by blank lines."""
    head = f"Daily Papers\n\nbyAK and the research community\n\n{header}\n\n" if header else ""
    return parse_listing(head + "\n\n".join(blocks) + "\n", name)


def meta(first: str, date: str) -> str:
    return f"{first}\n·\n{date}"


@pytest.fixture(scope="module")
def seeds():
    papers, problems = build_catalog(read(p) for p in SEEDS)
    return papers, problems, {p.title: p for p in papers}


# --- the seeds -------------------------------------------------------------------------------


def test_seeds_merge_into_170_papers_39_undated_without_problems(seeds):
    papers, problems, _ = seeds
    assert (len(papers), sum(p.date is None for p in papers), problems) == (170, 39, [])
    assert sum(len(p.listings) for p in papers) == 234


def test_seed_paper_with_organization_merged_from_a_listing_without_meta(seeds):
    p = seeds[2]["Continuous Thought Machines"]
    assert (p.organization, p.authors, p.date, p.upvotes, p.listings) == (
        Organization("SakanaAI", "Sakana AI"),
        None,
        dt.date(2025, 5, 8),
        0,
        (S[0], S[2]),
    )
    assert p.abstract_raw.startswith("Biological brains demonstrate complex neural activi")


def test_seed_paper_whose_meta_is_only_in_the_later_listing(seeds):
    p = seeds[2]["Configurable Foundation Models: Building LLMs from a Modular Perspective"]
    assert (p.organization, p.authors, p.date, p.upvotes, p.listings) == (
        Organization("openbmb", "OpenBMB"),
        None,
        dt.date(2024, 9, 4),
        2,
        (S[2], S[3]),
    )
    assert p.line == 113


def test_seed_paper_in_all_four_listings(seeds):
    p = seeds[2]["Transformer brain encoders explain human high-level visual responses"]
    assert (p.authors, p.organization, p.date, p.upvotes, p.listings) == (3, None, dt.date(2025, 5, 22), 0, tuple(S))


def test_seed_paper_with_upvotes_and_inferred_year_agreeing_with_explicit_year(seeds):
    p = seeds[2]["Comprehension Without Competence: Architectural Limits of LLMs in Symbolic Computation and Reasoning"]
    assert (p.authors, p.date, p.upvotes, p.listings) == (1, dt.date(2025, 7, 14), 1, (S[0], S[3]))


def test_seed_paper_without_meta_and_with_a_link(seeds):
    [p] = [p for t, p in seeds[2].items() if t.startswith("EntroPE")]
    assert (p.authors, p.organization, p.date, p.upvotes, p.listings) == (None, None, None, None, (S[1],))
    assert p.links == ("https://github.com/Sachithx/EntroPE",)


def test_seed_display_text_resolves_latex_and_keeps_the_raw(seeds):
    [p] = [p for p in seeds[0] if "Brain-Diffuser" in p.abstract_raw]
    assert "``Brain-Diffuser''" in p.abstract_raw and "“Brain-Diffuser”" in p.abstract
    assert "\\" not in p.abstract and p.abstract.count("“") == p.abstract_raw.count("``")


def test_seed_papers_are_sorted_newest_first_with_undated_last(seeds):
    papers = seeds[0]
    dated = [p.date for p in papers if p.date]
    assert dated == sorted(dated, reverse=True)
    assert all(p.date is None for p in papers[len(dated) :])


def test_seed_ids_are_unique_short_and_safe(seeds):
    ids = [p.id for p in seeds[0]]
    assert len(set(ids)) == len(ids)
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*-[0-9a-f]{6}", i) and len(i) <= 87 for i in ids)


def test_catalog_does_not_depend_on_listing_order():
    listings = [read(p) for p in SEEDS]
    assert build_catalog(listings) == build_catalog(listings[::-1])


# --- merge rules --------------------------------------------------------------------------------


def test_titles_differing_in_case_punctuation_and_spacing_merge():
    a = listing("a.txt", "Brain-Diffuser: Scene Reconstruction", ABSTRACT, meta("  • 3 authors", "May 2, 2024 4"))
    b = listing("b.txt", "brain diffuser  scene reconstruction!", ABSTRACT, meta("  • 3 authors", "May 2, 2024 9"))
    [p], problems = build_catalog([b, a])
    assert (p.title, p.upvotes, p.listings, p.line, problems) == (
        "Brain-Diffuser: Scene Reconstruction",
        9,
        ("a.txt", "b.txt"),
        7,
        [],
    )


def test_fields_are_filled_from_whichever_listing_has_them():
    bare = listing("a.txt", "Sparse Codes", ABSTRACT)
    org = listing("b.txt", "Sparse Codes", meta("SakanaAI Sakana AI", "Jan 3, 2024"))
    [p], problems = build_catalog([bare, org])
    assert (p.abstract_raw, p.organization, p.date, p.upvotes, p.listings) == (
        ABSTRACT,
        Organization("SakanaAI", "Sakana AI"),
        dt.date(2024, 1, 3),
        0,
        ("a.txt", "b.txt"),
    )
    assert problems == []


def test_the_authors_names_one_listing_prints_are_kept_when_another_only_counts_them():
    counted = listing("a.txt", "Sparse Codes", ABSTRACT, meta("  • 2 authors", "Jan 3, 2024"))
    named = listing("b.txt", "Sparse Codes", ABSTRACT, meta("Ana María Li and J. R. White", "Jan 3, 2024"))
    for order in ([counted, named], [named, counted]):
        [p], problems = build_catalog(order)
        assert (p.authors, p.author_names, p.names) == (2, ("Ana María Li", "J. R. White"), p.author_names)
        assert problems == []


def test_identifiers_and_names_that_disagree_are_reported_and_the_first_kept():
    first = listing("a.txt", "Sparse Codes", "arXiv:2401.00001", ABSTRACT, meta("Ana Li and Bo Wu", "Jan 3, 2024"))
    second = listing(
        "b.txt",
        "Sparse Codes",
        "arXiv:2401.00002",
        "doi:10.1000/xyz",
        ABSTRACT,
        meta("Ana Li and Cy Ng", "Jan 3, 2024"),
    )
    [p], problems = build_catalog([first, second])
    assert (p.listed_arxiv_id, p.doi, p.author_names) == ("2401.00001", "10.1000/xyz", ("Ana Li", "Bo Wu"))
    assert [(q.file, q.message.split(" given")[0], q.value) for q in problems] == [
        ("b.txt", "arXiv id differs from 2401.00001", "2401.00002"),
        ("b.txt", "author list differs from Ana Li, Bo Wu", "Ana Li, Cy Ng"),
    ]


def test_a_new_listing_merges_with_the_seeds(seeds):
    ctm_abstract = seeds[2]["Continuous Thought Machines"].abstract_raw
    new = listing(
        "004_new.txt",
        "continuous thought machines",
        ctm_abstract,
        meta("SakanaAI Sakana AI", "May 8, 2025 31"),
        "A Paper Only Here",
        ABSTRACT,
        meta("  • 2 authors", "Nov 30"),
        header="Dec 1",
    )
    papers, problems = build_catalog([read(p) for p in SEEDS] + [new])
    by_title = {p.title: p for p in papers}
    ctm = by_title["Continuous Thought Machines"]
    assert (ctm.upvotes, ctm.listings, ctm.date) == (31, (S[0], S[2], "004_new.txt"), dt.date(2025, 5, 8))
    assert by_title["A Paper Only Here"].date == dt.date(2026, 11, 30)
    assert len(papers) == 171 and problems == []


def test_explicit_year_wins_over_an_inferred_one_and_the_disagreement_is_reported():
    inferred = listing(
        "a.txt",
        "Sparse Codes",
        ABSTRACT,
        meta("  • 2 authors", "May 3"),
        "Other Paper",
        ABSTRACT,
        meta("  • 2 authors", "Jan 1, 2023"),
    )
    explicit = listing("b.txt", "Sparse Codes", ABSTRACT, meta("  • 2 authors", "May 3, 2022"))
    papers, problems = build_catalog([inferred, explicit])
    assert {p.title: p.date for p in papers}["Sparse Codes"] == dt.date(2022, 5, 3)
    [problem] = problems
    assert (problem.file, problem.line, problem.value) == ("a.txt", 7, "May 3")
    assert "date differs" in problem.message and "2022-05-03" in problem.message


def test_authors_that_disagree_are_reported():
    a = listing("a.txt", "Sparse Codes", ABSTRACT, meta("  • 2 authors", "May 3, 2022"))
    b = listing("b.txt", "Sparse Codes", ABSTRACT, meta("  • 5 authors", "May 3, 2022"))
    [p], problems = build_catalog([a, b])
    assert p.authors == 2
    assert [(x.file, x.value) for x in problems] == [("b.txt", "5")]


def test_abstract_only_block_joins_the_paper_with_the_same_abstract():
    orphans = read(FIXTURES / "abstract_only_block.txt")
    titled = read(FIXTURES / "no_meta.txt")
    papers, problems = build_catalog([orphans, titled])
    p = {p.title: p for p in papers}["Brain-Diffuser: Natural Scene Reconstruction from fMRI"]
    assert (p.authors, p.date, p.upvotes, p.listings) == (
        4,
        dt.date(2024, 6, 1),
        5,
        ("abstract_only_block.txt", "no_meta.txt"),
    )
    [problem] = problems  # the other abstract-only block has no paper to join
    assert (problem.file, problem.line) == ("abstract_only_block.txt", 27)
    assert problem.value.startswith("Organizations release many models")
    assert len(papers) == 3


def test_abstract_only_block_without_a_match_is_reported_not_dropped_silently():
    lone = listing("a.txt", "Lone Title", ABSTRACT, ABSTRACT.replace("thing", "other thing"))
    papers, problems = build_catalog([lone])
    assert [p.title for p in papers] == ["Lone Title"]
    assert [(p.file, p.line, p.message) for p in problems] == [
        ("a.txt", 11, "abstract with no title, and no paper has the same abstract")
    ]


# --- ids ----------------------------------------------------------------------------------------


def test_titles_that_slugify_alike_get_distinct_ids_that_do_not_move():
    both = read(FIXTURES / "slug_alike.txt")
    papers, _ = build_catalog([both])
    ids = {p.title: p.id for p in papers}
    assert ids["Über Learning"] != ids["Uber Learning"]
    assert all(i.startswith("uber-learning-") for i in ids.values())
    first_alone = listing("a.txt", "Über Learning", ABSTRACT)
    [alone], _ = build_catalog([first_alone])
    assert alone.id == ids["Über Learning"] == paper_id("Über Learning")


def test_ids_of_long_titles_stay_far_below_file_name_limits():
    lst = read(FIXTURES / "long_title.txt")
    papers, _ = build_catalog([lst])
    assert len(papers) == 2 and len({p.id for p in papers}) == 2
    assert all(len(f"{p.id}.md".encode()) <= 100 for p in papers)


@pytest.mark.parametrize(
    "title, slug",
    [
        ("Νευρωνικά δίκτυα για την όραση", "neuronika-diktua-gia-ten-orase"),
        ("深度学习的大脑解码", "shen-du-xue-xi-de-da-nao-jie-ma"),
        ("Élan vital: à la recherche des réseaux perdus", "elan-vital-a-la-recherche-des-reseaux-perdus"),
        ("🧠 🤖", "paper"),
        ("<script>alert('x')</script> | *Bold* {{ x }}", "script-alert-x-script-bold-x"),
    ],
)
def test_ids_are_readable_ascii_for_any_title(title, slug):
    pid = paper_id(title)
    assert re.fullmatch(re.escape(slug) + r"-[0-9a-f]{6}", pid)


def test_titles_without_letters_keep_apart():
    assert paper_key("🧠 🤖") != paper_key("🤖 🧠") and paper_id("🧠 🤖") != paper_id("🤖 🧠")
    assert paper_key("---") != paper_key("***")


def test_unicode_and_hostile_fixture_titles_make_distinct_papers():
    listings = [read(FIXTURES / n) for n in ("unicode_titles.txt", "hostile_markup.txt")]
    papers, problems = build_catalog(listings)
    assert len(papers) == 7 and len({p.id for p in papers}) == 7 and problems == []
    assert {p.title for p in papers} >= {"深度学习的大脑解码", "🧠 🤖", "---"}


# --- generated input ----------------------------------------------------------------------------

_LINES = st.sampled_from(
    [
        "·",
        "  • 3 authors",
        "May 22",
        "Feb 29",
        "Sep 30 27",
        "Jan 2, 2024 5",
        "SakanaAI Sakana AI",
        "",
        "",
        "",
        "Title A",
        "title a!",
        "Title B",
        ABSTRACT,
        ABSTRACT.upper(),
        "🧠",
        "---",
    ]
)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.lists(st.one_of(_LINES, st.text(max_size=20)), max_size=25).map("\n".join), min_size=1, max_size=4))
def test_any_listings_build_a_consistent_catalog(texts):
    listings = [parse_listing(t, f"{i}.txt") for i, t in enumerate(texts)]
    papers, problems = build_catalog(listings)
    assert len({p.id for p in papers}) == len(papers) == len({(p.key, abstract_key(p.abstract_raw)) for p in papers})
    assert all(re.fullmatch(r"[a-z0-9-]+-[0-9a-f]{6}", p.id) for p in papers)
    titled = {(r.listing, title_key(r.title)) for lst in listings for r in lst.records if r.title}
    shown = {(name, p.key) for p in papers for name in p.listings}
    assert titled <= shown and {key for _, key in titled} == {p.key for p in papers}
    shared = [p for p in papers if sum(q.key == p.key for q in papers) > 1]
    assert all(p.abstract_raw for p in shared)  # a title key is shared only by papers with different abstracts
    assert build_catalog(listings[::-1]) == (papers, problems)


# --- identity: title key and abstract ------------------------------------------------------------


def fixture(name: str, as_name: str | None = None) -> Listing:
    text, _ = decode((FIXTURES / name).read_bytes(), name)
    return parse_listing(text, as_name or name)


def test_titles_differing_only_in_symbols_stay_three_papers_with_their_own_ids():
    papers, problems = build_catalog([fixture("symbol_titles.txt")])
    assert sorted((p.title, p.authors, p.upvotes) for p in papers) == [
        ("C for Scientific Computing", 2, 6),
        ("C# for Scientific Computing", 4, 7),
        ("C++ for Scientific Computing", 3, 5),
    ]
    assert len({p.id for p in papers}) == 3
    assert sorted(p.line for p in problems) == [7, 23]  # C is the plain one; C++ and C# are reported
    assert all("differs only in symbols" in p.message for p in problems)
    assert {p.value for p in problems} == {"C++ for Scientific Computing", "C# for Scientific Computing"}


def test_the_plain_title_of_a_symbol_collision_keeps_the_id_it_had_alone():
    [c] = [r for r in fixture("symbol_titles.txt").records if r.title.startswith("C for")]
    alone = listing("a.txt", c.title, c.abstract, meta("  • 2 authors", "Oct 3, 2025 6"))
    [before], _ = build_catalog([alone])
    after, _ = build_catalog([alone, fixture("symbol_titles.txt")])
    assert before.id in {p.id for p in after} and before.id == paper_id("C for Scientific Computing")


def test_same_title_with_different_abstracts_gives_two_papers_reported_once():
    papers, problems = build_catalog([fixture("same_title_different_abstract.txt")])
    assert sorted((p.title, p.authors) for p in papers) == [
        ("Attention Is All You Need", 8),
        ("Attention is all you need!", 2),
    ]
    assert len({p.id for p in papers}) == 2
    [problem] = problems
    assert problem.file == "same_title_different_abstract.txt" and "different abstract" in problem.message


SPARSE_ABSTRACT = (
    "We study how sparse codes emerge in recurrent networks. Our model learns them from data without "
    "supervision. Experiments confirm it on three datasets and two architectures."
)


@pytest.mark.parametrize(
    "other, how",
    [
        (SPARSE_ABSTRACT[:160] + "…", "cut short"),
        (SPARSE_ABSTRACT + " Code is at https://github.com/lab/codes.", "a sentence added"),
        (SPARSE_ABSTRACT.replace("three datasets", "3 datasets"), "revised"),
    ],
)
def test_the_same_title_with_nearly_the_same_abstract_is_one_paper_showing_the_longer_abstract(other, how):
    a = listing("a.txt", "Sparse Codes in Recurrent Networks", SPARSE_ABSTRACT, meta("  • 3 authors", "May 22, 2024"))
    b = listing("b.txt", "Sparse Codes in Recurrent Networks", other, meta("  • 3 authors", "May 22, 2024 5"))
    papers, problems = build_catalog([a, b])
    [paper] = papers
    assert paper.listings == ("a.txt", "b.txt") and paper.upvotes == 5
    assert paper.abstract_raw == (other if how == "a sentence added" else SPARSE_ABSTRACT)
    [problem] = problems
    assert "nearly the same" in problem.message and problem.value == "Sparse Codes in Recurrent Networks"


def test_the_same_title_over_a_short_cut_or_another_abstract_stays_two_papers():
    other = "Large language models fail at arithmetic. We find tokenization to blame. A simple fix recovers most."
    for abstract in (SPARSE_ABSTRACT[:90] + "…", other):
        a = listing(
            "a.txt", "Sparse Codes in Recurrent Networks", SPARSE_ABSTRACT, meta("  • 3 authors", "May 22, 2024")
        )
        b = listing("b.txt", "Sparse Codes in Recurrent Networks", abstract, meta("  • 3 authors", "May 22, 2024"))
        papers, problems = build_catalog([a, b])
        assert len(papers) == 2 and ["different abstract" in p.message for p in problems] == [True]


def test_colliding_ids_do_not_depend_on_which_file_comes_first():
    names = ("a.txt", "b.txt")
    runs = []
    for first, second in (names, names[::-1]):
        runs.append(
            build_catalog([fixture("same_title_different_abstract.txt", first), fixture("symbol_titles.txt", second)])
        )
    ids = [sorted((p.title.casefold(), p.abstract_raw[:10], p.id) for p in papers) for papers, _ in runs]
    assert ids[0] == ids[1] and len(ids[0]) == 5


def test_a_record_without_abstract_joins_the_paper_with_the_same_title():
    bare = listing("b.txt", "Attention Is All You Need", meta("  • 8 authors", "Jun 12, 2017 120"))
    full = listing("a.txt", "attention is all you need", ABSTRACT)
    [p], problems = build_catalog([bare, full])
    assert (p.abstract_raw, p.upvotes, p.listings, problems) == (ABSTRACT, 120, ("a.txt", "b.txt"), [])


def test_a_record_without_abstract_under_a_shared_title_is_reported():
    bare = listing("z.txt", "Attention Is All You Need", meta("  • 8 authors", "Jun 12, 2017 120"))
    papers, problems = build_catalog([fixture("same_title_different_abstract.txt"), bare])
    assert len(papers) == 2
    assert [(p.file, p.line) for p in problems if "no abstract here" in p.message] == [("z.txt", 7)]


# --- published addresses -------------------------------------------------------------------------


def published(papers, retired=()) -> list[Published]:
    return [Published(p.id, p.title, p.abstract, p.topics) for p in papers] + list(retired)


def test_a_re_printed_title_keeps_its_published_id():
    [old], _ = build_catalog([listing("a.txt", "Don't Stop: Learning!", ABSTRACT)])
    [new], _ = build_catalog([listing("a.txt", "Dont  stop — learning", ABSTRACT)])
    assert new.id != old.id  # the slug follows the printing...
    [kept], retired, problems = keep_addresses([new], published([old]))
    assert (kept.id, retired, problems) == (old.id, [], [])  # ...but the published address wins


def test_a_paper_published_with_its_abstract_cut_short_keeps_its_address_when_a_listing_prints_it_whole():
    title, authors = "Sparse Codes in Recurrent Networks", meta("  • 3 authors", "May 22, 2024")
    cut = listing("b.txt", title, SPARSE_ABSTRACT[:160] + "…", authors)
    [old], _ = build_catalog([cut])
    [paper], _ = build_catalog([listing("a.txt", title, SPARSE_ABSTRACT, authors), cut])
    assert paper.abstract_raw == SPARSE_ABSTRACT
    [kept], retired, problems = keep_addresses([paper], published([replace(old, id="sparse-codes-as-published")]))
    assert (kept.id, retired, problems) == ("sparse-codes-as-published", [], [])


def test_two_published_printings_of_one_paper_keep_one_address_and_the_other_points_to_it():
    title, authors = "Sparse Codes in Recurrent Networks", meta("  • 3 authors", "May 22, 2024")
    cut = SPARSE_ABSTRACT[:160] + "…"
    [paper], _ = build_catalog(
        [listing("a.txt", title, SPARSE_ABSTRACT, authors), listing("b.txt", title, cut, authors)]
    )
    pub = [Published("sparse-whole", title, SPARSE_ABSTRACT), Published("sparse-cut", title, cut)]
    [kept], retired, problems = keep_addresses([paper], pub)
    assert kept.id == "sparse-whole" and problems == []
    assert [(r.id, r.moved_to) for r in retired] == [("sparse-cut", "sparse-whole")]
    other = Published("sparse-other", title, "A different paper under the same title. It is old. It left.")
    _, retired, _ = keep_addresses([paper], [*pub, other])
    assert [(r.id, r.moved_to) for r in retired] == [("sparse-cut", "sparse-whole"), ("sparse-other", "")]


def test_a_paper_that_left_every_listing_retires_with_its_address_and_comes_back_to_it():
    papers, _ = build_catalog([fixture("symbol_titles.txt")])
    rest = [p for p in papers if not p.title.startswith("C#")]
    kept, retired, _ = keep_addresses(rest, published(papers))
    [gone] = [p for p in papers if p.title.startswith("C#")]
    assert [(r.id, r.title) for r in retired] == [(gone.id, gone.title)]
    assert {p.id for p in kept} == {p.id for p in rest}
    back, retired_again, _ = keep_addresses(
        papers, published(kept, [Published(r.id, r.title, r.abstract) for r in retired])
    )
    assert retired_again == [] and sorted(p.id for p in back) == sorted(p.id for p in papers)


def test_a_new_paper_never_takes_the_address_of_another_published_paper():
    old = Published(paper_id("C for X"), "C for X", "A paper about C. It is old. It is published.")
    [new], _ = build_catalog([listing("a.txt", "C for X", ABSTRACT)])  # same title, other abstract
    assert new.id == old.id
    [moved], retired, problems = keep_addresses([new], [old])
    assert moved.id != old.id and [r.id for r in retired] == [old.id]
    assert [p.value for p in problems] == ["C for X"]


def test_published_addresses_do_not_depend_on_order():
    papers, _ = build_catalog([fixture("symbol_titles.txt"), fixture("same_title_different_abstract.txt")])
    pub = published(papers)
    a = keep_addresses(papers, pub)
    b = keep_addresses(papers[::-1], pub[::-1])
    assert sorted(p.id for p in a[0]) == sorted(p.id for p in b[0]) == sorted(p.id for p in papers)


def test_a_published_title_with_mojibake_matches_its_repaired_printing():
    [new], _ = build_catalog([listing("a.txt", "Café Models", ABSTRACT)])
    [kept], retired, _ = keep_addresses([new], [Published("cafa-c-models-123456", "CafÃ© Models", ABSTRACT)])
    assert kept.id == "cafa-c-models-123456" and retired == []


def test_an_unreadable_published_file_is_a_problem_not_a_crash():
    entries, problems = read_published("<html>not json</html>", "https://x.io/papers.json")
    assert entries == [] and [p.file for p in problems] == ["https://x.io/papers.json"]


# --- generated catalogs: every paper exactly once -------------------------------------------------

_STEMS = st.sampled_from(["C", "F", "Go", "X"])
_SYMBOLS = st.sampled_from(["", "+", "++", "#", "*"])
_REST = st.sampled_from(["for Scientific Computing", "in Neural Networks", "Is All You Need"])
_SENTENCES = st.lists(
    st.sampled_from(
        [
            "We study it",
            "Results are strong",
            "Code is released",
            "It scales well",
            "Benchmarks agree",
            "The method is simple",
        ]
    ),
    min_size=3,
    max_size=3,
    unique=True,
).map(lambda s: ". ".join(s) + ".")


def _reprint(title: str, how: int) -> str:
    """The same title printed with other case, spacing or punctuation."""
    return [title, title.upper(), title.replace(" ", "  ") + "!", title.replace(" ", "-", 1) + "?"][how]


@st.composite
def catalogs(draw):
    """Distinct papers (title key, abstract) and listings showing each one or more times, reprinted."""
    papers = draw(
        st.lists(
            st.tuples(_STEMS, _SYMBOLS, _REST, _SENTENCES),
            min_size=1,
            max_size=8,
            unique_by=lambda t: (title_key(f"{t[0]}{t[1]} {t[2]}"), t[3]),
        )
    )
    files: dict[str, list[str]] = {}
    for k, (stem, sym, rest, abstract) in enumerate(papers):
        title = f"{stem}{sym} {rest}"
        for name in draw(st.sets(st.sampled_from(["a.txt", "b.txt", "c.txt"]), min_size=1)):
            votes = draw(st.integers(0, 50))
            files.setdefault(name, []).append(
                "\n\n".join(
                    [
                        _reprint(title, draw(st.integers(0, 3))),
                        abstract,
                        meta(f"  • {k + 1} authors", f"Oct {k + 1}, 2025 {votes}"),
                    ]
                )
            )
    return papers, {n: "Daily Papers\n\nDec 10\n\n" + "\n\n".join(blocks) + "\n" for n, blocks in files.items()}


@settings(max_examples=60, deadline=None)
@given(catalogs())
def test_every_generated_paper_comes_out_once_with_its_fields(case):
    papers, files = case
    listings = [parse_listing(text, name) for name, text in sorted(files.items())]
    out, problems = build_catalog(listings)
    assert sorted((p.key, p.abstract_raw) for p in out) == sorted(
        (title_key(f"{s}{y} {r}"), a) for s, y, r, a in papers
    )
    assert all(p.authors and p.date and p.upvotes is not None for p in out)
    assert len({p.id for p in out}) == len(out)
    assert all("differs only in symbols" in p.message or "different abstract" in p.message for p in problems)
    renamed = [
        parse_listing(text, {"a.txt": "z.txt", "b.txt": "y.txt", "c.txt": "x.txt"}[name])
        for name, text in files.items()
    ]
    again, _ = build_catalog(renamed)
    assert sorted((p.key, p.abstract_raw, p.id) for p in again) == sorted((p.key, p.abstract_raw, p.id) for p in out)
