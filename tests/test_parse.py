"""Tests for generator/parse.py: the seeds, one fixture per hostile case, and generated listings."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.catalog import build_catalog
from generator.model import Organization
from generator.read.classify import CLEAR_TITLE, LONE_TITLE_COST
from generator.read.meta import UPVOTES_MAX, month_number, parse_date, parse_organization
from generator.read.parse import (
    HEADER_LINES,
    Listing,
    abstract_score,
    decode,
    label_segment,
    parse_listing,
)

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
FIXTURES = ROOT / "tests" / "fixtures" / "listings"
HEADER = (
    "new\n\nGet trending papers in your email inbox!\n\nSubscribe\n\nDaily Papers\n\n"
    "byAK and the research community\n\n"
)


def read(path: Path, captured: dt.date | None = None) -> tuple[Listing | None, list]:
    """Decode and parse one file the way the pipeline does; the decode problems come back apart."""
    text, problems = decode(path.read_bytes(), path.name)
    return (None if text is None else parse_listing(text, path.name, captured)), problems


def fixture(name: str, captured: dt.date | None = None) -> Listing:
    listing, problems = read(FIXTURES / name, captured)
    assert listing is not None
    return listing


def by_title(listing: Listing, start: str):
    [record] = [r for r in listing.records if r.title.startswith(start)]
    return record


def messages(listing: Listing) -> list[str]:
    return [p.message for p in listing.problems]


# --- seeds -----------------------------------------------------------------------------------


def test_seed_listings_read_cleanly():
    listings = [read(p) for p in SEEDS]
    assert [len(lst.records) for lst, _ in listings] == [39, 77, 70, 48]
    assert all(lst.problems == () and problems == [] for lst, problems in listings)


def test_seed_capture_dates_follow_latest_explicit_year():
    captured = {p.name[:3]: read(p)[0].captured for p in SEEDS}
    assert captured == {
        "000": dt.date(2025, 12, 10),
        "001": dt.date(2025, 10, 31),
        "002": None,
        "003": dt.date(2026, 4, 16),
    }


def test_seed_record_with_organization_and_yearless_date():
    lst, _ = read(ROOT / "seeds" / "000_d50e86dd121e9ce5.txt")
    r = by_title(lst, "Continuous Thought Machines")
    assert (r.line, r.organization, r.authors, r.date, r.date_text, r.upvotes) == (
        117,
        Organization("SakanaAI", "Sakana AI"),
        None,
        dt.date(2025, 5, 8),
        "May 8",
        0,
    )
    assert r.abstract.startswith("Biological brains demonstrate complex neural activi")


def test_seed_yearless_date_with_upvotes():
    lst, _ = read(ROOT / "seeds" / "000_d50e86dd121e9ce5.txt")
    r = by_title(lst, "Efficient Generative Model Training via Embedded Re")
    assert (r.line, r.authors, r.date, r.date_text, r.upvotes) == (197, 4, dt.date(2025, 4, 14), "Apr 14 2", 2)


def test_seed_explicit_year_with_upvotes():
    lst, _ = read(ROOT / "seeds" / "001_55d04869f91147e5.txt")
    r = by_title(lst, "NeRF-MAE")
    assert (r.line, r.authors, r.organization, r.date, r.upvotes, r.has_meta) == (
        29,
        6,
        None,
        dt.date(2024, 4, 1),
        2,
        True,
    )


def test_seed_paper_without_meta_between_papers_with_meta():
    lst, _ = read(ROOT / "seeds" / "001_55d04869f91147e5.txt")
    r = by_title(lst, "EntroPE")
    assert (r.has_meta, r.authors, r.date, r.upvotes) == (False, None, None, None)
    assert r.abstract.startswith("Transformer-based models have significantly advance")
    after = by_title(lst, "Principled Approaches for Extending Neural Architectures")
    assert (after.authors, after.date) == (7, dt.date(2025, 6, 12))


def test_seed_listing_without_meta_pairs_every_title_with_its_abstract():
    lst, _ = read(ROOT / "seeds" / "002_3337651eb4912f9a.txt")
    assert all(r.title and r.abstract and not r.has_meta for r in lst.records)
    assert [r.line for r in lst.records] == list(range(13, 13 + 4 * 70, 4))


# --- fixtures: meta blocks and dates ------------------------------------------------------------


def test_org_lines_give_handle_and_display_name():
    lst = fixture("org_line.txt")
    assert [r.organization for r in lst.records] == [
        Organization("SakanaAI", "Sakana AI"),
        Organization("openbmb", "OpenBMB"),
        Organization("google-deepmind", "Google DeepMind"),
        Organization("nvidia", "nvidia"),
    ]
    assert [r.authors for r in lst.records] == [None] * 4
    assert [(r.date, r.upvotes) for r in lst.records] == [
        (dt.date(2024, 2, 8), 1),
        (dt.date(2024, 9, 30), 27),
        (dt.date(2025, 1, 15), 3),
        (dt.date(2025, 2, 2), 0),
    ]
    assert lst.problems == ()


def test_yearless_dates_without_any_year_stay_unknown_and_are_reported():
    lst = fixture("yearless_dates.txt")
    assert [(r.date, r.date_text, r.upvotes) for r in lst.records] == [(None, "May 22", 0), (None, "Sep 30 27", 27)]
    [problem] = lst.problems
    assert (problem.file, problem.line, problem.value) == ("yearless_dates.txt", 19, "May 22")
    assert "capture date" in problem.message


def test_yearless_dates_take_the_configured_capture_year():
    lst = fixture("yearless_dates.txt", captured=dt.date(2025, 6, 20))
    assert [r.date for r in lst.records] == [dt.date(2025, 5, 22), None]
    assert lst.captured == dt.date(2025, 6, 20)
    [problem] = lst.problems  # Sep 30 lies after the capture date Jun 20
    assert (problem.line, problem.value) == (27, "Sep 30 27") and "after the capture date" in problem.message


def test_configured_capture_date_that_disagrees_with_the_page_is_reported():
    lst = fixture("yearless_dates.txt", captured=dt.date(2025, 12, 1))
    assert [r.date for r in lst.records] == [dt.date(2025, 5, 22), dt.date(2025, 9, 30)]
    [problem] = lst.problems
    assert (problem.line, problem.value) == (11, "Jun 20") and "differs" in problem.message


def test_listing_without_header_infers_capture_year_from_explicit_years():
    lst = fixture("no_header.txt")
    assert [(r.line, r.date) for r in lst.records] == [(1, dt.date(2024, 5, 22)), (9, dt.date(2025, 9, 30))]
    assert lst.captured is None and lst.problems == ()


def test_feb29_in_an_inferred_non_leap_year_is_reported_and_the_paper_kept():
    lst = fixture("feb29_nonleap.txt")
    first, leap, last = lst.records
    assert (first.title, first.authors, first.date, first.upvotes) == (
        "Sparse Codes in Recurrent Networks",
        3,
        None,
        12,
    )
    assert first.abstract.startswith("We study how sparse codes")
    assert leap.date == dt.date(2024, 2, 29) and last.date == dt.date(2024, 11, 3)
    [problem] = lst.problems
    assert (problem.file, problem.line, problem.value) == ("feb29_nonleap.txt", 19, "Feb 29 12")
    assert "impossible date" in problem.message and "2025" in problem.message


def test_yearless_date_after_the_capture_date_is_reported_not_guessed():
    lst = fixture("date_after_capture.txt")
    assert [r.date for r in lst.records] == [None, dt.date(2025, 3, 1)]
    assert lst.records[0].upvotes == 5
    [problem] = lst.problems
    assert (problem.line, problem.value) == (19, "Sep 30 5") and "2026-04-16" in problem.message


def test_title_followed_directly_by_its_meta_block():
    lst = fixture("title_then_meta.txt")
    assert [(r.title, r.abstract, r.authors, r.organization, r.date) for r in lst.records] == [
        ("A Paper Shown Without Its Abstract", "", 2, None, dt.date(2024, 3, 9)),
        ("Another One, Meta on the Next Line", "", 5, None, dt.date(2024, 4, 2)),
        (
            "An Organization Paper Without Abstract",
            "",
            None,
            Organization("SakanaAI", "Sakana AI"),
            dt.date(2024, 4, 3),
        ),
        ("Sparse Codes in Recurrent Networks", lst.records[3].abstract, 3, None, dt.date(2024, 5, 22)),
    ]
    assert lst.records[3].abstract.startswith("We study") and lst.problems == ()


def test_abstract_only_blocks_become_untitled_records():
    lst = fixture("abstract_only_block.txt")
    titled, with_meta, bare = lst.records
    assert titled.title == "Sparse Codes in Recurrent Networks" and titled.abstract.startswith("We study")
    assert (with_meta.title, with_meta.line, with_meta.authors, with_meta.upvotes) == ("", 21, 4, 5)
    assert with_meta.abstract.startswith("Decoding images from brain activity")
    assert (bare.title, bare.line, bare.has_meta) == ("", 27, False)


def test_an_abstract_in_paragraphs_is_one_abstract_and_a_page_break_ends_a_paper():
    lst = fixture("abstract_in_paragraphs.txt")
    sparse, cut, untitled = lst.records
    assert sparse.title == "Sparse Codes in Recurrent Networks" and (sparse.authors, sparse.date) == (
        3,
        dt.date(2024, 5, 22),
    )
    assert sparse.abstract.startswith("We study how sparse codes emerge")
    assert "confirm the theory. The second paragraph of the same abstract" in sparse.abstract
    assert sparse.abstract.endswith("for cortex. Code is at https://github.com/lab/sparse-codes.")
    assert (cut.title, cut.has_meta) == ("A Paper Without Meta Block", False) and cut.abstract.endswith("cut after it.")
    # the second page's first card lost its title: an abstract of its own, not more of the one above
    assert (untitled.title, untitled.authors, untitled.upvotes) == ("", 4, 5)
    assert untitled.abstract.startswith("Decoding images from brain activity")
    assert [(p.line, p.value) for p in lst.problems if "abstract above" in p.message] == [
        (19, "Code is at https://github.com/lab/sparse-codes.")
    ]


def test_iso_dates_and_an_upvote_count_under_the_date_read_like_the_usual_date_line():
    abstract = "We propose a method. It works on every benchmark. The code is public."
    text = (
        f"{HEADER}Dec 10\n\nFirst Paper\n\n{abstract}\n\n  • 3 authors\n·\nMay 22, 2024\n12\n\n"
        f"Second Paper\n\n{abstract}\n\n  • 2 authors\n·\n2025-02-28 1,204\n\n"
        f"Third Paper\n\n{abstract}\n\n  • 1 author\n·\n2023-02-30\n"
    )
    lst = parse_listing(text, "x.txt")
    assert [(r.title, r.date, r.upvotes) for r in lst.records] == [
        ("First Paper", dt.date(2024, 5, 22), 12),
        ("Second Paper", dt.date(2025, 2, 28), 1204),
        ("Third Paper", None, 0),
    ]
    # an ISO date always has its year, so only "May 22, 2024" tells the capture year: 2025
    assert lst.captured == dt.date(2025, 12, 10)
    [problem] = lst.problems
    assert "impossible date" in problem.message and problem.value == "2023-02-30"


def test_a_line_the_header_does_not_usually_hold_is_skipped_and_reported_not_made_a_paper():
    abstract = "We propose a method. It works on every benchmark. The code is public."
    header = HEADER.replace("Daily Papers", "Trending Papers")
    lst = parse_listing(f"{header}Dec 10\n\nA Paper\n\n{abstract}\n\n  • 3 authors\n·\nMay 22, 2024\n", "x.txt")
    assert [r.title for r in lst.records] == ["A Paper"] and lst.captured == dt.date(2025, 12, 10)
    assert [(p.line, p.value) for p in lst.problems] == [(7, "Trending Papers")]
    assert "no known header line" in lst.problems[0].message


def test_zero_width_characters_at_line_ends_are_dropped_and_a_line_of_them_is_blank():
    abstract = "We propose a method. It works on every benchmark. The code is public."
    text = f"{HEADER}Dec 10\n\nA Paper\u200b\n \u200b\u2060 \n{abstract}\ufeff\n\n  • 3 authors\n·\nMay 22, 2024\n"
    [record] = parse_listing(text, "x.txt").records
    assert (record.title, record.abstract, record.authors) == ("A Paper", abstract, 3)


@pytest.mark.parametrize(
    "line, authors", [("  • 1,024 authors", 1024), ("  • 12 Authors", 12), ("3 authors ·", 3), ("• 1 author", 1)]
)
def test_authors_lines_with_thousands_capitals_or_a_trailing_dot_are_authors_lines(line, authors):
    abstract = "We propose a method. It works on every benchmark. The code is public."
    lst = parse_listing(f"{HEADER}Dec 10\n\nA Paper\n\n{abstract}\n\n{line}\n·\nMay 22, 2024\n", "x.txt")
    [record] = lst.records
    assert (record.authors, record.organization, record.date, lst.problems) == (
        authors,
        None,
        dt.date(2024, 5, 22),
        (),
    )


def test_listing_without_meta():
    lst = fixture("no_meta.txt")
    assert [(r.line, r.title) for r in lst.records] == [
        (13, "Sparse Codes in Recurrent Networks"),
        (17, "Brain-Diffuser: Natural Scene Reconstruction from fMRI"),
        (21, "Why Do Language Models Fail at Arithmetic?"),
    ]
    assert all(r.abstract.endswith(".") and not r.has_meta for r in lst.records)
    assert lst.captured is None and lst.problems == ()


def test_broken_meta_blocks_are_reported_and_the_papers_kept():
    lst = fixture("broken_meta.txt")
    assert [r.title for r in lst.records] == [
        "Sparse Codes in Recurrent Networks",
        "Why Do Language Models Fail at Arithmetic?",
        "Brain-Diffuser: Natural Scene Reconstruction from fMRI",
        "Organizations Compared",
        "Sparse Codes Revisited",
    ]
    assert [(p.line, p.value) for p in lst.problems] == [
        (19, "Mya 22, 2024"),
        (25, "• many authors"),
        (34, "Mar 2, 2024 9"),
        (41, "Sparse Codes Revisited"),
    ]
    garbled, no_authors, no_dot, no_date, fine = lst.records
    assert (garbled.authors, garbled.date, garbled.date_text, garbled.upvotes) == (3, None, "Mya 22, 2024", None)
    assert (no_authors.authors, no_authors.date) == (None, dt.date(2024, 3, 1))
    assert (no_dot.authors, no_dot.date, no_dot.upvotes) == (4, dt.date(2024, 3, 2), 9)
    assert (no_date.authors, no_date.date, no_date.upvotes) == (2, None, None)
    assert (fine.authors, fine.date) == (6, dt.date(2024, 3, 4))


def test_middle_dot_inside_title_and_abstract_is_text():
    lst = fixture("dot_in_abstract.txt")
    [r] = lst.records
    assert r.title == "Sparse Codes · Recurrent Networks"
    assert r.abstract.startswith("We write a·b for the dot product · of two codes.")
    assert (r.authors, r.date, r.upvotes) == (3, dt.date(2025, 3, 1), 4)


def test_repeated_page_header_is_skipped_and_reported():
    lst = fixture("two_pages.txt")
    assert [(r.line, r.title, r.date) for r in lst.records] == [
        (13, "Sparse Codes in Recurrent Networks", dt.date(2024, 5, 22)),
        (33, "Why Do Language Models Fail at Arithmetic?", dt.date(2025, 9, 30)),
    ]
    [problem] = lst.problems
    assert (problem.line, problem.value) == (21, "new") and "page header" in problem.message


def test_header_lines_are_recognised_without_their_exact_case():
    lst = parse_listing(
        "NEW\n\nGet trending papers in your email inbox\n\ndaily papers\n\nDec 10\n\n"
        "A Title\n\nWe propose a method. It works. It is fast.\n",
        "a.txt",
    )
    assert [(r.line, r.title) for r in lst.records] == [(9, "A Title")] and lst.problems == ()


# --- fixtures: encodings and broken files ----------------------------------------------------------


@pytest.mark.parametrize("name", ["crlf.txt", "bom.txt"])
def test_crlf_and_bom_read_like_plain_utf8(name):
    lst, problems = read(FIXTURES / name)
    assert problems == [] and lst.problems == ()
    assert [(r.line, r.title, r.authors, r.date, r.upvotes) for r in lst.records] == [
        (13, "Sparse Codes in Recurrent Networks", 3, dt.date(2024, 5, 22), 2),
        (21, "Café Models for Naïve Bayes", 2, dt.date(2023, 1, 5), 0),
    ]
    assert not any("\r" in r.abstract or "\ufeff" in r.title for r in lst.records)


def test_windows_1252_is_decoded_and_reported():
    lst, problems = read(FIXTURES / "cp1252.txt")
    assert [r.title for r in lst.records] == [
        "Sparse Codes in Recurrent Networks",
        "Café Models for Naïve “Quoted” Bayes",
    ]
    assert [r.authors for r in lst.records] == [3, 2]
    [problem] = problems
    assert (problem.file, problem.line) == ("cp1252.txt", 17) and "Windows-1252" in problem.message
    assert problem.value == "• 3 authors"


def test_utf8_with_a_stray_windows_1252_byte_keeps_the_utf8():
    text, problems = decode("Naïve “x” · ".encode() + b"caf\xe9 bar", "mixed.txt")
    assert text == "Naïve “x” · café bar"
    assert [(p.line, p.value) for p in problems] == [(1, "Naïve “x” · café bar")]


def test_a_stray_nul_byte_does_not_make_a_listing_binary():
    data = (FIXTURES / "crlf.txt").read_bytes().replace(b"We study", b"We\x00study")
    text, problems = decode(data, "nul.txt")
    lst = parse_listing(text, "nul.txt")
    assert problems == [] and [r.authors for r in lst.records] == [3, 2]


def test_utf16_with_bom_is_read():
    text, problems = decode("Title · Ünï\r\n".encode("utf-16"), "u16.txt")
    assert (text, problems) == ("Title · Ünï\n", [])


def test_binary_file_is_skipped_and_reported():
    text, problems = decode((FIXTURES / "binary.bin").read_bytes(), "binary.bin")
    assert text is None
    assert [(p.file, p.line) for p in problems] == [("binary.bin", 0)] and "binary" in problems[0].message


@pytest.mark.parametrize(
    "name, message", [("empty.txt", "empty listing"), ("header_only.txt", "header only, no papers")]
)
def test_listing_without_papers_is_reported(name, message):
    lst = fixture(name)
    assert lst.records == () and messages(lst) == [message]


def test_truncated_listing_keeps_the_complete_papers():
    lst = fixture("truncated.txt")
    assert [(r.title, r.authors, r.date) for r in lst.records[:2]] == [
        ("Sparse Codes in Recurrent Networks", 3, dt.date(2024, 5, 22)),
        ("Café Models for Naïve Bayes", 2, dt.date(2023, 1, 5)),
    ]
    assert lst.records[2].title == "Why Do Language Models Fail at Arithmetic?"


def test_file_cut_inside_a_character_drops_it_and_reports():
    lst, problems = read(FIXTURES / "truncated_mid_character.txt")
    assert [r.title for r in lst.records[:3]] == [
        "Sparse Codes in Recurrent Networks",
        "Café Models for Naïve Bayes",
        "Zürich Models",
    ]
    assert "\ufffd" not in lst.records[-1].title and not any("Ã" in r.title for r in lst.records)
    [problem] = problems
    assert problem.line == 31 and "cut short" in problem.message


# --- fixtures: titles -------------------------------------------------------------------------------


def test_titles_of_400_characters_stay_titles():
    lst = fixture("long_title.txt")
    alone, with_abstract = lst.records
    assert len(alone.title) == 400 and alone.abstract == "" and alone.authors == 7
    assert len(with_abstract.title) == 400 and with_abstract.abstract.startswith("We study")


def test_unicode_titles_are_kept_exactly():
    lst = fixture("unicode_titles.txt")
    assert [r.title for r in lst.records] == [
        "Νευρωνικά δίκτυα για την όραση",
        "深度学习的大脑解码",
        "Élan vital: à la recherche des réseaux perdus",
        "🧠 🤖",
    ]
    assert [r.authors for r in lst.records] == [2, 3, 4, 5] and lst.problems == ()


def test_hostile_markup_is_kept_exactly_as_text():
    lst = fixture("hostile_markup.txt")
    raw = (FIXTURES / "hostile_markup.txt").read_text(encoding="utf-8").split("\n")
    first, dashes, heading = lst.records
    assert first.title == raw[12] and first.abstract == raw[14]
    assert "<script>alert('x')</script>" in first.title and "\\emph" in first.title
    assert "[x](javascript:alert(1))" in first.abstract and "{% include x %}" in first.abstract
    assert (dashes.title, dashes.has_meta) == ("---", False)
    assert [(p.line, p.value) for p in lst.problems] == [(21, "---")]  # a lone line: kept, but reported
    assert heading.title == "# Not a heading: {{ site.name }} {% raw %}" and heading.authors == 1


# --- fixtures: reading from the block sequence ------------------------------------------------------


def fields(listing: Listing) -> list[tuple]:
    return [
        (r.title, r.abstract[:24], r.authors, r.organization and r.organization.name, r.date, r.upvotes)
        for r in listing.records
    ]


def test_a_one_sentence_abstract_between_a_title_and_a_meta_block_is_the_abstract():
    lst = fixture("short_abstract.txt")
    assert fields(lst) == [
        ("Tiny Recursive Reasoners", "We show that a two-layer", 3, None, dt.date(2025, 10, 6), 12),
        ("Sparse Codes in Recurrent Networks", "Sparse coding in recurre", 2, None, dt.date(2026, 9, 30), 27),
    ]
    assert lst.records[0].abstract == "We show that a two-layer network solves Sudoku."
    assert lst.problems == ()


def test_an_abstract_cut_short_with_an_ellipsis_is_the_abstract_with_or_without_meta_blocks():
    """A listing copied from a page that cuts abstracts short ("...explains…"): each cut abstract,
    one sentence or less, belongs to the title above it; none is read as a title of its own."""
    lst = fixture("cut_abstracts.txt")
    assert [(r.title, " ".join(r.abstract.split()[-3:]), r.authors) for r in lst.records] == [
        ("Spiking Transformers for Event Cameras", "the accuracy of…", 3),
        ("Sparse Coding in Visual Cortex Revisited", "simple nonlinearity explains…", 2),
        ("Decoding Speech from Intracranial Recordings", "error rate of…", None),
        ("Grid Cells in Recurrent Networks", "spacing depends on…", None),
    ]
    assert lst.problems == ()


def test_a_submitter_line_is_no_organization_and_upvotes_may_carry_a_mark_or_a_word():
    """``Submitted by alice`` names who posted the paper: not the paper's organization (it used to
    become an organization "by alice" with a page of its own), so it is left out and reported,
    above or below the meta block. ``· 12 upvotes`` and ``▲ 7`` are upvote counts."""
    lst = fixture("submitter_and_votes.txt")
    assert [(r.title, r.authors, r.organization, r.date, r.upvotes) for r in lst.records] == [
        ("Grid Cells in Recurrent Networks", None, Organization("SakanaAI", "Sakana AI"), dt.date(2025, 1, 5), 12),
        ("Place Cells Without Grid Cells", 4, None, dt.date(2025, 1, 6), 7),
    ]
    assert [(p.line, p.value) for p in lst.problems] == [(11, "Submitted by alice"), (24, "Submitted by bob")]
    assert all("submitter line" in p.message for p in lst.problems)


def test_a_lab_listing_may_name_its_authors_write_dates_day_first_and_print_arxiv_ids():
    """A list of names is the paper's authors, counted and kept (it used to become an organization
    "Alice" named "Smith, Bob Jones, Carol White", with a page of its own; then the names were
    dropped); ``29 May 2023`` and ``May 29th, 2023`` are dates (they were unreadable, and the
    papers undated)."""
    lst = fixture("lab_meta_lines.txt")
    assert [(r.title, r.authors, r.organization, r.date) for r in lst.records] == [
        ("Grid Cells in Recurrent Networks", 3, None, dt.date(2025, 1, 5)),
        ("Place Cells Without Grid Cells", 4, None, dt.date(2023, 5, 29)),
        ("Third Paper On Memory", 2, None, dt.date(2023, 5, 29)),
    ]
    assert lst.records[0].author_names == ("Alice Smith", "Bob Jones", "Carol White")
    assert [r.author_names for r in lst.records[1:]] == [(), ()]
    # printed under its title, the arXiv id is the paper's (it used to become a paper, leaving the title alone)
    assert [r.arxiv_id for r in lst.records] == [None, None, "2401.01234"]
    assert lst.problems == ()


def test_an_arxiv_id_or_doi_belongs_to_the_paper_above_it_and_the_rest_is_reported():
    text = (
        "Daily Papers\n\nbyAK and the research community\n\nDec 10\n\n"
        "arXiv:2301.00001\n\n"  # no paper above it yet
        "First Paper\n\nWe study the first thing. It works well.\n\n  \u2022 2 authors\n\u00b7\nMay 2, 2024\n\n"
        "https://arxiv.org/abs/2401.00002v3\n\n"  # below the card's meta block: still the first paper's
        "arXiv:2401.00009\n\n"  # a second id for the same paper
        "Second Paper\n\ndoi:10.1000/xyz\n\nWe study the second thing. It works too.\n\n"
        "https://doi.org/10.1000/other\n"
    )
    lst = parse_listing(text, "ids.txt")
    assert [(r.title, r.arxiv_id, r.doi, r.abstract[:20]) for r in lst.records] == [
        ("First Paper", "2401.00002", None, "We study the first t"),
        ("Second Paper", None, "10.1000/xyz", "We study the second "),
    ]
    assert [(p.line, p.value, p.message) for p in lst.problems] == [
        (7, "arXiv:2301.00001", "identifier line (no paper above it); left out"),
        (19, "arXiv:2401.00009", "identifier line (the paper has another id); left out"),
        (27, "https://doi.org/10.1000/other", "identifier line (the paper has another DOI); left out"),
    ]


@pytest.mark.parametrize(
    ("view", "date_line", "captured"),
    [
        ("Weekly Papers", "Dec 4 - Dec 10", dt.date(2025, 12, 10)),
        ("Weekly Papers", "Week 50", None),
        ("Monthly Papers", "December 2025", None),
        ("", "Dec 10", dt.date(2025, 12, 10)),  # the page date alone: it was a paper titled "Dec 10"
    ],
)
def test_a_weekly_or_monthly_period_or_a_page_date_standing_alone_is_the_page_date(view, date_line, captured):
    """What such a page prints in place of its header and day used to be a paper of its own ("Week 50")."""
    abstract = "We study grid cells. They emerge in trained networks. The spacing is learned."
    header = HEADER.replace("Daily Papers", view) if view else ""
    text = f"{header}{date_line}\n\nA Paper\n\n{abstract}\n\n  • 3 authors\n·\nMay 22, 2024\n"
    lst = parse_listing(text, "x.txt")
    assert [r.title for r in lst.records] == ["A Paper"] and lst.problems == ()
    assert lst.captured == captured


def test_weekly_pages_pasted_one_after_another_skip_each_header_and_its_period():
    abstract = "We study grid cells. They emerge in trained networks. The spacing is learned."
    header = HEADER.replace("Daily Papers", "Weekly Papers")
    page = "{h}{week}\n\n{t}\n\n{a}\n\n  • 3 authors\n·\nMay 22, 2024\n\n"
    text = page.format(h=header, week="Week 50", t="A Paper", a=abstract) + page.format(
        h=header, week="Week 51", t="Another Paper", a=abstract.replace("grid", "place")
    )
    lst = parse_listing(text, "x.txt")
    assert [r.title for r in lst.records] == ["A Paper", "Another Paper"]  # no paper titled "Week 51"
    assert [p.value for p in lst.problems] == ["new"]  # the second page's header, as for daily pages


def test_a_monthly_page_that_prints_its_year_dates_papers_whose_dates_print_none():
    """A monthly page prints ``December 2025`` and then dates without a year (``Dec 3``): they lie in
    2025. Before, the year was unknown and every paper of such a listing lost its date."""
    abstract = "We study grid cells. They emerge in trained networks. The spacing is learned."
    header = HEADER.replace("Daily Papers", "Monthly Papers")
    lst = parse_listing(f"{header}December 2025\n\nA Paper\n\n{abstract}\n\n  • 3 authors\n·\nDec 3\n", "x.txt")
    assert [(r.title, r.date) for r in lst.records] == [("A Paper", dt.date(2025, 12, 3))]
    assert lst.problems == () and lst.captured is None


def test_titles_without_letters_are_titles():
    lst = fixture("punctuation_title.txt")
    assert [(r.title, r.abstract[:20], r.has_meta) for r in lst.records] == [
        ("???", "A title made only of", True),
        ("---", "Another paper is tit", True),
        ("2048", "A paper titled with ", True),
    ]
    assert lst.problems == ()


def test_a_title_wrapped_over_several_lines_is_one_title_with_its_lines_joined():
    lst = fixture("wrapped_title.txt")
    assert [(r.line, r.title, r.abstract[:20]) for r in lst.records] == [
        (
            7,
            "Continuous Thought Machines: Neural Dynamics as a Representation for Reasoning over Long Horizons",
            "Biological brains de",
        ),
        (16, "Wrapped Titles Over Three Lines", "An abstract follows "),
    ]
    assert [r.upvotes for r in lst.records] == [27, 0] and lst.problems == ()


def test_a_date_line_with_an_implausible_upvote_count_keeps_its_date_and_reports_the_count():
    lst = fixture("huge_upvotes.txt")
    assert [(r.title, r.date, r.upvotes) for r in lst.records] == [
        ("Upvotes Beyond Belief", dt.date(2025, 3, 3), 0),
        ("Ordinary Neighbour", dt.date(2025, 3, 4), 41),
    ]
    assert [(p.line, p.value) for p in lst.problems] == [(13, "Mar 3, 2025 99999999999")]
    assert "upvote" in lst.problems[0].message


def test_meta_lines_with_tabs_and_odd_spacing_read_as_the_usual_ones():
    lst = fixture("odd_spacing_meta.txt")
    assert fields(lst) == [
        ("Tabs In Meta Lines", "Meta lines written with ", 3, None, dt.date(2025, 10, 6), 12),
        ("Organization With Tabs", "An organization line wit", None, "Sakana AI", dt.date(2026, 9, 30), 27),
    ]
    assert lst.problems == ()


def test_html_character_references_are_decoded_reported_and_the_paper_merges_with_its_plain_printing():
    abstract = "We study Q&A with LLMs &mdash; and keep R&D, &foo; and 5 &lt; 6 apart. It works. Really."
    source = f"{HEADER}Dec 10\n\nQ&amp;A for Large Models\n\n{abstract}\n\n  • 3 authors\n·\nMay 22, 2024\n"
    text, problems = decode(source.encode(), "source.txt")
    plain = parse_listing(f"{HEADER}Dec 10\n\nQ&A for Large Models\n\n  • 3 authors\n·\nMay 22, 2024 4\n", "plain.txt")
    [paper], _ = build_catalog([parse_listing(text, "source.txt"), plain])
    assert paper.title == "Q&A for Large Models" and paper.upvotes == 4
    assert paper.abstract == "We study Q&A with LLMs — and keep R&D, &foo; and 5 < 6 apart. It works. Really."
    assert [(p.line, p.value) for p in problems] == [(13, "Q&amp;A for Large Models"), (15, abstract)]
    assert all("HTML character references decoded" in p.message for p in problems)


def test_mojibake_in_a_title_and_an_abstract_is_repaired_and_reported_per_line():
    lst, problems = read(FIXTURES / "mojibake.txt")
    [r] = lst.records
    assert r.title == "Café à la Transformer: Décoding Über-Long Contexts"
    assert r.abstract.startswith("We study attention in the café setting, where every token is a guest’s order.")
    assert r.abstract.endswith("It is also naïve.")
    assert [(p.file, p.line, p.value[:8]) for p in problems] == [
        ("mojibake.txt", 7, "CafÃ© Ã "),
        ("mojibake.txt", 9, "We study"),
    ]


@pytest.mark.parametrize(
    "date_line, upvotes",
    [("May 8, 2025 27", 27), ("May  8 ,  2025\t27", 27), ("May 8, 2025\t1.2k", 1200), ("May\t8,2025 1,204", 1204)],
)
def test_spacing_in_date_lines_does_not_matter(date_line, upvotes):
    lst = parse_listing(f"A Title\n\nWe study it. It works. Code soon.\n\n  •\t3 authors\n \t·\n{date_line}\n", "s.txt")
    [r] = lst.records
    assert (r.authors, r.date, r.upvotes, lst.problems) == (3, dt.date(2025, 5, 8), upvotes, ())


@pytest.mark.parametrize("rest", ["99999999999", "12 extra words", "lots"])
def test_a_date_line_is_a_date_line_whatever_follows_the_date(rest):
    lst = parse_listing(
        f"A Title\n\nWe study it. It works. Code soon.\n\n  • 3 authors\n·\nMay 8, 2025 {rest}\n", "s.txt"
    )
    [r] = lst.records
    assert (r.title, r.date, r.upvotes) == ("A Title", dt.date(2025, 5, 8), 0)
    assert [(p.line, p.value) for p in lst.problems] == [(7, f"May 8, 2025 {rest}")]


# --- units --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("May 29, 2023", ((5, 29), 2023, 0)),
        ("May 22", ((5, 22), None, 0)),
        ("Feb 8, 2024 1", ((2, 8), 2024, 1)),
        ("Sep 30 27", ((9, 30), None, 27)),
        ("Sept 3", ((9, 3), None, 0)),
        ("September 3, 2020 4", ((9, 3), 2020, 4)),
        ("Feb 30", ((2, 30), None, 0)),  # shape of a date; impossible dates are judged later
        ("Jan 3 1,204", ((1, 3), None, 1204)),
        ("May 2, 2024 1.2k", ((5, 2), 2024, 1200)),
        ("May", None),
        ("Mayo 3", None),
        ("May 2024", None),
        ("3 May", None),
        ("May ٣", None),
        ("", None),
    ],
)
def test_parse_date(text, expected):
    assert parse_date(text) == expected


def test_month_number_accepts_abbreviations_and_full_names_only():
    assert [month_number(w) for w in ("jan", "JUNE", "July", "Sept", "December", "Decem", "Ma")] == [
        1,
        6,
        7,
        9,
        12,
        None,
        None,
    ]


@pytest.mark.parametrize(
    "line, expected",
    [
        ("SakanaAI Sakana AI", Organization("SakanaAI", "Sakana AI")),
        ("openbmb OpenBMB", Organization("openbmb", "OpenBMB")),
        ("deepseek-ai DeepSeek", Organization("deepseek-ai", "DeepSeek")),
        ("Qwen", Organization("Qwen", "Qwen")),
        ("tsinghua.edu 清华大学", Organization("tsinghua.edu", "清华大学")),
        ("• 3 authors", None),
        ("·", None),
        ("-dash Name", None),
        ("A" * 200, None),
    ],
)
def test_parse_organization(line, expected):
    assert parse_organization(line) == expected


def test_abstract_score_separates_seed_titles_from_seed_abstracts():
    records = [r for p in SEEDS for r in read(p)[0].records]
    assert max(abstract_score(r.title) for r in records) < -1.0
    assert min(abstract_score(r.abstract) for r in records) > 2.0


def test_label_segment_pairs_titles_and_abstracts():
    a = (
        "We propose a method for decoding images from brain activity. It works on three datasets "
        "and beats two strong baselines. Code is public."
    )
    assert label_segment(["Title One", a, "Title Two", a]) == ["T", "A", "T", "A"]
    assert label_segment(["Title One", "Title Two", a]) == ["T", "T", "A"]
    assert label_segment(["Title One", a, a]) == ["T", "A", "A"]
    assert label_segment([a]) == ["A"]
    assert label_segment(["A Lone Title " * 30]) == ["T"]
    assert label_segment([]) == []


def test_label_segment_labels_every_block_of_a_long_segment():
    # How long it takes is for `make bench`; here: 20,000 blocks, each labelled right.
    lines = ["A Title", "We propose a method. It works well. Really it does."] * 10000
    assert label_segment(lines) == ["T", "A"] * 10000


# --- generated listings -------------------------------------------------------------------------

_TITLE_CHARS = st.sampled_from(
    list("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
    + list("αβγΔΩλμ深度学习脑éèüñçøÅ")
    + ["🧠", "🤖", "✨"]
    + list("<>[](){}|*_~$\\\"'#:-!?&%/+=@^`,;·•")
)
_VOCABULARY = [
    "Learning",
    "Neural",
    "Brain",
    "Decoding",
    "Models",
    "fMRI",
    "Transformer",
    "Sparse",
    "Codes",
    "a",
    "of",
    "the",
    "for",
    "in",
    "with",
    "via",
    "and",
    "Towards",
    "Do",
    "We",
    "Need",
    "Is",
    "All",
    "You",
    "Attention?",
    "Graph",
    "3D",
    "2024",
    "LLMs",
    "Ünïcödé",
    "Νευρωνικά",
    "δίκτυα",
    "深度学习",
    "Élan",
    "café",
    "🧠",
    "🤖",
    "<script>",
    "</script>",
    "[x](javascript:alert(1))",
    "{{",
    "}}",
    "{%",
    "%}",
    "---",
    "#",
    "|",
    "*",
    "_",
    "~",
    "$",
    "\\emph",
    '"quoted"',
    "'single'",
    "`tick'",
    "``q''",
    "15\\%",
    'na\\"ively',
    "~(MIP)",
    "e.g.",
    "U.S.",
    "(ours)",
    "https://x.io/a",
]
_WORD = st.one_of(st.sampled_from(_VOCABULARY), st.text(_TITLE_CHARS, min_size=1, max_size=10))
_PLAIN_WORDS = _VOCABULARY[:30] + ["model", "data", "results", "we", "show", "is", "it", "x2"]
_PLAIN_WORD = st.sampled_from(_PLAIN_WORDS)


def _is_title(title: str) -> bool:
    """A generated title must look like a title and nothing else the grammar knows."""
    return (
        len(title) < 250
        and not title.endswith((".", "。"))
        and title not in HEADER_LINES
        and parse_date(title) is None
        and not title.startswith(("•", "·"))
        and not re.fullmatch(r"(?i)[-*•·]?\s*[0-9][0-9,]*\s+authors?(\s*[•·])?", title)
    )


def _seed_texts() -> tuple[list[str], list[str]]:
    """Real titles and abstracts, as the seeds print them."""
    lines = [line.strip() for p in SEEDS for line in p.read_text(encoding="utf-8").split("\n")]
    return [
        t
        for t in lines
        if 0 < len(t) < 250
        and not t.endswith(".")
        and t not in HEADER_LINES
        and parse_date(t) is None
        and t[0] not in "•·"
    ], [a for a in lines if len(a) > 1000]


SEED_TITLES, SEED_ABSTRACTS = _seed_texts()
_SYMBOL_TITLES = st.text(st.sampled_from(list("-*#!?:;~=+()[]<>|/&%@^_,—…")), min_size=1, max_size=8).filter(_is_title)
"""Titles with no letters or digits: ``---``, ``???``, ``(*)``."""
_SYMBOL_VARIANTS = (
    st.tuples(
        st.sampled_from(["C", "F", "Go", "X", "Q"]),
        st.sampled_from(["", "+", "++", "#", "*"]),
        st.lists(_WORD, min_size=1, max_size=6).map(" ".join),
    )
    .map(lambda t: f"{t[0]}{t[1]} for {t[2]}")
    .filter(_is_title)
)
"""Titles that may differ only in symbols: ``C++ for X``, ``C# for X``, ``C for X``."""
titles = st.one_of(
    st.lists(_WORD, min_size=1, max_size=30).map(" ".join).filter(_is_title),
    st.sampled_from(SEED_TITLES),
    _SYMBOL_TITLES,
    _SYMBOL_VARIANTS,
)


@st.composite
def wrappings(draw, title: str) -> list[str]:
    """A title printed over two or three lines, broken at single spaces (joined back, it is the title)."""
    cuts = [k for k in range(1, len(title) - 1) if title[k] == " " and title[k - 1] != " " != title[k + 1]]
    chosen = sorted(draw(st.sets(st.sampled_from(cuts), max_size=2))) if cuts else []
    pieces = [title[a + (a > 0) : b] for a, b in zip([0] + chosen, chosen + [len(title)])]
    ok = all(_is_title(p) and p == p.strip() and abstract_score(p) < 0 for p in pieces)
    return pieces if ok else [title]


_SHORT_WORDS = st.lists(
    st.sampled_from(
        [
            "a",
            "of",
            "the",
            "for",
            "in",
            "with",
            "via",
            "and",
            "model",
            "data",
            "results",
            "we",
            "show",
            "is",
            "it",
            "x2",
            "fMRI",
            "3D",
        ]
    ),
    min_size=2,
    max_size=10,
)
short_abstracts = st.tuples(st.sampled_from(["We", "This", "Our", "A", "It"]), _SHORT_WORDS).map(
    lambda t: f"{t[0]} {' '.join(t[1])}."
)
"""One-sentence abstracts: ``We show model data results.``"""
clear_titles = titles.filter(lambda t: abstract_score(t) < CLEAR_TITLE and "://" not in t)
"""Titles that cannot be read as one more paragraph of the abstract before them (every seed title)."""
sure_titles = titles.filter(lambda t: abstract_score(t) < -LONE_TITLE_COST / 2)
"""Titles that cannot be read as the abstract of a title without one before them, in a run a meta
block closes (every seed title): reading them so would save more than ``LONE_TITLE_COST``."""


@st.composite
def abstracts(draw, min_sentences: int = 3) -> str:
    """Several sentences of vocabulary words, one of them with a random word, ending in a period."""
    sentences = []
    for _ in range(draw(st.integers(min_sentences, 8))):
        first = draw(st.sampled_from("ABCDEFGHIJKLMNOPQRSTUVWXYZ")) + draw(_PLAIN_WORD)
        rest = draw(st.lists(st.sampled_from(_VOCABULARY + _PLAIN_WORDS), min_size=4, max_size=18))
        sentences.append([first, *rest])
    sentences[draw(st.integers(0, len(sentences) - 1))].insert(1, draw(_WORD))
    return " ".join(" ".join(words).rstrip(".") + "." for words in sentences)


def _capitalised(text: str) -> bool:
    """Whether half the words or more start with a capital letter (their first letter, if any)."""
    firsts = [next(c for c in w if c.isalpha()) for w in text.split() if any(c.isalpha() for c in w)]
    return sum(map(str.isupper, firsts)) >= len(firsts) / 2


CUT_MIN = 80
"""Fewest characters a page shows of an abstract it cuts short: "We a a…" could be a title."""
cut_abstracts = (
    st.tuples(abstracts(min_sentences=2), st.integers(CUT_MIN, 300))
    .map(lambda t: (t[0][: t[1]] + t[0][t[1] :].split(" ", 1)[0]).rstrip(".,") + "…")
    .filter(lambda a: not _capitalised(a))
)
"""Abstracts cut short after ``CUT_MIN`` to 300 characters, as a page shows them: ``We show model data…``.
In sentence case: with no sentence end left, a run of capitalised words reads as a title."""


handles = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9._-]{0,20}", fullmatch=True)
IDENTIFIER_LINES = {
    "arXiv:2401.01234": "2401.01234",
    "https://arxiv.org/abs/2401.01234v2": "2401.01234",
    "https://arxiv.org/pdf/2505.05522.pdf": "2505.05522",
    "doi:10.1000/xyz": "doi 10.1000/xyz",
    "https://doi.org/10.1038/s41586-020-2649-2": "doi 10.1038/s41586-020-2649-2",
}
"""Identifier lines a lab's listing may print under a title, and the arXiv id or DOI each gives the paper."""
person_names = st.lists(
    st.tuples(
        st.sampled_from(["Alice", "Bob", "J.", "Jean-Luc", "Zoë", "Wei", "Ana María"]),
        st.sampled_from(["Smith", "O'Neil", "van der Berg", "McDonald", "Li", "García"]),
    ).map(" ".join),
    min_size=2,
    max_size=6,
)
"""People named on an authors line, as a lab's own listing may print them."""
display_names = st.lists(
    st.text(st.sampled_from(list("AIbcdeLabsMetaGoogle深度éÜ&.-")), min_size=1, max_size=10), min_size=1, max_size=4
).map(" ".join)


@dataclass
class Meta:
    authors: int | None
    org: Organization | None
    month_day: tuple[int, int]
    year: int | None
    upvotes: int | None
    singular: bool = False

    space: str = " "
    """What the listing prints between the words of its meta lines (tabs, runs of spaces)."""
    iso: bool = False
    """The date as ``2024-05-22`` (needs a year; says nothing of the capture year)."""
    votes_below: bool = False
    """The upvote count on a line of its own under the date line (a plausible one)."""
    votes_format: str = "{}"
    """How the upvote count is printed: ``12``, ``· 12``, ``12 upvotes``, ``▲ 12``."""
    submitter: str | None = None
    """A ``Submitted by <handle>`` line above the block, or none."""
    names: tuple[str, ...] = ()
    """The authors named (``Alice Smith, Bob Li and Wei García``) rather than counted."""
    style: str = "month first"
    """How a date that is not ISO is written: ``May 22, 2024``, ``22 May 2024`` (day first) or ``May 22nd, 2024``."""

    def lines(self) -> list[str]:
        if self.org:
            first = self.org.id if self.org.name == self.org.id else f"{self.org.id} {self.org.name}"
        elif self.names:
            first = ", ".join(self.names[:-1]) + " and " + self.names[-1]
        else:
            first = f"  • {self.authors:,} author" + ("" if self.singular else "s")  # 1,024 authors
        above = [f"Submitted by {self.submitter}"] if self.submitter else []
        below = [self.votes_format.format(self.upvotes)] if self.votes_below else []
        return [*above, first.replace(" ", self.space), "·", self.date_text.replace(" ", self.space), *below]

    @property
    def date_text(self) -> str:
        """The date line as printed."""
        if self.iso:
            text = f"{self.year:04d}-{self.month_day[0]:02d}-{self.month_day[1]:02d}"
        else:
            month, day = dt.date(2000, self.month_day[0], 1).strftime("%b"), self.month_day[1]
            if self.style == "day first":
                text = f"{day} {month}" + (f" {self.year}" if self.year else "")
            else:
                suffix = {1: "st", 2: "nd", 3: "rd"}.get(day % 10 if day // 10 != 1 else 0, "th")
                text = f"{month} {day}{suffix if self.style == 'ordinal' else ''}" + (
                    f", {self.year}" if self.year else ""
                )
        votes = self.votes_format.format(self.upvotes) if self.plausible else str(self.upvotes)
        return text + (f" {votes}" if self.upvotes is not None and not self.votes_below else "")

    @property
    def plausible(self) -> bool:
        """Whether the upvote count is one a page could show."""
        return self.upvotes is None or self.upvotes <= UPVOTES_MAX


@st.composite
def metas(draw, capture: dt.date) -> Meta:
    names: tuple[str, ...] = ()
    if draw(st.integers(0, 5)) == 0:
        names = tuple(draw(person_names))
        org, authors = None, len(names)
    elif draw(st.booleans()):
        org, authors = None, draw(st.one_of(st.integers(1, 300), st.integers(1000, 5000)))
    else:
        handle = draw(handles)
        org, authors = Organization(handle, draw(st.one_of(st.just(handle), display_names))), None
    year = draw(st.one_of(st.none(), st.integers(capture.year - 30, capture.year - 1)))
    if year is None:  # a year-less date lies on or before the capture day
        day = draw(st.dates(dt.date(capture.year, 1, 1), capture))
        month_day = (day.month, day.day)
    else:
        month_day = (draw(st.integers(1, 12)), draw(st.integers(1, 28)))
    upvotes = draw(st.one_of(st.none(), st.integers(0, 5000), st.integers(UPVOTES_MAX + 1, 10**15)))
    space = draw(st.sampled_from([" "] * 6 + ["\t", "  ", " \t "]))
    return Meta(
        authors,
        org,
        month_day,
        year,
        upvotes,
        singular=authors == 1 and draw(st.booleans()),
        space=space,
        iso=year is not None and draw(st.booleans()),
        votes_below=upvotes is not None and upvotes <= UPVOTES_MAX and draw(st.booleans()),
        votes_format=draw(st.sampled_from(["{}"] * 5 + ["· {}", "{} upvotes", "▲ {}"])),
        submitter=draw(st.one_of(st.none(), st.none(), st.none(), handles)),
        names=names,
        style=draw(st.sampled_from(["month first"] * 4 + ["day first"] * (year is not None) + ["ordinal"])),
    )


@st.composite
def listings(draw):
    """A listing in the grammar of the seeds, and the records it must give back.

    Returns the text, the capture date, whether the text has a header,
    whether the capture date is to be stated to the reader, and the papers.
    """
    capture = draw(st.dates(dt.date(2001, 1, 1), dt.date(2035, 12, 31)))
    header, state_capture = draw(st.booleans()), draw(st.booleans())
    papers, prev_open, prev_lone, prev_cut = [], False, False, False  # open: abstract, no meta; lone: neither
    kinds = ["full", "full", "full", "no_abstract", "orphan", "short", "wrapped", "paragraphs", "cut"]
    for _ in range(draw(st.integers(0, 8))):
        kind = draw(st.sampled_from(kinds))
        # after a title with neither abstract nor meta block, a short abstract or another such title
        # is told from an abstract by its score alone: "e.g. Learning" reads as one. And after an abstract
        # cut short ("… data…"), an abstract without title would make the cut one read as a title
        if kind == "orphan" and (not prev_open or prev_cut) or kind in ("short", "cut", "no_abstract") and prev_lone:
            kind = "full"
        # after a paper without meta block, a title must read as one, not as more of that abstract,
        # nor, after a title with neither abstract nor meta block, as the abstract of that title
        title = "" if kind == "orphan" else draw(clear_titles if prev_open else sure_titles if prev_lone else titles)
        abstract = (
            ""
            if kind == "no_abstract"
            else draw(short_abstracts)
            if kind == "short"
            else draw(cut_abstracts)
            if kind == "cut"
            else draw(st.one_of(abstracts(min_sentences=4 if kind == "orphan" else 3), st.sampled_from(SEED_ABSTRACTS)))
        )
        paragraphs = [abstract]
        if kind == "paragraphs":  # more paragraphs: whole ones, then perhaps a short sentence ("Code is at ...")
            paragraphs += draw(st.lists(abstracts(), max_size=2))
            paragraphs += draw(st.lists(st.one_of(short_abstracts, st.just("Code: https://x.io/a")), max_size=1))
            if len(paragraphs) == 1:
                paragraphs.append(draw(short_abstracts))
        if kind == "orphan":  # with a meta block, it would be read as a second paragraph of the paper before
            meta = None
        elif kind in ("short", "paragraphs"):
            meta = draw(metas(capture))
        else:
            meta = draw(st.one_of(st.none(), metas(capture)))
        wrap = draw(wrappings(title)) if kind == "wrapped" else [title]
        papers.append(
            dict(
                title=title,
                abstract=" ".join(paragraphs),
                paragraphs=paragraphs,
                meta=meta,
                adjacent=draw(st.booleans()),
                wrap=wrap,
                ident=draw(st.sampled_from([""] * 6 + [*IDENTIFIER_LINES])) if abstract and title else "",
            )
        )
        prev_open = bool(abstract) and meta is None
        prev_lone = not abstract and meta is None
        prev_cut = kind == "cut"
    explicit = [p["meta"] for p in papers if p["meta"] and p["meta"].year and not p["meta"].iso]
    if explicit and not state_capture:  # the page prints years only before the capture year
        max(explicit, key=lambda m: m.year).year = capture.year - 1
    view = draw(st.sampled_from(["daily"] * 4 + ["range", "week", "month", "bare"])) if header else "daily"
    odd = draw(st.sampled_from(["", "", "", "Trending Papers", "Papers of the week"])) if view != "bare" else ""
    odd = odd if header else ""
    text = _render(papers, capture if header else None, odd, view) + draw(st.sampled_from(["", "\n", "\n\n"]))
    return text, capture, header and view, state_capture, papers, odd


def _render(papers: list[dict], page_date: dt.date | None, odd: str = "", view: str = "daily") -> str:
    """The listing text of generated papers; sets each paper's expected ``line``.

    ``odd``: a line no header holds, printed in the header after "Subscribe" (another view of the page).
    ``view``: the daily page (dated ``Dec 10``), or a weekly one dated by its days (``range``: ``Dec 4 - Dec 10``)
    or its number (``week``: ``Week 49``), or a monthly one (``month``: ``December``, with the year);
    ``bare``: the daily page's date alone, its fixed header lines left out of the copy.
    """
    header = HEADER.replace("Subscribe\n\n", f"Subscribe\n\n{odd}\n\n") if odd else HEADER
    if view == "bare":
        header = ""
    elif view != "daily":
        header = header.replace("Daily Papers", "Monthly Papers" if view == "month" else "Weekly Papers")
    if page_date:
        start = page_date - dt.timedelta(days=6)
        date_line = {
            "daily": f"{page_date:%b} {page_date.day}",
            "bare": f"{page_date:%b} {page_date.day}",
            "range": f"{start:%b} {start.day} - {page_date:%b} {page_date.day}",
            "week": f"Week {page_date.isocalendar().week}",
            "month": f"{page_date:%B %Y}",
        }[view]
    lines: list[str] = (header + f"{date_line}\n").split("\n") if page_date else []
    for paper in papers:
        if lines and lines[-1] != "":
            lines.append("")
        paper["line"] = len(lines) + 1
        lines += [*paper["wrap"], ""] if paper["title"] else []
        lines += [paper["ident"], ""] if paper["ident"] else []
        lines += [line for paragraph in paper["paragraphs"] for line in (paragraph, "")] if paper["abstract"] else []
        if paper["meta"]:
            if not paper["abstract"] and paper["adjacent"]:
                lines.pop()  # title followed directly by its meta block
            lines += paper["meta"].lines()
    return "\n".join(lines)


def _expected_year(capture: dt.date, expected: list[dict], state_capture: bool) -> int | None:
    years = [e["meta"].year for e in expected if e["meta"] and e["meta"].year and not e["meta"].iso]
    return capture.year if state_capture else (max(years) + 1 if years else None)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(listings(), st.booleans())
def test_generated_listings_read_back_exactly(case, crlf):
    text, capture, header, state_capture, expected, odd = case  # header: the view of the page, or ""
    lst = parse_listing(text.replace("\n", "\r\n") if crlf else text, "gen.txt", capture if state_capture else None)
    year = _expected_year(capture, expected, state_capture or header == "month")  # "December 2025" gives the year
    got = [
        (r.line, r.title, r.abstract, r.has_meta, r.authors, r.organization, r.date_text, r.upvotes, r.author_names)
        + (r.arxiv_id or (r.doi and f"doi {r.doi}"),)
        for r in lst.records
    ]
    want = [
        (
            e["line"],
            e["title"],
            e["abstract"],
            e["meta"] is not None,
            e["meta"] and e["meta"].authors,
            e["meta"] and e["meta"].org,
            e["meta"].date_text if e["meta"] else "",
            ((e["meta"].upvotes or 0) if e["meta"].plausible else 0) if e["meta"] else None,
            tuple(e["meta"].names) if e["meta"] else (),
            IDENTIFIER_LINES.get(e["ident"]),
        )
        for e in expected
    ]
    assert got == want
    dates = [r.date for r in lst.records]
    want_dates = [
        None
        if not e["meta"]
        else dt.date(e["meta"].year or year, *e["meta"].month_day)
        if (e["meta"].year or year)
        else None
        for e in expected
    ]
    assert dates == want_dates
    yearless = any(e["meta"] and e["meta"].year is None for e in expected)
    want_messages = [] if expected else ["header only, no papers" if header else "empty listing"]
    want_messages += ["no known header line"] if odd else []
    want_messages += [
        "title with neither abstract nor meta block"
        for e in expected
        if e["title"] and not e["abstract"] and not e["meta"]
    ]
    want_messages += [
        "upvote count is not a plausible number" for e in expected if e["meta"] and not e["meta"].plausible
    ]
    want_messages += ["submitter line" for e in expected if e["meta"] and e["meta"].submitter]
    want_messages += [
        "short line read as more of the abstract above it"
        for e in expected
        for paragraph in e["paragraphs"][1:]
        if abstract_score(paragraph) < 0
    ]
    if year is None and yearless:
        want_messages.append("date(s) without a year")
    unmatched = messages(lst)
    for want in want_messages:  # each expected problem is one of the problems, and none is left over
        found = next((m for m in unmatched if want in m), None)
        assert found, f"no problem says {want!r}: {messages(lst)}"
        unmatched.remove(found)
    assert not unmatched
    if header:  # a page dated by its day (not "Week 49", "December 2025") gives the capture day
        dated = state_capture or header in ("daily", "range", "bare")
        assert lst.captured == (
            capture if state_capture else dt.date(year, capture.month, capture.day) if year and dated else None
        )


_FRAGMENTS = st.sampled_from(
    [
        "·",
        "  • 3 authors",
        "• x authors",
        "May 22",
        "Feb 29",
        "Feb 30, 2023 4",
        "Sep 30 27",
        "SakanaAI Sakana AI",
        "",
        "",
        "new",
        "Daily Papers",
        "Dec 10",
        "Title",
        "We propose X. It works. Really.",
        "\r",
        "\ufeff",
        "\x00",
    ]
)


@settings(max_examples=150, deadline=None)
@given(
    st.one_of(st.text(), st.lists(st.one_of(_FRAGMENTS, st.text(max_size=30)), max_size=40).map("\n".join)),
    st.one_of(st.none(), st.dates()),
)
def test_any_text_parses_without_crashing(text, captured):
    lst = parse_listing(text, "any.txt", captured)
    n_lines = text.count("\n") + text.count("\r") + 1
    assert all(p.file == "any.txt" and 0 <= p.line <= n_lines for p in lst.problems)
    assert all(1 <= r.line <= n_lines and (r.title or r.abstract) for r in lst.records)
    assert lst.records or lst.problems


@settings(max_examples=150, deadline=None)
@given(
    st.one_of(
        st.binary(),
        st.text().map(lambda t: t.encode("utf-8", "surrogatepass")),
        st.text().map(lambda t: t.encode("cp1252", "ignore")),
    )
)
def test_any_bytes_decode_without_crashing(data):
    text, problems = decode(data, "any.bin")
    assert text is None or ("\r" not in text and not text.startswith("\ufeff"))
    assert all(p.file == "any.bin" for p in problems)
    if text is not None:
        assert not any(0xDC80 <= ord(c) <= 0xDCFF for c in text)
        parse_listing(text, "any.bin")


@settings(max_examples=100, deadline=None)
@given(st.text(st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"])))
def test_clean_utf8_decodes_to_itself_unless_a_line_is_mojibake_or_holds_html_references(text):
    decoded, problems = decode(text.encode("utf-8"), "clean.txt")
    want = text.removeprefix("\ufeff").split("\n")
    got = decoded.split("\n")
    changed = [k + 1 for k, (a, b) in enumerate(zip(want, got)) if a != b]
    assert len(got) == len(want)
    assert [(p.line, p.value) for p in problems] == [(k, want[k - 1].strip()) for k in changed]
    assert all("mojibake" in p.message or "HTML character references" in p.message for p in problems)


@pytest.mark.parametrize(
    "line, repaired",
    [
        ("CafÃ© Ã  la Transformer", "Café à la Transformer"),
        ("the guestâ€™s order", "the guest’s order"),
        ("ÃœBER-Long Contexts", "ÜBER-Long Contexts"),
    ],
)
def test_mojibake_is_repaired_and_reported_on_its_line(line, repaired):
    decoded, problems = decode(f"Daily Papers\n\nok line\n{line}\n".encode(), "m.txt")
    assert decoded.split("\n")[3] == repaired
    assert [(p.file, p.line, p.value) for p in problems] == [("m.txt", 4, line)]


@pytest.mark.parametrize(
    "line",
    [
        "Élan vital: à la recherche",
        "深度学习的大脑解码",
        "Νευρωνικά δίκτυα",
        "🧠 🤖",
        "Café Models for Naïve “Quoted” Bayes",
        "Erdős–Rényi graphs, 15 °C, µ-law, ±3σ",
    ],
)
def test_clean_non_ascii_text_is_not_taken_for_mojibake(line):
    assert decode(line.encode("utf-8"), "u.txt") == (line, [])
