"""Benchmark of `jixiao consolidate` against the floor and a naive loop (issue #7).

Generates N realistic unit workbooks in several published layouts
(``workbook_templates.samples``), then measures, each in a fresh child process (wall time from
before the first import to the end, imports included):

  (a)  the floor — python-calamine reading every cell of every sheet of the same files, in ONE
       process; (a') the same split over J processes, for a like-for-like parallel floor;
  (b)  a naive openpyxl loop as a user would write it — ``load_workbook`` per file, iterate
       cells, in one process;
  (c)  ``jixiao consolidate <folder> -o summary.xlsx`` — ``addin.consolidate.consolidate`` with J
       worker processes plus the parent (read, score, validate, write the 汇总表; no progress
       bar); (c1) the same in ONE process (``--jobs 0``), the like-for-like figure for (a).

Each of (a), (a'), (c), (c1) runs ``--repeat`` times, interleaved (a shared machine's speed
drifts), and the median run counts (the range is printed too). Prints wall times, the ratios c/a (the issue's figure: J processes vs
one), c1/a (one process vs one), c/a' (J vs J) and b/c, peak memory (max RSS of the parent and of
the largest worker), and a per-stage CPU breakdown of the worker's path per file. ``--n 10000``
shows that the parent's memory does not grow with the number of files.

``--reference DIR`` also runs the per-stage breakdown with an older source tree first on the path
(``git archive <commit> | tar -x -C DIR``, e.g. the commit before the reader became a package),
interleaved with the current tree's ``--repeat`` times on the same files, and prints both read
stages (median) — the like-for-like before/after figure. ``--breakdown-only`` skips (a)–(c).
Usage: ``python benchmarks/consolidate.py [--n 1000] [--jobs J] [--repeat R] [--dir D] [--keep]
[--reference DIR] [--breakdown-only]``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

LAYOUTS = ("cz2020-annex", "sichuan", "seed004")


def _write_one(args: tuple[str, Path, dict]) -> None:
    from workbook_templates.samples import write_sample

    layout, path, data = args
    write_sample(layout, path, data)


def generate(folder: Path, n: int, seed: int, jobs: int) -> None:
    """Like ``samples.write_corpus`` (same data for the same seed, project names made unique
    as one project per unit file), written in parallel."""
    from workbook_templates.samples import random_unit

    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    work = []
    for i in range(n):
        layout = LAYOUTS[i % len(LAYOUTS)]
        data = random_unit(rng, i)
        data["project"]["name"] = f"{data['project']['name']}（{i + 1}）"   # one project per unit file
        path = folder / f"unit_{i + 1:05d}_{layout}.xlsx"
        if not path.exists():
            work.append((layout, path, data))
    with ProcessPoolExecutor(jobs) as ex:
        list(ex.map(_write_one, work, chunksize=16))


def _files(folder: Path) -> list[str]:
    return sorted(str(p) for p in folder.rglob("*.xls*"))


def _calamine_all(path: str) -> int:
    from python_calamine import CalamineWorkbook

    cells = 0
    wb = CalamineWorkbook.from_path(path)
    for name in wb.sheet_names:
        for row in wb.get_sheet_by_name(name).to_python():
            cells += len(row)
    return cells


def phase_floor(folder: Path, jobs: int) -> dict:
    files = _files(folder)
    if jobs <= 1:
        cells = sum(_calamine_all(p) for p in files)
    else:
        with ProcessPoolExecutor(jobs) as ex:
            cells = sum(ex.map(_calamine_all, files, chunksize=8))
    return {"files": len(files), "cells": cells}


def phase_naive(folder: Path, limit: int | None) -> dict:
    import openpyxl

    files = _files(folder)[:limit] if limit else _files(folder)
    cells = 0
    for p in files:
        wb = openpyxl.load_workbook(p, data_only=True)
        for ws in wb.worksheets:
            for row in ws.iter_rows():
                for c in row:
                    if c.value is not None:
                        cells += 1
    return {"files": len(files), "cells": cells}


def phase_consolidate(folder: Path, jobs: int, out: Path) -> dict:
    from addin.consolidate import consolidate

    r = consolidate(folder, out, jobs=jobs, keep_projects=False)      # jobs=0: in this process
    import multiprocessing.forkserver as fs

    stop = getattr(getattr(fs, "_forkserver", None), "_stop", None)
    if stop:
        stop()        # reap the forkserver, so RUSAGE_CHILDREN covers the workers
    return {"files": r.files, "ok": r.ok, "failed": len(r.failed), "weighted_score": str(r.weighted_score),
            "rule_weighted_score": str(r.rule_weighted_score), "errors": r.errors, "warnings": r.warnings}


def phase_breakdown(folder: Path, limit: int = 200) -> dict:
    """CPU per file of each stage of the worker's path (``consolidate_worker.read_file`` then
    validation), in one process, on the first ``limit`` files, next to the floor for each file."""
    from addin.validate import validate
    from workbook_templates.loaders import load_book
    from workbook_templates.reader import read_book
    from workbook_templates.safety import preflight

    files = _files(folder)[:limit]
    stages = {"calamine_floor": 0.0, "preflight": 0.0, "load": 0.0, "read": 0.0, "validate": 0.0}
    books = []
    for p in files:
        t = time.process_time()
        _calamine_all(p)
        t1 = time.process_time()
        info = preflight(p)
        t2 = time.process_time()
        book = load_book(p, engine="calamine", kind=info.kind, big=info.big, parts=info.parts)
        t3 = time.process_time()
        ev = read_book(book, p)
        t4 = time.process_time()
        validate(ev)
        t5 = time.process_time()
        for k, a, b in (("calamine_floor", t, t1), ("preflight", t1, t2), ("load", t2, t3), ("read", t3, t4),
                        ("validate", t4, t5)):
            stages[k] += b - a
        books.append((book, p))
    # The same books read again: one-time costs (imports, the vocabularies' JSON) are paid by now,
    # so this is the steady per-file cost a long consolidation sees.
    t = time.process_time()
    for book, p in books:
        read_book(book, p)
    again = time.process_time() - t
    n = max(len(files), 1)
    return {"files": len(files), **{k: 1000 * v / n for k, v in stages.items()}, "read_again": 1000 * again / n}


def run_phase(argv: list[str], tree: str | None = None) -> dict:
    """Run one phase in a fresh interpreter (with the source tree ``tree`` first on the path, if
    given); wall time and peak RSS (KiB) as measured inside it."""
    cmd = [sys.executable, __file__, "--phase", *argv]
    env = None
    if tree:
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in (tree, os.environ.get("PYTHONPATH")) if p))
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False, env=env)
    if proc.returncode != 0:
        raise SystemExit(f"phase {argv[0]} failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def child_main(args: argparse.Namespace) -> None:
    import resource

    folder = Path(args.dir)
    t0 = time.perf_counter()
    if args.phase == "floor":
        info = phase_floor(folder, args.jobs)
    elif args.phase == "naive":
        info = phase_naive(folder, args.naive_limit)
    elif args.phase == "breakdown":
        info = phase_breakdown(folder)
        import workbook_templates

        info["tree"] = str(Path(workbook_templates.__file__).resolve().parent.parent)
    else:
        info = phase_consolidate(folder, args.jobs, Path(args.out))
    wall = time.perf_counter() - t0
    info.update(wall=wall, rss_self_kib=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                rss_children_kib=resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
    print(json.dumps(info))


def breakdown(base: list[str], args: argparse.Namespace) -> None:
    """The per-stage CPU breakdown, and with ``--reference`` the read stage of both trees (runs
    interleaved, median of ``--repeat``)."""
    runs: dict[str, list[dict]] = {"now": [], "ref": []}
    for _ in range(max(1, args.repeat) if args.reference else 1):
        if args.reference:
            runs["ref"].append(run_phase(["breakdown", *base, "1"], tree=args.reference))
        runs["now"].append(run_phase(["breakdown", *base, "1"]))

    def median(key: str, stage: str) -> float:
        values = sorted(r[stage] for r in runs[key])
        return values[(len(values) - 1) // 2]

    d = {k: median("now", k) for k in ("files", "calamine_floor", "preflight", "load", "read", "validate",
                                        "read_again")}
    total = d["preflight"] + d["load"] + d["read"] + d["validate"]
    print(f"CPU per file, one process, first {d['files']} files: calamine floor {d['calamine_floor']:.2f} ms | "
          f"preflight {d['preflight']:.2f} + load {d['load']:.2f} + read {d['read']:.2f} + "
          f"validate {d['validate']:.2f} = {total:.2f} ms ({total / max(d['calamine_floor'], 1e-9):.1f} × floor)")
    print(f"  read again (same books, one-time imports paid): {d['read_again']:.2f} ms per file")
    if args.reference:
        ref = runs["ref"][0]["tree"]
        if ref == runs["now"][0]["tree"]:
            raise SystemExit(f"--reference {args.reference}: the child imported this tree, not the reference")
        print(f"read stage, median of {len(runs['now'])} interleaved runs: reference {ref} → this tree")
        for stage, what in (("read", "read, first pass"), ("read_again", "read again (steady)")):
            now_all = " ".join(f"{r[stage]:.2f}" for r in runs["now"])
            ref_all = " ".join(f"{r[stage]:.2f}" for r in runs["ref"])
            before, after = median("ref", stage), median("now", stage)
            print(f"  {what:19s}: {before:5.2f} ms [{ref_all}] → {after:5.2f} ms [{now_all}] "
                  f"({100 * (after - before) / max(before, 1e-9):+.0f} %)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=1000, help="number of unit workbooks (default 1000)")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--dir", help="corpus folder (reused if it exists; default: a temp folder)")
    ap.add_argument("--keep", action="store_true", help="keep the generated corpus and summary")
    ap.add_argument("--naive-limit", type=int, default=None,
                    help="run the naive loop on the first K files only and scale (default: all)")
    ap.add_argument("--skip-naive", action="store_true")
    ap.add_argument("--repeat", type=int, default=3, help="runs of (a), (a'), (c), (c1); the median counts")
    ap.add_argument("--reference", help="an older source tree: its read stage is printed beside this tree's")
    ap.add_argument("--breakdown-only", action="store_true", help="only the per-stage breakdown (and --reference)")
    ap.add_argument("--phase", choices=["floor", "naive", "consolidate", "breakdown"], help=argparse.SUPPRESS)
    ap.add_argument("--out", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.phase:
        child_main(args)
        return

    folder = Path(args.dir) if args.dir else Path(tempfile.mkdtemp(prefix="jixiao-bench-")) / "units"
    t0 = time.perf_counter()
    generate(folder, args.n, args.seed, args.jobs)
    print(f"corpus: {args.n} workbooks in {', '.join(LAYOUTS)} → {folder} ({time.perf_counter() - t0:.1f} s)")
    out = folder.parent / "summary.xlsx"
    base = ["--dir", str(folder), "--jobs"]
    if args.breakdown_only:
        breakdown(base, args)
        if not args.keep and not args.dir:
            shutil.rmtree(folder.parent, ignore_errors=True)
        return
    runs: dict[str, list[dict]] = {"a1": [], "aj": [], "c": [], "c1": []}
    for _ in range(max(1, args.repeat)):
        runs["a1"].append(run_phase(["floor", *base, "1"]))
        if args.jobs > 1:
            runs["aj"].append(run_phase(["floor", *base, str(args.jobs)]))
        runs["c"].append(run_phase(["consolidate", *base, str(args.jobs), "--out", str(out)]))
        runs["c1"].append(run_phase(["consolidate", *base, "0", "--out", str(out)]))

    def best(key: str) -> dict:
        """The median run (the lower middle one for an even count), with the range of wall times."""
        ordered = sorted(runs[key], key=lambda r: r["wall"])
        mid = dict(ordered[(len(ordered) - 1) // 2])
        mid["range"] = "" if len(ordered) == 1 else f"  [{ordered[0]['wall']:.2f}–{ordered[-1]['wall']:.2f}]"
        return mid

    a1, c, c1 = best("a1"), best("c"), best("c1")
    aj = best("aj") if runs["aj"] else a1
    b = None
    if not args.skip_naive:
        extra = ["--naive-limit", str(args.naive_limit)] if args.naive_limit else []
        b = run_phase(["naive", *base, "1", *extra])
        b["wall_scaled"] = b["wall"] * c["files"] / max(b["files"], 1)

    def mib(kib: int) -> str:
        return f"{kib / 1024:.0f} MiB"

    print(f"files: {c['files']}  ok: {c['ok']}  failed: {c['failed']}  cells read by calamine: {a1['cells']:,}")
    print(f"资金加权得分: stated {c['weighted_score']}, rule {c['rule_weighted_score']}; "
          f"findings {c['errors']} errors, {c['warnings']} warnings")
    n = max(c["files"], 1)
    reps = f"median of {len(runs['c'])} runs [range], " if len(runs["c"]) > 1 else ""
    print(f"wall times ({reps}fresh interpreter each, imports included); this machine: {os.cpu_count()} cores")
    print(f"(a)  floor, calamine every cell,  1 process          : {a1['wall']:7.2f} s   "
          f"{1000 * a1['wall'] / n:5.2f} ms/file   peak {mib(a1['rss_self_kib'])}{a1['range']}")
    if runs["aj"]:
        print(f"(a') floor, calamine every cell, {args.jobs:2d} processes        : {aj['wall']:7.2f} s{aj['range']}")
    if b:
        scaled = "" if b["files"] == c["files"] else f" ({b['files']} files, scaled to {c['files']})"
        print(f"(b)  naive openpyxl loop,          1 process          : {b['wall_scaled']:7.2f} s   "
              f"{1000 * b['wall_scaled'] / n:5.2f} ms/file   peak {mib(b['rss_self_kib'])}{scaled}")
    print(f"(c)  jixiao consolidate, {args.jobs:2d} worker processes + parent: {c['wall']:7.2f} s   "
          f"{1000 * c['wall'] / n:5.2f} ms/file   peak parent {mib(c['rss_self_kib'])}, "
          f"largest worker {mib(c['rss_children_kib'])}{c['range']}")
    print(f"(c1) jixiao consolidate --jobs 0,  1 process          : {c1['wall']:7.2f} s   "
          f"{1000 * c1['wall'] / n:5.2f} ms/file   peak {mib(c1['rss_self_kib'])}{c1['range']}")
    print(f"c/a   = {c['wall'] / a1['wall']:.2f}  ({args.jobs} processes vs the 1-process floor: the issue's figure)")
    print(f"c1/a  = {c1['wall'] / a1['wall']:.2f}  (1 process vs 1 process)")
    if runs["aj"]:
        print(f"c/a'  = {c['wall'] / aj['wall']:.2f}  ({args.jobs} processes vs {args.jobs} processes)")
    if b:
        print(f"b/c   = {b['wall_scaled'] / c['wall']:.1f}  (naive, 1 process vs consolidate, {args.jobs} processes)")
        print(f"b/c1  = {b['wall_scaled'] / c1['wall']:.1f}  (1 process vs 1 process)")
    breakdown(base, args)
    if not args.keep and not args.dir:
        shutil.rmtree(folder.parent, ignore_errors=True)
    elif args.keep:
        print(f"kept: {folder} and {out}")


if __name__ == "__main__":
    main()
