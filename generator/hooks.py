"""MkDocs hooks of the site (``hooks:`` in mkdocs.yml): the two things the build adds to bare MkDocs.

* **Generated HTML pages skip Markdown.** The generator writes its pages
  (papers, topics, archive, organizations, top, new, home) as front matter and
  raw HTML, already escaped. Python-Markdown would only scan that HTML and hand
  it back unchanged, at about 1.5 ms a paper page and 20-40 ms a list page (its
  HTML-block parser is slow on long lists); here the page's HTML goes straight
  to the theme, with the table of contents taken from its ``h2``/``h3`` ids.
  Hand-written pages are converted as usual.
* **Pages without indentation.** The theme indents its HTML deeply; every
  built page loses the spaces at the start of its lines and its blank lines
  (never inside ``<pre>``, ``<textarea>`` or ``<script>``), about 15% of a
  paper page: the same page on screen, a smaller site.
* **Pagefind indexes paper pages while MkDocs builds.** Each paper page is
  sent to a ``pagefind --service`` process as soon as MkDocs has rendered it,
  so indexing runs on the second core instead of after the build. The paper
  pages (in build order) are split into bundles of at most
  ``extra.atlas.search_bundle_pages`` pages, and at least two; each bundle is
  written and dropped from memory as soon as its last page is in, so Pagefind
  holds one bundle at a time (it needs ~85 KB a page). ``search-bundles.json``
  at the site root lists them; the browser searches them together
  (docs/assets/pagefind-material.js).
* **An unchanged bundle is not indexed again.** Each bundle is keyed by the
  hash of what Pagefind was sent for it (every page's path and indexed HTML,
  in order) and of Pagefind's version; a bundle written once is kept under
  ``.cache/search/<key>/`` beside the project and linked (or, across file
  systems, copied) into the next site whose bundle has the same key, instead of
  asking Pagefind to write it (most of Pagefind's work: ~2 ms a page). It is
  the bytes Pagefind wrote for exactly that input, so a cached build is the
  same search as an uncached one (Pagefind itself orders its filter files
  differently from run to run).

MkDocs loads this file by path (not as part of the ``generator`` package), so
it imports nothing from the generator.
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import os
import re
import select
import shutil
import subprocess
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

HTML_PAGES = ("papers/", "topics/", "archive/", "orgs/", "top/", "new/", "index.md")
"""Docs paths the generator writes as raw HTML (front matter aside): its folders and the home page
(a subset of ``GENERATED_DIRS``/``GENERATED_FILES`` in generator/config.py; a test keeps it so)."""

BUNDLE_PAGES = 5000
"""Default of ``extra.atlas.search_bundle_pages`` (declared in generator/config.py; a test keeps them equal)."""
MIN_BUNDLES = 2
"""Bundles however small the site, so that the search box's merging of bundles is always exercised."""
OUTBOX_BYTES = 16 << 20
"""Bytes of messages queued for the search service before the build waits for it: enough that MkDocs
renders on while the service indexes, few enough that a slow service cannot make memory grow."""
SERVICE_SILENCE = 300
"""Seconds the build waits for an answer from the search service before it fails (it never hangs)."""
PIPE_CHUNK = 1 << 16
"""Bytes written to the service's pipe at a time (a pipe takes 64 KiB)."""
MANIFEST = "search-bundles.json"
"""File at the site root listing the bundle folders, in order, for the search box."""
SEARCH_CACHE = ".cache/search"
"""Folder beside mkdocs.yml where written bundles are kept by the hash of their input (git-ignored)."""
ENTRY = "pagefind-entry.json"
"""The file Pagefind writes last into a bundle; a bundle whose entry file does not parse is not whole."""

log = logging.getLogger(f"mkdocs.hooks.{__name__}")

_ID = re.compile(r'\sid="([^"]+)"')
_KEEP = re.compile(r"(<(pre|textarea|script)\b.*?</\2>)", re.S | re.I)
_INDENT = re.compile(r"\n\s+")
_passed: dict[str, str] = {}
_index: SearchIndex | None = None
_bounds: list[int] = []
"""Number of paper pages sent when each bundle is complete, in order (one per folder of ``_index``)."""


_HEADING = re.compile(r'<h([1-3]) id="([^"]+)">(.*?)</h\1>', re.S)


def is_html_page(src_uri: str, markdown: str) -> bool:
    """Whether a page is generated HTML that Markdown would hand back unchanged.

    >>> is_html_page("papers/x-1a2b3c.md", "<article>...</article>"), is_html_page("about.md", "<p>x</p>")
    (True, False)
    >>> is_html_page("papers/notes.md", "# Notes"), is_html_page("topics/x.md", "<h1>X</h1>\\n\\n## Y\\n<p>y</p>")
    (False, False)
    """
    text = markdown.strip()
    return (
        src_uri.startswith(HTML_PAGES)
        and text.startswith("<")
        and text.endswith(">")
        and not re.search(r"^#", text, re.M)
    )


def toc_tokens(html: str) -> list[dict]:
    """The table of contents of generated HTML, as Markdown's toc extension gives it to MkDocs:
    every heading with an id (``h1``-``h3``), each under the nearest higher heading before it.

    >>> [(t["id"], [c["id"] for c in t["children"]]) for t in toc_tokens(
    ...     '<h1>T</h1><h2 id="a">A</h2><h3 id="a1">A1</h3><h2 id="b">B &amp; C</h2>')]
    [('a', ['a1']), ('b', [])]
    >>> [(t["id"], [c["id"] for c in t["children"]]) for t in toc_tokens('<h1 id="t">T</h1><h2 id="a">A</h2>')]
    [('t', ['a'])]
    """
    tokens: list[dict] = []
    open_: list[dict] = []  # the headings the next one may nest under, outermost first
    for level, ident, name in _HEADING.findall(html):
        token = {"level": int(level), "id": ident, "name": name.strip(), "children": []}
        while open_ and open_[-1]["level"] >= token["level"]:
            open_.pop()
        (open_[-1]["children"] if open_ else tokens).append(token)
        open_.append(token)
    return tokens


def unindent(html: str) -> str:
    """HTML without leading whitespace on its lines nor blank lines, except inside pre, textarea, script.

    >>> unindent("<ul>\\n    <li>a</li>\\n\\n  <li>b</li>\\n</ul>\\n<pre>  x\\n    y</pre>")
    '<ul>\\n<li>a</li>\\n<li>b</li>\\n</ul>\\n<pre>  x\\n    y</pre>'
    """
    parts = _KEEP.split(html)
    out = []
    for k in range(0, len(parts), 3):
        out.append(_INDENT.sub("\n", parts[k]))
        if k + 1 < len(parts):
            out.append(parts[k + 1])
    return "".join(out)


def bundle_folders(papers: int, per_bundle: int = BUNDLE_PAGES) -> list[str]:
    """Folders of the search bundles for ``papers`` paper pages: ``pagefind``, ``pagefind-2``, ...

    >>> bundle_folders(170), bundle_folders(20_000), len(bundle_folders(50_001))
    (['pagefind', 'pagefind-2'], ['pagefind', 'pagefind-2', 'pagefind-3', 'pagefind-4'], 11)
    """
    count = max(MIN_BUNDLES, -(-papers // max(1, per_bundle)))
    return ["pagefind"] + [f"pagefind-{k}" for k in range(2, count + 1)]


def bundle_bounds(papers: int, bundles: int) -> list[int]:
    """Pages sent when each bundle is complete: the pages split as evenly as can be, in order.

    >>> bundle_bounds(10, 3), bundle_bounds(1, 2)
    ([4, 7, 10], [1, 1])
    """
    return [-(-papers * (k + 1) // bundles) for k in range(bundles)]


SEARCH_BODY = '<article class="pa-paper" data-pagefind-body'
"""Start of the part of a paper page that search indexes (the theme around it is ignored anyway)."""


def search_html(page: str) -> str:
    """What Pagefind needs of a built paper page: its language and the ``data-pagefind-body`` article.

    Pagefind indexes only inside ``data-pagefind-body``, where every filter, sort and meta
    attribute is, so the same index comes from a third of the bytes to send and parse.

    >>> search_html('<html lang="en"><head>x</head><body><article class="pa-paper" data-pagefind-body><h1>T</h1>'
    ...             '</article></article></body></html>')
    '<!doctype html><html lang="en"><body><article class="pa-paper" data-pagefind-body><h1>T</h1></article></body></html>'
    >>> search_html("<p>no article</p>")
    '<p>no article</p>'
    """
    start = page.find(SEARCH_BODY)
    end = page.find("</article>", start)
    if start < 0 or end < 0:
        return page
    lang = re.search(r'<html[^>]*\slang="([^"]*)"', page)
    html = f'<html lang="{lang.group(1)}">' if lang else "<html>"
    return f"<!doctype html>{html}<body>{page[start : end + len('</article>')]}</body></html>"


def is_paper(dest_uri: str) -> bool:
    """Whether a built page is a paper page (the pages search indexes).

    >>> is_paper("papers/brain-diffuser-6125ba/index.html"), is_paper("topics/index.html")
    (True, False)
    """
    parts = dest_uri.split("/")
    return len(parts) == 3 and parts[0] == "papers" and parts[2] == "index.html" and bool(parts[1])


def whole(bundle: Path) -> bool:
    """Whether a written bundle folder is whole: its entry file is there and parses."""
    try:
        json.loads((bundle / ENTRY).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return True


def remove(path: Path) -> None:
    """Delete a file or a folder, if it is there."""
    if path.is_dir():
        shutil.rmtree(path, ignore_errors=True)
    else:
        try:
            path.unlink()
        except (FileNotFoundError, NotADirectoryError):
            pass


def link_or_copy(src: str, dst: str) -> None:
    """Put ``src`` at ``dst`` as a second name of the same file, or as a copy across file systems."""
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


def share_tree(src: Path, dst: Path) -> None:
    """Make ``dst`` (removed first) hold the files of ``src``, linked where possible (nothing ever
    writes into such a file: a bundle is only written by Pagefind into a folder it made afresh)."""
    remove(dst)
    shutil.copytree(src, dst, copy_function=link_or_copy)


class BundleCache:
    """Written search bundles kept by the hash of their input, in one folder per key.

    A bundle's key is the hash of the digests of its pages (each page's path and indexed
    HTML), in order, with Pagefind's version and the index settings; a hit therefore holds the
    files Pagefind would write again. Beside the bundles, ``<folder>.pages`` lists the page
    digests each bundle folder had in the last build, so that the next build can tell page by
    page whether a bundle is still the same before sending Pagefind anything. ``prune``
    deletes what this build did not use, so the cache holds one site's bundles.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        """Where the bundles are kept, one sub-folder per key."""
        self.used: set[str] = set()
        """Names (keys and page lists) looked up or kept by this build."""
        try:
            from importlib.metadata import version

            known = f"pagefind {version('pagefind_bin')}"
        except Exception:  # noqa: BLE001 - no version known: no bundle is ever reused
            known = os.urandom(16).hex()
        self.salt = f"{known}\0".encode()
        """What every key also depends on: Pagefind's version."""

    @staticmethod
    def digest(path: str, html: str) -> str:
        """The digest of one page as Pagefind is sent it."""
        return hashlib.sha256(f"{path}\0".encode() + html.encode()).hexdigest()[:32]

    def key(self, settings: dict, digests: list[str]) -> str:
        """The key of a bundle indexed with these settings, of these pages in this order."""
        head = self.salt + json.dumps(settings, sort_keys=True).encode() + b"\0"
        return hashlib.sha256(head + "\n".join(digests).encode()).hexdigest()[:32]

    def last(self, folder: str) -> list[str]:
        """The page digests bundle ``folder`` had in the last build (none known: empty)."""
        name = f"{folder}.pages"
        self.used.add(name)
        try:
            pages = json.loads((self.folder / name).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return []
        return [d for d in pages if isinstance(d, str)] if isinstance(pages, list) else []

    def remember(self, folder: str, digests: list[str]) -> None:
        """Record the page digests of bundle ``folder`` for the next build."""
        self._replace(f"{folder}.pages", lambda temp: temp.write_text(json.dumps(digests), encoding="utf-8"))

    def restore(self, key: str, out: Path) -> bool:
        """Put the bundle kept for ``key`` at ``out``; whether there was a whole one."""
        self.used.add(key)
        kept = self.folder / key
        if not whole(kept):
            return False
        try:
            share_tree(kept, out)
        except OSError:  # e.g. pruned by a build running beside this one: Pagefind writes it instead
            remove(out)
            return False
        return True

    def keep(self, key: str, out: Path) -> None:
        """Keep the bundle just written to ``out`` for ``key``."""
        self._replace(key, lambda temp: share_tree(out, temp))

    def prune(self) -> None:
        """Delete the kept bundles and page lists this build did not use."""
        if self.folder.is_dir():
            for path in self.folder.iterdir():
                if path.name not in self.used:
                    remove(path)

    def _replace(self, name: str, make: Callable[[Path], object]) -> None:
        """Make ``name`` under a temporary name, then put it in place at once (a failure only loses it)."""
        self.used.add(name)
        temp = self.folder / f".{name}.{os.getpid()}"
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            remove(temp)
            make(temp)
            if (self.folder / name).is_dir():
                remove(self.folder / name)
            os.replace(temp, self.folder / name)
        except OSError:
            remove(temp)


class Bundle:
    """One search bundle while the build goes on: its pages so far, and those held back."""

    def __init__(self, folder: str, index_id: int, expected: list[str]) -> None:
        self.folder = folder
        """Its folder under the site."""
        self.index_id = index_id
        """Its index in the search service."""
        self.expected = expected
        """The page digests it had in the last build (empty: unknown)."""
        self.digests: list[str] = []
        """The digests of its pages so far, in order."""
        self.held: list[tuple[str, str]] = []
        """Pages not sent to the service yet, because every page so far is the last build's."""
        self.sending = not expected
        """Whether its pages go to the service as they come (it differs from the last build's)."""

    def record(self, digest: str) -> bool:
        """Add a page of ``digest``; whether the bundle so far still matches the last build's, page by page."""
        self.digests.append(digest)
        k = len(self.digests)
        return not self.sending and k <= len(self.expected) and self.expected[k - 1] == digest


class SearchIndex:
    """Pagefind indexes in a ``pagefind --service`` process, fed page by page, written at the end.

    Speaks the service's protocol (base64 JSON messages ended by a comma) itself, from the
    build's own thread over non-blocking pipes: each page is queued and the pipes are pumped
    whenever the build hands over a page, so MkDocs never waits for the service and no
    second Python thread competes with it for the interpreter. (The Python API's client
    reads one answer per 0.1 s, which would make 10,000 pages take 17 minutes.)
    """

    def __init__(self, folders: list[str], config: dict | None = None, cache: BundleCache | None = None) -> None:
        from pagefind.service import get_executable

        binary = get_executable()
        if binary is None:
            raise FileNotFoundError("pagefind binary not found (pip install 'pagefind[bin]')")
        self._proc = subprocess.Popen(
            [str(binary), "--service"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
        )
        self._stdin, self._stdout = self._proc.stdin.fileno(), self._proc.stdout.fileno()
        os.set_blocking(self._stdin, False)
        os.set_blocking(self._stdout, False)
        self._out, self._in = bytearray(), b""
        self._heard = time.monotonic()
        self._next = 0
        self._answers: dict[int, dict] = {}
        self._then: dict[int, Callable[[dict], None]] = {}
        self.errors: list[str] = []
        self.folders = list(folders)
        """Bundle folders under the site, in order."""
        self.config = config or {}
        """Pagefind's index settings (part of every bundle's cache key)."""
        self.cache = cache
        """Where written bundles are kept and taken from (none: Pagefind writes every bundle)."""
        self.bundles = {
            folder: Bundle(
                folder,
                self.wait(self.request({"type": "NewIndex", "config": self.config}, keep=True))["index_id"],
                cache.last(folder) if cache else [],
            )
            for folder in folders
        }
        """The bundles not written yet, by folder."""
        self.added = 0
        """Pages handed over so far."""
        self.sent = 0
        """Pages sent to Pagefind so far (those of bundles that were not the same as last time)."""
        self.reused: list[str] = []
        """Folders of the bundles taken from the cache instead of being written by Pagefind."""

    def request(self, payload: dict, then: Callable[[dict], None] | None = None, keep: bool = False) -> int:
        """Queue one request and pump the pipes; ``then(answer)`` runs when its answer comes, and with
        ``keep`` the answer is kept for ``wait`` (registered before sending: it may come at once)."""
        self._next += 1
        if keep:
            then = partial(self._answers.__setitem__, self._next)
        if then is not None:
            self._then[self._next] = then
        self._out += base64.b64encode(json.dumps({"message_id": self._next, "payload": payload}).encode()) + b","
        self._pump(block=len(self._out) > OUTBOX_BYTES)
        while len(self._out) > OUTBOX_BYTES:
            self._pump(block=True)
        return self._next

    def wait(self, number: int) -> dict:
        """Pump until request ``number`` (sent with ``keep``) is answered; its answer (raising on an error)."""
        while number not in self._answers:
            self._pump(block=True)
        answer = self._answers.pop(number)
        if answer.get("type") == "Error":
            raise RuntimeError(f"Pagefind: {answer.get('message')}")
        return answer

    def add_page(self, folder: str, path: str, html: str) -> None:
        """Index one built page (``path`` relative to the site, as Pagefind's ``--site`` would see it).

        While a bundle's pages are the last build's, one by one, they are held back: if the
        whole bundle is, its kept copy is used and Pagefind never sees them."""
        self.added += 1
        bundle = self.bundles[folder]
        if self.cache is not None and bundle.record(self.cache.digest(path, html)):
            bundle.held.append((path, html))
            return
        bundle.sending = True
        self._send_held(bundle)
        self._send(bundle, path, html)

    def finish(self, folder: str, site_dir: Path, attempts: int = 3) -> None:
        """Write one bundle (or copy the kept one of the same pages), check that its entry file is
        whole (else write it again), then free its memory in the service; all while the build goes on."""
        bundle = self.bundles.pop(folder)
        out = site_dir / folder
        key = self.cache.key(self.config, bundle.digests) if self.cache is not None else None
        delete = {"type": "DeleteIndex", "index_id": bundle.index_id}
        if key is not None and self.cache.restore(key, out):
            if bundle.digests != bundle.expected:
                self.cache.remember(folder, bundle.digests)
            self.reused.append(folder)
            self.request(delete, lambda a: None)
            return
        self._send_held(bundle)
        remove(out)  # Pagefind writes into a folder of its own, never into files shared with the cache

        def written(answer: dict, left: int = attempts - 1) -> None:
            if answer.get("type") == "Error":
                self.errors.append(f"Pagefind: {answer.get('message')}")
                return
            if not whole(out):
                if left:
                    self.request(write_files, lambda a: written(a, left - 1))
                else:
                    self.errors.append(f"{out}/{ENTRY} is not written whole")
                return
            if key is not None:
                self.cache.keep(key, out)
                self.cache.remember(folder, bundle.digests)
            self.request(delete, lambda a: None)

        write_files = {"type": "WriteFiles", "index_id": bundle.index_id, "output_path": str(out)}
        self.request(write_files, written)

    def _send(self, bundle: Bundle, path: str, html: str) -> None:
        """Send one page of ``bundle`` to the service."""
        self.sent += 1
        self.request({"type": "AddFile", "index_id": bundle.index_id, "file_path": path, "file_contents": html})

    def _send_held(self, bundle: Bundle) -> None:
        """Send the pages ``bundle`` has held back."""
        for path, html in bundle.held:
            self._send(bundle, path, html)
        bundle.held.clear()

    def write(self, site_dir: Path) -> None:
        """Write the bundles not yet written into the site, wait for every answer, stop the service."""
        for folder in list(self.bundles):
            self.finish(folder, site_dir)
        while self._then or self._out:
            self._pump(block=True)
        self.close()
        if self.errors:
            raise RuntimeError("Pagefind could not index: " + "; ".join(self.errors[:5]))
        if self.cache is not None:
            self.cache.prune()

    def close(self) -> None:
        """Stop the service process."""
        if self._proc.poll() is None:
            self._proc.stdin.close()
            self._proc.wait()

    def _pump(self, block: bool) -> None:
        """Write what the pipe takes, read what the service has answered; with ``block``, wait (up
        to a second) for one of them to be possible first."""
        if block:
            if time.monotonic() - self._heard > SERVICE_SILENCE:
                raise RuntimeError(f"the Pagefind service has not answered for {SERVICE_SILENCE} s")
            select.select([self._stdout], [self._stdin] if self._out else [], [], 1.0)
        while self._out:
            try:
                sent = os.write(self._stdin, self._out[:PIPE_CHUNK])
            except BlockingIOError:
                break
            except BrokenPipeError as err:
                raise RuntimeError(f"the Pagefind service stopped reading ({err})") from err
            del self._out[:sent]
        stopped = False
        while True:
            try:
                chunk = os.read(self._stdout, 1 << 16)
            except BlockingIOError:
                break
            if not chunk:
                stopped = True
                break
            self._in += chunk
            self._heard = time.monotonic()
        *messages, self._in = self._in.split(b",")
        for raw in messages:
            answer = json.loads(base64.b64decode(raw))
            payload, number = answer.get("payload", {}), answer.get("message_id")
            then = self._then.pop(number, None)
            if then is not None:
                then(payload)
            elif payload.get("type") == "Error":
                self.errors.append(str(payload.get("message")))
        if stopped and block:
            raise RuntimeError(f"the Pagefind service stopped ({self._in[-300:].decode(errors='replace')})")


def on_pre_build(config) -> None:
    """Stop a previous build's search service (each ``mkdocs serve`` rebuild gets a fresh one)."""
    global _index
    if _index is not None:
        _index.close()
        _index = None
    _passed.clear()


def on_files(files, config):
    """Count the paper pages, split them into bundles, and start the search service for them."""
    global _index, _bounds
    papers = sum(1 for f in files.documentation_pages() if is_paper(f.dest_uri))
    per_bundle = ((config.get("extra") or {}).get("atlas") or {}).get("search_bundle_pages", BUNDLE_PAGES)
    folders = bundle_folders(papers, per_bundle)
    _bounds = bundle_bounds(papers, len(folders))
    cache = BundleCache(Path(config.config_file_path).resolve().parent / SEARCH_CACHE)
    _index = SearchIndex(folders, cache=cache)
    return files


def on_page_markdown(markdown, page, config, files):
    """Generated HTML pages: keep their HTML aside and give Markdown nothing to parse."""
    if is_html_page(page.file.src_uri, markdown):
        _passed[page.file.src_uri] = markdown
        return ""
    return markdown


def on_page_content(html, page, config, files):
    """Put the generated HTML back as the page's content (with its anchors, for link validation)."""
    raw = _passed.pop(page.file.src_uri, None)
    if raw is None:
        return html
    from mkdocs.structure.toc import get_toc

    page.present_anchor_ids = set(_ID.findall(raw))
    if not page.file.src_uri.startswith("papers/"):  # a paper page is short: no table of contents
        page.toc = get_toc(toc_tokens(raw))
    return raw.strip()


def on_post_page(output, page, config):
    """Take the indentation out of each page; send each paper page to its search bundle."""
    output = unindent(output)
    if _index is not None and is_paper(page.file.dest_uri):
        folders = _index.folders
        k = next((k for k, bound in enumerate(_bounds) if _index.added < bound), len(folders) - 1)
        _index.add_page(folders[k], page.file.dest_uri, search_html(output))
        if _index.added == _bounds[k] and k + 1 < len(folders):
            _index.finish(folders[k], Path(config["site_dir"]))
    return output


def on_post_build(config) -> None:
    """Write the search bundles into the site, and the list of them."""
    global _index
    if _index is not None:
        index, _index = _index, None
        site_dir = Path(config["site_dir"])
        index.write(site_dir)
        log.info(
            "Search: %d of %d bundles unchanged and taken from %s; %d pages indexed by Pagefind",
            len(index.reused),
            len(index.folders),
            SEARCH_CACHE,
            index.sent,
        )
        (site_dir / MANIFEST).write_text(json.dumps([f"{f}/" for f in index.folders]) + "\n", encoding="utf-8")


def on_build_error(error) -> None:
    """A failed build stops the search service too."""
    global _index
    if _index is not None:
        _index.close()
        _index = None
