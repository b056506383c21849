"""Tests for generator/text.py: display text from LaTeX leftovers, merge keys, links, lead sentences."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.read.parse import parse_listing
from generator.text import display_segments, display_text, find_links, first_sentence, merge_key

# --- display text: the leftovers found in the seeds -------------------------------------------------


@pytest.mark.parametrize(
    "raw, shown",
    [
        (r"eval accuracy by up to 15\% while leaving", "eval accuracy by up to 15% while leaving"),
        (r"a model na\"ively trained in a supervised way", "a model naïvely trained in a supervised way"),
        (r"Maximum Intensity Projection~(MIP) as a loss", "Maximum Intensity Projection (MIP) as a loss"),
        (r"a framework called ``Brain-Diffuser''. In the first", "a framework called “Brain-Diffuser”. In the first"),
        (r"a small set of `output nodes' (attention heads)", "a small set of ‘output nodes’ (attention heads)"),
        (r"the sensitive periods, {\it viz} the transition", "the sensitive periods, viz the transition"),
        (r"We present TRC^{2} (Thalamically Routed)", "We present TRC² (Thalamically Routed)"),
        (r"AUC / log_{10}(Params)", "AUC / log₁₀(Params)"),
    ],
)
def test_seed_leftovers_show_as_the_author_meant(raw, shown):
    assert display_text(raw) == shown


def test_emphasis_becomes_an_italic_segment():
    raw = r"formulate this task as a {\em fMRI conditioned 3D object generation} problem by {\em a network}."
    assert display_segments(raw) == [
        ("formulate this task as a ", False),
        ("fMRI conditioned 3D object generation", True),
        (" problem by ", False),
        ("a network", True),
        (".", False),
    ]


@pytest.mark.parametrize(
    "raw, shown",
    [
        (r"\emph{deep} and \textit{wide}", "deep and wide"),
        (
            r"Erd\H{o}s, Schr{\"o}dinger, G\"{o}del, Fran\c{c}ois, na\"{\i}ve, \v{S}ebek",
            "Erdős, Schrödinger, Gödel, François, naïve, Šebek",
        ),
        (r"caf\'e, \`a la, se\~nor, \^ile", "café, à la, señor, île"),
        (r"Stra\ss e, {\o}re, \AA ngstr\"om", "Straße, øre, Ångström"),
        (r"R\&D costs \$5 for 10\% of \#1 and a\_b, set \{0,1\}", "R&D costs $5 for 10% of #1 and a_b, set {0,1}"),
        (r"see Fig.~3 and Section~2", "see Fig. 3 and Section 2"),
        (r"\texttt{torch} and \textsc{Bert}", "torch and Bert"),
    ],
)
def test_other_latex_leftovers(raw, shown):
    assert display_text(raw) == shown


@pytest.mark.parametrize(
    "raw",
    [
        "took ~58 seconds",
        "robustness of 1% ~ 4%",
        "gains (~5%)",
        "a range 1%~4%",
        "<script>alert('x')</script>",
        "[x](javascript:alert(1))",
        "{{ config }} and {% include x %}",
        "--- # heading | cell | *a* _b_ $d$",
        "quotes \"q\" and 'q'",
        "back\\slash and \\unknown{cmd}",
        "E_{param} stays",
        "a {brace} group",
    ],
)
def test_text_that_is_no_latex_leftover_is_kept_as_is(raw):
    assert display_text(raw) == raw


def test_urls_keep_tildes_and_lose_escapes():
    raw = r"Code at https://x.org/~me/a\_b and https://github.com/a/b~c. A tie~(here)."
    assert display_text(raw) == "Code at https://x.org/~me/a_b and https://github.com/a/b~c. A tie (here)."


_NO_LATEX = st.text(st.characters(exclude_characters="\\`~^_{"))


@settings(max_examples=150, deadline=None)
@given(_NO_LATEX)
def test_text_without_latex_characters_is_unchanged(raw):
    assert display_text(raw) == raw


@settings(max_examples=150, deadline=None)
@given(st.text())
def test_only_latex_emphasis_makes_italic_segments(raw):
    segments = display_segments(raw)
    if "\\" not in raw:
        assert not any(italic for _, italic in segments), "italic without any LaTeX command"
    assert all(isinstance(italic, bool) for _, italic in segments)
    assert all(text for text, _ in segments) or segments == [("", False)]


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                r"{\em ",
                "}",
                r"\%",
                "~",
                "``",
                "''",
                "`",
                "'",
                r"\"",
                "i",
                r"\i",
                "{",
                "^{2}",
                "_{1}",
                "https://a.io/",
                r"\_",
                " ",
                "x",
                "(",
                ")",
                r"\textbf{",
                r"\ss",
            ]
        ),
        max_size=30,
    ).map("".join)
)
def test_latex_like_soup_never_crashes(raw):
    assert isinstance(display_text(raw), str)
    find_links(raw)


# --- merge keys, links, first sentences ---------------------------------------------------------


@pytest.mark.parametrize(
    "a, b",
    [
        ("Continuous Thought Machines", "continuous  thought-machines!"),
        ("Du-IN: Discrete units", "Du IN Discrete Units"),
        ("Ｆｕｌｌ Width", "full width"),
        ("Νευρωνικά Δίκτυα", "νευρωνικά δίκτυα"),
    ],
)
def test_merge_key_ignores_case_punctuation_and_spacing(a, b):
    assert merge_key(a) == merge_key(b)


@pytest.mark.parametrize(
    "a, b", [("Über Learning", "Uber Learning"), ("Brain 3D", "Brain 2D"), ("深度学习", "深度學習")]
)
def test_merge_key_keeps_letters_apart(a, b):
    assert merge_key(a) != merge_key(b)


@pytest.mark.parametrize(
    "raw, links",
    [
        ("Code is available at https://github.com/LINs-lab/ERW.", ("https://github.com/LINs-lab/ERW",)),
        ("found here (https://wuw2019.github.io/R-AMT/).", ("https://wuw2019.github.io/R-AMT/",)),
        ("Scenes (http://algonauts.csail.mit.edu).", ("http://algonauts.csail.mit.edu",)),
        ("Project page: https://robonerf.github.io", ("https://robonerf.github.io",)),
        ("two: https://a.io/x, https://b.io/y; and https://a.io/x again", ("https://a.io/x", "https://b.io/y")),
        ("wiki https://en.wikipedia.org/wiki/Foo_(bar), fine", ("https://en.wikipedia.org/wiki/Foo_(bar)",)),
        (r"escaped https://github.com/a/my\_repo\%20x", ("https://github.com/a/my_repo%20x",)),
        (
            "bare github.com/org/repo and www.example.org/page.",
            ("https://github.com/org/repo", "https://www.example.org/page"),
        ),
        ("quoted ``https://q.io/a'' end", ("https://q.io/a",)),
        ("[x](javascript:alert(1)) <script>https</script> mailto:a@b.c http:// nothing", ()),
        ("no links at all", ()),
    ],
)
def test_find_links(raw, links):
    assert find_links(raw) == links


@settings(max_examples=150, deadline=None)
@given(st.text())
def test_links_are_web_urls_without_spaces(raw):
    for url in find_links(raw):
        assert re.match(r"https?://\S+$", url) and not url.endswith((".", ",", ";", ":"))


@pytest.mark.parametrize(
    "text, first",
    [
        ("We propose X. It works well.", "We propose X."),
        ("Models, e.g. BERT, fail. Why? We look.", "Models, e.g. BERT, fail."),
        ("As shown by Smith et al. Models fail. We look.", "As shown by Smith et al. Models fail."),
        ("One sentence without end", "One sentence without end"),
        ("Is it? Yes.", "Is it?"),
    ],
)
def test_first_sentence(text, first):
    assert first_sentence(text) == first


def test_first_sentence_cuts_long_sentences_at_a_word():
    cut = first_sentence("word " * 100, limit=23)
    assert cut == "word word word word…" and len(cut) <= 24


def test_literal_line_breaks_in_a_seed_like_abstract_display_as_spaces():
    path = Path(__file__).parent / "fixtures" / "listings" / "escaped_newlines.txt"
    [record] = parse_listing(path.read_text(encoding="utf-8"), path.name).records
    shown = display_text(record.abstract)
    assert "\\n" not in shown.replace("\\nabla", "").replace("\\nu", "")
    assert shown.startswith("The first paragraph ends here. The second paragraph was joined")
    assert "backslash-n. A third one too." in shown
    assert shown.endswith("We keep \\nabla and \\nu as LaTeX.")  # LaTeX commands that start with n stay
