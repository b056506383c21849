"""Turn a generated page into HTML as MkDocs would, and inspect what is live in it."""

from __future__ import annotations

from html.parser import HTMLParser

import markdown
import yaml

ALLOWED_TAGS = {
    "article",
    "h1",
    "h2",
    "p",
    "a",
    "ul",
    "li",
    "br",
    "span",
    "time",
    "em",
    "div",
    "pre",
    "code",
    "strong",
    "figure",
    "img",
    "nav",
    "ol",
    "h3",
    "figcaption",
}


def split_page(text: str) -> tuple[dict, str]:
    """Front matter (as YAML) and the Markdown body of a generated page."""
    _, front, body = text.split("---\n", 2)
    return yaml.safe_load(front), body


def to_html(text: str) -> str:
    """The page body through Python-Markdown with the site's extensions."""
    return markdown.markdown(split_page(text)[1], extensions=["attr_list", "toc"])


class Inspector(HTMLParser):
    """Collects tags, attributes and text of an HTML fragment."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []
        self._stack: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._stack.append(tag)

    def handle_endtag(self, tag):
        if tag in self._stack:
            while self._stack and self._stack.pop() != tag:
                pass

    def handle_data(self, data):
        self.text.append(data)


def inspect(html: str) -> Inspector:
    """Parse an HTML fragment."""
    parser = Inspector()
    parser.feed(html)
    parser.close()
    return parser


def live_markup(html: str) -> list[str]:
    """Everything in ``html`` that a browser would act on beyond our own markup."""
    found = []
    for tag, attrs in inspect(html).tags:
        if tag not in ALLOWED_TAGS:
            found.append(f"<{tag}>")
        for name, value in attrs.items():
            if name.startswith("on") or name in {"style", "srcdoc"}:
                found.append(f"{tag}[{name}]")
            if name in {"href", "src"} and (value or "").strip().lower().startswith(
                ("javascript:", "data:", "vbscript:")
            ):
                found.append(f"{tag}[{name}={value}]")
    return found


def without_chart(html: str) -> str:
    """``html`` without the home page's inline chart (matplotlib's SVG, styled by attributes; tested on its own)."""
    start = html.find('<figure class="pa-chart"')
    return html if start < 0 else html[:start] + html[html.index("</figure>", start) + len("</figure>") :]


def element_text(html: str, tag: str) -> str:
    """Text inside the first ``<tag>`` of ``html`` (our templates put no tags inside h1)."""
    start = html.index(f"<{tag}")
    start = html.index(">", start) + 1
    end = html.index(f"</{tag}>", start)
    return "".join(inspect(html[start:end]).text)
