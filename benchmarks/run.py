"""The scale benchmark: synthetic listings at 1k-20k papers, our ``make site`` against the floor.

For each size it synthesises listings in the seed format (``synth.py``), puts
them in a temporary copy of this project (``mkdocs.yml``, the hand-written
files under ``docs/``; no ``_topics.json``, so the first build fits topics),
writes the floor (``floor.py``: bare MkDocs + Material + its search, one
minimal page per paper, out of the nav) and measures both in the same run,
interleaved (``site_vs_floor.py``): the first build, rounds of floor / warm
``make site`` (site removed, cache kept) / cold ``make site`` (no cache, no
generated docs), and an incremental build after adding one listing. Each is
one process tree: wall and CPU seconds and peak memory summed over the tree.

At the search sizes it also times search in headless Chromium on our site
(``search_timing.py``).

Usage::

    python benchmarks/run.py                          # 1k, 5k, 10k, 20k; search at 10k
    python benchmarks/run.py --sizes 5000 --no-search # while iterating
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from floor import write_floor  # noqa: E402
from measure import human, machine  # noqa: E402
from site_vs_floor import compare  # noqa: E402
from synth import synthesise, write  # noqa: E402

GOALS = {
    "vs_floor_10k": 1.3,  # whole make site / floor build at 10k
    "vs_floor_5k": 1.5,  # ... at 5k
    "kb_per_paper_10k": 20.0,  # site bytes per paper at 10k
    "kb_per_paper_5k": 25.0,
    "scaling_20k_over_10k": 2.2,  # whole build at 20k / at 10k
    "peak_20k_mb": 1536.0,  # peak memory of any step at 20k
    "largest_page_kb": 150.0,  # no page over this
    "search_first_result_10k_ms": 300.0,
}
PAPER_PAGES = "papers/*/index.html"
FLOOR_PAGES = "p/*/index.html"


def hand_written(root: Path) -> list[Path]:
    """The files under ``docs/`` that git tracks (the generated ones are ignored there).

    In a snapshot without git (``git archive``, to benchmark a fixed commit) every file there is tracked.
    """
    if not (root / ".git").exists():
        return [p.relative_to(root) for p in sorted((root / "docs").rglob("*")) if p.is_file()]
    out = subprocess.run(["git", "ls-files", "docs"], cwd=root, capture_output=True, text=True, check=True)
    return [Path(line) for line in out.stdout.splitlines() if line]


def make_project(project: Path, seeds: dict[str, str]) -> None:
    """A copy of this project at ``project`` with the synthetic listings as its seeds."""
    if project.exists():
        shutil.rmtree(project)
    project.mkdir(parents=True)
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    config = config.replace("custom_dir: generator/theme", f"custom_dir: {ROOT / 'generator' / 'theme'}")
    config = config.replace("  - generator/hooks.py", f"  - {ROOT / 'generator' / 'hooks.py'}")
    (project / "mkdocs.yml").write_text(config, encoding="utf-8")
    for rel in hand_written(ROOT):
        (project / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / rel, project / rel)
    write(seeds, project / "seeds")


def bench_size(n: int, out: Path, search: bool, rounds: int, quick: bool = False) -> dict:
    """Every figure for ``n`` papers."""
    print(f"\n== {n} papers", flush=True)
    start = time.perf_counter()
    files, papers = synthesise(n)
    result: dict = {
        "papers_asked": n,
        "papers": len(papers),
        "listings": len(files),
        "synth_s": time.perf_counter() - start,
    }
    project = out / f"atlas-{n}"
    make_project(project, files)
    if quick:  # a stored topic model (the seeds'), so the first build assigns instead of fitting
        shutil.copy(ROOT / "seeds" / "_topics.json", project / "seeds" / "_topics.json")
    floor_dir = out / f"floor-{n}"
    write_floor([(p.title, p.abstract) for p in papers], floor_dir)
    extra, _ = synthesise(60, seed=n + 7)
    name, text = sorted(extra.items())[0]
    print(f"   synthesised {len(files)} listings in {result['synth_s']:.1f} s", flush=True)
    result["quick"] = quick
    result.update(compare(project, floor_dir, (f"zz_new_{name}", text), len(papers), rounds, quick))
    if search:
        from search_timing import measure

        print("   search in Chromium: ours (Pagefind)", flush=True)
        result["search_ours"] = measure(project / "site", "pagefind", PAPER_PAGES)
    (out / f"result-{n}.json").write_text(json.dumps(result, indent=1))
    return result


def best(r: dict, kind: str, field: str = "wall") -> float:
    """The fastest of the rounds for ``kind`` (floor, warm, cold): the least disturbed by other work."""
    return min(row[kind][field] for row in r["rounds"] if kind in row)


def ratio(r: dict, kind: str, field: str = "wall") -> float:
    """``kind`` / floor of the same round, the best round (each round built both side by side)."""
    return min(row[kind][field] / row["floor"][field] for row in r["rounds"] if kind in row)


def _stage_text(st: dict) -> str:
    return ", ".join(f"{k} {v:.1f}" for k, v in st.items())


def table(results: list[dict]) -> str:
    """The Markdown table of the run."""
    cols = [f"{r['papers']:,}" for r in results]

    def fig(t: dict) -> str:
        return f"{t['wall']:.1f} [{t['cpu']:.1f}] ({t['peak_mb']:.0f})"

    rows = [("listings", [str(r["listings"]) for r in results])]
    for kind, name in (
        ("floor", "floor: mkdocs build"),
        ("warm", "**make site, warm** (site/ removed)"),
        ("cold", "make site, cold (no cache, no generated docs)"),
    ):
        rows.append(
            (
                f"{name}: wall s [cpu s] (peak MB), each round",
                ["<br>".join(fig(row[kind]) for row in r["rounds"] if kind in row) for r in results],
            )
        )
    rows += [
        (
            "**warm / floor**: wall [cpu], best round",
            [f"**{ratio(r, 'warm'):.2f}** [{ratio(r, 'warm', 'cpu'):.2f}]" for r in results],
        ),
        (
            "cold / floor: wall [cpu], best round",
            [f"{ratio(r, 'cold'):.2f} [{ratio(r, 'cold', 'cpu'):.2f}]" for r in results],
        ),
        ("warm stages (s, last round)", [_stage_text(r["rounds"][-1]["warm"]["stages"]) for r in results]),
        (
            "cold stages (s)",
            [_stage_text([row for row in r["rounds"] if "cold" in row][-1]["cold"]["stages"]) for r in results],
        ),
        ("first build (fits topics): wall s [cpu s] (peak MB)", [fig(r["first"]) for r in results]),
        ("incremental (+1 listing): wall s [cpu s] (peak MB)", [fig(r["incremental"]) for r in results]),
        ("incremental stages (s)", [_stage_text(r["incremental"]["stages"]) for r in results]),
        ("site: size (files)", [f"{human(r['sizes']['bytes'])} ({r['sizes']['files']:,})" for r in results]),
        ("**site per paper**", [f"**{r['sizes']['per_paper_kb']:.1f} KB**" for r in results]),
        ("floor site per paper", [f"{r['floor_sizes']['per_paper_kb']:.1f} KB" for r in results]),
        (
            "largest page",
            [f"{human(r['sizes']['largest_page_bytes'])} `{r['sizes']['largest_page']}`" for r in results],
        ),
        (
            "peak memory, any build (whole process tree)",
            [
                f"{max([r['first']['peak_mb'], r['incremental']['peak_mb']] + [row[k]['peak_mb'] for row in r['rounds'] for k in ('warm', 'cold') if k in row]):.0f} MB"
                for r in results
            ],
        ),
    ]
    lines = ["| papers | " + " | ".join(cols) + " |", "|---|" + "---:|" * len(cols)]
    lines += [f"| {name} | " + " | ".join(vals) + " |" for name, vals in rows]
    return "\n".join(lines)


def search_table(results: list[dict]) -> str:
    """Search figures for the sizes that have them (medians of 3 visits)."""
    lines = [
        "| papers | first result after first key, cold / warm (ms) "
        "| results after last key, cold / warm (ms) | search ready after load, warm (ms) "
        "| bytes: page / search (cold visit) | known item in top 5 | topical precision@10 | load avg |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        s = r.get("search_ours")
        if not s:
            continue
        q = s["quality"]
        lines.append(
            f"| {r['papers']:,} | {s['cold']['first_ms']} / {s['warm']['first_ms']} "
            f"| {s['cold']['final_ms']} / {s['warm']['final_ms']} | {s['warm']['ready_ms']} "
            f"| {human(s['cold']['page_bytes'])} / {human(s['cold']['search_bytes'])} "
            f"| {q['known_top5']}/{q['known_total']} | {q['topical_precision']:.2f} "
            f"| {s['load_before']:.1f}-{s['load_after']:.1f} |"
        )
    return "\n".join(lines)


def _peak(r: dict) -> float:
    return max(
        [r["first"]["peak_mb"], r["incremental"]["peak_mb"]]
        + [row[k]["peak_mb"] for row in r["rounds"] for k in ("warm", "cold") if k in row]
    )


def goals(results: list[dict]) -> list[str]:
    """Each goal with the measured figure and whether it is met (only for sizes that ran)."""
    by = {r["papers_asked"]: r for r in results}
    out = []

    def check(name: str, value: float, limit: float, unit: str) -> None:
        out.append(f"- {'MET' if value <= limit else 'NOT MET'}: {name}: {value:.2f}{unit} (goal <= {limit}{unit})")

    for n, key in ((5000, "vs_floor_5k"), (10000, "vs_floor_10k")):
        if n in by:
            for field in ("wall", "cpu"):
                check(f"warm make site / floor at {n // 1000}k ({field})", ratio(by[n], "warm", field), GOALS[key], "x")
            check(f"cold make site / floor at {n // 1000}k (wall)", ratio(by[n], "cold"), GOALS[key], "x")
    for n, key in ((5000, "kb_per_paper_5k"), (10000, "kb_per_paper_10k")):
        if n in by:
            check(f"site per paper at {n // 1000}k", by[n]["sizes"]["per_paper_kb"], GOALS[key], " KB")
    if 10000 in by and 20000 in by:
        for field in ("wall", "cpu"):
            check(
                f"warm make site 20k / 10k ({field})",
                best(by[20000], "warm", field) / best(by[10000], "warm", field),
                GOALS["scaling_20k_over_10k"],
                "x",
            )
    if 20000 in by:
        check("peak memory at 20k (whole process tree, any build)", _peak(by[20000]), GOALS["peak_20k_mb"], " MB")
    check(
        "largest page (all sizes)",
        max(r["sizes"]["largest_page_bytes"] for r in results) / 1024,
        GOALS["largest_page_kb"],
        " KB",
    )
    if 10000 in by and by[10000].get("search_ours"):
        s = by[10000]["search_ours"]
        check(
            "search: results after the last key at 10k (warm)",
            s["warm"]["final_ms"] or 1e9,
            GOALS["search_first_result_10k_ms"],
            " ms",
        )
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="1000,5000,10000,20000", help="comma-separated paper counts")
    ap.add_argument("--search-sizes", default="10000", help="sizes at which to time search in Chromium")
    ap.add_argument("--no-search", action="store_true", help="skip the browser search timing")
    ap.add_argument("--rounds", type=int, default=2, help="floor / warm / cold rounds per size (default 2)")
    ap.add_argument(
        "--quick",
        action="store_true",
        help="stored topic model; the first build is the cold one; rounds of floor and warm only",
    )
    ap.add_argument("--out", type=Path, default=HERE / "out", help="work folder (default benchmarks/out)")
    ap.add_argument(
        "--search-only", action="store_true", help="only re-time search on the sites an earlier run left in --out"
    )
    ap.add_argument("--report-only", action="store_true", help="only print the tables of an earlier run")
    args = ap.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s]
    search_sizes = set() if args.no_search else {int(s) for s in args.search_sizes.split(",") if s}
    args.out.mkdir(parents=True, exist_ok=True)
    if args.search_only or args.report_only:
        results = [json.loads((args.out / f"result-{n}.json").read_text()) for n in sizes]
        for n, result in zip(sizes, results):
            if args.search_only and n in search_sizes:
                from search_timing import measure

                result["search_ours"] = measure(args.out / f"atlas-{n}" / "site", "pagefind", PAPER_PAGES)
                (args.out / f"result-{n}.json").write_text(json.dumps(result, indent=1))
    else:
        results = [bench_size(n, args.out, n in search_sizes, args.rounds, args.quick) for n in sizes]
    info = machine()
    report = "\n\n".join(
        [
            "Machine: " + ", ".join(f"{k} {v}" for k, v in info.items()) + f"; load average {os.getloadavg()[0]:.1f}",
            table(results),
            search_table(results) if any(r.get("search_ours") for r in results) else "",
            "Goals:\n" + "\n".join(goals(results)),
        ]
    )
    (args.out / "latest.md").write_text(report + "\n")
    print("\n" + report)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
