"""The floor: the least any MkDocs + Material site of N papers costs to build.

A bare project: ``mkdocs.yml`` with the Material theme and its search plugin,
an index page in the nav, and one minimal page per paper (``# title`` and the
abstract) kept out of the nav with ``not_in_nav``. Our build is compared with
this one: what we add on top of it is what we are answerable for.
"""

from __future__ import annotations

import shutil
from pathlib import Path

MKDOCS_YML = """\
site_name: Floor
theme:
  name: material
plugins:
  - search
nav:
  - index.md
not_in_nav: |
  /p/
"""
PAGEFIND_JS = Path(__file__).resolve().parent.parent / "docs" / "assets" / "pagefind-material.js"
PAGEFIND_YML = MKDOCS_YML.replace("  - search\n", "  []\n").replace("plugins:\n  []", "plugins: []") + (
    "extra_javascript:\n  - assets/pagefind-material.js\n"
)
PAGEFIND_ARGS = [
    "--root-selector",
    "article.md-content__inner",
    "--exclude-selectors",
    ".headerlink",
    "--exclude-selectors",
    "[data-search-exclude]",
]
"""How Pagefind indexes a Material page: the article only, without permalink marks or excluded blocks."""


def page(title: str, abstract: str) -> str:
    """The Markdown of one paper's floor page.

    >>> page("Brain Decoding", "We decode.")
    '# Brain Decoding\\n\\nWe decode.\\n'
    """
    return f"# {title}\n\n{abstract}\n"


def write_floor(papers: list[tuple[str, str]], root: Path, engine: str = "material") -> None:
    """Write the floor project for ``(title, abstract)`` pairs into ``root`` (replaced).

    ``engine`` ``"pagefind"`` leaves Material's search plugin out and adds the
    script that shows Pagefind in Material's search box (index it after the build).
    """
    if root.exists():
        shutil.rmtree(root)
    pages = root / "docs" / "p"
    pages.mkdir(parents=True)
    (root / "mkdocs.yml").write_text(PAGEFIND_YML if engine == "pagefind" else MKDOCS_YML, encoding="utf-8")
    if engine == "pagefind":
        (root / "docs" / "assets").mkdir()
        shutil.copy(PAGEFIND_JS, root / "docs" / "assets" / PAGEFIND_JS.name)
    (root / "docs" / "index.md").write_text(f"# Floor\n\n{len(papers)} papers.\n", encoding="utf-8")
    width = len(str(len(papers)))
    for i, (title, abstract) in enumerate(papers):
        (pages / f"{i:0{width}d}.md").write_text(page(title, abstract), encoding="utf-8")
