"""Citations: a BibTeX ``@misc`` entry per paper and a ``.bib`` file per topic. Pure.

Titles are untrusted text: every BibTeX special character is written as a
command, so no title can end a field early, unbalance its braces or run
(La)TeX code. Braces become ``\\textbraceleft{}`` rather than ``\\{``,
because BibTeX counts braces even behind a backslash.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import lru_cache

from ..model import Paper

_SPECIALS = str.maketrans(
    {
        "\\": r"\textbackslash{}",
        "{": r"\textbraceleft{}",
        "}": r"\textbraceright{}",
        "&": r"\&",
        "%": r"\%",
        "$": r"\$",
        "#": r"\#",
        "_": r"\_",
        "~": r"\textasciitilde{}",
        "^": r"\textasciicircum{}",
        "@": r"{@}",
    }
)


def bib_escape(text: str) -> str:
    r"""Text safe inside a braced BibTeX field, capitals kept as printed.

    >>> print(bib_escape("50% of {GPT}s & C_1 ~ x^2 \\o/"))
    50\% of \textbraceleft{}GPT\textbraceright{}s \& C\_1 \textasciitilde{} x\textasciicircum{}2 \textbackslash{}o/
    """
    return " ".join(text.split()).translate(_SPECIALS)


@lru_cache(maxsize=1 << 16)
def bibtex(p: Paper, url: str, source: str) -> str:
    r"""A ``@misc`` entry: title (capitals protected), authors and year when known, the arXiv eprint
    where its id is known (``seeds/_identifiers.json``), url, and the listing it came from.

    >>> print(bibtex(Paper("a-1", "", "A & B", "", "", None, None, None, None, (), ()), "papers/a-1/", "Daily Papers of Dec 10, 2025"))
    @misc{a-1,
      title = {{A \& B}},
      url = {papers/a-1/},
      note = {Listed in Hugging Face Daily Papers of Dec 10, 2025}
    }
    """
    ids = p.identifiers
    date = (ids.published if ids and ids.published else None) or p.date
    fields = [("title", "{" + bib_escape(p.title) + "}")]
    if p.names:
        fields.append(("author", " and ".join(bib_escape(a) for a in p.names)))
    if date:
        fields.append(("year", str(date.year)))
    if p.doi:
        fields.append(("doi", bib_escape(p.doi)))
    if ids and ids.arxiv_id:
        fields += [("eprint", bib_escape(ids.arxiv_id)), ("archivePrefix", "arXiv")]
        if ids.primary_class:
            fields.append(("primaryClass", bib_escape(ids.primary_class)))
        url = ids.abs_url or url
    fields.append(("url", "".join(url.split()).replace("{", "%7B").replace("}", "%7D")))
    if source:
        fields.append(("note", "Listed in Hugging Face " + bib_escape(source)))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@misc{{{p.id},\n{body}\n}}"


def bib_file(papers: Sequence[Paper], entry: Callable[[Paper], str]) -> str:
    """A ``.bib`` file of ``papers``, one entry each, in the order given."""
    return "".join(entry(p) + "\n\n" for p in papers)
