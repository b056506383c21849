"""Render stage: the whole site model -> Markdown pages (path -> text). Pure.

Untrusted text (titles, abstracts, organization names) only ever reaches a
page through Jinja2's HTML autoescaping, inside raw HTML blocks that
Markdown leaves alone; page titles go into front matter already escaped
(the theme override escapes ``<title>`` itself). Nothing a listing says is
ever read as Markdown, HTML or template syntax.
"""
from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from urllib.parse import quote_plus

import jinja2
from markupsafe import Markup, escape

from ..infer.similar import shared_phrases
from ..infer.topics import why_here
from ..model import Paper, Site, Topic, topic_sizes
from ..text import display_segments, first_sentence
from .urls import rel

UNDATED = "undated"


@dataclass(frozen=True)
class Pager:
    """Where one page of a long list stands among its pages."""

    number: int
    """1-based number of this page."""
    urls: tuple[str, ...]
    """Site URL of every page of the list, in order."""

    @property
    def here(self) -> str:
        """This page's URL."""
        return self.urls[self.number - 1]


def paginate(base: str, items: Sequence, size: int) -> list[tuple[str, Pager, list]]:
    """Split a list over pages: ``topics/x`` -> ``topics/x.md`` (``topics/x/``), ``topics/x/2.md``, ...

    >>> [(path, pager.here, chunk) for path, pager, chunk in paginate("archive/2024", [1, 2, 3], 2)]
    [('archive/2024.md', 'archive/2024/', [1, 2]), ('archive/2024/2.md', 'archive/2024/2/', [3])]
    """
    chunks = [list(items[i:i + size]) for i in range(0, len(items), size)] or [[]]
    urls = tuple(f"{base}/" if k == 1 else f"{base}/{k}/" for k in range(1, len(chunks) + 1))
    return [(f"{base}.md" if k == 1 else f"{base}/{k}.md", Pager(k, urls), chunk)
            for k, chunk in enumerate(chunks, 1)]


def abstract_html(raw: str) -> Markup:
    """Escaped display text with the author's emphasis as ``<em>``.

    >>> str(abstract_html(r"<b>{\\em x} 5\\%</b>"))
    '&lt;b&gt;<em>x</em> 5%&lt;/b&gt;'
    """
    return Markup("").join(Markup("<em>%s</em>") % clean(text) if italic else escape(clean(text))
                           for text, italic in display_segments(raw))


_YAML_UNPRINTABLE = re.compile("[^\x09\x0A\x0D\x20-\x7E\x85\xA0-\uD7FF\uE000-\uFFFD\U00010000-\U0010FFFF]")


_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def clean(value):
    """Drop control characters from text bound for a page (Markdown uses some as placeholders).

    >>> clean("a\x02b\x7f")
    'ab'
    """
    if isinstance(value, str) and not isinstance(value, Markup) and not value.isprintable():
        return _CONTROL.sub("", value)
    return value


def yaml_str(value: str) -> Markup:
    r"""A front-matter string: HTML-escaped (themes print titles raw), then quoted for YAML.

    >>> print(yaml_str('<a> "b"\u2028'))
    "&lt;a&gt; &#34;b&#34;\u2028"
    """
    quoted = json.dumps(str(escape(clean(value))), ensure_ascii=False)
    return Markup(_YAML_UNPRINTABLE.sub(lambda m: f"\\u{ord(m.group()):04x}", quoted))


def longdate(date) -> str:
    """``2024-05-08`` -> ``May 8, 2024``."""
    return f"{date:%b} {date.day}, {date.year}"


@cache
def _env() -> jinja2.Environment:
    """The template environment: autoescape on, strict undefined."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("generator.render", "templates"), autoescape=True,
        undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
        finalize=clean)
    env.filters.update(rel=rel, abstract_html=abstract_html, yaml_str=yaml_str, longdate=longdate,
                       first_sentence=first_sentence, list_item=list_item)
    return env


@lru_cache(maxsize=1 << 16)
def list_item(p: Paper, href: str, show_sentence: bool = True) -> Markup:
    """One paper in a list: title link, meta line, first sentence (rendered once, reused on every list)."""
    return Markup(_env().get_template("_item.j2").render(p=p, href=href, show_sentence=show_sentence).strip())


def _render(template: str, **context) -> str:
    """Render one template; runs of blank lines are folded so pages stay tidy."""
    text = _env().get_template(template).render(**context)
    while "\n\n\n" in text:
        text = text.replace("\n\n\n", "\n\n")
    return text.strip() + "\n"


def render_pages(site: Site) -> dict[str, str]:
    """Every generated Markdown page, as docs-relative path -> text."""
    topics = {t.id: t for t in site.topics}
    papers = {p.id: p for p in site.papers}
    shares = shared_phrases(site.papers, site.related)
    pages = {f"papers/{p.id}.md": render_paper(site, p, topics, papers, shares) for p in site.papers}
    pages.update(render_topics(site))
    pages.update(render_archive(site.papers, site.page_size))
    pages["top/index.md"] = render_top(site.papers)
    pages["index.md"] = render_home(site)
    return pages


def find_links(title: str) -> list[tuple[str, str]]:
    """Search links for a title on the usual paper indexes.

    >>> find_links("A b")[0]
    ('arXiv', 'https://arxiv.org/search/?query=A+b&searchtype=title')
    """
    q = quote_plus(title)
    return [("arXiv", f"https://arxiv.org/search/?query={q}&searchtype=title"),
            ("Hugging Face Papers", f"https://huggingface.co/papers?q={q}"),
            ("Semantic Scholar", f"https://www.semanticscholar.org/search?q={q}"),
            ("Google Scholar", f"https://scholar.google.com/scholar?q={quote_plus(chr(34) + title + chr(34))}")]


def render_paper(site: Site, p: Paper, topics: Mapping[str, Topic], papers: Mapping[str, Paper],
                 shares: Mapping[tuple[str, str], tuple[str, ...]] | None = None) -> str:
    """The page of one paper: "Why here" names the primary topic's key phrases its text carries,
    and each related paper shows the phrases the two share."""
    permalink = (site.url.rstrip("/") + "/" + p.url) if site.url else "./"
    md_title = "".join("\\" + c if c in "\\[]" else c for c in p.title)
    wiki_title = p.title.replace("]", "&#93;")
    return _render("paper.md.j2", p=p, here=p.url,
                   topics=[topics[t] for t in p.topics if t in topics],
                   related=[papers[r] for r in site.related.get(p.id, ()) if r in papers],
                   why=why_here(p, topics[p.topics[0]].phrases) if p.topics and p.topics[0] in topics else (),
                   shares={r: (shares or {}).get((p.id, r), ()) for r in site.related.get(p.id, ())},
                   find_links=find_links(p.title), permalink=permalink,
                   markdown_snippet=f"[{md_title}]({permalink})", wiki_snippet=f"[{permalink} {wiki_title}]")


def render_topics(site: Site) -> dict[str, str]:
    """The topic index and one page per topic."""
    sizes = topic_sizes(site)
    pages = {"topics/index.md": _render("topics_index.md.j2", topics=site.topics, topic_sizes=sizes,
                                        total=len(site.papers), here="topics/")}
    primary: dict[str, list[Paper]] = defaultdict(list)
    secondary: dict[str, list[Paper]] = defaultdict(list)
    for p in site.papers:
        for k, topic in enumerate(p.topics):
            (secondary if k else primary)[topic].append(p)
    for t in site.topics:
        listed = [(p, False) for p in primary[t.id]] + [(p, True) for p in secondary[t.id]]
        for path, pager, chunk in paginate(f"topics/{t.id}", listed, site.page_size):
            pages[path] = _render(
                "topic.md.j2", t=t, here=pager.here, pager=pager, primary=primary[t.id],
                secondary=secondary[t.id], by_year=_by_year([p for p, also in chunk if not also]),
                also=[p for p, also in chunk if also], feed=f"feeds/{t.id}.xml")
    return pages


def _by_year(papers: Sequence[Paper]) -> list[tuple[str, list[Paper]]]:
    """Papers grouped by year, newest year first, undated last."""
    groups: dict[str, list[Paper]] = defaultdict(list)
    for p in papers:
        groups[str(p.date.year) if p.date else "Undated"].append(p)
    return sorted(groups.items(), key=lambda kv: (kv[0] == "Undated", -int(kv[0]) if kv[0] != "Undated" else 0))


def _dated_by_year(papers: Sequence[Paper]) -> dict[int, list[Paper]]:
    """Dated papers by year, newest year first, each year in the papers' order."""
    years: dict[int, list[Paper]] = defaultdict(list)
    for p in papers:
        if p.date:
            years[p.date.year].append(p)
    return dict(sorted(years.items(), reverse=True))


def render_archive(papers: Sequence[Paper], page_size: int = 100) -> dict[str, str]:
    """The archive index, one page per year with its months, and the Undated page."""
    years = _dated_by_year(papers)
    undated = [p for p in papers if not p.date]
    pages = {"archive/index.md": _render("archive_index.md.j2", here="archive/", undated=len(undated),
                                         years=[(y, len(ps)) for y, ps in years.items()])}
    for year, group in years.items():
        for path, pager, chunk in paginate(f"archive/{year}", group, page_size):
            months: dict[str, list[Paper]] = {}
            for p in chunk:
                months.setdefault(f"{p.date:%B} {year}", []).append(p)
            pages[path] = _render("archive_year.md.j2", title=str(year), count=len(group),
                                  months=list(months.items()), here=pager.here, pager=pager)
    if undated:
        for path, pager, chunk in paginate(f"archive/{UNDATED}", undated, page_size):
            pages[path] = _render("archive_year.md.j2", title="Undated", count=len(undated),
                                  months=[("No date", chunk)], here=pager.here, pager=pager)
    return pages


def _most_upvoted(papers: Sequence[Paper], n: int) -> list[Paper]:
    """The ``n`` most upvoted papers (ties newest first), papers with no upvotes left out."""
    return sorted((p for p in papers if p.upvotes), key=lambda p: (-p.upvotes, p.sort_key))[:n]


def render_top(papers: Sequence[Paper], n: int = 25, per_year: int = 10) -> str:
    """Most upvoted overall and per year."""
    by_year = [(y, _most_upvoted(ps, per_year)) for y, ps in _dated_by_year(papers).items()]
    return _render("top.md.j2", here="top/", overall=_most_upvoted(papers, n),
                   by_year=[(y, ps) for y, ps in by_year if ps])


def render_home(site: Site) -> str:
    """The home page: what the site holds, topic cards, chart, newest and most upvoted."""
    dates = [p.date for p in site.papers if p.date]
    return _render("home.md.j2", here="", site_name=site.name, total=len(site.papers),
                   listings=len(site.listings), topic_sizes=topic_sizes(site),
                   first_date=min(dates) if dates else None, last_date=max(dates) if dates else None,
                   newest=[p for p in site.papers if p.date][: site.home_size],
                   top=_most_upvoted(site.papers, site.home_size))
