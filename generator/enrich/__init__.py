"""Real identifiers for the papers: arXiv id, authors, dates and links from the Hugging Face Hub.

``entries`` is the pure part (the ``seeds/_identifiers.json`` format,
matching titles, merging runs with hand pins); ``hub`` asks the Hub over the
network; ``run`` drives one ``python -m generator enrich`` run. Builds only
ever read the stored file (``entries.entries_from_json``), never the network.
"""
