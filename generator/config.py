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
from dataclasses import dataclass, field, fields
from pathlib import PurePosixPath

import yaml

from .model import Problem

GENERATED_DIRS = ("papers", "topics", "archive", "top", "new", "orgs", "feeds", "assets/generated", "pagefind", "pagefind-2")
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


_ATLAS_KEYS = {f.name for f in fields(Config)} - {"site_name", "site_url", "docs_dir", "site_dir"}


class _Loader(yaml.SafeLoader):
    """A safe loader that resolves MkDocs' ``!ENV`` tag and reads other tags as ``None``."""


def _env_tag(loader: yaml.SafeLoader, node: yaml.Node):
    """``!ENV NAME`` or ``!ENV [NAME, OTHER, default]``: the first variable set, else the default."""
    names = [loader.construct_scalar(node)] if isinstance(node, yaml.ScalarNode) else loader.construct_sequence(node)
    *variables, default = names if len(names) > 1 else names + [None]
    return next((os.environ[v] for v in variables if os.environ.get(v)), default)


_Loader.add_constructor("!ENV", _env_tag)
_Loader.add_multi_constructor("", lambda loader, suffix, node: None)


def load_config(text: str, source: str = "mkdocs.yml") -> tuple[Config, list[Problem]]:
    """Read ``mkdocs.yml`` text into a Config; unknown or bad ``extra.atlas`` keys are problems.

    >>> cfg, problems = load_config("site_name: Lab Atlas\\nextra:\\n  atlas:\\n    feed_size: 5\\n    colour: red\\n")
    >>> cfg.site_name, cfg.feed_size, [str(p) for p in problems]
    ('Lab Atlas', 5, ["mkdocs.yml: unknown key extra.atlas.colour (known: capture_dates, feed_size, home_size, page_size, redirects, seeds, topics, topics_file): 'red'"])
    """
    try:
        raw = yaml.load(text, Loader=_Loader) or {}
    except yaml.YAMLError as err:
        return Config(), [Problem(source, 0, f"not valid YAML ({err})")]
    atlas = ((raw.get("extra") or {}).get("atlas") or {}) if isinstance(raw, dict) else {}
    problems = [Problem(source, 0, f"unknown key extra.atlas.{k} (known: {', '.join(sorted(_ATLAS_KEYS))})", str(v))
                for k, v in atlas.items() if k not in _ATLAS_KEYS]
    values = {k: v for k, v in atlas.items() if k in _ATLAS_KEYS}
    values["capture_dates"], bad = _dates(values.get("capture_dates") or {}, source)
    problems += bad
    for key in ("feed_size", "home_size", "page_size"):
        if key in values and not (isinstance(values[key], int) and values[key] > 0):
            problems.append(Problem(source, 0, f"extra.atlas.{key} must be a positive whole number", str(values.pop(key))))
    return Config(site_name=str(raw.get("site_name") or "Paper Atlas"),
                  site_url=str(raw.get("site_url") or ""),
                  docs_dir=str(raw.get("docs_dir") or "docs"), site_dir=str(raw.get("site_dir") or "site"),
                  **values), problems


def _dates(values: dict, source: str) -> tuple[dict, list[Problem]]:
    """Validate ``capture_dates``: file name -> ``YYYY-MM-DD``."""
    good, problems = {}, []
    for name, value in values.items():
        try:
            good[PurePosixPath(str(name)).name] = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
        except ValueError:
            problems.append(Problem(source, 0, f"extra.atlas.capture_dates.{name} is not a date YYYY-MM-DD", str(value)))
    return good, problems
