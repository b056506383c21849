"""Configuration: defaults, validation with named keys, !ENV resolution."""

from __future__ import annotations

import datetime as dt

from generator.config import Config, load_config


def test_defaults_when_nothing_is_set():
    cfg, problems = load_config("site_name: X\n")
    assert problems == [] and cfg.seeds == "seeds" and cfg.topics_file == "seeds/_topics.json"
    assert cfg.site_name == "X" and Config().site_name == "Paper Atlas"


def test_capture_dates_are_parsed_and_bad_ones_reported():
    cfg, problems = load_config("extra:\n  atlas:\n    capture_dates:\n      a.txt: 2025-08-05\n      b.txt: soon\n")
    assert cfg.capture_dates == {"a.txt": dt.date(2025, 8, 5)}
    assert [str(p) for p in problems] == [
        "mkdocs.yml:5: extra.atlas.capture_dates.b.txt is not a date YYYY-MM-DD: 'soon'"
    ]


def test_bad_number_reported_and_default_kept():
    cfg, problems = load_config("extra:\n  atlas:\n    feed_size: -3\n", "site.yml")
    assert cfg.feed_size == 30 and str(problems[0]).startswith("site.yml:3: extra.atlas.feed_size")


def test_env_tag_and_python_tags(monkeypatch):
    text = (
        "site_url: !ENV [SITE_URL, 'http://fallback/']\nmarkdown_extensions:\n"
        "  - pymdownx.emoji:\n      emoji_index: !!python/name:material.extensions.emoji.twemoji\n"
    )
    assert load_config(text)[0].site_url == "http://fallback/"
    monkeypatch.setenv("SITE_URL", "https://lab.example.org/")
    assert load_config(text)[0].site_url == "https://lab.example.org/"


def test_invalid_yaml_is_a_problem_not_a_crash():
    cfg, problems = load_config("site_name: [unclosed\n")
    assert cfg == Config() and "not valid YAML" in str(problems[0])
