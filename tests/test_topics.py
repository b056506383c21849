"""Tests for generator/topics.py: fitting, assigning, naming, re-fitting, lab edits, the model file."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from sitefixture import bare_paper as paper
from slugify import slugify

from generator.catalog import build_catalog
from generator.infer.topics import (
    CATCH_ALL_ID,
    TopicSettings,
    assign,
    confidences,
    fit,
    model_from_json,
    model_to_json,
    report,
    stop_set,
    terms,
    topic_range,
    vectorize,
    why_here,
)
from generator.infer.topics.drafts import name_coverage, pluralize
from generator.infer.topics.text import runs_text
from generator.model import Paper
from generator.read.parse import decode, parse_listing

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
FIXTURES = Path(__file__).parent / "fixtures" / "topics"


def load(paths) -> list[Paper]:
    listings = [parse_listing(decode(p.read_bytes(), p.name)[0], p.name) for p in paths]
    return build_catalog(listings)[0]


@pytest.fixture(scope="module")
def papers() -> list[Paper]:
    return load(SEEDS)


@pytest.fixture(scope="module")
def model(papers):
    return fit(papers, TopicSettings())[0]


@pytest.fixture(scope="module")
def three(papers):
    """A model fitted on the first three listings only."""
    return fit(load(SEEDS[:3]), TopicSettings())[0]


def real_topics(model):
    return [t for t in model.topics if not t.catch_all]


def edited(model, change) -> str:
    """The model file after a lab edit: ``change(doc)`` edits the parsed JSON in place."""
    doc = json.loads(model_to_json(model))
    change(doc)
    return json.dumps(doc)


# --------------------------------------------------------------------------- determinism


def test_fit_depends_on_the_set_of_papers_not_their_order(papers, model):
    again = fit(list(reversed(papers)), TopicSettings())[0]
    assert model_to_json(again) == model_to_json(model)


def test_assignment_is_the_same_each_time_and_paper_by_paper(papers, model):
    first, topics = assign(papers, model)
    second, topics_again = assign(papers, model)
    assert first == second and topics == topics_again
    alone = [assign([p], model)[0][0].topics for p in papers[:20]]
    assert alone == [p.topics for p in first[:20]]


def test_model_file_round_trips_and_is_stable_text(model):
    text = model_to_json(model)
    assert model_from_json(text) == model
    assert model_to_json(model_from_json(text)) == text
    doc = json.loads(text)
    assert list(doc) == sorted(doc)
    assert all(len(repr(w).split(".")[-1]) <= 4 for t in doc["topics"] for w in t["terms"].values())


# --------------------------------------------------------------------------- what the seeds get


def test_seed_topic_count_is_in_the_range_for_170_papers(model):
    assert topic_range(170, TopicSettings()) == (13, 26)
    lo, hi = topic_range(170, TopicSettings())
    assert lo <= len(real_topics(model)) <= hi


def test_names_are_2_to_5_words_without_a_repeated_word(model):
    for t in model.topics:
        words = t.name.split()
        assert 2 <= len(words) <= 5, t.name
        content = [w.lower().rstrip("s") for w in words if w.lower() not in {"and", "of", "for", "from"}]
        assert len(content) == len(set(content)), t.name
        assert "_" not in t.name, t.name
        assert all(w[0].isupper() or w in {"and", "of", "for", "from"} or w != w.lower() for w in words), t.name


def test_ids_are_unique_slugs_of_the_names_and_each_topic_has_phrases(model):
    ids = [t.id for t in model.topics]
    assert len(ids) == len(set(ids))
    for t in real_topics(model):
        assert t.id == slugify(t.name)
        assert t.description.startswith("Papers on ") and len(t.phrases) >= 3


def test_every_paper_has_a_primary_topic_and_at_most_two_more(papers, model):
    assigned, topics = assign(papers, model)
    known = {t.id for t in topics}
    for p in assigned:
        assert 1 <= len(p.topics) <= 3 and len(set(p.topics)) == len(p.topics)
        assert set(p.topics) <= known
        assert CATCH_ALL_ID not in p.topics[1:]
    assert any(len(p.topics) > 1 for p in assigned), "some papers clearly fit two topics"


@pytest.mark.parametrize(
    "case", json.loads((FIXTURES / "on_topic_papers.json").read_text(encoding="utf-8")), ids=lambda c: c["expect"]
)
def test_clearly_on_topic_papers_land_in_the_expected_topic(model, case):
    assigned, _ = assign([paper("fixture", case["title"], case["abstract"])], model)
    topic = next(t for t in model.topics if t.id == assigned[0].topics[0])
    assert case["expect"].lower() in f"{topic.name} {' '.join(topic.phrases)}".lower(), topic.name


def test_a_paper_unlike_any_topic_goes_to_other_papers(model):
    bread = paper(
        "bread",
        "Sourdough Bread Baking at Home",
        "Flour, water and salt ferment overnight; the dough rises, then bakes in a hot oven.",
    )
    assert assign([bread], model)[0][0].topics == (CATCH_ALL_ID,)


def test_report_lists_topics_and_quality_figures(papers, model):
    text = report(papers, model)
    for t in real_topics(model):
        assert t.name in text
    for figure in ("coherence", "diversity", "separation"):
        assert re.search(rf"{figure}[^:\n]*: (-?\d\.\d{{3}})", text), figure


# --------------------------------------------------------------------------- stability


def test_a_new_listing_moves_no_paper_and_renames_no_topic(papers, three):
    old_papers, old_topics = assign(load(SEEDS[:3]), three)
    new_papers, new_topics = assign(papers, three)
    primary = {p.id: p.topics[0] for p in new_papers}
    assert len(new_papers) > len(old_papers)
    assert all(primary[p.id] == p.topics[0] for p in old_papers)
    assert {(t.id, t.name) for t in old_topics} <= {(t.id, t.name) for t in new_topics}


def test_refit_on_the_same_papers_keeps_every_id_and_name(papers, model):
    again, redirects = fit(papers, TopicSettings(), previous=model)
    assert [(t.id, t.name) for t in again.topics] == [(t.id, t.name) for t in model.topics]
    assert redirects == {}


def test_a_topic_that_does_not_survive_redirects_for_good(papers, model):
    original = real_topics(model)[0]

    def duplicate(doc):
        twin = dict(next(t for t in doc["topics"] if t["id"] == original.id), id="twin-topic", name="Twin Topic")
        doc["topics"].append(twin)

    previous = model_from_json(edited(model, duplicate))
    again, redirects = fit(papers, TopicSettings(), previous=previous)
    alive = {t.id for t in again.topics}
    assert len({original.id, "twin-topic"} & alive) == 1
    (gone,) = {original.id, "twin-topic"} - alive
    assert redirects == {gone: ({original.id, "twin-topic"} & alive).pop()}
    later, more = fit(papers, TopicSettings(), previous=again)
    assert more == {} and dict(later.redirects) == redirects


def test_refit_with_a_new_listing_keeps_or_redirects_every_old_id(papers, three):
    new, redirects = fit(papers, TopicSettings(), previous=three)
    alive = {t.id for t in new.topics}
    old = {t.id for t in three.topics}
    assert len(old & alive) >= len(old) // 2, "most topics survive one more listing"
    assert set(redirects) == old - alive
    assert set(redirects.values()) <= alive
    assert dict(new.redirects) == redirects


def test_a_renamed_topic_keeps_its_name_through_a_refit(papers, model):
    target = real_topics(model)[0]

    def rename(doc):
        entry = next(t for t in doc["topics"] if t["id"] == target.id)
        entry.update(name="Brain Reading Machines", description="Our lab's favourite.", name_locked=True)

    previous = model_from_json(edited(model, rename))
    again, _ = fit(papers, TopicSettings(), previous=previous)
    kept = next(t for t in again.topics if t.id == target.id)
    assert (kept.name, kept.description, kept.name_locked) == ("Brain Reading Machines", "Our lab's favourite.", True)


def test_pinned_keywords_pull_papers_in_and_survive_a_refit(papers, model):
    target = next(t for t in real_topics(model) if "hopfield" not in " ".join(t.phrases).lower())
    hopfield = [p.id for p in papers if "hopfield" in f"{p.title} {p.abstract}".lower()]
    assert hopfield

    def pin(doc):
        next(t for t in doc["topics"] if t["id"] == target.id)["keywords"] = ["Hopfield"]

    pinned = model_from_json(edited(model, pin))
    assigned, _ = assign(papers, pinned)
    assert all(p.topics[0] == target.id for p in assigned if p.id in hopfield)
    again, _ = fit(papers, TopicSettings(), previous=pinned)
    kept = next(t for t in again.topics if t.id == target.id)
    assert kept.keywords == ("Hopfield",)
    assert all(p.topics[0] == target.id for p in assign(papers, again)[0] if p.id in hopfield)


def test_a_topic_added_by_hand_with_keywords_only_gets_its_papers(papers, model):
    def add(doc):
        doc["topics"].append({"id": "reservoir-computing", "name": "Reservoir Computing", "keywords": ["reservoir"]})

    hand = model_from_json(edited(model, add))
    assigned, topics = assign(papers, hand)
    mine = [p for p in assigned if p.topics[0] == "reservoir-computing"]
    assert mine and all("reservoir" in f"{p.title} {p.abstract}".lower() for p in mine)
    assert "reservoir-computing" in {t.id for t in topics}


# --------------------------------------------------------------------------- small and odd corpora


@pytest.mark.parametrize("size", [0, 1, 2, 3, 5, 12])
def test_tiny_corpora_get_few_topics_and_never_crash(papers, size):
    few = papers[:size]
    model, redirects = fit(few, TopicSettings())
    assigned, topics = assign(few, model)
    assert redirects == {}
    assert len(real_topics(model)) <= max(1, size)
    assert all(p.topics for p in assigned)
    assert model_from_json(model_to_json(model)) == model


def test_papers_without_words_go_to_other_papers():
    odd = [paper("a", "🧠🤖"), paper("b", "2023 1 2"), paper("c", "...")]
    model, _ = fit(odd, TopicSettings())
    assert [p.topics for p in assign(odd, model)[0]] == [(CATCH_ALL_ID,)] * 3


def test_the_fast_counting_gives_the_words_and_pairs_terms_describes(papers):
    texts = [f"{p.title}. {p.abstract}" for p in papers[:40]] + ["EEG/MEG: naïve—test, ‘q’ a\u00a0b 3D brain's"]
    stop = stop_set(())
    X, vocab, _ = vectorize(texts, stop)
    for row, text in enumerate(texts):
        assert {vocab[j] for j in X[row].indices} == set(terms(text, stop)) & set(vocab)


# --------------------------------------------------------------------------- settings and file errors


def test_settings_take_stop_words_as_a_list_and_ignore_them(papers):
    settings = TopicSettings(stop_words=["neural", "Brain"])
    assert settings.stop_words == ("neural", "Brain")
    model, _ = fit(papers[:40], settings)
    vocabulary = {t for t, _ in model.idf}
    assert not any(w in ("neural", "brain") for t in vocabulary for w in t.split())
    assert model.stop_words == ("Brain", "neural")


@pytest.mark.parametrize(
    "kwargs, words",
    [
        ({"min_topics": 0}, "min_topics=0"),
        ({"min_topics": 9, "max_topics": 4}, "min_topics=9 > max_topics=4"),
        ({"secondary_ratio": 1.5}, "secondary_ratio=1.5"),
        ({"stop_words": "lab"}, "stop_words='lab' (expected a list of words)"),
    ],
)
def test_bad_settings_are_named(kwargs, words):
    with pytest.raises(ValueError, match=re.escape(words)):
        TopicSettings(**kwargs)


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda d: d["topics"][0].update(name=3), "seeds/_topics.json: topics[0].name: expected a string (got 3)"),
        (lambda d: d["topics"][0].update(id="Not A Slug"), "topics[0].id: expected a URL slug"),
        (lambda d: d["topics"][1].update(id=d["topics"][0]["id"]), "topics[1].id: duplicate topic id"),
        (lambda d: d["topics"][0].update(colour="red"), "topics[0].colour: unknown key"),
        (lambda d: d["topics"][0]["terms"].update({"zzz unknown": 0.5}), "topics[0].terms.zzz unknown: term missing"),
        (lambda d: d["assignment"].update(min_similarity="high"), "assignment.min_similarity: expected a number"),
        (lambda d: d["redirects"].update({"old": "nowhere"}), "redirects.old: expected the id of a topic"),
        (lambda d: d.update(format=2), "format: expected 1"),
    ],
)
def test_a_malformed_model_file_names_the_key(model, change, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        model_from_json(edited(model, change))


def test_a_file_that_is_not_json_names_the_source_and_line():
    with pytest.raises(ValueError, match=r"^lab/_topics\.json:2: not valid JSON"):
        model_from_json('{"topics": [\n,]}', "lab/_topics.json")


def test_the_committed_model_reads_and_covers_the_seeds(papers):
    stored = model_from_json((ROOT / "seeds" / "_topics.json").read_text(encoding="utf-8"))
    assigned, topics = assign(papers, stored)
    lo, hi = topic_range(len(papers), TopicSettings())
    assert lo <= len([t for t in topics if t.id != CATCH_ALL_ID]) <= hi
    assert all(p.topics for p in assigned)


# --------------------------------------------------------------------------- why here, names, catch-all


def test_why_here_names_the_topic_phrases_the_paper_carries():
    p = paper("p", "Decoding speech from EEG", "A brain-computer interface reads EEG signals of imagined speech.")
    assert why_here(p, ("motor imagery", "EEG signals", "brain-computer interface", "spiking")) == (
        "EEG signals",
        "brain-computer interface",
    )
    assert why_here(p, ("fmri", "eeg")) == ("EEG",)  # shown as the paper writes it
    assert why_here(p, ("spiking neural networks",)) == ()


def test_every_seed_paper_in_a_named_topic_has_a_reason(papers, model):
    assigned, topics = assign(papers, model)
    by_id = {t.id: t for t in topics}
    named = [p for p in assigned if p.topics[0] != CATCH_ALL_ID]
    with_reason = [p for p in named if why_here(p, by_id[p.topics[0]].phrases)]
    assert len(with_reason) >= 0.9 * len(named)


def test_report_prints_name_coverage_and_confidence(papers, model):
    text = report(papers, model)
    rows = [line for line in text.splitlines() if "coverage" in line and "[" in line and "size" not in line]
    assert len(rows) >= len(real_topics(model))
    named = [r for r in rows if CATCH_ALL_ID not in r]
    assert all(re.search(r"coverage \d+%", r) and re.search(r"confidence 0\.\d\d/0\.\d\d/[01]\.\d\d", r) for r in named)


def test_names_are_carried_by_most_of_their_topic(papers, model):
    assigned, _ = assign(papers, model)
    covered = []
    for t in real_topics(model):
        members = [p for p in assigned if p.topics[0] == t.id]
        keys = [runs_text(f"{p.title}. {p.abstract}") for p in members]
        if members:
            covered.append(name_coverage(t.name, keys) >= 0.5)
    assert sum(covered) >= 0.8 * len(covered)


def test_plural_only_where_the_members_write_it():
    from collections import Counter

    assert pluralize("Vision Transformer", Counter({"transformers": 3})) == "Vision Transformers"
    assert pluralize("Brain Decoding", Counter({"decoding": 9})) == "Brain Decoding"
    assert pluralize("Large Language Models", Counter({"models": 3})) == "Large Language Models"


def test_a_paper_unlike_every_topic_goes_to_the_catch_all(model):
    assigned, topics = assign(
        [paper("x", "Sourdough fermentation schedules", "Bakers compare rye starters and proofing times.")], model
    )
    assert assigned[0].topics == (CATCH_ALL_ID,)
    assert next(t for t in topics if t.id == CATCH_ALL_ID).name == "Other Topics"


def test_a_junk_drawer_is_not_a_topic(papers, model):
    """No fitted topic is a drawer of loosely related papers: each topic's typical member is
    clearly closer to it than the catch-all floor."""
    judged = confidences(papers, model)
    for i, t in enumerate(model.topics):
        conf = sorted(c for picks, c in judged if picks and picks[0] == i)
        if conf and not t.catch_all:
            assert conf[len(conf) // 2] >= 1.1 * model.min_similarity, t.name
