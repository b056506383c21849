"""Pure text helpers: display text from LaTeX leftovers, merge keys, links.

Display text is kept as *segments*, ``(text, italic)`` pairs, so that a
renderer can escape every piece and add emphasis itself: no input is ever
trusted as markup. Only LaTeX leftovers are resolved; anything else (HTML,
Markdown, template syntax) is left exactly as it was, for the renderer to escape.
"""

from __future__ import annotations

import re
import unicodedata

Segment = tuple[str, bool]

_EMPH = re.compile(
    r"\{\\(?:em|it|itshape|sl|textit|emph|bf|bfseries|textbf)\s+([^{}]*)\}"
    r"|\\(?:emph|textit|textbf|textsl)\{([^{}]*)\}"
)
_PLAIN_CMD = re.compile(r"\\(?:texttt|textsc|textrm|textsf|textnormal|mathrm|mbox|text|url)\{([^{}\\]*)\}")
_MARKS = {
    '"': "\u0308",
    "'": "\u0301",
    "`": "\u0300",
    "^": "\u0302",
    "~": "\u0303",
    "=": "\u0304",
    ".": "\u0307",
    "c": "\u0327",
    "v": "\u030c",
    "u": "\u0306",
    "H": "\u030b",
    "k": "\u0328",
    "r": "\u030a",
}
_LETTER = r"(?:\\[ij](?![A-Za-z])|[A-Za-z])"
_ACCENT = re.compile(
    r"\{\\([\"'`^~=.])\s*(" + _LETTER + r")\}"  # {\"o}
    r"|\\([\"'`^~=.])\s*(?:\{\s*(" + _LETTER + r")\s*\}|(" + _LETTER + r"))"  # \"o  \"{o}  \"\i
    r"|\\([cvuHkr])\s*\{\s*(" + _LETTER + r")\s*\}"
)  # \c{c}  \v{s}
_SPECIAL = {
    "ss": "ß",
    "o": "ø",
    "O": "Ø",
    "ae": "æ",
    "AE": "Æ",
    "oe": "œ",
    "OE": "Œ",
    "aa": "å",
    "AA": "Å",
    "l": "ł",
    "L": "Ł",
    "ldots": "…",
    "dots": "…",
    "textendash": "–",
    "textemdash": "—",
}
_LETTERS = ("ss", "o", "O", "ae", "AE", "oe", "OE", "aa", "AA", "l", "L")
_SPECIAL_RE = re.compile(
    r"\{\\(" + "|".join(_SPECIAL) + r")\}"
    r"|\\(" + "|".join(_LETTERS) + r")(?:\{\}| (?=[a-z])|(?![A-Za-z]))"  # \ss e -> ße
    r"|\\(" + "|".join(sorted(set(_SPECIAL) - set(_LETTERS), key=len, reverse=True)) + r")(?:\{\}|(?![A-Za-z]))"
)
_ESCAPED = re.compile(r"\\([%&#_$}{])")
_ESCAPED_NEWLINE = re.compile(r"[ \t]*(?:(?:\\r)?\\n(?![a-z])[ \t]*)+")
"""A literal ``\\n`` (a line break escaped by whatever exported the abstract), not ``\\nabla`` or ``\\nu``."""
_TIE = re.compile(r"(?<=[^\s(\[~])~(?=[^\s~\d])|(?<=[A-Za-z.])~(?=\d)")
_DQUOTES = re.compile(r"``(.*?)''")
_SQUOTES = re.compile(r"(?<![`\w])`([^`'\n]{1,200})'(?!')")
_SUP = re.compile(r"\^\{([0-9+\-=()n]{1,8})\}|\^([0-9])(?![0-9])")
_SUB = re.compile(r"_\{([0-9+\-=()]{1,8})\}")
_SUP_MAP = str.maketrans("0123456789+-=()n", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿ")
_SUB_MAP = str.maketrans("0123456789+-=()", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎")
_URL_CHAR = r"(?:[^\s<>\"'{}|\\^`\[\]]|\\[_%&#~])"
_URL = re.compile(
    r"https?://" + _URL_CHAR + "+"
    r"|(?<![\w@/.\-])(?:www\.|(?:github|gitlab)\.com/|huggingface\.co/)" + _URL_CHAR + "+"
)
_URL_TRAIL = ".,;:!?)]}'\""
_ABBREVIATIONS = ("e.g.", "i.e.", "et al.", "Fig.", "Eq.", "vs.", "cf.", "Sec.", "No.", "approx.")


_LATEX_HINT = re.compile(r"[\\{~`^_]")
"""Every LaTeX leftover resolved below holds one of these characters; most text holds none."""


def _resolve(text: str) -> str:
    """Resolve LaTeX leftovers in text that holds no URL.

    >>> _resolve(r"up to 15\\% with na\\"ively tuned Projection~(MIP), ``Brain-Diffuser''")
    'up to 15% with naïvely tuned Projection (MIP), “Brain-Diffuser”'
    >>> _resolve(r"TRC^{2} at log_{10} scale, Erd\\H{o}s and Schr{\\"o}dinger, ~58 s, Fig.~3")
    'TRC² at log₁₀ scale, Erdős and Schrödinger, ~58 s, Fig. 3'
    >>> _resolve(r"ends here.\\nThe next one.\\n\\n A third, with \\nabla f.")
    'ends here. The next one. A third, with \\\\nabla f.'
    """
    if not _LATEX_HINT.search(text):
        return text
    text = _ESCAPED_NEWLINE.sub(" ", text)
    text = _PLAIN_CMD.sub(r"\1", text)
    text = _ACCENT.sub(_accent, text)
    text = _SPECIAL_RE.sub(lambda m: _SPECIAL[m.group(1) or m.group(2) or m.group(3)], text)
    text = _ESCAPED.sub(r"\1", text)
    text = _TIE.sub(" ", text)
    text = _SUP.sub(lambda m: (m.group(1) or m.group(2)).translate(_SUP_MAP), text)
    text = _SUB.sub(lambda m: m.group(1).translate(_SUB_MAP), text)
    text = _DQUOTES.sub("\u201c\\1\u201d", text)
    return _SQUOTES.sub("\u2018\\1\u2019", text)


def _accent(m: re.Match) -> str:
    """One accent command -> the accented letter, e.g. ``\\"{\\i}`` -> ``ï``."""
    mark = _MARKS[m.group(1) or m.group(3) or m.group(6)]
    letter = m.group(2) or m.group(4) or m.group(5) or m.group(7)
    letter = letter[-1] if letter.startswith("\\") else letter
    return unicodedata.normalize("NFC", letter + mark)


def _plain(raw: str) -> str:
    """Resolve LaTeX leftovers outside URLs; inside a URL only undo ``\\_``-style escapes.

    >>> _plain(r"see https://x.org/~me/a\\_b and A~(B)")
    'see https://x.org/~me/a_b and A (B)'
    """
    out, pos = [], 0
    for m in _URL.finditer(raw):
        out += [_resolve(raw[pos : m.start()]), re.sub(r"\\([_%&#~])", r"\1", m.group(0))]
        pos = m.end()
    out.append(_resolve(raw[pos:]))
    return "".join(out)


def display_segments(raw: str) -> list[Segment]:
    """Split raw text into ``(text, italic)`` segments as the author meant it.

    >>> display_segments(r"as a {\\em fMRI conditioned} task, 4.5\\% better")
    [('as a ', False), ('fMRI conditioned', True), (' task, 4.5% better', False)]
    >>> display_segments("<script>alert(1)</script> {{ x }} {% y %}")
    [('<script>alert(1)</script> {{ x }} {% y %}', False)]
    """
    segments: list[Segment] = []
    pos = 0
    for m in _EMPH.finditer(raw):
        if m.start() > pos:
            segments.append((_plain(raw[pos : m.start()]), False))
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


_NOT_ALNUM = re.compile(r"[\W_]+")
"""Everything but letters and digits (``\\w`` is exactly ``str.isalnum`` plus the underscore)."""


def merge_key(text: str) -> str:
    """Compare titles (or abstracts) ignoring case, punctuation and spacing.

    >>> merge_key("Continuous  Thought-Machines!") == merge_key("continuous thought machines")
    True
    """
    if text.isascii():  # NFKC and casefold change nothing else in ASCII: the fast path for most text
        return _NOT_ALNUM.sub("", text.lower())
    return _NOT_ALNUM.sub("", unicodedata.normalize("NFKC", text).casefold())


def find_links(raw: str) -> tuple[str, ...]:
    """URLs in an abstract, without trailing punctuation or LaTeX escapes, first appearance only.

    >>> find_links("Code is at https://github.com/a/b. See https://x.io/p).")
    ('https://github.com/a/b', 'https://x.io/p')
    >>> find_links(r"Code: github.com/a/my\\_repo, page (https://a.io/x_(y)). [x](javascript:alert(1))")
    ('https://github.com/a/my_repo', 'https://a.io/x_(y)')
    """
    found: list[str] = []
    for m in _URL.finditer(raw):
        url = _clean_url(m.group(0))
        if url not in found and "." in url.split("://", 1)[-1]:
            found.append(url)
    return tuple(found)


def _clean_url(text: str) -> str:
    """Drop escapes and trailing punctuation (keeping a balanced ``)``); add a missing scheme."""
    text = re.sub(r"\\([_%&#~])", r"\1", text)
    url = text.rstrip(_URL_TRAIL)
    while text[len(url) :].startswith(")") and url.count("(") > url.count(")"):
        url += ")"
    return url if url.startswith(("http://", "https://")) else "https://" + url


def first_sentence(text: str, limit: int = 240) -> str:
    """The first sentence of a display text, cut at ``limit`` characters.

    >>> first_sentence("We propose X, e.g. Y. It works well.")
    'We propose X, e.g. Y.'
    >>> first_sentence("word " * 100, limit=20)
    'word word word word…'
    """
    sentence = text.strip()
    for m in re.finditer(r"(?<=[.!?])\s+(?=[A-Z(\"\u201c])", text):
        if not text[: m.start()].endswith(_ABBREVIATIONS):
            sentence = text[: m.start()]
            break
    if len(sentence) > limit:
        sentence = sentence[:limit].rsplit(" ", 1)[0].rstrip() + "\u2026"
    return sentence
