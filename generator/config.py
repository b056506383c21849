"""Configuration: declared once, with defaults, validated at start-up. Pure.

Everything lives in ``mkdocs.yml``: the site name is MkDocs' own ``site_name``
and the generator's settings sit under ``extra.atlas``, a place MkDocs and
Zensical both read without complaint::

    site_name: Paper Atlas
    extra:
      atlas:
        seeds: seeds                      # folder of listings
        topics_file: seeds/_topics.json   # fitted topics, committed
        capture_dates:                    # for listings whose dates carry no year
          002_3337651eb4912f9a.txt: 2025-08-05
        topics: {max_topics: 16}          # passed to topics.TopicSettings
"""

from __future__ import annotations

import datetime as dt
import os
import typing
from dataclasses import dataclass, field, fields
from pathlib import PurePosixPath

import yaml

from .model import Problem

GENERATED_DIRS = (
    "papers",
    "topics",
    "archive",
    "top",
    "new",
    "orgs",
    "feeds",
    "assets/generated",
    "pagefind",
    "pagefind-2",
)
"""Folders under ``docs/`` that the generator owns entirely (never hand-edited)."""
GENERATED_FILES = ("index.md", "papers.json")
"""Single files under ``docs/`` that the generator owns."""


@dataclass(frozen=True)
class Config:
    """The settings of one site."""

    site_name: str = "Paper Atlas"
    """Shown in the header, page titles and feeds (MkDocs ``site_name``)."""
    site_url: str = ""
    """Public address, e.g. ``https://lab.github.io/atlas/``; makes permalinks and feeds absolute."""
    docs_dir: str = "docs"
    """MkDocs' docs folder, relative to the project root."""
    site_dir: str = "site"
    """MkDocs' output folder, relative to the project root; the search index goes into it."""
    seeds: str = "seeds"
    """Folder of listing files, relative to the project root."""
    topics_file: str = "seeds/_topics.json"
    """The fitted topic model, committed so topics stay put between builds."""
    capture_dates: dict = field(default_factory=dict)
    """Listing file name -> capture date, for listings whose dates carry no year."""
    topics: dict = field(default_factory=dict)
    """Keyword arguments for ``topics.TopicSettings``."""
    redirects: dict = field(default_factory=dict)
    """Old site path -> new site path, e.g. ``papers/old-id/: papers/new-id/``."""
    feed_size: int = 30
    """Entries per Atom feed."""
    home_size: int = 10
    """Papers in the home page's "newest" and "most upvoted" lists."""
    page_size: int = 100
    """Papers on one topic or archive page (keeps every page small at any catalog size)."""
    published: str = ""
    """The live site's ``papers.json`` (URL, or path from the project root): its addresses are kept."""
    search_bundle_pages: int = 5000
    """Paper pages per search bundle. Pagefind holds a bundle in memory while it indexes it (~85 KB a
    page), so a large site is indexed as several bundles, which the search box queries together."""
    lines: dict = field(default_factory=dict, repr=False, compare=False)
    """Line of each key in the configuration file, by dotted path (for messages); not a setting."""


_MKDOCS_KEYS = ("site_name", "site_url", "docs_dir", "site_dir")


class _Loader(yaml.SafeLoader):
    """A safe loader that resolves MkDocs' ``!ENV`` tag and reads other tags as ``None``."""


def _env_tag(loader: yaml.SafeLoader, node: yaml.Node):
    """``!ENV NAME`` or ``!ENV [NAME, OTHER, default]``: the first variable set, else the default."""
    names = [loader.construct_scalar(node)] if isinstance(node, yaml.ScalarNode) else loader.construct_sequence(node)
    *variables, default = names if len(names) > 1 else names + [None]
    return next((os.environ[v] for v in variables if os.environ.get(v)), default)


_Loader.add_constructor("!ENV", _env_tag)
_Loader.add_multi_constructor("", lambda loader, suffix, node: None)


def key_lines(text: str) -> dict[str, int]:
    r"""1-based line of every mapping key, by dotted path, so a problem can point at its line.

    >>> key_lines("extra:\n  atlas:\n    feed_size: 5\n")["extra.atlas.feed_size"]
    3
    """
    lines: dict[str, int] = {}

    def walk(node: yaml.Node, path: str) -> None:
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode):
                    here = f"{path}.{key.value}" if path else str(key.value)
                    lines.setdefault(here, key.start_mark.line + 1)
                    walk(value, here)

    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError:
        return lines
    if root is not None:
        walk(root, "")
    return lines


def _expected(hint: object) -> str:
    """What a declared type asks for, in words."""
    if hint is bool:
        return "true or false"
    if hint is int:
        return "a whole number"
    if hint is float:
        return "a number"
    if hint is str:
        return "a text"
    if typing.get_origin(hint) is tuple:
        return "a list of texts"
    if hint is dict or typing.get_origin(hint) is dict:
        return "a mapping (key: value lines)"
    return str(hint)


def _fits(value: object, hint: object) -> bool:
    """Whether a YAML value has the declared type (``true`` is no number, ``3`` is a fine float)."""
    if hint is bool:
        return isinstance(value, bool)
    if hint is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if hint is float:
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if hint is str:
        return isinstance(value, str)
    if typing.get_origin(hint) is tuple:
        return isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value)
    if hint is dict or typing.get_origin(hint) is dict:
        return isinstance(value, dict)
    return True


def check_fields(
    schema: type,
    values: object,
    prefix: str,
    source: str,
    lines: dict[str, int] | None = None,
    skip: tuple[str, ...] = (),
) -> tuple[dict, list[Problem]]:
    """The entries of ``values`` that are fields of the dataclass ``schema`` with the declared type.

    Every unknown key and every value of the wrong type is one problem naming the key,
    what was expected and the value; the field then keeps its default.

    >>> @dataclass(frozen=True)
    ... class S:
    ...     size: int = 3
    >>> good, problems = check_fields(S, {"size": "big", "colour": 1}, "extra.atlas.x", "mkdocs.yml")
    >>> good, [str(p) for p in problems]
    ({}, ["mkdocs.yml: extra.atlas.x.size must be a whole number: 'big'", "mkdocs.yml: unknown key extra.atlas.x.colour (known: size): '1'"])
    """
    lines = lines or {}
    if values is None:
        return {}, []
    if not isinstance(values, dict):
        return {}, [
            Problem(source, lines.get(prefix, 0), f"{prefix} must be a mapping (key: value lines)", str(values))
        ]
    hints = typing.get_type_hints(schema)
    known = sorted(f.name for f in fields(schema) if f.init and f.name not in skip)
    good, problems = {}, []
    for key, value in values.items():
        line = lines.get(f"{prefix}.{key}", lines.get(prefix, 0))
        if key not in known:
            problems.append(
                Problem(source, line, f"unknown key {prefix}.{key} (known: {', '.join(known)})", str(value))
            )
        elif not _fits(value, hints[key]):
            problems.append(Problem(source, line, f"{prefix}.{key} must be {_expected(hints[key])}", str(value)))
        else:
            good[key] = value
    return good, problems


def load_config(text: str, source: str = "mkdocs.yml") -> tuple[Config, list[Problem]]:
    """Read ``mkdocs.yml`` text into a Config; unknown or bad ``extra.atlas`` keys are problems.

    >>> cfg, problems = load_config("site_name: Lab Atlas\\nextra:\\n  atlas:\\n    feed_size: 5\\n    colour: red\\n")
    >>> cfg.site_name, cfg.feed_size, [str(p) for p in problems]
    ('Lab Atlas', 5, ["mkdocs.yml:5: unknown key extra.atlas.colour (known: capture_dates, feed_size, home_size, page_size, published, redirects, search_bundle_pages, seeds, topics, topics_file): 'red'"])
    """
    try:
        raw = yaml.load(text, Loader=_Loader) or {}
    except yaml.YAMLError as err:
        return Config(), [Problem(source, 0, f"not valid YAML ({err})")]
    if not isinstance(raw, dict):
        return Config(), [Problem(source, 1, "expected a mapping of settings at the top level", str(raw))]
    lines = key_lines(text)
    extra = raw.get("extra") or {}
    atlas = extra.get("atlas") if isinstance(extra, dict) else None
    if atlas is not None and not isinstance(atlas, dict):
        return Config(), [
            Problem(source, lines.get("extra.atlas", 0), "extra.atlas must be a mapping (key: value lines)", str(atlas))
        ]
    values, problems = check_fields(Config, atlas, "extra.atlas", source, lines, skip=_MKDOCS_KEYS + ("lines",))
    values["capture_dates"], bad = _dates(values.get("capture_dates") or {}, source, lines)
    problems += bad
    for key in ("feed_size", "home_size", "page_size", "search_bundle_pages"):
        if key in values and values[key] <= 0:
            problems.append(
                Problem(
                    source,
                    lines.get(f"extra.atlas.{key}", 0),
                    f"extra.atlas.{key} must be a positive whole number",
                    str(values.pop(key)),
                )
            )
    for key in ("redirects",):
        bad_pairs = [k for k, v in values.get(key, {}).items() if not isinstance(k, str) or not isinstance(v, str)]
        for k in bad_pairs:
            problems.append(
                Problem(
                    source,
                    lines.get(f"extra.atlas.{key}.{k}", 0),
                    f"extra.atlas.{key}.{k} must map an old address to a new one",
                    str(values[key][k]),
                )
            )
            del values[key][k]
    mkdocs = {k: str(raw.get(k) or getattr(Config, k)) for k in _MKDOCS_KEYS}
    return Config(**mkdocs, **values, lines=lines), sorted(problems, key=lambda p: p.line)


def _dates(values: dict, source: str, lines: dict[str, int]) -> tuple[dict, list[Problem]]:
    """Validate ``capture_dates``: file name -> ``YYYY-MM-DD``."""
    good, problems = {}, []
    for name, value in values.items():
        try:
            good[PurePosixPath(str(name)).name] = (
                value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
            )
        except ValueError:
            problems.append(
                Problem(
                    source,
                    lines.get(f"extra.atlas.capture_dates.{name}", 0),
                    f"extra.atlas.capture_dates.{name} is not a date YYYY-MM-DD",
                    str(value),
                )
            )
    return good, problems
