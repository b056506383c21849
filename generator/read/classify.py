"""Read stage: telling a title from an abstract, line by line. Pure functions only.

Titles are short, rarely end with a period and are mostly in Title Case;
abstracts hold several sentences. ``label_segment`` weighs that evidence with
the listing's grammar (a title, then at most one abstract) to label a run of
lines between meta blocks.
"""

from __future__ import annotations

import re

_FULL_WIDTH = str.maketrans(".!?", "。！？")
_SENTENCE_END = re.compile(r"(?:[.!?][\"'”’)\]]?\s+|[。！？]\s*)(\S)")

ORPHAN_COST = 4.0
"""Cost of reading a line as an abstract with no title before it."""
NO_ABSTRACT_COST = 2.5
"""Cost of reading a line as a title with no abstract after it."""
CONTINUATION_COST = 0.0
"""Cost of reading a line as one more paragraph of the abstract before it, in a run of lines that a
meta block closes (the card's last paper owns every paragraph up to its meta block): no dearer than
an abstract after its title. Not below zero, or a run of such paragraphs could swallow a title."""
CLEAR_TITLE = (CONTINUATION_COST - NO_ABSTRACT_COST) / 2
"""Score below which a line after an abstract, just before a meta block, is read as the title of a paper
without abstract rather than as more of the abstract (-1.25; every seed title scores under -4)."""
LONE_TITLE_COST = 6.0
"""Cost of a title with neither abstract nor meta block, in a run of lines that a meta block closes:
only the last paper of the run gets the meta block, so an earlier title read as abstract-less lacks both.
High enough that a one-sentence abstract between a title and a meta block reads as that abstract."""

LENGTH_STEPS = ((80, -3.0), (150, -1.5), (250, -0.5), (500, 0.5), (1000, 1.5))
"""Line length (characters, below) -> score: seed titles are 20-200 characters, seed abstracts 600-2000;
the steps between 150 and 500 are small because long titles and short abstracts meet there."""
LONGEST_SCORE = 2.5
"""Score of a line of 1000 characters or more: only abstracts are that long."""
PERIOD_SCORE = 1.5
"""A final period: abstracts end with one, titles almost never do. A final ellipsis (``…``) counts
as one: listings cut long abstracts short with it ("... explains…"), never titles."""
WORD_END_SCORE = -1.0
"""A final letter or digit: the usual end of a title."""
OTHER_END_SCORE = -0.5
"""A final ``?``, ``)``, quote or symbol: titles end so more often than abstracts."""
SHORT_NO_PERIOD_SCORE = -1.0
"""A line under 250 characters without a final period is very likely a title."""
SENTENCE_SCORES = (-1.5, 0.5, 2.5, 3.5)
"""Sentence breaks inside the line (0, 1, 2, 3 or more): titles hold none, abstracts several."""
TITLE_CASE_SCORE = -1.0
"""Most words capitalised: 74% of seed titles, no seed abstract."""
SEVERAL_SENTENCES_FLOOR = 5.0
"""Several sentences ending in a period: no title looks like that, whatever its length."""
SHORT_NO_PERIOD_LENGTH = 250
"""Where ``SHORT_NO_PERIOD_SCORE`` stops applying (the longest seed titles stay below it)."""


def sentence_count(line: str, marks: str = ".!?") -> int:
    """Sentence boundaries inside a line: an end mark in ``marks``, then a capital (or a caseless letter).

    >>> sentence_count("We decode images. It works! See (Fig. 2).")
    2
    >>> sentence_count("Attention Is All You Need"), sentence_count("Do We Need It? A Study", ".")
    (0, 0)
    """
    return sum(
        1
        for m in _SENTENCE_END.finditer(line)
        if m.group(0)[0] in marks + marks.translate(_FULL_WIDTH)
        and (m.group(1).isupper() or (not m.group(1).isascii() and m.group(1).isalpha() and not m.group(1).islower()))
    )


def abstract_score(line: str) -> float:
    """How much a line looks like an abstract (>0) rather than a title (<0).

    Abstracts are long, hold several sentences and end with a period; titles
    are short, hold no sentence break (a question, ``"Do We? A Study"``, is
    allowed) and rarely end with a period.

    >>> abstract_score("Continuous Thought Machines") < 0
    True
    >>> abstract_score("We propose X. " * 30) > 0
    True
    >>> abstract_score("A " + "very long title of a paper " * 14 + "about brains") < 0
    True
    """
    n = len(line)
    score = next((s for limit, s in LENGTH_STEPS if n < limit), LONGEST_SCORE)
    end = line.rstrip()[-1:]
    period = end in ".。…"
    score += PERIOD_SCORE if period else WORD_END_SCORE if end.isalnum() else OTHER_END_SCORE
    score += SHORT_NO_PERIOD_SCORE if not period and n < SHORT_NO_PERIOD_LENGTH else 0.0
    sentences = sentence_count(line, ".!?" if period else ".")
    score += SENTENCE_SCORES[min(sentences, len(SENTENCE_SCORES) - 1)]
    score += TITLE_CASE_SCORE if _title_case(line) else 0.0
    if sentences >= 2 and period:
        score = max(score, SEVERAL_SENTENCES_FLOOR)
    return score


TITLE_CASE_MIN_WORDS = 3
"""Fewer words than this say nothing about case (``"fMRI Decoding"``)."""
TITLE_CASE_SHARE = 0.5
"""Share of capitalised words that makes a line Title Case (seed titles 74%, abstracts at most 19%)."""

_FIRST_LETTER = re.compile(r"(?<!\S)\S*?([^\W\d_])")
"""The first letter of each whitespace-separated word that has one."""


def _title_case(line: str) -> bool:
    """Whether most words start with a capital, as in ``"Continuous Thought Machines"``.

    Seed titles mostly do (74%); no seed abstract comes near (at most 19% of its words).

    >>> _title_case("Continuous Thought Machines"), _title_case("We decode images from fMRI.")
    (True, False)
    """
    letters = [c for c in _FIRST_LETTER.findall(line) if c.isalpha()]
    return len(letters) >= TITLE_CASE_MIN_WORDS and sum(map(str.isupper, letters)) >= TITLE_CASE_SHARE * len(letters)


def label_segment(lines: list[str], closed: bool = False) -> list[str]:
    """Label each text line ``T`` (title) or ``A`` (abstract), most plausibly.

    A paper is a title with at most one abstract after it; an abstract with
    no title before it is possible but costly, and so is a missing abstract.
    ``closed`` says a meta block follows the lines: then a title followed by
    another title is a paper with neither abstract nor meta block, which is
    rarer still (``LONE_TITLE_COST``), and lines after the last paper's abstract
    may be more paragraphs of it (``CONTINUATION_COST``; no title comes after them).
    Dynamic programming over four states, with back pointers, so it is linear
    in the number of lines.

    >>> label_segment(["Brain Decoding", "We decode images from fMRI. It works. Code soon."])
    ['T', 'A']
    >>> label_segment(["Brain Decoding", "Continuous Thought Machines"])
    ['T', 'T']
    >>> label_segment(["Brain Decoding", "We decode images from fMRI."], closed=True)
    ['T', 'A']
    >>> label_segment(["Brain Decoding", "We decode images. It works.", "Code is at x.org. It is free."], closed=True)
    ['T', 'A', 'A']
    """
    lone = LONE_TITLE_COST if closed else NO_ABSTRACT_COST
    # states: IDLE (no title waiting), OPEN (a title waiting for its abstract),
    # DONE (a title and its abstract), MORE (further paragraphs of that abstract; closed runs only)
    moves = {
        _IDLE: ((_OPEN, "T", 0.0), (_IDLE, "A", ORPHAN_COST)),
        _OPEN: ((_OPEN, "T", lone), (_DONE, "A", 0.0)),
        _DONE: ((_OPEN, "T", 0.0), (_IDLE, "A", ORPHAN_COST)) + (((_MORE, "A", CONTINUATION_COST),) if closed else ()),
        _MORE: ((_MORE, "A", CONTINUATION_COST),),
    }
    cost: dict[int, float] = {_IDLE: 0.0}
    back: list[dict[int, tuple[int, str]]] = []
    for line in lines:
        a = abstract_score(line)
        nxt: dict[int, float] = {}
        step: dict[int, tuple[int, str]] = {}
        for state, c in cost.items():
            for target, label, extra in moves[state]:
                c2 = c + extra + (a if label == "T" else -a)
                if target not in nxt or c2 < nxt[target]:
                    nxt[target], step[target] = c2, (state, label)
        cost = nxt
        back.append(step)
    final = {st: c + (NO_ABSTRACT_COST if st == _OPEN else 0.0) for st, c in cost.items()}
    state = min(final, key=lambda st: (final[st], st != _OPEN))  # a tie reads the last line as a title
    labels: list[str] = []
    for step in reversed(back):
        state, label = step[state]
        labels.append(label)
    return labels[::-1]


_IDLE, _OPEN, _DONE, _MORE = range(4)
