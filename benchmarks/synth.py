"""Synthesise listings in exactly the format of ``seeds/*.txt``, at any size.

Deterministic: the same ``--papers`` and ``--seed`` give byte-identical files.

The text is made from the real seed listings so that topic inference and
search behave as they would on real data: each synthetic paper picks a seed
paper as its *anchor* and draws its title and abstract from a word-level
Markov chain over the anchor and its nearest seed neighbours (shared content
words), so papers form topical families with the seeds' vocabulary.

What the output has, like the real listings:

* the page header (``new`` ... ``Dec 10``) with a year-less capture day;
* papers as title / abstract / meta block, separated by blank lines; the meta
  block is ``  • N authors`` or an organization line (``SakanaAI Sakana AI``),
  then ``·``, then a date: ``May 29, 2023``, ``Feb 8, 2024 1`` (upvotes) or,
  for papers of the capture year, the year-less ``May 22`` / ``Sep 30 27``;
* the capture year is always the latest explicit year + 1 (the rule the
  parser uses), and no year-less date falls after the capture day;
* about 5% of papers never show a meta block, and a few listings show none
  at all (like ``seeds/002_*.txt``);
* about 25% of papers appear in two or more listings, with the same title;
* titles are unique (by the catalog's merge key).

Usage::

    python benchmarks/synth.py --papers 1000 --out benchmarks/out/seeds-1k
"""

from __future__ import annotations

import argparse
import bisect
import datetime as dt
import hashlib
import math
import random
import re
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.catalog import paper_key  # noqa: E402
from generator.read.parse import decode, parse_listing  # noqa: E402

HEADER = [
    "new",
    "Get trending papers in your email inbox!",
    "Subscribe",
    "Daily Papers",
    "byAK and the research community",
]
MONTH_ABBR = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
ORGANIZATIONS = [
    ("SakanaAI", "Sakana AI"),
    ("openbmb", "OpenBMB"),
    ("google", "Google"),
    ("facebook", "AI at Meta"),
    ("microsoft", "Microsoft"),
    ("nvidia", "NVIDIA"),
    ("deepseek-ai", "DeepSeek"),
    ("Qwen", "Qwen"),
    ("allenai", "Ai2"),
    ("stanford-crfm", "Stanford CRFM"),
    ("mit-han-lab", "MIT HAN Lab"),
    ("ByteDance", "ByteDance"),
    ("EleutherAI", "EleutherAI"),
    ("tencent", "Tencent"),
    ("apple", "Apple"),
    ("MBZUAI", "Mohamed bin Zayed University of Artificial Intelligence"),
    ("epfl-llm", "EPFL LLM Team"),
    ("ibm-research", "IBM Research"),
    ("Salesforce", "Salesforce"),
    ("huggingface", "Hugging Face"),
    ("allen-institute", "Allen Institute for Brain Science"),
    ("mila-quebec", "Mila"),
    ("deepmind", "Google DeepMind"),
    ("zai-org", None),
    ("BAAI", "Beijing Academy of Artificial Intelligence"),
    ("KAIST", "KAIST AI"),
]
STOP = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "and",
        "or",
        "for",
        "in",
        "on",
        "to",
        "with",
        "by",
        "from",
        "as",
        "at",
        "is",
        "are",
        "be",
        "this",
        "that",
        "we",
        "our",
        "these",
        "those",
        "their",
        "its",
        "it",
        "via",
        "using",
        "based",
        "into",
        "over",
        "under",
        "than",
        "which",
        "can",
        "not",
        "also",
        "has",
        "have",
        "such",
        "both",
        "between",
        "while",
        "more",
        "most",
        "new",
        "paper",
        "show",
        "results",
        "approach",
        "method",
        "model",
        "models",
    ]
)

CAPTURE_FIRST = dt.date(2024, 1, 15)
CAPTURE_LAST = dt.date(2025, 12, 15)
OLDEST_YEAR = 2015
REPEAT_SHARE = 0.25
NO_META_SHARE = 0.05
META_LESS_LISTING_SHARE = 0.02
ORG_SHARE = 0.08
UPVOTE_SHARE = 0.2
CODE_LINK_SHARE = 0.15
MEAN_LISTING_SIZE = 60


@dataclass
class SynthPaper:
    """One distinct synthetic paper; ``date`` and ``listings`` are settled in two passes."""

    title: str
    abstract: str
    has_meta: bool
    authors: int
    org: tuple[str, str | None] | None
    upvotes: int
    date: dt.date | None = None


@dataclass
class SynthListing:
    """One listing file: its capture day and the papers it shows, in page order."""

    name: str
    captured: dt.date
    meta_less: bool
    papers: list[int]


# --- text model -------------------------------------------------------------------------


def load_seed_papers(seeds: Path) -> list[tuple[str, str]]:
    """(title, abstract) of every distinct titled seed paper with an abstract, sorted by title."""
    seen: dict[str, tuple[str, str]] = {}
    for path in sorted(seeds.glob("*.txt")):
        text, _ = decode(path.read_bytes(), path.name)
        for r in parse_listing(text or "", path.name).records:
            if r.title and r.abstract:
                seen.setdefault(paper_key(r.title), (r.title, r.abstract))
    return [seen[k] for k in sorted(seen)]


def content_words(text: str) -> set[str]:
    """Lower-case words of 3+ letters that are not stop words.

    >>> sorted(content_words("We decode fMRI signals with the brain"))
    ['brain', 'decode', 'fmri', 'signals']
    """
    return {w for w in re.findall(r"[a-z][a-z\-]{2,}", text.lower()) if w not in STOP}


def neighbour_groups(papers: list[tuple[str, str]], k: int = 8) -> list[list[int]]:
    """For each seed paper, itself and its ``k`` nearest seed papers by shared content words."""
    words = [content_words(t + " " + a) for t, a in papers]
    df: dict[str, int] = defaultdict(int)
    for ws in words:
        for w in ws:
            df[w] += 1
    idf = {w: math.log(len(papers) / n) for w, n in df.items()}
    groups = []
    for i, wi in enumerate(words):
        scores = sorted(((-sum(idf[w] for w in wi & wj), j) for j, wj in enumerate(words) if j != i))
        groups.append([i] + [j for _, j in scores[:k]])
    return groups


def split_sentences(text: str) -> list[str]:
    """Sentences of an abstract, without those that carry a URL.

    >>> split_sentences("We do X. It works! Code at https://x.io/y. Done.")
    ['We do X.', 'It works!', 'Done.']
    """
    parts = re.split(r"(?<=[.!?])\s+(?=[A-Z(])", text.strip())
    return [p for p in parts if p and "http" not in p and "github" not in p]


class Chain:
    """An order-2 word Markov chain over sentences (abstracts) or order-1 over titles."""

    def __init__(self, texts: list[list[str]], order: int) -> None:
        self.order = order
        self.next: dict[tuple[str, ...], list[str]] = defaultdict(list)
        for words in texts:
            state = ("",) * order
            for w in words + [""]:
                self.next[state].append(w)
                state = state[1:] + (w,)

    def walk(self, rng: random.Random, limit: int) -> list[str]:
        """Words of one generated text, at most ``limit`` of them."""
        state, out = ("",) * self.order, []
        while len(out) < limit:
            w = rng.choice(self.next[state])
            if not w:
                break
            out.append(w)
            state = state[1:] + (w,)
        return out


class TextModel:
    """Titles and abstracts in the style of one seed paper's neighbourhood."""

    def __init__(self, seeds: list[tuple[str, str]]) -> None:
        self.seeds = seeds
        self.groups = neighbour_groups(seeds)
        self._abstracts: dict[int, Chain] = {}
        self._titles: dict[int, Chain] = {}
        self.acronyms = sorted({m for t, _ in seeds for m in re.findall(r"^([A-Z][A-Za-z0-9\-]{2,12}):", t)})

    def _chains(self, anchor: int) -> tuple[Chain, Chain]:
        if anchor not in self._abstracts:
            members = [self.seeds[j] for j in self.groups[anchor]]
            self._abstracts[anchor] = Chain([s.split() for _, a in members for s in split_sentences(a)], 2)
            self._titles[anchor] = Chain([re.sub(r"^[^:]{1,20}:\s*", "", t).split() for t, _ in members], 1)
        return self._abstracts[anchor], self._titles[anchor]

    def title(self, rng: random.Random, anchor: int) -> str:
        """A title of 4 to 14 words, sometimes with an ``ACRONYM:`` prefix; never ends with a period."""
        _, chain = self._chains(anchor)
        words: list[str] = []
        while len(words) < 4:
            words = chain.walk(rng, 14)
        title = " ".join(words).rstrip(".,;:")
        title = title[0].upper() + title[1:]
        return f"{self._acronym(rng)}: {title}" if rng.random() < 0.35 else title

    def _acronym(self, rng: random.Random) -> str:
        letters = "ABCDEFGHIJKLMNOPRSTUVW"
        if self.acronyms and rng.random() < 0.5:
            return rng.choice(self.acronyms) + rng.choice(["", "-2", "++", "X", "Net", "-L"])
        return "".join(rng.choice(letters) for _ in range(rng.randint(3, 6)))

    def abstract(self, rng: random.Random, anchor: int, code_handle: str | None) -> str:
        """An abstract of roughly 700 to 1900 characters, ending with a full stop."""
        chain, _ = self._chains(anchor)
        target, parts, size = rng.randint(700, 1900), [], 0
        while size < target:
            words = chain.walk(rng, 70)
            if len(words) < 4:
                continue
            sentence = " ".join(words)
            if sentence[-1] not in ".!?":
                sentence += "."
            parts.append(sentence)
            size += len(sentence) + 1
        if code_handle:
            parts.append(f"Code is available at https://github.com/{code_handle}.")
        return " ".join(parts)


# --- papers, dates, listings ------------------------------------------------------------


def make_papers(model: TextModel, n: int, rng: random.Random) -> list[SynthPaper]:
    """``n`` papers with unique titles (by merge key); dates come later."""
    papers, keys = [], set(paper_key(t) for t, _ in model.seeds)
    for i in range(n):
        anchor = rng.randrange(len(model.seeds))
        title = model.title(rng, anchor)
        tries = 0
        while paper_key(title) in keys:
            tries += 1
            title = model.title(rng, anchor) if tries < 20 else f"{title} {tries}"
        keys.add(paper_key(title))
        handle = f"lab{i % 97}/{re.sub(r'[^a-z0-9]+', '-', title.lower())[:40].strip('-')}"
        org = rng.choice(ORGANIZATIONS) if rng.random() < ORG_SHARE else None
        papers.append(
            SynthPaper(
                title=title,
                abstract=model.abstract(rng, anchor, handle if rng.random() < CODE_LINK_SHARE else None),
                has_meta=rng.random() >= NO_META_SHARE,
                authors=min(1 + int(rng.expovariate(1 / 4)), 60),
                org=org,
                upvotes=int(rng.expovariate(1 / 6)) if rng.random() < UPVOTE_SHARE else 0,
            )
        )
    return papers


def random_date(rng: random.Random, first: dt.date, last: dt.date) -> dt.date:
    """A uniformly drawn day in ``[first, last]``."""
    return first + dt.timedelta(days=rng.randint(0, (last - first).days))


def earlier_date(rng: random.Random, captured: dt.date) -> dt.date:
    """A date in a year before the capture year, recent years likelier."""
    year = captured.year - 1 - min(int(rng.expovariate(1 / 1.5)), captured.year - 1 - OLDEST_YEAR)
    return random_date(rng, dt.date(year, 1, 1), dt.date(year, 12, 31))


def make_listings(papers: list[SynthPaper], rng: random.Random) -> list[SynthListing]:
    """Spread papers over listings, date them, and show ~25% of them in more listings."""
    count = max(1, round(len(papers) * (1 + REPEAT_SHARE * 1.4) / MEAN_LISTING_SIZE))
    captures = sorted(random_date(rng, CAPTURE_FIRST, CAPTURE_LAST) for _ in range(count))
    width = max(3, len(str(count - 1)))
    order = list(range(count))
    rng.shuffle(order)  # file names do not follow capture order, as with the real dumps
    listings = [
        SynthListing(
            f"{order[i]:0{width}d}_{hashlib.sha1(f'{i}'.encode()).hexdigest()[:16]}.txt",
            captures[i],
            rng.random() < META_LESS_LISTING_SHARE,
            [],
        )
        for i in range(count)
    ]
    primary = [rng.randrange(count) for _ in papers]
    for p, (paper, li) in enumerate(zip(papers, primary)):
        cap = listings[li].captured
        paper.date = random_date(rng, dt.date(cap.year, 1, 1), cap) if rng.random() < 0.4 else earlier_date(rng, cap)
        listings[li].papers.append(p)
    for lst in listings:
        _ensure_last_year(lst, papers, rng)
    _add_repeats(papers, primary, listings, rng)
    for lst in listings:
        rng.shuffle(lst.papers)
    return sorted(listings, key=lambda lst: lst.name)


def _ensure_last_year(lst: SynthListing, papers: list[SynthPaper], rng: random.Random) -> None:
    """Give the listing a paper dated in the year before capture, so the capture year can be inferred."""
    if lst.meta_less or not lst.papers:
        return
    shown = [p for p in lst.papers if papers[p].has_meta]
    if not shown or any(papers[p].date.year == lst.captured.year - 1 for p in shown):
        return
    y = lst.captured.year - 1
    papers[rng.choice(shown)].date = random_date(rng, dt.date(y, 1, 1), dt.date(y, 12, 31))


def _add_repeats(
    papers: list[SynthPaper], primary: list[int], listings: list[SynthListing], rng: random.Random
) -> None:
    """Show a quarter of the papers again in one to three later listings (never before their date)."""
    by_capture = sorted(range(len(listings)), key=lambda i: listings[i].captured)
    days = [listings[i].captured for i in by_capture]
    for p, paper in enumerate(papers):
        if rng.random() >= REPEAT_SHARE:
            continue
        start = bisect.bisect_left(days, paper.date)
        candidates = [by_capture[k] for k in range(start, len(days)) if by_capture[k] != primary[p]]
        for li in rng.sample(candidates, min(len(candidates), rng.choice([1, 1, 1, 2, 3]))):
            listings[li].papers.append(p)


# --- text output ------------------------------------------------------------------------


def date_line(date: dt.date, captured: dt.date, upvotes: int) -> str:
    """The date as the page prints it: the year only when it is not the capture year.

    >>> date_line(dt.date(2025, 5, 22), dt.date(2025, 12, 10), 0)
    'May 22'
    >>> date_line(dt.date(2024, 2, 8), dt.date(2025, 12, 10), 1)
    'Feb 8, 2024 1'
    """
    text = f"{MONTH_ABBR[date.month - 1]} {date.day}"
    if date.year != captured.year:
        text += f", {date.year}"
    return text + (f" {upvotes}" if upvotes else "")


def render_listing(lst: SynthListing, papers: list[SynthPaper], rng: random.Random) -> str:
    """The full text of one listing file (no final newline, like the real dumps)."""
    blocks = HEADER + [f"{MONTH_ABBR[lst.captured.month - 1]} {lst.captured.day}"]
    for p in lst.papers:
        paper = papers[p]
        blocks += [paper.title, paper.abstract]
        if paper.has_meta and not lst.meta_less:
            handle, name = paper.org if paper.org else (None, None)
            who = (f"{handle} {name}" if name else handle) if handle else f"  \u2022 {paper.authors} authors"
            votes = max(0, paper.upvotes + rng.randint(-2, 2)) if paper.upvotes else 0
            blocks.append(f"{who}\n\u00b7\n{date_line(paper.date, lst.captured, votes)}")
    return "\n\n".join(blocks)


def synthesise(n: int, seed: int = 1, seeds_dir: Path = ROOT / "seeds") -> tuple[dict[str, str], list[SynthPaper]]:
    """``{file name: text}`` of the listings for ``n`` distinct papers, and the papers."""
    rng = random.Random(seed)
    model = TextModel(load_seed_papers(seeds_dir))
    papers = make_papers(model, n, rng)
    listings = make_listings(papers, rng)
    return {lst.name: render_listing(lst, papers, rng) for lst in listings}, papers


def write(files: dict[str, str], out: Path) -> None:
    """Write the listings into ``out`` (created; stale ``*.txt`` there are removed)."""
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("*.txt"):
        if old.name not in files:
            old.unlink()
    for name, text in files.items():
        (out / name).write_text(text, encoding="utf-8")


def check(files: dict[str, str], n: int) -> str:
    """Parse the output with the real reader; a one-line summary, or SystemExit on any problem."""
    from generator.catalog import build_catalog

    listings = [parse_listing(text, name) for name, text in files.items()]
    problems = [str(p) for lst in listings for p in lst.problems]
    papers, more = build_catalog(listings)
    problems += [str(p) for p in more]
    if problems or len(papers) != n:
        raise SystemExit(
            f"synthetic listings do not read back cleanly: {len(papers)} papers (wanted {n}); problems: {problems[:5]}"
        )
    records = sum(len(lst.records) for lst in listings)
    repeated = sum(1 for p in papers if len(p.listings) > 1)
    no_meta = sum(1 for p in papers if p.upvotes is None)
    orgs = sum(1 for p in papers if p.organization)
    yearless = sum(1 for lst in listings for r in lst.records if r.date_text and "," not in r.date_text)
    return (
        f"{len(files)} listings, {records} records, {len(papers)} papers; "
        f"{repeated / n:.0%} in 2+ listings, {no_meta / n:.0%} without meta, {orgs} with an organization, "
        f"{yearless / max(records, 1):.0%} of records with year-less dates"
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--papers", type=int, default=1000, help="distinct papers to make (default 1000)")
    ap.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    ap.add_argument("--out", type=Path, required=True, help="folder to write the listings into")
    ap.add_argument("--no-check", action="store_true", help="skip reading the output back")
    args = ap.parse_args(argv)
    files, _ = synthesise(args.papers, args.seed)
    write(files, args.out)
    print(f"wrote {args.out}: " + (f"{len(files)} listings" if args.no_check else check(files, args.papers)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
