"""BibTeX for a paper: ``@misc`` with the arXiv eprint where its id is known. Pure.

The entry key is the paper's permanent id, so it never changes. Titles and
names are untrusted text: BibTeX's special characters are escaped, and the
result goes onto pages through the usual HTML escaping.
"""
from __future__ import annotations

import re

from ..model import Identifiers, Paper

_SPECIAL = re.compile(r"([\\{}&%$#_~^])")
_REPLACE = {"\\": r"\textbackslash{}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}


def tex(text: str) -> str:
    r"""Text safe inside a BibTeX field: specials escaped, whitespace folded.

    >>> print(tex("50% of {x}_1 & \\ ~"))
    50\% of \{x\}\_1 \& \textbackslash{} \textasciitilde{}
    """
    folded = " ".join(text.split())
    return _SPECIAL.sub(lambda m: _REPLACE.get(m.group(1), "\\" + m.group(1)), folded)


def bibtex(paper: Paper, identifiers: Identifiers | None, site_url: str = "") -> str:
    """A ``@misc`` entry: title, authors, year; ``eprint``/``archivePrefix``/``primaryClass`` when the arXiv id is known.

    Without an arXiv id the ``url`` is the paper's page on the site (when the
    site's address is known), so the entry still points somewhere.
    """
    ids = identifiers
    date = (ids.published if ids and ids.published else None) or paper.date
    fields = [("title", "{" + tex(paper.title) + "}")]
    if ids and ids.authors:
        fields.append(("author", " and ".join(tex(a) for a in ids.authors)))
    if date:
        fields.append(("year", str(date.year)))
    if ids and ids.arxiv_id:
        fields += [("eprint", ids.arxiv_id), ("archivePrefix", "arXiv")]
        if ids.primary_class:
            fields.append(("primaryClass", tex(ids.primary_class)))
        fields.append(("url", ids.abs_url))
    elif site_url:
        fields.append(("url", site_url.rstrip("/") + "/" + paper.url))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@misc{{{paper.id},\n{body}\n}}"
