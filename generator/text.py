"""Pure text helpers: display text from LaTeX leftovers, merge keys, links.

Display text is kept as *segments*, ``(text, italic)`` pairs, so that a
renderer can escape every piece and add emphasis itself: no input is ever
trusted as markup.
"""
from __future__ import annotations

import re
import unicodedata

Segment = tuple[str, bool]

_EMPH = re.compile(r"\{\\(?:em|it|textit|emph|bf|textbf)\s+([^{}]*)\}|\\(?:emph|textit|textbf)\{([^{}]*)\}")
_ACCENTS = {'"': "\u0308", "'": "\u0301", "`": "\u0300", "^": "\u0302", "~": "\u0303", "c": "\u0327"}
_ACCENT = re.compile(r"""\\(["'`^~])\{?([A-Za-z])\}?|\\c\{([A-Za-z])\}""")
_ESCAPED = re.compile(r"\\([%&#_$])")
_TIE = re.compile(r"(?<=\S)~(?=\S)")
_DQUOTES = re.compile(r"``(.*?)''")
_SQUOTES = re.compile(r"(?<![`\w])`([^`'\n]{1,200})'(?!')")
_URL = re.compile(r"https?://[^\s<>\"'{}|\\^`\[\]]+")
_URL_TRAIL = ".,;:!?)]}'\""


def _plain(raw: str) -> str:
    """Resolve LaTeX leftovers that are not emphasis.

    >>> _plain(r"up to 15\\% with na\\"ively tuned Projection~(MIP), ``Brain-Diffuser''")
    'up to 15% with naïvely tuned Projection (MIP), “Brain-Diffuser”'
    """
    def accent(m: re.Match) -> str:
        mark = _ACCENTS["c"] if m.group(3) else _ACCENTS[m.group(1)]
        return unicodedata.normalize("NFC", (m.group(2) or m.group(3)) + mark)

    text = _ACCENT.sub(accent, raw)
    text = _ESCAPED.sub(r"\1", text)
    text = _TIE.sub(" ", text)
    text = _DQUOTES.sub("\u201c\\1\u201d", text)
    return _SQUOTES.sub("\u2018\\1\u2019", text)


def display_segments(raw: str) -> list[Segment]:
    """Split raw text into ``(text, italic)`` segments as the author meant it.

    >>> display_segments(r"as a {\\em fMRI conditioned} task, 4.5\\% better")
    [('as a ', False), ('fMRI conditioned', True), (' task, 4.5% better', False)]
    """
    segments: list[Segment] = []
    pos = 0
    for m in _EMPH.finditer(raw):
        if m.start() > pos:
            segments.append((_plain(raw[pos:m.start()]), False))
        segments.append((_plain(m.group(1) if m.group(1) is not None else m.group(2)), True))
        pos = m.end()
    if pos < len(raw) or not segments:
        segments.append((_plain(raw[pos:]), False))
    return [s for s in segments if s[0]] or [("", False)]


def display_text(raw: str) -> str:
    """The display text without emphasis marks.

    >>> display_text(r"sensitive periods, {\\it viz} the transition")
    'sensitive periods, viz the transition'
    """
    return "".join(text for text, _ in display_segments(raw))


def merge_key(text: str) -> str:
    """Compare titles (or abstracts) ignoring case, punctuation and spacing.

    >>> merge_key("Continuous  Thought-Machines!") == merge_key("continuous thought machines")
    True
    """
    norm = unicodedata.normalize("NFKC", text).casefold()
    return "".join(ch for ch in norm if ch.isalnum())


def find_links(raw: str) -> tuple[str, ...]:
    """URLs in an abstract, without trailing punctuation, first appearance only.

    >>> find_links("Code is at https://github.com/a/b. See https://x.io/p).")
    ('https://github.com/a/b', 'https://x.io/p')
    """
    found: list[str] = []
    for m in _URL.finditer(raw):
        url = m.group(0).rstrip(_URL_TRAIL)
        if url.count("(") > url.count(")") and m.group(0)[len(url):].startswith(")"):
            url += ")"
        if url not in found and len(url) > len("https://"):
            found.append(url)
    return tuple(found)


def first_sentence(text: str, limit: int = 240) -> str:
    """The first sentence of a display text, cut at ``limit`` characters.

    >>> first_sentence("We propose X. It works well.")
    'We propose X.'
    """
    m = re.search(r"(?<=[.!?])\s+(?=[A-Z(\"\u201c])", text)
    sentence = text[: m.start()] if m else text
    if len(sentence) > limit:
        sentence = sentence[: limit].rsplit(" ", 1)[0] + "\u2026"
    return sentence
