"""Render stage: the whole site model -> Markdown pages (path -> text). Pure.

Untrusted text (titles, abstracts, organization names) only ever reaches a
page through Jinja2's HTML autoescaping or the filters of ``escaping``, inside
raw HTML blocks that Markdown leaves alone; page titles go into front matter
already escaped (the theme override escapes ``<title>`` itself). Nothing a
listing says is ever read as Markdown, HTML or template syntax.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from urllib.parse import quote_plus, urlsplit

import jinja2
from markupsafe import Markup

from ..model import Identifiers, Paper, Retired, Site, Topic, doi_address, topic_sizes
from ..text import first_sentence
from .chart import chart_html
from .cite import bib_file, bibtex
from .escaping import abstract_html, clean, yaml_json, yaml_str
from .feeds import newness as added_key
from .urls import rel

UNDATED = "undated"
DESCRIPTION_MAX = 160
"""Longest meta description, in characters (what link previews show)."""
AUTHORS_SHOWN = 3
"""Authors named before "et al." on a paper page (all of them one click away)."""
NEW_DAYS = 30
"""The New page also lists papers added this many days before the newest listing."""


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
    chunks = [list(items[i : i + size]) for i in range(0, len(items), size)] or [[]]
    urls = tuple(f"{base}/" if k == 1 else f"{base}/{k}/" for k in range(1, len(chunks) + 1))
    return [(f"{base}.md" if k == 1 else f"{base}/{k}.md", Pager(k, urls), chunk) for k, chunk in enumerate(chunks, 1)]


def longdate(date) -> str:
    """``2024-05-08`` -> ``May 8, 2024``."""
    return f"{date:%b} {date.day}, {date.year}"


def site_link(site: Site, path: str) -> str:
    """The public address of a site path when ``site.url`` is known, else the site path itself.

    >>> site_link(Site("A", "https://x.org/a", (), ()), "papers/p/"), site_link(Site("A", "", (), ()), "papers/p/")
    ('https://x.org/a/papers/p/', 'papers/p/')
    """
    return (site.url.rstrip("/") + "/" + path) if site.url else path


def description(p: Paper) -> str:
    """The meta description of a paper page: its abstract's first sentence, at most 160 characters.

    >>> description(Paper("i", "k", "A title", "", "", None, None, None, None, (), ()))
    'A title'
    """
    return first_sentence(p.abstract or p.title, DESCRIPTION_MAX - 1)


def provenance(site: Site, p: Paper) -> list[str]:
    """Where a paper was listed, oldest capture first: ``["Daily Papers of Dec 10, 2025"]``."""
    known = sorted({site.captures[name] for name in p.listings if name in site.captures})
    unknown = sum(1 for name in p.listings if name not in site.captures)
    return [f"Daily Papers of {longdate(d)}" for d in known] + (
        [f"{unknown} Daily Papers listing{'s' if unknown != 1 else ''} of unknown date"] if unknown else []
    )


def scholarly_article(site: Site, p: Paper) -> dict:
    """schema.org ``ScholarlyArticle`` of a paper, for its page's JSON-LD: what it is, where, when.

    The abstract is left out: it is on the page itself, and a second copy would cost a
    large site about 1.4 KB a paper (every page's description tags carry its first sentence)."""
    data = {
        "@context": "https://schema.org",
        "@type": "ScholarlyArticle",
        "name": p.title,
        "url": site_link(site, p.url),
    }
    if p.names:
        data["author"] = [{"@type": "Person", "name": name} for name in p.names]
    same = [u for u in (p.identifiers.abs_url if p.identifiers else None, p.doi_url) if u]
    if same:
        data["sameAs"] = same
    if p.date:
        data["datePublished"] = p.date.isoformat()
    return data


def org_url(handle: str) -> str:
    """Site URL of an organization's page, e.g. ``orgs/SakanaAI/``."""
    return f"orgs/{handle}/"


def month_url(year: int, month: int) -> str:
    """Site URL of a month of the archive, e.g. ``archive/2025/may/``."""
    return f"archive/{year}/{dt.date(2000, month, 1):%B}/".lower()


def ranked(papers: Sequence[Paper]) -> list[tuple[int, Paper]]:
    """Papers already sorted by upvotes, with competition ranks: ties share a rank (1, 2, 2, 4).

    >>> votes = [Paper(str(i), "", "", "", "", None, None, None, v, (), ()) for i, v in enumerate([9, 5, 5, 1])]
    >>> [r for r, _ in ranked(votes)]
    [1, 2, 2, 4]
    """
    out, rank = [], 0
    for k, p in enumerate(papers, 1):
        if not out or out[-1][1].upvotes != p.upvotes:
            rank = k
        out.append((rank, p))
    return out


def ranked_item(p: Paper, href: str, rank: int, show_sentence: bool = True) -> Markup:
    """A list item of a ranked ``<ol>``: its number is its rank, so ties show the same number."""
    return Markup(str(list_item(p, href, show_sentence)).replace("<li>", f'<li value="{rank}">', 1))


@cache
def _env() -> jinja2.Environment:
    """The template environment: autoescape on, strict undefined."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("generator.render", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=clean,
    )
    env.filters.update(
        rel=rel,
        abstract_html=abstract_html,
        yaml_str=yaml_str,
        longdate=longdate,
        first_sentence=first_sentence,
        list_item=list_item,
        yaml_json=yaml_json,
        ranked_item=ranked_item,
    )
    env.globals.update(org_url=org_url, month_url=month_url)
    env.tests["code_link"] = code_link
    return env


CODE_HOSTS = ("github.com", "gitlab.com", "bitbucket.org", "codeberg.org", "sourceforge.net", "huggingface.co")
"""Hosts whose links count as "has code" in search (project pages on github.io do not)."""


def code_link(url: str) -> bool:
    """Whether a link from an abstract points at code (a repository host).

    >>> code_link("https://github.com/a/b"), code_link("https://www.gitlab.com/x"), code_link("https://a.github.io/b")
    (True, True, False)
    """
    host = urlsplit(url).hostname or ""
    return any(host == h or host.endswith("." + h) for h in CODE_HOSTS)


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
    from ..infer.similar import shared_phrases  # here, not at import: a cached build never loads scikit-learn

    topics = {t.id: t for t in site.topics}
    papers = {p.id: p for p in site.papers}
    shares = shared_phrases(site.papers, site.related)
    pages = {f"papers/{p.id}.md": render_paper(site, p, topics, papers, shares) for p in site.papers}
    pages.update(
        {f"papers/{r.id}.md": render_retired(r, topics) for r in site.retired if r.id not in papers and not r.moved_to}
    )  # a retired paper printed again under another address redirects there (``paper_redirects``)
    pages.update(render_topics(site))
    pages.update(render_archive(site.papers, site.page_size))
    pages.update(render_orgs(site))
    pages["top/index.md"] = render_top(site.papers, topics=topic_sizes(site))
    pages["new/index.md"] = render_new(site)
    pages["index.md"] = render_home(site)
    return pages


def find_links(title: str) -> list[tuple[str, str]]:
    """Search links for a title on the usual paper indexes.

    >>> find_links("A b")[0]
    ('arXiv', 'https://arxiv.org/search/?query=A+b&searchtype=title')
    """
    q = quote_plus(title)
    return [
        ("arXiv", f"https://arxiv.org/search/?query={q}&searchtype=title"),
        ("Hugging Face Papers", f"https://huggingface.co/papers?q={q}"),
        ("Semantic Scholar", f"https://www.semanticscholar.org/search?q={q}"),
        ("Google Scholar", f"https://scholar.google.com/scholar?q={quote_plus(chr(34) + title + chr(34))}"),
    ]


def read_links(ids: Identifiers | None, doi: str | None = None) -> list[tuple[str, str]]:
    """Links to the paper itself where its arXiv id, Hub page or DOI is known (they replace the search links).

    >>> read_links(Identifiers("2505.05522"))[1]
    ('PDF', 'https://arxiv.org/pdf/2505.05522')
    >>> read_links(None, "10.1000/xyz")
    [('doi:10.1000/xyz', 'https://doi.org/10.1000/xyz')]
    """
    links = [(f"arXiv:{ids.arxiv_id}", ids.abs_url), ("PDF", ids.pdf_url)] if ids and ids.arxiv_id else []
    links += [("Hugging Face paper page", ids.hf_url)] if ids and ids.hf_url else []
    return links + ([(f"doi:{doi}", doi_address(doi))] if doi else [])


def render_paper(
    site: Site,
    p: Paper,
    topics: Mapping[str, Topic],
    papers: Mapping[str, Paper],
    shares: Mapping[tuple[str, str], tuple[str, ...]] | None = None,
) -> str:
    """The page of one paper; its permalink and snippets hold the public address when it is known.
    "Why here" names the primary topic's key phrases its text carries, and each related paper
    shows the phrases the two share."""
    permalink = site_link(site, p.url)
    md_title = "".join("\\" + c if c in "\\[]" else c for c in p.title)
    wiki_title = p.title.replace("]", "&#93;")
    listed = [topics[t] for t in p.topics if t in topics]
    return _render(
        "paper.md.j2",
        p=p,
        here=p.url,
        topics=listed,
        related=[papers[r] for r in site.related.get(p.id, ()) if r in papers],
        why=_why_here(p, topics),
        shares={r: (shares or {}).get((p.id, r), ()) for r in site.related.get(p.id, ())},
        find_links=find_links(p.title),
        permalink=permalink,
        read_links=read_links(p.identifiers, p.doi),
        authors_shown=AUTHORS_SHOWN,
        permalink_href=permalink if site.url else "./",
        absolute=bool(site.url),
        markdown_snippet=f"[{md_title}]({permalink})",
        wiki_snippet=f"[{permalink} {wiki_title}]",
        description=description(p),
        jsonld=scholarly_article(site, p),
        bibtex=bibtex(p, permalink, provenance(site, p)[0] if p.listings else ""),
        provenance=provenance(site, p),
        crumbs=[("Topics", "topics/")] + ([(listed[0].name, listed[0].url)] if listed else []),
    )


def _why_here(p: Paper, topics: Mapping[str, Topic]) -> tuple[str, ...]:
    """The primary topic's key phrases that the paper's text carries (imported when first needed)."""
    from ..infer.topics import why_here

    return why_here(p, topics[p.topics[0]].phrases) if p.topics and p.topics[0] in topics else ()


def render_retired(r: Retired, topics: Mapping[str, Topic]) -> str:
    """The short page kept at the address of a paper no listing shows any more: out of search and lists."""
    topic = next((topics[t] for t in r.topics if t in topics), None)
    return _render("retired.md.j2", r=r, here=r.url, topic=topic, find_links=find_links(r.title))


def render_topics(site: Site) -> dict[str, str]:
    """The topic index and one page per topic."""
    sizes = topic_sizes(site)
    pages = {
        "topics/index.md": _render(
            "topics_index.md.j2", topics=site.topics, topic_sizes=sizes, total=len(site.papers), here="topics/"
        )
    }
    primary: dict[str, list[Paper]] = defaultdict(list)
    secondary: dict[str, list[Paper]] = defaultdict(list)
    for p in site.papers:
        for k, topic in enumerate(p.topics):
            (secondary if k else primary)[topic].append(p)
    for t in site.topics:
        listed = [(p, False) for p in primary[t.id]] + [(p, True) for p in secondary[t.id]]
        for path, pager, chunk in paginate(f"topics/{t.id}", listed, site.page_size):
            pages[path] = _render(
                "topic.md.j2",
                t=t,
                here=pager.here,
                pager=pager,
                primary=primary[t.id],
                secondary=secondary[t.id],
                by_year=_by_year([p for p, also in chunk if not also]),
                also=[p for p, also in chunk if also],
                feed=f"feeds/{t.id}.xml",
                bib=f"topics/{t.id}.bib",
                has_top=any(p.upvotes for p in primary[t.id] + secondary[t.id]),
            )
    return pages


def render_bibs(site: Site) -> dict[str, str]:
    """``topics/<topic>.bib``: a BibTeX entry for every paper of a topic, primary papers first."""

    def entry(p: Paper) -> str:
        return bibtex(p, site_link(site, p.url), provenance(site, p)[0] if p.listings else "")

    out = {}
    for t in site.topics:
        members = [p for p in site.papers if p.topics[:1] == (t.id,)] + [p for p in site.papers if t.id in p.topics[1:]]
        out[f"topics/{t.id}.bib"] = bib_file(members, entry)
    return out


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
    """The archive index, one page per year with its months, a page per month, and the Undated page."""
    years = _dated_by_year(papers)
    undated = [p for p in papers if not p.date]
    pages = {
        "archive/index.md": _render(
            "archive_index.md.j2",
            here="archive/",
            undated=len(undated),
            years=[(y, len(ps)) for y, ps in years.items()],
        )
    }
    months_of: dict[tuple[int, int], list[Paper]] = defaultdict(list)
    for year, group in years.items():
        for p in group:
            months_of[(year, p.date.month)].append(p)
    for year, group in years.items():
        year_months = sorted(((m, len(ps)) for (y, m), ps in months_of.items() if y == year), reverse=True)
        for path, pager, chunk in paginate(f"archive/{year}", group, page_size):
            months: dict[str, tuple[str, list[Paper]]] = {}
            for p in chunk:
                months.setdefault(f"{p.date:%B} {year}", (month_url(year, p.date.month), []))[1].append(p)
            pages[path] = _render(
                "archive_year.md.j2",
                title=str(year),
                count=len(group),
                months=[(name, url, ps) for name, (url, ps) in months.items()],
                year_months=[(dt.date(year, m, 1), month_url(year, m), n) for m, n in year_months],
                here=pager.here,
                pager=pager,
                crumbs=[("Archive", "archive/")],
            )
    order = sorted(months_of, reverse=True)
    for k, (year, month) in enumerate(order):
        newer = order[k - 1] if k else None
        older = order[k + 1] if k + 1 < len(order) else None
        group = months_of[(year, month)]
        for path, pager, chunk in paginate(month_url(year, month).rstrip("/"), group, page_size):
            pages[path] = _render(
                "archive_month.md.j2",
                month=dt.date(year, month, 1),
                papers=chunk,
                count=len(group),
                here=pager.here,
                pager=pager,
                crumbs=[("Archive", "archive/"), (str(year), f"archive/{year}/")],
                newer=(dt.date(*newer, 1), month_url(*newer)) if newer else None,
                older=(dt.date(*older, 1), month_url(*older)) if older else None,
            )
    if undated:
        for path, pager, chunk in paginate(f"archive/{UNDATED}", undated, page_size):
            pages[path] = _render(
                "archive_year.md.j2",
                title="Undated",
                count=len(undated),
                months=[("No date", "", chunk)],
                year_months=[],
                here=pager.here,
                pager=pager,
                crumbs=[("Archive", "archive/")],
            )
    return pages


def render_orgs(site: Site) -> dict[str, str]:
    """One page per organization (its papers, newest first) and an index of organizations."""
    members: dict[str, list[Paper]] = defaultdict(list)
    names: dict[str, str] = {}
    for p in site.papers:
        if p.organization:
            members[p.organization.id].append(p)
            names.setdefault(p.organization.id, p.organization.name)
    pages = {
        "orgs/index.md": _render(
            "orgs_index.md.j2",
            here="orgs/",
            orgs=sorted(
                ((h, names[h], len(ps)) for h, ps in members.items()), key=lambda o: (-o[2], o[1].casefold(), o[0])
            ),
        )
    }
    for handle, group in members.items():
        for path, pager, chunk in paginate(org_url(handle).rstrip("/"), group, site.page_size):
            pages[path] = _render(
                "org.md.j2",
                handle=handle,
                name=names[handle],
                papers=chunk,
                count=len(group),
                here=pager.here,
                pager=pager,
                crumbs=[("Organizations", "orgs/")],
            )
    return pages


def newest_listing(site: Site) -> dt.date | None:
    """Capture date of the newest listing, ``None`` when no capture date is known."""
    return max(site.captures.values(), default=None)


def render_new(site: Site) -> str:
    """The New page: papers the newest listing added, then those added in the 30 days before it."""
    latest = newest_listing(site)
    added = sorted((p for p in site.papers if p.added), key=added_key)
    latest_papers = [p for p in added if p.added == latest]
    recent = [p for p in added if latest and p.added != latest and (latest - p.added).days <= NEW_DAYS]
    return _render(
        "new.md.j2",
        here="new/",
        latest=latest,
        latest_papers=latest_papers,
        recent=recent,
        days=NEW_DAYS,
        feed="feeds/all.xml",
    )


def _most_upvoted(papers: Sequence[Paper], n: int) -> list[Paper]:
    """The ``n`` most upvoted papers (ties newest first), papers with no upvotes left out."""
    return sorted((p for p in papers if p.upvotes), key=lambda p: (-p.upvotes, p.sort_key))[:n]


def render_top(papers: Sequence[Paper], n: int = 25, per_year: int = 10, topics=(), per_topic: int = 5) -> str:
    """Most upvoted overall, per year and per topic (``topics``: topic and size pairs); ties share a rank."""
    by_year = [(y, ranked(_most_upvoted(ps, per_year))) for y, ps in _dated_by_year(papers).items()]
    by_topic = [(t, ranked(_most_upvoted([p for p in papers if t.id in p.topics], per_topic))) for t, _ in topics]
    return _render(
        "top.md.j2",
        here="top/",
        overall=ranked(_most_upvoted(papers, n)),
        by_year=[(y, ps) for y, ps in by_year if ps],
        by_topic=[(t, ps) for t, ps in by_topic if ps],
    )


def render_home(site: Site) -> str:
    """The home page: what the site holds, topic cards, chart, recently added and most upvoted."""
    dates = [p.date for p in site.papers if p.date]
    return _render(
        "home.md.j2",
        here="",
        site_name=site.name,
        total=len(site.papers),
        topic_sizes=topic_sizes(site),
        latest=newest_listing(site),
        first_date=min(dates) if dates else None,
        last_date=max(dates) if dates else None,
        newest=sorted(site.papers, key=added_key)[: site.home_size],
        top=_most_upvoted(site.papers, site.home_size),
        chart=chart_html(site, ""),
    )
