"""papers.json: the documented fields, exact values, stable order."""

from __future__ import annotations

import json

from sitefixture import PAPERS, make_site

from generator.render.export import papers_json

FIELDS = [
    "id",
    "url",
    "title",
    "abstract",
    "authors",
    "organization",
    "date",
    "added",
    "upvotes",
    "topics",
    "listings",
    "links",
    "arxiv_id",
    "authors_names",
    "published",
    "hf_url",
    "doi",
]


def test_fields_and_values_as_documented():
    data = json.loads(papers_json(make_site()))
    assert list(data) == ["papers", "topics"]
    first = data["papers"][0]
    assert list(first) == FIELDS
    assert first["title"] == "Continuous Thought Machines"
    assert first["organization"] == {"id": "SakanaAI", "name": "Sakana AI"}
    assert first["authors"] is None and first["date"] == "2025-05-08" and first["upvotes"] == 27
    assert first["url"] == f"papers/{first['id']}/"
    diffuser = next(p for p in data["papers"] if p["title"].startswith("Brain-Diffuser"))
    assert diffuser["abstract"].startswith("We present \u201cBrain-Diffuser\u201d, a two-stage model")
    assert diffuser["links"] == ["https://github.com/ozcelikfu/brain-diffuser"]
    assert diffuser["topics"] == ["brain-decoding", "spiking-networks"]
    assert diffuser["listings"] == ["a.txt", "b.txt"]
    assert diffuser["added"] == "2025-05-10", "added: the capture date of its earliest listing"
    undated = next(p for p in data["papers"] if p["date"] is None)
    assert undated["added"] == "2025-06-01"


def test_papers_newest_first_undated_last():
    dates = [p["date"] for p in json.loads(papers_json(make_site()))["papers"]]
    assert dates == ["2025-05-08", "2025-05-02", "2023-03-09", None]


def test_topics_carry_sizes_of_primary_papers():
    topics = json.loads(papers_json(make_site()))["topics"]
    assert topics == [
        {"id": "brain-decoding", "name": "Brain Decoding from fMRI", "url": "topics/brain-decoding/", "papers": 2},
        {"id": "spiking-networks", "name": "Spiking Neural Networks", "url": "topics/spiking-networks/", "papers": 2},
    ]


def test_same_input_same_bytes_whatever_the_order():
    assert papers_json(make_site()) == papers_json(make_site(papers=tuple(reversed(PAPERS))))
