"""The MkDocs hooks: generated HTML pages skip Markdown without changing a byte of what the theme gets."""

from __future__ import annotations

import importlib.util
import re
from types import SimpleNamespace

import markdown
import yaml
from project import REPO
from sitefixture import make_site

from generator.config import GENERATED_DIRS, GENERATED_FILES, Config
from generator.render.pages import render_pages

spec = importlib.util.spec_from_file_location("atlas_hooks", REPO / "generator" / "hooks.py")
hooks = importlib.util.module_from_spec(spec)
spec.loader.exec_module(hooks)


def _markdown_html(body: str) -> str:
    """What MkDocs' Markdown (with our mkdocs.yml extensions) makes of a page body."""
    config = yaml.load((REPO / "mkdocs.yml").read_text(), Loader=yaml.BaseLoader)
    extensions = [e if isinstance(e, str) else next(iter(e)) for e in config["markdown_extensions"]]
    configs = {k: v for e in config["markdown_extensions"] if isinstance(e, dict) for k, v in e.items()}
    return markdown.Markdown(extensions=extensions, extension_configs=configs).convert(body)


def _toc(links) -> list:
    return [(a.id, _toc(a.children)) for a in links]


def _page(path: str) -> SimpleNamespace:
    return SimpleNamespace(
        file=SimpleNamespace(src_uri=path, dest_uri=path.replace(".md", "/index.html")), present_anchor_ids=None
    )


def test_paper_pages_pass_through_with_the_html_markdown_would_make():
    pages = render_pages(make_site())
    papers = [path for path in pages if path.startswith("papers/")]
    assert papers
    for path in papers:
        body = pages[path].split("---", 2)[2]
        page = _page(path)
        assert hooks.on_page_markdown(body, page, None, None) == ""
        assert hooks.on_page_content("", page, None, None) == _markdown_html(body)
        assert "abstract" in page.present_anchor_ids


def test_list_pages_pass_through_with_markdowns_html_and_table_of_contents():
    """Topic, archive, top, new, organization and home pages are HTML too: Markdown's output and TOC."""
    pages = render_pages(make_site())
    lists = [path for path in pages if not path.startswith("papers/")]
    tocs: dict[str, list] = {}
    assert {"index.md", "topics/index.md", "archive/index.md", "top/index.md", "new/index.md"} <= set(lists)
    assert any(path.startswith("topics/") and path != "topics/index.md" for path in lists)
    for path in lists:
        body = pages[path].split("---", 2)[2]
        page = _page(path)
        assert hooks.on_page_markdown(body, page, None, None) == "", path
        assert hooks.on_page_content("", page, None, None) == _markdown_html(body), path
        tocs[path] = _toc(page.toc)
    # what the Markdown headings of these pages gave: an h1 with an id holds the h2s, h3s sit in their h2
    topic = next(p for p in lists if p.startswith("topics/") and p != "topics/index.md")
    assert tocs[topic] and all(id_.startswith("y") or id_ == "secondary" for id_, _ in tocs[topic]), tocs[topic]
    assert tocs["top/index.md"] == [("top-papers", tocs["top/index.md"][0][1])]
    top = dict(tocs["top/index.md"][0][1])
    assert "overall" in top and top["topics"] and all(t.startswith("t-") for t, _ in top["topics"])
    year = next(p for p in lists if re.fullmatch(r"archive/\d{4}\.md", p))
    [(year_id, months)] = tocs[year]
    assert year_id == year[8:12] and months and all(m.endswith("-" + year_id) for m, _ in months)
    assert tocs["index.md"] and [t for t, _ in tocs["index.md"]] == ["topics", "chart", "newest", "top"]


def test_hand_written_pages_still_go_through_markdown():
    about = "# About\n\nText.\n\n<p>Some HTML.</p>"
    assert hooks.on_page_markdown(about, _page("about.md"), None, None) == about
    mixed = "<p>Intro</p>\n\n## Notes\n\n<p>x</p>"
    assert hooks.on_page_markdown(mixed, _page("topics/notes.md"), None, None) == mixed


def test_the_hook_knows_every_generated_page_folder():
    assert {p.rstrip("/") for p in hooks.HTML_PAGES} <= set(GENERATED_DIRS) | set(GENERATED_FILES)
    pages = render_pages(make_site())
    assert all(path.startswith(hooks.HTML_PAGES) for path in pages), sorted(
        p for p in pages if not p.startswith(hooks.HTML_PAGES)
    )


def test_unindent_keeps_what_whitespace_means():
    html = "<p>a\n    <em>b</em></p>\n\n<pre><code>  keep\n    this</code></pre>\n<script>\n  var s = 1;\n</script>"
    out = hooks.unindent(html)
    assert "<p>a\n<em>b</em></p>" in out
    assert "<pre><code>  keep\n    this</code></pre>" in out and "<script>\n  var s = 1;\n</script>" in out


def test_search_bundles_split_the_pages_evenly_in_order_and_default_as_the_settings_say():
    assert Config.search_bundle_pages == hooks.BUNDLE_PAGES
    for papers, per in [(0, 5000), (1, 5000), (170, 5000), (10_000, 5000), (20_001, 5000), (150, 40)]:
        folders = hooks.bundle_folders(papers, per)
        bounds = hooks.bundle_bounds(papers, len(folders))
        sizes = [b - a for a, b in zip([0] + bounds, bounds)]
        assert len(folders) == len(set(folders)) >= 2 and folders[0] == "pagefind"
        assert bounds[-1] == papers and min(sizes) >= 0 and max(sizes) - min(sizes) <= 1
        assert max(sizes) <= max(per, -(-papers // 2)), (papers, per, sizes)
