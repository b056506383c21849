"""Tests for generator/catalog.py: merging the seeds, merge rules, orphans, permanent ids."""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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
    assert (p.organization, p.authors, p.date, p.upvotes, p.listings) == \
        (Organization("SakanaAI", "Sakana AI"), None, dt.date(2025, 5, 8), 0, (S[0], S[2]))
    assert p.abstract_raw.startswith("Biological brains demonstrate complex neural activi")


def test_seed_paper_whose_meta_is_only_in_the_later_listing(seeds):
    p = seeds[2]["Configurable Foundation Models: Building LLMs from a Modular Perspective"]
    assert (p.organization, p.authors, p.date, p.upvotes, p.listings) == \
        (Organization("openbmb", "OpenBMB"), None, dt.date(2024, 9, 4), 2, (S[2], S[3]))
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
    assert all(p.date is None for p in papers[len(dated):])


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
    assert (p.title, p.upvotes, p.listings, p.line, problems) == \
        ("Brain-Diffuser: Scene Reconstruction", 9, ("a.txt", "b.txt"), 7, [])


def test_fields_are_filled_from_whichever_listing_has_them():
    bare = listing("a.txt", "Sparse Codes", ABSTRACT)
    org = listing("b.txt", "Sparse Codes", meta("SakanaAI Sakana AI", "Jan 3, 2024"))
    [p], problems = build_catalog([bare, org])
    assert (p.abstract_raw, p.organization, p.date, p.upvotes, p.listings) == \
        (ABSTRACT, Organization("SakanaAI", "Sakana AI"), dt.date(2024, 1, 3), 0, ("a.txt", "b.txt"))
    assert problems == []


def test_a_new_listing_merges_with_the_seeds(seeds):
    ctm_abstract = seeds[2]["Continuous Thought Machines"].abstract_raw
    new = listing("004_new.txt",
                  "continuous thought machines", ctm_abstract, meta("SakanaAI Sakana AI", "May 8, 2025 31"),
                  "A Paper Only Here", ABSTRACT, meta("  • 2 authors", "Nov 30"), header="Dec 1")
    papers, problems = build_catalog([read(p) for p in SEEDS] + [new])
    by_title = {p.title: p for p in papers}
    ctm = by_title["Continuous Thought Machines"]
    assert (ctm.upvotes, ctm.listings, ctm.date) == (31, (S[0], S[2], "004_new.txt"), dt.date(2025, 5, 8))
    assert by_title["A Paper Only Here"].date == dt.date(2026, 11, 30)
    assert len(papers) == 171 and problems == []


def test_explicit_year_wins_over_an_inferred_one_and_the_disagreement_is_reported():
    inferred = listing("a.txt", "Sparse Codes", ABSTRACT, meta("  • 2 authors", "May 3"),
                       "Other Paper", ABSTRACT, meta("  • 2 authors", "Jan 1, 2023"))
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
    assert (p.authors, p.date, p.upvotes, p.listings) == \
        (4, dt.date(2024, 6, 1), 5, ("abstract_only_block.txt", "no_meta.txt"))
    [problem] = problems  # the other abstract-only block has no paper to join
    assert (problem.file, problem.line) == ("abstract_only_block.txt", 27)
    assert problem.value.startswith("Organizations release many models")
    assert len(papers) == 3


def test_abstract_only_block_without_a_match_is_reported_not_dropped_silently():
    lone = listing("a.txt", "Lone Title", ABSTRACT, ABSTRACT.replace("thing", "other thing"))
    papers, problems = build_catalog([lone])
    assert [p.title for p in papers] == ["Lone Title"]
    assert [(p.file, p.line, p.message) for p in problems] == \
        [("a.txt", 11, "abstract with no title, and no paper has the same abstract")]


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


@pytest.mark.parametrize("title, slug", [
    ("Νευρωνικά δίκτυα για την όραση", "neuronika-diktua-gia-ten-orase"),
    ("深度学习的大脑解码", "shen-du-xue-xi-de-da-nao-jie-ma"),
    ("Élan vital: à la recherche des réseaux perdus", "elan-vital-a-la-recherche-des-reseaux-perdus"),
    ("🧠 🤖", "paper"),
    ("<script>alert('x')</script> | *Bold* {{ x }}", "script-alert-x-script-bold-x"),
])
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

_LINES = st.sampled_from(["·", "  • 3 authors", "May 22", "Feb 29", "Sep 30 27", "Jan 2, 2024 5", "SakanaAI Sakana AI",
                          "", "", "", "Title A", "title a!", "Title B", ABSTRACT, ABSTRACT.upper(), "🧠", "---"])


@settings(max_examples=100, deadline=None)
@given(st.lists(st.lists(st.one_of(_LINES, st.text(max_size=20)), max_size=25).map("\n".join),
                min_size=1, max_size=4))
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
