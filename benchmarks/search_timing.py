"""Search at scale, as a visitor sees it: headless Chromium types a query into the search box.

For a built site (Material's own search, or Pagefind shown in Material's box
by ``docs/assets/pagefind-material.js``) it measures:

* ``cold``: the visitor types as soon as the page has loaded (the index may
  still be downloading or building);
* ``warm``: the visitor types after the search has loaded everything it
  preloads;
* for each: ms from the first key to the first result on screen, ms from the
  last key to the final result list, and the bytes transferred (whole visit,
  and the part that is search: index, worker, Pagefind files);
* quality: for known-item queries (distinctive words of a paper's title), the
  rank of that paper in the results (hit if in the top 5), and for topical
  queries the share of the top 10 whose page contains every query word.

Usage::

    python benchmarks/search_timing.py SITE_DIR --engine material|pagefind [--json out.json]
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import os
import re
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from scripts.setup_system import BROWSER_ARGS, find_browser  # noqa: E402  (where make test looks)

CHROMIUM_ARGS = list(BROWSER_ARGS)
TYPE_DELAY_MS = 90
"""Pause between keys: a quick typist, about 11 characters a second."""
SETTLE_MS = 1500
"""The result list is final when it has not changed for this long after the last key."""
TOPICAL_QUERIES = [
    "fmri decoding",
    "spiking neural network",
    "continual learning",
    "visual cortex",
    "language models brain",
    "reinforcement learning",
]

PROBE = """
(() => {
  const b = window.__bench = {keys: [], first: null, changes: []};
  document.addEventListener("keydown", () => b.keys.push(performance.now()), true);
  const list = () => document.querySelector(".md-search-result__list");
  const watch = () => {
    const el = list();
    if (!el) return setTimeout(watch, 20);
    new MutationObserver(() => {
      const t = performance.now();
      b.changes.push(t);
      if (b.first === null && b.keys.length && el.querySelector("li")) b.first = t;
    }).observe(el, {childList: true, subtree: true});
  };
  document.addEventListener("DOMContentLoaded", watch);
})();
"""


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:  # noqa: D401 - silence the access log
        pass


@contextmanager
def serve(site: Path):
    """Serve ``site`` on 127.0.0.1 (a free port) for the duration of the block; yields the base URL."""
    handler = functools.partial(_Quiet, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def is_search_url(url: str) -> bool:
    """Whether a request belongs to search rather than to the page itself.

    >>> is_search_url("http://h/search/search_index.json"), is_search_url("http://h/pagefind/x.pf_index")
    (True, True)
    >>> is_search_url("http://h/assets/javascripts/bundle.js")
    False
    """
    return bool(re.search(r"/search/search_index\.json|/workers/search\.|/pagefind/|pagefind-material", url))


def _visit(browser, url: str, query: str, warm: bool) -> dict:
    """One visit: load ``url``, maybe wait for search to preload, type ``query``; the figures."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.add_init_script(PROBE)
    sizes = {"page": 0, "search": 0}
    pending = []
    page.on("requestfinished", lambda req: pending.append(req))
    page.goto(url, wait_until="load")
    box = page.locator("input.md-search__input")
    ready_ms = None
    if warm:
        box.click()  # Pagefind loads on focus; Material starts loading at page load
        page.wait_for_load_state("networkidle")
        ready_ms = _wait_ready(page)
        page.wait_for_timeout(300)
    box.click()
    page.keyboard.type(query, delay=TYPE_DELAY_MS)
    _wait_settled(page)
    bench = page.evaluate("window.__bench")
    for req in pending:
        try:
            body = req.sizes()["responseBodySize"]
        except Exception:  # noqa: BLE001 - a request without sizes counts as 0 bytes
            body = 0
        sizes["search" if is_search_url(req.url) else "page"] += body
    links = page.eval_on_selector_all(".md-search-result__link", "els => els.map(e => e.href)")
    context.close()
    keys, changes = bench["keys"], bench["changes"]
    last = keys[-1] if keys else 0
    final = max((c for c in changes), default=None)
    return {
        "first_ms": round(bench["first"] - keys[0]) if bench["first"] and keys else None,
        "final_ms": round(max(final - last, 0)) if final is not None and keys else None,
        "page_bytes": sizes["page"],
        "search_bytes": sizes["search"],
        "results": links,
        "ready_ms": ready_ms,
    }


def _wait_ready(page) -> int:
    """Wait until the search box no longer says it is initializing; ms since navigation start."""
    page.wait_for_function(
        "!/initializ/i.test((document.querySelector('.md-search-result__meta') || {}).textContent || '')",
        timeout=180_000,
        polling=50,
    )
    return round(page.evaluate("performance.now()"))


def _wait_settled(page, settle_ms: int = SETTLE_MS) -> None:
    """Wait until results (or "no matching") are shown and the list has not changed for ``SETTLE_MS``.

    Gives up after 180 s (a search that slow shows as no result).
    """
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        idle = page.evaluate(SETTLED)
        if idle >= settle_ms:
            return
        page.wait_for_timeout(100)


SETTLED = """(() => {
  const b = window.__bench;
  const meta = (document.querySelector('.md-search-result__meta') || {}).textContent || '';
  const shown = document.querySelector('.md-search-result__list li') || /no matching/i.test(meta);
  if (!shown) return 0;
  return performance.now() - Math.max(b.keys.at(-1) || 0, b.changes.at(-1) || 0);
})()"""


def _query_results(page, query: str) -> list[str]:
    """Result URLs for ``query`` in an already loaded page, waiting for the list to settle."""
    page.evaluate("window.__bench.changes = []; window.__bench.keys = []")
    box = page.locator("input.md-search__input")
    box.click()
    box.fill(query)  # one input event: the list shows this query's results, not a prefix's
    page.keyboard.press("End")
    _wait_settled(page, settle_ms=2500)
    return page.eval_on_selector_all(".md-search-result__link", "els => els.map(e => e.href)")


def quality(browser, url: str, known: list[tuple[str, str]], site: Path) -> dict:
    """Known-item hits in the top 5 and topical precision of the top 10."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.add_init_script(PROBE)
    page.goto(url, wait_until="load")
    page.locator("input.md-search__input").click()
    page.wait_for_load_state("networkidle")
    _wait_ready(page)
    ranks = []
    for query, target in known:
        links = _pages(_query_results(page, query))
        ranks.append(links.index(target) + 1 if target in links else None)
    precision = []
    for query in TOPICAL_QUERIES:
        links = _pages(_query_results(page, query))[:10]
        words = query.split()
        good = sum(1 for u in links if _page_has(site, u, words))
        precision.append(good / len(links) if links else 0.0)
    context.close()
    return {
        "known_top5": sum(1 for r in ranks if r and r <= 5),
        "known_total": len(known),
        "known_ranks": ranks,
        "topical_precision": sum(precision) / len(precision),
        "topical_each": dict(zip(TOPICAL_QUERIES, precision)),
    }


def _path(url: str) -> str:
    """Site-relative page path of a result URL, without query or fragment.

    >>> _path("http://127.0.0.1:8000/papers/x-1a2b3c/?h=fmri#abstract")
    'papers/x-1a2b3c/'
    """
    path = re.sub(r"^https?://[^/]+/", "", url).split("#")[0].split("?")[0]
    return re.sub(r"index\.html$", "", path)


def _pages(urls: list[str]) -> list[str]:
    """Distinct result pages in order (Material lists a page's sections as extra links)."""
    seen: dict[str, None] = {}
    for url in urls:
        seen.setdefault(_path(url), None)
    return list(seen)


def _page_has(site: Path, path: str, words: list[str]) -> bool:
    """Whether the page's main text contains every word (as a word prefix)."""
    file = site / path / "index.html" if not path.endswith(".html") else site / path
    if not file.exists():
        return False
    html = file.read_text(errors="replace")
    body = html.split('class="md-content"', 1)[-1]
    text = re.sub(r"<[^>]+>", " ", body).lower()
    return all(re.search(r"\b" + re.escape(w.rstrip("s")), text) for w in words)


def known_items(site: Path, count: int = 20, pattern: str = "p/*/index.html") -> list[tuple[str, str]]:
    """Known-item queries: three distinctive title words of ``count`` evenly spread pages."""
    pages = sorted(site.glob(pattern))
    step = max(1, len(pages) // count)
    out = []
    for file in pages[::step][:count]:
        m = re.search(r"<h1[^>]*>(.*?)</h1>", file.read_text(errors="replace"), re.S)
        if not m:
            continue
        title = re.sub(r"<[^>]+>|&\w+;|\s+", " ", m.group(1)).strip()
        words = [w.strip("-") for w in re.findall(r"[A-Za-z][A-Za-z\-]{3,}", title)]
        words = sorted(words, key=lambda w: (-len(w), w))[:3]
        out.append((" ".join(words), str(file.parent.relative_to(site)) + "/"))
    return out


def _median(visits: list[dict]) -> dict:
    """The visit with the median final-list time (missing times count as slowest), plus every run's times."""
    ordered = sorted(visits, key=lambda v: (v["final_ms"] is None, v["final_ms"] or 0))
    mid = dict(ordered[len(ordered) // 2])
    mid["runs"] = [(v["first_ms"], v["final_ms"]) for v in visits]
    return mid


def measure(
    site: Path,
    engine: str,
    pages: str = "p/*/index.html",
    query: str = "fmri decoding",
    with_quality: bool = True,
    repeat: int = 3,
) -> dict:
    """All the figures for one built site (``engine`` only labels the result)."""
    from playwright.sync_api import sync_playwright

    with serve(site) as url, sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=str(find_browser(headless_shell=False)), headless=True, args=CHROMIUM_ARGS
        )
        try:
            result = {
                "engine": engine,
                "query": query,
                "load_before": os.getloadavg()[0],
                "cold": _median([_visit(browser, url, query, warm=False) for _ in range(repeat)]),
                "warm": _median([_visit(browser, url, query, warm=True) for _ in range(repeat)]),
            }
            if with_quality:
                result["quality"] = quality(browser, url, known_items(site, pattern=pages), site)
        finally:
            browser.close()
    result["load_after"] = os.getloadavg()[0]
    for visit in ("cold", "warm"):
        result[visit]["results"] = len(result[visit]["results"])
    return result


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("site", type=Path)
    ap.add_argument("--engine", choices=["material", "pagefind"], required=True)
    ap.add_argument("--pages", default="p/*/index.html", help="glob of paper pages, for known-item queries")
    ap.add_argument("--query", default="fmri decoding")
    ap.add_argument("--no-quality", action="store_true")
    ap.add_argument("--json", type=Path, help="also write the figures here")
    args = ap.parse_args(argv)
    result = measure(args.site, args.engine, args.pages, args.query, not args.no_quality)
    text = json.dumps(result, indent=1)
    if args.json:
        args.json.write_text(text)
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
