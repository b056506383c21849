"""The scale benchmark: synthetic listings at 1k-20k papers, our build against the floor.

For each size it synthesises listings in the seed format (``synth.py``), puts
them in a temporary copy of this project (``mkdocs.yml``, the hand-written
files under ``docs/``, no ``_topics.json``: topics are fitted from scratch, as
on a first build), then measures, each step in its own process:

* ``generate`` stage by stage (read, merge, topics, render, write): time and
  peak memory (``stages.py``);
* ``mkdocs build`` (``mkdocs_timed.py``);
* the search index: Pagefind over the built site, the command
  ``python -m generator build --site`` runs after MkDocs;
* the floor: bare MkDocs + Material + its search, one minimal page per paper;
* sizes: the site, the search index, the largest page.

At the search sizes it also indexes a copy of the floor with Pagefind and
times search in headless Chromium (``search_timing.py``) on three sites: the
floor with Material's search, the floor with Pagefind (the same pages: a fair
comparison of the two engines), and our site as it ships (Pagefind).

Usage::

    python benchmarks/run.py                          # 1k, 5k, 10k, 20k; search at 1k and 10k
    python benchmarks/run.py --sizes 1000 --no-search # quick look
"""
from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from floor import write_floor  # noqa: E402
from measure import human, largest_page, machine, python, run_measured, tree_bytes, tree_files  # noqa: E402
from synth import synthesise, write  # noqa: E402

GOALS = {
    "before_mkdocs_10k_s": 3.0,      # read..write for 10k papers
    "vs_floor_10k": 1.3,             # whole build / floor build at 10k
    "scaling_20k_over_10k": 2.2,     # whole build at 20k / at 10k
    "peak_20k_mb": 1536.0,           # peak memory of any step at 20k
    "largest_page_kb": 150.0,        # no page over this
    "search_first_result_10k_ms": 300.0,
}
PAPER_PAGES = "papers/*/index.html"
FLOOR_PAGES = "p/*/index.html"


def hand_written(root: Path) -> list[Path]:
    """The files under ``docs/`` that git tracks (the generated ones are ignored there)."""
    out = subprocess.run(["git", "ls-files", "docs"], cwd=root, capture_output=True, text=True, check=True)
    return [Path(line) for line in out.stdout.splitlines() if line]


def make_project(project: Path, seeds: dict[str, str]) -> None:
    """A copy of this project at ``project`` with the synthetic listings as its seeds."""
    if project.exists():
        shutil.rmtree(project)
    project.mkdir(parents=True)
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    config = config.replace("custom_dir: generator/theme", f"custom_dir: {ROOT / 'generator' / 'theme'}")
    (project / "mkdocs.yml").write_text(config, encoding="utf-8")
    for rel in hand_written(ROOT):
        (project / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / rel, project / rel)
    write(seeds, project / "seeds")


def mkdocs(project: Path, pagefind: bool = False, pages: str = PAPER_PAGES) -> dict:
    """Build the project's site in a child process; times, peak memory, sizes.

    With ``pagefind``, Pagefind then indexes the pages matching ``pages``.
    """
    args = [python(), str(HERE / "mkdocs_timed.py")]
    if pagefind:
        args += ["--pagefind", "--pagefind-glob", pages.replace("*/index", "**/*")]
    run = run_measured(args, project)
    result = json.loads(run.stdout.strip().splitlines()[-1])
    site = project / "site"
    page_bytes, page = largest_page(site)
    index = site / "pagefind" if (site / "pagefind").exists() else site / "search" / "search_index.json"
    return {**result, "wall": run.seconds, "cpu": run.cpu, "peak_mb": run.peak_mb, "site_bytes": tree_bytes(site),
            "site_files": tree_files(site), "index_bytes": tree_bytes(index) if index.is_dir()
            else (index.stat().st_size if index.exists() else 0),
            "largest_page_bytes": page_bytes, "largest_page": page}


def bench_size(n: int, out: Path, search: bool, floor: bool) -> dict:
    """Every figure for ``n`` papers."""
    print(f"\n== {n} papers", flush=True)
    start = time.perf_counter()
    files, papers = synthesise(n)
    result: dict = {"papers_asked": n, "synth_s": time.perf_counter() - start}
    project = out / f"atlas-{n}"
    make_project(project, files)
    print(f"   synthesised {len(files)} listings in {result['synth_s']:.1f} s; generating", flush=True)
    run = run_measured([python(), str(HERE / "stages.py"), str(project)], project)
    result["generate"] = {**json.loads(run.stdout.strip().splitlines()[-1]), "wall": run.seconds,
                          "process_cpu": run.cpu, "process_peak_mb": run.peak_mb}
    print(f"   generate {run.seconds:.1f} s; mkdocs build", flush=True)
    result["mkdocs"] = mkdocs(project)
    print(f"   mkdocs build {result['mkdocs']['wall']:.1f} s; search index", flush=True)
    result["index"] = search_index(project / "site")
    result["mkdocs"]["index_bytes"] = result["index"]["bytes"]
    if floor:
        floor_dir = out / f"floor-{n}"
        t = time.perf_counter()
        write_floor([(p.title, p.abstract) for p in papers], floor_dir)
        result["floor_write_s"] = time.perf_counter() - t
        print(f"   search index {result['index']['wall']:.1f} s; floor", flush=True)
        result["floor"] = mkdocs(floor_dir)
    if search:
        floor_pf = out / f"floor-{n}-pagefind"
        write_floor([(p.title, p.abstract) for p in papers], floor_pf, "pagefind")
        print("   floor with Pagefind: mkdocs build + index", flush=True)
        result["floor_pagefind"] = mkdocs(floor_pf, pagefind=True, pages=FLOOR_PAGES)
        search_all(n, out, result)
    (out / f"result-{n}.json").write_text(json.dumps(result, indent=1))
    return result


def search_index(site: Path) -> dict:
    """Pagefind over our built site, as ``python -m generator build --site`` runs it, in its own process."""
    run = run_measured([python(), "-m", "pagefind", "--site", str(site), "--silent"], site.parent)
    return {"wall": run.seconds, "cpu": run.cpu, "peak_mb": run.peak_mb, "bytes": tree_bytes(site / "pagefind"),
            "files": tree_files(site / "pagefind")}


def search_all(n: int, out: Path, result: dict) -> None:
    """Time search in Chromium: the floor with each engine (same pages), then our site."""
    from search_timing import measure
    print("   search in Chromium: floor + Material, floor + Pagefind, ours (Pagefind)", flush=True)
    result["search_floor_material"] = measure(out / f"floor-{n}" / "site", "material", FLOOR_PAGES)
    result["search_floor_pagefind"] = measure(out / f"floor-{n}-pagefind" / "site", "pagefind", FLOOR_PAGES)
    result["search_ours"] = measure(out / f"atlas-{n}" / "site", "pagefind", PAPER_PAGES)


def whole(r: dict, kind: str = "wall") -> float:
    """Seconds of our whole build: generate, mkdocs build and search index processes.

    ``kind`` is ``"wall"`` or ``"cpu"``.
    """
    if kind == "cpu":
        return r["generate"]["process_cpu"] + r["mkdocs"]["cpu"] + r["index"]["cpu"]
    return r["generate"]["wall"] + r["mkdocs"]["wall"] + r["index"]["wall"]


def peak(r: dict) -> float:
    """The largest peak memory of the three build processes, MiB."""
    return max(r["generate"]["process_peak_mb"], r["mkdocs"]["peak_mb"], r["index"]["peak_mb"])


def table(results: list[dict]) -> str:
    """The Markdown tables of the run."""
    cols = [f"{r['generate']['papers']:,}" for r in results]
    rows = [("listings / records", [f"{r['generate']['listings']} / {r['generate']['records']:,}" for r in results])]
    for stage in ("read", "merge", "topics", "render", "write"):
        rows.append((f"{stage}: s [cpu s] (peak MB)", [
            f"{r['generate']['timings'][stage]:.2f} [{r['generate']['cpu'][stage]:.2f}] ({r['generate']['peak_mb'][stage]:.0f})"
            for r in results]))
    rows += [
        ("**before MkDocs** (read..write): s [cpu s]", [
            f"**{sum(r['generate']['timings'].values()):.2f}** [{sum(r['generate']['cpu'].values()):.2f}]" for r in results]),
        ("generate process: wall s [cpu s] (peak MB)", [
            f"{r['generate']['wall']:.1f} [{r['generate']['process_cpu']:.1f}] ({r['generate']['process_peak_mb']:.0f})"
            for r in results]),
        ("MkDocs build: wall s [cpu s] (peak MB)", [
            f"{r['mkdocs']['wall']:.1f} [{r['mkdocs']['cpu']:.1f}] ({r['mkdocs']['peak_mb']:.0f})" for r in results]),
        ("search index (Pagefind): wall s [cpu s] (peak MB)", [
            f"{r['index']['wall']:.1f} [{r['index']['cpu']:.1f}] ({r['index']['peak_mb']:.0f})" for r in results]),
        ("**whole build**: s [cpu s]", [f"**{whole(r):.1f}** [{whole(r, 'cpu'):.1f}]" for r in results]),
        ("site: size (files)", [f"{human(r['mkdocs']['site_bytes'])} ({r['mkdocs']['site_files']:,})" for r in results]),
        ("search index size (files)", [f"{human(r['index']['bytes'])} ({r['index']['files']:,})" for r in results]),
        ("peak memory of any build process", [f"{peak(r):.0f} MB" for r in results]),
        ("largest page", [f"{human(r['mkdocs']['largest_page_bytes'])} `{r['mkdocs']['largest_page']}`" for r in results]),
        ("MkDocs warnings", [str(r["mkdocs"]["warnings"]) for r in results]),
    ]
    if all("floor" in r for r in results):
        rows += [
            ("floor: mkdocs process wall s [cpu s] (peak MB)", [
                f"{r['floor']['wall']:.1f} [{r['floor']['cpu']:.1f}] ({r['floor']['peak_mb']:.0f})" for r in results]),
            ("floor: site size / search index", [f"{human(r['floor']['site_bytes'])} / {human(r['floor']['index_bytes'])}"
                                                 for r in results]),
            ("**ours / floor**: wall [cpu]", [
                f"**{whole(r) / r['floor']['wall']:.2f}** [{whole(r, 'cpu') / r['floor']['cpu']:.2f}]" for r in results]),
        ]
    lines = ["| papers | " + " | ".join(cols) + " |", "|---|" + "---:|" * len(cols)]
    lines += [f"| {name} | " + " | ".join(vals) + " |" for name, vals in rows]
    return "\n".join(lines)


def search_table(results: list[dict]) -> str:
    """Search figures for the sizes that have them (medians of 3 visits)."""
    lines = ["| papers | site + engine | first result after first key, cold / warm (ms) "
             "| results after last key, cold / warm (ms) | search ready after load, warm (ms) "
             "| bytes: page / search (cold visit) | known item in top 5 | topical precision@10 | load avg |",
             "|---:|---|---:|---:|---:|---:|---:|---:|---:|"]
    names = {"search_floor_material": "floor + Material search", "search_floor_pagefind": "floor + Pagefind",
             "search_ours": "ours (Pagefind)"}
    for r in results:
        for key, name in names.items():
            s = r.get(key)
            if not s:
                continue
            q = s["quality"]
            lines.append(
                f"| {r['generate']['papers']:,} | {name} | {s['cold']['first_ms']} / {s['warm']['first_ms']} "
                f"| {s['cold']['final_ms']} / {s['warm']['final_ms']} | {s['warm']['ready_ms']} "
                f"| {human(s['cold']['page_bytes'])} / {human(s['cold']['search_bytes'])} "
                f"| {q['known_top5']}/{q['known_total']} | {q['topical_precision']:.2f} "
                f"| {s['load_before']:.1f}-{s['load_after']:.1f} |")
    return "\n".join(lines)


def goals(results: list[dict]) -> list[str]:
    """Each goal with the measured figure and whether it is met (only for sizes that ran)."""
    by = {r["papers_asked"]: r for r in results}
    out = []

    def check(name: str, value: float, limit: float, unit: str) -> None:
        out.append(f"- {'MET' if value <= limit else 'NOT MET'}: {name}: {value:.2f}{unit} (goal <= {limit}{unit})")

    if 10000 in by:
        check("read..write at 10k", sum(by[10000]["generate"]["timings"].values()), GOALS["before_mkdocs_10k_s"], " s")
        if "floor" in by[10000]:
            check("whole build / floor at 10k (wall)", whole(by[10000]) / by[10000]["floor"]["wall"],
                  GOALS["vs_floor_10k"], "x")
            check("whole build / floor at 10k (cpu)", whole(by[10000], "cpu") / by[10000]["floor"]["cpu"],
                  GOALS["vs_floor_10k"], "x")
        if 20000 in by:
            check("whole build 20k / 10k (wall)", whole(by[20000]) / whole(by[10000]), GOALS["scaling_20k_over_10k"], "x")
            check("whole build 20k / 10k (cpu)", whole(by[20000], "cpu") / whole(by[10000], "cpu"),
                  GOALS["scaling_20k_over_10k"], "x")
        for key in ("search_floor_material", "search_floor_pagefind", "search_ours"):
            s = by[10000].get(key)
            if s:
                check(f"{key}: results for the typed query at 10k (warm, after last key)",
                      s["warm"]["final_ms"] or 1e9, GOALS["search_first_result_10k_ms"], " ms")
    if 20000 in by:
        r = by[20000]
        check("peak memory at 20k (largest of the generate, mkdocs and Pagefind processes)",
              peak(r), GOALS["peak_20k_mb"], " MB")
    check("largest page (all sizes)", max(r["mkdocs"]["largest_page_bytes"] for r in results) / 1024,
          GOALS["largest_page_kb"], " KB")
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="1000,5000,10000,20000", help="comma-separated paper counts")
    ap.add_argument("--search-sizes", default="1000,10000", help="sizes at which to time search in Chromium")
    ap.add_argument("--no-search", action="store_true", help="skip the browser search timing")
    ap.add_argument("--no-floor", action="store_true", help="skip the floor build")
    ap.add_argument("--out", type=Path, default=HERE / "out", help="work folder (default benchmarks/out)")
    ap.add_argument("--search-only", action="store_true",
                    help="only re-time search on the sites an earlier run left in --out")
    ap.add_argument("--report-only", action="store_true", help="only print the tables of an earlier run")
    args = ap.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s]
    search_sizes = set() if args.no_search else {int(s) for s in args.search_sizes.split(",") if s}
    args.out.mkdir(parents=True, exist_ok=True)
    if args.search_only or args.report_only:
        results = [json.loads((args.out / f"result-{n}.json").read_text()) for n in sizes]
        for n, result in zip(sizes, results):
            if args.search_only and n in search_sizes:
                search_all(n, args.out, result)
                (args.out / f"result-{n}.json").write_text(json.dumps(result, indent=1))
    else:
        results = [bench_size(n, args.out, n in search_sizes, not args.no_floor) for n in sizes]
    info = machine()
    report = "\n\n".join([
        "Machine: " + ", ".join(f"{k} {v}" for k, v in info.items()),
        table(results),
        search_table(results) if search_sizes else "",
        "Goals:\n" + "\n".join(goals(results)),
    ])
    (args.out / "latest.md").write_text(report + "\n")
    print("\n" + report)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
