"""Infer stage: topics from titles and abstracts, and their assignment to papers. Pure.

Two steps, kept apart so that published topic URLs never move by accident:

* ``fit(papers, settings, previous)`` finds topics. Explicit and rare
  (``python -m generator topics --refit``; a build only fits when there is no model).
  TF-IDF of words and word pairs (light stemming, stop words) -> LSA at a few
  sizes -> an ensemble of k-means runs -> how often two papers fall together ->
  average linkage on that -> the number of topics chosen by silhouette within a
  range that grows slowly with the corpus (about 8-16 for 170 papers) -> each
  paper moved to the topic whose centroid *without itself* is closest, as a new
  paper would be. Groups under ``min_topic_size`` are dissolved; papers close to
  no topic go to "Other Topics". Each topic is stored as a sparse centroid over
  terms, with a name drawn from its most distinctive phrases, the phrases most
  members share and pairs of words most members carry (the one most members
  carry and few others do: F1 of coverage and precision), and a one-line
  description from key phrases the name does not already say. Large corpora are clustered on a fixed sample and the rest joins
  by nearest centroid. With ``previous`` given, topics that survive (matched one
  to one by shared papers and centroid similarity) keep their ids, names while
  they still fit, and lab edits; the others are retired with a redirect.
* ``assign(papers, model)`` puts each paper under the stored topics: primary =
  most similar centroid, then up to two secondary topics that are nearly as close.
  A paper is judged alone, so adding a listing never moves another paper, and
  stored topics are never renamed, merged or moved by a build.

The model file (``seeds/_topics.json``; ``model_to_json``/``model_from_json``)::

    {"format": 1,
     "analysis": {"stop_words": [...], "title_weight": 2},     # how text becomes terms
     "assignment": {"max_secondary": 2, "min_similarity": 0.17,
                    "secondary_min": 0.15, "secondary_ratio": 0.55},
     "papers": 170,                                              # corpus size at fit
     "redirects": {"old-topic-id": "new-topic-id"},              # retired ids, kept for ever
     "topics": [{"id": "spiking-neural-networks",                # URL slug; never changes
                 "name": "Spiking Neural Networks",              # 2-5 words
                 "description": "Papers on ...",                 # one line
                 "phrases": ["spiking neural networks", ...],    # key phrases
                 "name_locked": false,   # lab edit: true keeps name and description on re-fit
                 "keywords": [],         # lab edit: papers containing one are put here first
                 "catch_all": false,     # the "Other Topics" topic (no centroid)
                 "size": 12,             # papers at fit (informational)
                 "terms": {"spiking": 0.31, ...}}],              # centroid, unit length
     "vocabulary": {"spiking": 4.1, "spiking neural": 4.3, ...}}  # term -> idf

A lab may rename a topic (edit ``name``/``description``, set ``name_locked``),
pin it with ``keywords`` (whole words or phrases, any case: a paper containing one
gets that topic as primary, and the keywords' terms join its centroid), or add a
topic by hand with just ``id``, ``name`` and ``keywords``. All of it survives a
re-fit; ``phrases``, ``terms`` and ``size`` are recomputed by every fit.

The code, in the order data flows: ``settings`` (the records), ``text`` (words and
terms), ``vectors`` (TF-IDF rows), ``cluster`` (groups of papers), ``phrases`` and
``drafts`` (key phrases, centroids, names), ``identity`` (ids and redirects across a
re-fit), ``fitting`` (``fit``), ``assignment`` (``assign``), ``store`` (the model file)
and ``quality`` (``report``).
"""

from __future__ import annotations

from importlib import import_module

# Each public name and the module that defines it. They are imported on first use (PEP 562), so
# that reading the settings or the catch-all id does not load scikit-learn, which the modules
# that compute topics need and a cached build does not.
_SOURCES = {
    "assign": "assignment",
    "confidences": "assignment",
    "why_here": "assignment",
    "topic_range": "cluster",
    "fit": "fitting",
    "report": "quality",
    "CATCH_ALL_ID": "settings",
    "TopicEntry": "settings",
    "TopicModel": "settings",
    "TopicSettings": "settings",
    "single_threaded": "settings",
    "model_from_json": "store",
    "model_to_json": "store",
    "paper_text": "text",
    "stop_set": "text",
    "terms": "text",
    "vectorize": "vectors",
}


def __getattr__(name: str) -> object:
    if name not in _SOURCES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f".{_SOURCES[name]}", __name__), name)
    globals()[name] = value
    return value


__all__ = sorted(_SOURCES)
