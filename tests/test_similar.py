"""Tests for generator/similar.py: related papers."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from sitefixture import bare_paper as paper

import generator.infer.similar as similar
from generator.catalog import build_catalog
from generator.infer.similar import related
from generator.infer.topics import paper_text, stop_set, vectorize
from generator.model import Paper
from generator.read.parse import decode, parse_listing

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def papers() -> list[Paper]:
    paths = sorted((ROOT / "seeds").glob("*.txt"))
    return build_catalog([parse_listing(decode(p.read_bytes(), p.name)[0], p.name) for p in paths])[0]


@pytest.fixture(scope="module")
def seed_related(papers):
    return related(papers, 5)


def test_every_seed_paper_gets_at_most_five_distinct_other_papers(papers, seed_related):
    ids = {p.id for p in papers}
    assert set(seed_related) == ids
    for pid, others in seed_related.items():
        assert len(others) <= 5 and len(set(others)) == len(others)
        assert pid not in others and set(others) <= ids
    assert sum(len(o) == 5 for o in seed_related.values()) > len(ids) / 4  # most with neighbours get five
    assert sum(not o for o in seed_related.values()) < len(ids) / 10  # few have none above chance


def test_related_is_deterministic_and_ignores_input_order(papers, seed_related):
    assert related(list(reversed(papers)), 5) == seed_related
    assert related(papers, 5) == seed_related


def test_related_are_the_most_similar_by_cosine(papers, seed_related):
    ordered = sorted(papers, key=lambda p: p.id)
    X, _, _ = vectorize([paper_text(p, similar.TITLE_WEIGHT) for p in ordered], stop_set(()), pairs=False)
    sims = np.round((X @ X.T).toarray(), 9)
    np.fill_diagonal(sims, -1)
    floor = similar.chance_level(X)
    for i, p in enumerate(ordered):
        best = [j for j in np.lexsort((np.arange(len(ordered)), -sims[i]))[:5] if sims[i, j] >= floor]
        assert seed_related[p.id] == tuple(ordered[j].id for j in best)


def test_papers_below_the_chance_level_are_not_shown(papers, seed_related, monkeypatch):
    ordered = sorted(papers, key=lambda p: p.id)
    X, _, _ = vectorize([paper_text(p, similar.TITLE_WEIGHT) for p in ordered], stop_set(()), pairs=False)
    floor = similar.chance_level(X)
    assert 0 < floor == similar.chance_level(X)  # fixed seed: the same every time
    index = {p.id: i for i, p in enumerate(ordered)}
    assert all(X[index[a]].multiply(X[index[b]]).sum() >= floor for a, bs in seed_related.items() for b in bs)
    monkeypatch.setattr(similar, "CHANCE_QUANTILE", 0.0)
    assert all(len(v) == 5 for v in related(papers, 5).values())  # without the floor: always five


def test_a_paper_on_the_same_subject_comes_first():
    corpus = [
        paper("nerf-a", "Neural radiance fields for dynamic scenes", "NeRF renders novel views of a 3D scene."),
        paper("eeg", "Motor imagery decoding from EEG", "A convolutional network decodes EEG signals."),
        paper("nerf-b", "Faster neural radiance fields", "Hash grids speed up NeRF rendering of 3D scenes."),
        paper("snn", "Spiking neural networks on chips", "Neuromorphic hardware runs spiking networks."),
    ]
    result = related(corpus, 1)
    assert result["nerf-a"] == ("nerf-b",) and result["nerf-b"] == ("nerf-a",)


def test_ties_go_to_the_smaller_id_and_wordless_papers_get_none():
    corpus = [paper(i, "Spiking networks on chips") for i in ("d", "b", "a", "c")] + [paper("e", "🧠 2023")]
    result = related(corpus, 2)
    assert result["a"] == ("b", "c") and result["c"] == ("a", "b")
    assert result["e"] == ()


def test_fewer_papers_than_k_and_k_zero():
    corpus = [paper("a", "Spiking networks"), paper("b", "Spiking chips"), paper("c", "Spiking neurons")]
    assert related(corpus, 5) == {"a": ("b", "c"), "b": ("a", "c"), "c": ("a", "b")}
    assert related(corpus, 0) == {"a": (), "b": (), "c": ()}
    assert related([], 5) == {}


def test_small_chunks_and_a_tight_pair_budget_still_give_k_others(papers, seed_related, monkeypatch):
    monkeypatch.setattr(similar, "CHUNK", 7)
    assert related(papers, 5) == seed_related
    monkeypatch.setattr(similar, "PAIR_BUDGET", 200.0)  # rare terms only: most papers look further
    tight = related(papers, 5)
    assert all(len(set(v)) == len(v) <= 5 and k not in v for k, v in tight.items())
    assert sum(map(len, tight.values())) >= 0.9 * sum(map(len, seed_related.values()))


# --------------------------------------------------------------------------- shared phrases


def test_shared_phrases_name_what_two_related_papers_have_in_common():
    a = paper("a", "Decoding images from NSD with diffusion decoding", "We reconstruct images from fMRI on NSD.")
    b = paper("b", "Cross-subject diffusion decoding on NSD", "A shared fMRI space for all subjects of NSD.")
    c = paper("c", "Spiking networks on chips", "Neuromorphic hardware for spiking neurons.")
    shares = similar.shared_phrases([a, b, c], {"a": ("b",), "b": ("a",)})
    assert set(shares[("a", "b")]) >= {"NSD", "diffusion decoding"}  # as written, pairs kept whole
    assert "diffusion" not in shares[("a", "b")] and "decoding" not in shares[("a", "b")]
    assert set(shares[("a", "b")]) == set(shares[("b", "a")])
    assert similar.shared_phrases([a, b, c], {"a": ("c",)})[("a", "c")] == ()


def test_every_seed_related_pair_shares_a_phrase(papers, seed_related):
    shares = similar.shared_phrases(papers, seed_related)
    pairs = [(a, b) for a, rs in seed_related.items() for b in rs]
    assert all(shares[pair] for pair in pairs)  # related by words, so some are shared
    assert all(1 <= len(shares[pair]) <= similar.SHARED_LIMIT for pair in pairs)


def test_among_equally_worded_papers_the_same_topic_comes_first():
    from dataclasses import replace

    a = replace(paper("a", "Spiking networks for vision"), topics=("snn",))
    b = replace(paper("b", "Spiking networks for vision"), topics=("vision",))
    c = replace(paper("c", "Spiking networks for vision"), topics=("snn",))
    assert related([a, b, c], k=2)["a"] == ("c", "b")  # without topics it would be ("b", "c")
    assert related([replace(p, topics=()) for p in (a, b, c)], k=2)["a"] == ("b", "c")
