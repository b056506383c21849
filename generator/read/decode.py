"""Read stage, first step: a listing's bytes -> text, with a problem for anything not clean UTF-8.

Valid UTF-8 stays UTF-8 (a byte-order mark and CRLF line ends are dropped);
only bytes that are not UTF-8 are read as Windows-1252 and reported; binary
files are refused; mojibake (UTF-8 once read as Latin-1 or Windows-1252 and
saved again, ``CafÃ©``) is repaired with ftfy, HTML character references (``&amp;``) are decoded,
and both are reported line by line.
Pure functions only.
"""

from __future__ import annotations

import html
import re

import ftfy

from ..model import Problem


def decode(data: bytes, name: str) -> tuple[str | None, list[Problem]]:
    """Bytes of a listing -> text with ``\\n`` line ends, and problems; ``None`` for binary data.

    Valid UTF-8 (with or without BOM) is read as is; bytes that are not UTF-8
    are read as Windows-1252 and reported; a character cut by the end of the
    file is dropped and reported.

    >>> decode(b"\\xef\\xbb\\xbfTitle\\r\\n", "a.txt")
    ('Title\\n', [])
    >>> text, problems = decode(b"caf\\xe9", "b.txt"); text, [str(p) for p in problems]
    ('café', ["b.txt:1: not UTF-8; 1 byte(s) read as Windows-1252: 'café'"])
    >>> decode(b"\\x00\\x01binary", "c.bin")[0] is None
    True
    """
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            return newlines(data.decode("utf-16")), []
        except UnicodeDecodeError:
            pass
    sample = data[:8192]
    if _control_ratio(sample) > 0.05 or sample.count(0) > 1 + len(sample) // 1000:
        return None, [Problem(name, 0, "binary file, not a listing; skipped", sample[:12].decode("latin-1"))]
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    text = data.decode("utf-8", errors="surrogateescape")
    problems: list[Problem] = []
    text = _cut_character(text, name, problems)
    text = _windows_1252(text, name, problems)
    return repair_text(newlines(text), name, problems), problems


_ENTITY = re.compile(r"&(?:[A-Za-z][A-Za-z0-9]{1,31}|#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6});")
"""An HTML character reference with its semicolon (``&amp;``, ``&mdash;``, ``&#39;``): a listing
copied from a page's source rather than from the page holds them."""


def repair_text(text: str, name: str, problems: list[Problem]) -> str:
    """Undo UTF-8 that was read as Latin-1 or Windows-1252 (ftfy), and decode HTML character
    references (``Q&amp;A`` -> ``Q&A``), one problem per repaired line.

    >>> problems = []; repair_text("ok\\nCafÃ© Ã  la carte\\nQ&amp;A &mdash; R&D\\n", "m.txt", problems)
    'ok\\nCafé à la carte\\nQ&A — R&D\\n'
    >>> [str(p) for p in problems]  # doctest: +NORMALIZE_WHITESPACE
    ["m.txt:2: mojibake (UTF-8 read as Latin-1 or Windows-1252) repaired to 'Café à la carte': 'CafÃ© Ã  la carte'",
     "m.txt:3: HTML character references decoded to 'Q&A — R&D': 'Q&amp;A &mdash; R&D'"]
    """
    if text.isascii() and "&" not in text:
        return text
    lines = text.split("\n")
    for k, line in enumerate(lines):
        fixed = line if line.isascii() else ftfy.fix_encoding(line)
        what = ["mojibake (UTF-8 read as Latin-1 or Windows-1252)"] if fixed != line else []
        if "&" in fixed:
            decoded = _ENTITY.sub(lambda m: html.unescape(m.group()), fixed)
            what += ["HTML character references"] if decoded != fixed else []
            fixed = decoded
        if what:
            verb = "repaired" if len(what) == 1 and what[0].startswith("mojibake") else "decoded"
            problems.append(Problem(name, k + 1, f"{' and '.join(what)} {verb} to {_shown(fixed)!r}", line.strip()))
            lines[k] = fixed
    return "\n".join(lines)


def _shown(text: str, limit: int = 60) -> str:
    """The start of a line, for a message."""
    text = text.strip()
    return text if len(text) <= limit else text[: limit - 3] + "..."


def newlines(text: str) -> str:
    """CRLF and lone CR -> LF."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _control_ratio(data: bytes) -> float:
    """Share of control bytes (NUL included) other than tab, form feed and line ends."""
    if not data:
        return 0.0
    bad = sum(1 for b in data if (b < 32 and b not in (9, 10, 12, 13)) or b == 127)
    return bad / len(data)


_ESCAPED_TAIL = re.compile(r"[\udc80-\udcff]{1,3}\Z")


def _cut_character(text: str, name: str, problems: list[Problem]) -> str:
    """Drop an incomplete UTF-8 sequence at the very end of otherwise clean UTF-8 (a truncated file).

    The text must hold other non-ASCII characters, all valid UTF-8: a lone
    ``b"\\xe9"`` at the end of pure ASCII is more likely a Windows-1252 ``é``.
    """
    m = _ESCAPED_TAIL.search(text)
    if not m or _ESCAPED_BYTE.search(text, 0, m.start()) or text[: m.start()].isascii():
        return text
    raw = bytes(ord(c) - 0xDC00 for c in m.group(0))
    need = 2 if 0xC2 <= raw[0] <= 0xDF else 3 if 0xE0 <= raw[0] <= 0xEF else 4 if 0xF0 <= raw[0] <= 0xF4 else 0
    if len(raw) < need and all(0x80 <= b <= 0xBF for b in raw[1:]):
        problems.append(
            Problem(
                name,
                text.count("\n") + 1,
                "file ends inside a character (cut short?)",
                text[max(0, m.start() - 40) : m.start()],
            )
        )
        return text[: m.start()]
    return text


_ESCAPED_BYTE = re.compile(r"[\udc80-\udcff]")


def _windows_1252(text: str, name: str, problems: list[Problem]) -> str:
    """Replace each byte that was not UTF-8 by its Windows-1252 character, and report it."""
    first = _ESCAPED_BYTE.search(text)
    if not first:
        return text
    count = len(_ESCAPED_BYTE.findall(text))
    fixed = _ESCAPED_BYTE.sub(lambda m: bytes([ord(m.group(0)) - 0xDC00]).decode("cp1252", "replace"), text)
    line = text.count("\n", 0, first.start()) + 1
    start = fixed.rfind("\n", 0, first.start()) + 1
    end = fixed.find("\n", first.start())
    shown = fixed[max(start, first.start() - 30) : first.start() + 30 if end < 0 else min(end, first.start() + 30)]
    problems.append(Problem(name, line, f"not UTF-8; {count} byte(s) read as Windows-1252", shown.strip()))
    return fixed
