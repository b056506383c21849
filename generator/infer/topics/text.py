"""Text -> words and terms: light stemming, stop words, word pairs, pinned keywords."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache, lru_cache

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from ...model import Paper

BOILERPLATE = frozenset(
    [
        "abstract",
        "achieve",
        "achieved",
        "achieves",
        "achieving",
        "address",
        "addresses",
        "al",
        "allow",
        "allows",
        "approach",
        "approaches",
        "available",
        "based",
        "benchmark",
        "benchmarks",
        "better",
        "challenge",
        "challenges",
        "challenging",
        "code",
        "compared",
        "conduct",
        "contribution",
        "contributions",
        "demonstrate",
        "demonstrated",
        "demonstrates",
        "design",
        "designed",
        "despite",
        "develop",
        "developed",
        "different",
        "effective",
        "effectively",
        "efficient",
        "especially",
        "evaluate",
        "evaluated",
        "existing",
        "experiment",
        "experiments",
        "extensive",
        "finally",
        "findings",
        "framework",
        "furthermore",
        "github",
        "great",
        "help",
        "high",
        "highly",
        "http",
        "https",
        "improve",
        "improved",
        "improvement",
        "improves",
        "improving",
        "including",
        "introduce",
        "introduced",
        "key",
        "large",
        "limited",
        "lower",
        "make",
        "making",
        "method",
        "methods",
        "moreover",
        "novel",
        "offer",
        "offers",
        "outperform",
        "outperforms",
        "overall",
        "paper",
        "particular",
        "particularly",
        "performance",
        "perform",
        "performs",
        "present",
        "presented",
        "prior",
        "problem",
        "problems",
        "promising",
        "propose",
        "proposed",
        "provide",
        "provides",
        "recent",
        "recently",
        "remain",
        "remains",
        "result",
        "results",
        "reveal",
        "reveals",
        "second",
        "significant",
        "significantly",
        "state-of-the-art",
        "study",
        "studies",
        "suggest",
        "superior",
        "task",
        "tasks",
        "techniques",
        "trained",
        "training",
        "use",
        "used",
        "uses",
        "using",
        "various",
        "way",
        "ways",
        "widely",
        "work",
        "works",
        "com",
        "html",
        "io",
        "org",
        "www",
    ]
)
"""Words of academic prose that never name a topic (on top of scikit-learn's English stop words)."""


@cache
def stem(word: str) -> str:
    """A light, predictable English stemmer: plurals only.

    >>> [stem(w) for w in ("networks", "studies", "patches", "processes", "analysis", "llms")]
    ['network', 'study', 'patch', 'process', 'analysis', 'llm']
    """
    word = word.removesuffix("'s")
    if len(word) <= 3 or word.endswith(("ss", "us", "is", "series", "species")):
        return word
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("sses", "ches", "shes", "xes")):
        return word[:-2]
    return word[:-1] if word.endswith("s") else word


BREAK = "\x00"
"""Mark left by punctuation that ends a phrase (pairs of words never span it)."""
_CUTS = '.,;:!?()[]{}"|/\u201c\u201d\u2014\u2013\u2026\u00b7'
_UNICODE_SPACES = "\x85\xa0\u1680\u2028\u2029\u202f\u205f\u3000" + "".join(map(chr, range(0x2000, 0x200B)))
_TABLE = str.maketrans(
    {
        **{c: " " for c in "#$%&*+<=>@\\^_`~\t\n\r\x01\u2018" + _UNICODE_SPACES},
        **{c: BREAK for c in _CUTS},
        "\u2019": "'",
    }
)
"""One character for one: str.translate then takes its fast path (6x faster)."""


def words(text: str) -> list[str]:
    """Words as written, with ``BREAK`` where punctuation cuts a phrase.

    >>> words("Spiking networks (SNNs) on FPGAs, e.g.") == [
    ...     "Spiking", "networks", BREAK, "SNNs", BREAK, "on", "FPGAs", BREAK, "e", BREAK, "g", BREAK]
    True
    """
    return text.translate(_TABLE).replace(BREAK, f" {BREAK} ").split()


@lru_cache(maxsize=1_000_000)
def word_key(word: str) -> str:
    """A word as compared: lower case, no plural; ``""`` for marks, numbers and single letters.

    >>> [word_key(w) for w in ("Networks", "LLMs", "brain's", "3D", "2023", "-based", BREAK)]
    ['network', 'llm', 'brain', '3d', '', 'based', '']
    """
    w = word.lower().strip("-'")
    return stem(w) if len(w) > 1 and any(c.isalpha() for c in w) else ""


def stop_set(extra: Iterable[str]) -> frozenset[str]:
    return frozenset(word_key(w) for w in (*ENGLISH_STOP_WORDS, *BOILERPLATE, *extra)) - {""}


def segments(text: str) -> list[list[tuple[str, str]]]:
    """Runs of words between punctuation, each word as ``(key, as written)``.

    >>> segments("Spiking networks (SNNs), on FPGAs.")
    [[('spiking', 'Spiking'), ('network', 'networks')], [('snn', 'SNNs')], [('on', 'on'), ('fpga', 'FPGAs')]]
    """
    runs: list[list[tuple[str, str]]] = [[]]
    for w in words(text):
        if w == BREAK:
            if runs[-1]:
                runs.append([])
        else:
            runs[-1].append((word_key(w), w))
    return [r for r in runs if r]


def terms(text: str, stop: frozenset[str]) -> list[str]:
    """Words and word pairs of a text; stop words and numbers out, pairs never across them.

    >>> terms("Decoding speech from brain signals, 2023.", stop_set(()))
    ['decoding', 'speech', 'brain', 'signal', 'decoding speech', 'brain signal']
    """
    out: list[str] = []
    pairs: list[str] = []
    prev = ""
    for w in words(text):
        k = word_key(w)
        if not k or k in stop:
            prev = ""
            continue
        out.append(k)
        if prev:
            pairs.append(f"{prev} {k}")
        prev = k
    return out + pairs


def paper_text(paper: Paper, title_weight: int) -> str:
    """The text a paper is judged by: the title (weighted) and the abstract."""
    return ". ".join([paper.title] * title_weight + [paper.abstract])


def keyword_keys(keyword: str) -> tuple[str, ...]:
    """A pinned keyword as word keys: ``"Spiking Networks"`` -> ``('spiking', 'network')``."""
    return tuple(k for seg in segments(keyword) for k, _ in seg)


def runs_text(text: str) -> str:
    """A text as its runs of word keys (``segments``), each framed by spaces, one per line:
    the form keywords and names are looked for in (``has_keyword``, ``has_words``).

    >>> runs_text("Segmentation of images, fast.")
    ' segmentation of image \\n fast '
    """
    return "\n".join(" " + " ".join(k for k, _ in seg) + " " for seg in segments(text))


def has_keyword(runs: str, keys: tuple[str, ...]) -> bool:
    """Whether a run of words of a ``runs_text`` holds the keyword's words in order, side by side.

    Word keys hold no spaces and each run is framed by spaces on its own line, so this is one
    substring test: the same answer as comparing every window of words, at C speed.

    >>> has_keyword(runs_text("Spiking neural, network."), ("neural", "network"))
    False
    >>> has_keyword(runs_text("A spiking neural network."), ("neural", "network"))
    True
    >>> has_keyword(runs_text("Neurall networks."), ("neural", "network")), has_keyword(" x ", ())
    (False, False)
    """
    return bool(keys) and " " + " ".join(keys) + " " in runs


def has_words(runs: str, keys: tuple[str, ...]) -> bool:
    """Whether one run of words of a ``runs_text`` holds every one of the keys, in any order and
    place: "segmentation of histopathology images" holds ``('image', 'segmentation')``. The
    whole text is tried first, at C speed, as most texts lack a word of most names.

    >>> has_words(runs_text("Segmentation of histopathology images."), ("image", "segmentation"))
    True
    >>> has_words(runs_text("Segmentation. Images."), ("image", "segmentation")), has_words(" x ", ())
    (False, False)
    """
    needles = [f" {k} " for k in keys]
    if not needles or not all(n in runs for n in needles):
        return False
    return len(needles) == 1 or any(all(n in line for n in needles) for line in runs.split("\n"))
