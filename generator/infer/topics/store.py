"""The model file: a topic model to and from deterministic JSON, with messages naming the bad key."""

from __future__ import annotations

import json
import math
from dataclasses import fields

from slugify import slugify

from .identity import catch_all_entry
from .settings import CATCH_ALL_ID, FORMAT, TopicEntry, TopicModel


def model_to_json(model: TopicModel) -> str:
    """The model as deterministic JSON: sorted keys, one-space indent, rounded floats."""
    doc = {
        "format": FORMAT,
        "analysis": {"stop_words": list(model.stop_words), "title_weight": model.title_weight},
        "assignment": {
            "max_secondary": model.max_secondary,
            "min_similarity": model.min_similarity,
            "secondary_min": model.secondary_min,
            "secondary_ratio": model.secondary_ratio,
        },
        "vocabulary": dict(model.idf),
        "papers": model.papers,
        "redirects": dict(model.redirects),
        "topics": [_entry_json(t) for t in model.topics],
    }
    return json.dumps(doc, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def _entry_json(t: TopicEntry) -> dict:
    return {
        "id": t.id,
        "name": t.name,
        "description": t.description,
        "phrases": list(t.phrases),
        "terms": dict(t.terms),
        "keywords": list(t.keywords),
        "name_locked": t.name_locked,
        "catch_all": t.catch_all,
        "size": t.size,
    }


def model_from_json(text: str, source: str = "seeds/_topics.json") -> TopicModel:
    """Read a model file; a ``ValueError`` names the source, the key and the bad value."""
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as e:
        raise ValueError(f"{source}:{e.lineno}: not valid JSON: {e.msg}") from None
    check = _Checker(source)
    check.kind(doc, dict, "top level")
    if doc.get("format", FORMAT) != FORMAT:
        check.fail("format", doc.get("format"), f"expected {FORMAT}")
    analysis = check.get(doc, "analysis", dict, {})
    assignment = check.get(doc, "assignment", dict, {})
    idf = check.mapping(check.get(doc, "vocabulary", dict, {}), "vocabulary")
    topics = [_entry_from(t, f"topics[{i}]", check, idf) for i, t in enumerate(check.get(doc, "topics", list, []))]
    topics = _valid_topics(topics, check)
    redirects = check.get(doc, "redirects", dict, {})
    ids = {t.id for t in topics}
    for old, new in redirects.items():
        if not isinstance(new, str) or new not in ids:
            check.fail(f"redirects.{old}", new, "expected the id of a topic in this file")
    defaults = TopicModel()
    return TopicModel(
        topics=tuple(sorted(topics, key=lambda e: (e.catch_all, e.id))),
        idf=tuple(sorted(idf.items())),
        redirects=tuple(sorted(redirects.items())),
        stop_words=tuple(check.strings(analysis.get("stop_words", []), "analysis.stop_words")),
        title_weight=check.number(analysis, "title_weight", defaults.title_weight, "analysis", int),
        max_secondary=check.number(assignment, "max_secondary", defaults.max_secondary, "assignment", int),
        min_similarity=check.number(assignment, "min_similarity", defaults.min_similarity, "assignment"),
        secondary_min=check.number(assignment, "secondary_min", defaults.secondary_min, "assignment"),
        secondary_ratio=check.number(assignment, "secondary_ratio", defaults.secondary_ratio, "assignment"),
        papers=check.number(doc, "papers", 0, "", int),
    )


class _Checker:
    """Raises ``ValueError("<source>: <key>: <what> (got <value!r>)")``."""

    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, key: str, value: object, what: str) -> None:
        shown = repr(value)
        shown = shown if len(shown) <= 80 else shown[:77] + "..."
        raise ValueError(f"{self.source}: {key}: {what} (got {shown})")

    def kind(self, value: object, kind: type, key: str) -> None:
        if not isinstance(value, kind) or isinstance(value, bool) and kind is not bool:
            self.fail(key, value, f"expected {_KIND_NAMES.get(kind, kind.__name__)}")

    def get(self, doc: dict, key: str, kind: type, default, where: str = ""):
        value = doc.get(key, default)
        self.kind(value, kind, f"{where}.{key}" if where else key)
        return value

    def number(self, doc: dict, key: str, default, where: str, kind: type = float):
        value = doc.get(key, default)
        name = f"{where}.{key}" if where else key
        if isinstance(value, bool) or not isinstance(value, (int, float)) or kind is int and value != int(value):
            self.fail(name, value, "expected an integer" if kind is int else "expected a number")
        if value < 0:
            self.fail(name, value, "expected a number >= 0")
        return kind(value)

    def strings(self, value: object, key: str) -> list[str]:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.fail(key, value, "expected a list of strings")
        return list(value)

    def mapping(self, value: dict, key: str) -> dict[str, float]:
        for term, w in value.items():
            if isinstance(w, bool) or not isinstance(w, (int, float)) or not math.isfinite(w):
                self.fail(f"{key}.{term}", w, "expected a number")
        return {t: float(w) for t, w in value.items()}


_KIND_NAMES = {dict: "an object", list: "a list", str: "a string", bool: "true or false"}


def _entry_from(doc: object, where: str, check: _Checker, idf: dict[str, float]) -> TopicEntry:
    check.kind(doc, dict, where)
    unknown = sorted(set(doc) - {f.name for f in fields(TopicEntry)})
    if unknown:
        check.fail(f"{where}.{unknown[0]}", doc[unknown[0]], "unknown key")
    tid = check.get(doc, "id", str, "", where)
    if tid != slugify(tid) or not tid:
        check.fail(f"{where}.id", tid, "expected a URL slug like 'spiking-neural-networks'")
    name = check.get(doc, "name", str, "", where)
    if not 1 <= len(name.split()) <= 8:
        check.fail(f"{where}.name", name, "expected a name of 1 to 8 words")
    weights = check.mapping(check.get(doc, "terms", dict, {}, where), f"{where}.terms")
    missing = sorted(set(weights) - set(idf))
    if missing:
        check.fail(f"{where}.terms.{missing[0]}", weights[missing[0]], "term missing from 'vocabulary'")
    return TopicEntry(
        id=tid,
        name=name,
        description=check.get(doc, "description", str, "", where),
        phrases=tuple(check.strings(doc.get("phrases", []), f"{where}.phrases")),
        terms=tuple(sorted(weights.items(), key=lambda tw: (-tw[1], tw[0]))),
        keywords=tuple(check.strings(doc.get("keywords", []), f"{where}.keywords")),
        name_locked=check.get(doc, "name_locked", bool, False, where),
        catch_all=check.get(doc, "catch_all", bool, False, where),
        size=check.number(doc, "size", 0, where, int),
    )


def _valid_topics(topics: list[TopicEntry], check: _Checker) -> list[TopicEntry]:
    """No duplicate ids; exactly one catch-all (added when the file has none)."""
    seen: set[str] = set()
    for i, t in enumerate(topics):
        if t.id in seen:
            check.fail(f"topics[{i}].id", t.id, "duplicate topic id")
        seen.add(t.id)
    catch = [t for t in topics if t.catch_all]
    if len(catch) > 1:
        check.fail("topics", [t.id for t in catch], "more than one topic has catch_all: true")
    if not catch:
        if CATCH_ALL_ID in seen:
            check.fail("topics", CATCH_ALL_ID, "this id is reserved for the catch-all topic")
        topics.append(catch_all_entry(None))
    return topics
