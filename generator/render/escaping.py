"""Render stage: untrusted text (titles, abstracts, organization names) -> text safe in a page. Pure.

Every value a listing gives reaches a page through one of these (or Jinja2's autoescaping,
whose ``finalize`` is ``clean``): HTML-escaped, control characters dropped, and in front matter
quoted for YAML, so nothing a listing says is ever read as Markdown, HTML, YAML or script.
"""

from __future__ import annotations

import json
import re

from markupsafe import Markup, escape

from ..text import display_segments


def abstract_html(raw: str) -> Markup:
    """Escaped display text with the author's emphasis as ``<em>``.

    >>> str(abstract_html(r"<b>{\\em x} 5\\%</b>"))
    '&lt;b&gt;<em>x</em> 5%&lt;/b&gt;'
    """
    return Markup("").join(
        Markup("<em>%s</em>") % clean(text) if italic else escape(clean(text)) for text, italic in display_segments(raw)
    )


_YAML_UNPRINTABLE = re.compile("[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


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


def yaml_json(value) -> Markup:
    r"""A front-matter string holding JSON for a ``<script>``: ``<``, ``>``, ``&`` as ``\u`` escapes.

    The theme prints it raw inside ``<script type="application/ld+json">``, so
    no title can close the script element.

    >>> print(yaml_json({"name": "</script>"}))
    "{\"name\": \"\\u003c/script\\u003e\"}"
    """
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    quoted = json.dumps(clean(text), ensure_ascii=False)
    return Markup(_YAML_UNPRINTABLE.sub(lambda m: f"\\u{ord(m.group()):04x}", quoted))
