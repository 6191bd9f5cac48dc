"""Run every subcommand over the hostile corpus and count what must never happen.

    python -m tests.hostile.run CORPUS_DIR [--jobs 2] [--json]

Each run is ``addin.cli.main(argv)`` in a forked child (this process imports the CLI once, so a
fork costs milliseconds) with its output redirected, an address-space cap and a time limit. Counted:
runs ending in "意外问题" or a traceback, signal deaths, runs over the time or memory bound, exit
codes other than 0/1/2, and inputs whose bytes changed. Printed: files tried, runs, those counts,
peak memory (max RSS of a run) and the offending runs.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import signal
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

TIME_LIMIT = 90.0          # seconds per run
MEMORY_LIMIT_MB = 1536     # peak RSS per run (a 自评表 needs ~100 MB)
ADDRESS_SPACE_MB = 3072    # hard cap per run (RLIMIT_AS), so a runaway fails instead of the machine

PER_FILE = {
    "read": ["read", "{f}", "--json"],
    "read-calamine": ["read", "{f}", "--engine", "calamine"],
    "validate": ["validate", "{f}", "--json"],
    "validate-o": ["validate", "{f}", "-o", "{out}.xlsx"],
    "score-o": ["score", "{f}", "-o", "{out}.xlsx"],
    "report": ["report", "{f}", "-o", "{out}.docx", "--no-chart"],
    "fill-from": ["fill", "project", "--from", "{f}", "-o", "{out}.xlsx"],
    "press": ["addin", "press", "校验", "{f}"],
}
PER_FOLDER = {
    "consolidate": ["consolidate", "{d}", "-o", "{out}/汇总.xlsx", "-q", "--jobs", "2"],
    "consolidate-j0": ["consolidate", "{d}", "-o", "{out}/汇总0.xlsx", "-q", "--jobs", "0", "--json"],
}
AFTER = {"report-department": ["report", "--department", "{out}/汇总.xlsx", "-o", "{out}/部门.docx"]}


@dataclass
class Run:
    name: str
    argv: list[str]
    rc: int | None = None
    signal: int | None = None
    seconds: float = 0.0
    maxrss_mb: float = 0.0
    timed_out: bool = False
    out: str = ""
    err: str = ""
    problems: list[str] = field(default_factory=list)


def _child(argv: list[str], out: str, err: str) -> None:
    """In the forked child: output to files, caps, run the CLI, exit with its code."""
    try:
        os.dup2(os.open(os.devnull, os.O_RDONLY), 0)
        os.dup2(os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), 1)
        os.dup2(os.open(err, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), 2)
        limit = ADDRESS_SPACE_MB * 2**20
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        from addin.cli import main

        rc = main(argv)
        sys.stdout.flush()
        sys.stderr.flush()
    except SystemExit as exc:            # argparse
        rc = exc.code if isinstance(exc.code, int) else 2
    except BaseException:  # noqa: BLE001 - a traceback here is what the corpus looks for
        import traceback

        traceback.print_exc()
        sys.stderr.flush()
        rc = 99
    os._exit(rc)


def run_all(runs: list[Run], jobs: int, scratch: Path) -> None:
    pending = list(runs)
    active: dict[int, tuple[Run, float, str, str]] = {}
    while pending or active:
        while pending and len(active) < jobs:
            r = pending.pop(0)
            out, err = str(scratch / f"{id(r)}.out"), str(scratch / f"{id(r)}.err")
            pid = os.fork()
            if pid == 0:
                _child(r.argv, out, err)
            active[pid] = (r, time.monotonic(), out, err)
        time.sleep(0.01)
        for pid, (r, t0, out, err) in list(active.items()):
            done, status, usage = os.wait4(pid, os.WNOHANG)
            if not done:
                if time.monotonic() - t0 > TIME_LIMIT:
                    os.kill(pid, signal.SIGKILL)
                    r.timed_out = True
                continue
            del active[pid]
            r.seconds = time.monotonic() - t0
            r.maxrss_mb = usage.ru_maxrss / 1024
            if os.WIFSIGNALED(status):
                r.signal = os.WTERMSIG(status)
            else:
                r.rc = os.WEXITSTATUS(status)
            r.out = Path(out).read_text("utf-8", errors="replace")
            r.err = Path(err).read_text("utf-8", errors="replace")


def judge(r: Run) -> None:
    text = r.out + r.err
    if "意外问题" in text:
        r.problems.append("意外问题")
    if "Traceback" in r.err:
        r.problems.append("traceback")
    if r.timed_out:
        r.problems.append("over time")
    elif r.signal is not None:
        r.problems.append(f"signal {r.signal}")
    elif r.rc not in (0, 1, 2):
        r.problems.append(f"exit {r.rc}")
    if r.maxrss_mb > MEMORY_LIMIT_MB:
        r.problems.append("over memory")
    if r.rc == 2 and not r.err.strip():
        r.problems.append("exit 2 without a message")


def digests(folder: Path) -> dict[bytes, str]:
    out = {}
    for root, _dirs, files in os.walk(os.fsencode(folder)):
        for f in files:
            p = os.path.join(root, f)
            with open(p, "rb") as fh:
                out[p] = hashlib.sha256(fh.read()).hexdigest()
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--only", help="comma-separated command names")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    import addin.cli  # noqa: F401 - imported once, forked many times
    import addin.commands  # noqa: F401

    corpus = Path(args.corpus)
    files = sorted((Path(os.fsdecode(os.path.join(os.fsencode(corpus), f)))
                    for f in os.listdir(os.fsencode(corpus))), key=str)
    before = digests(corpus)
    only = set(args.only.split(",")) if args.only else None
    with tempfile.TemporaryDirectory(prefix="jx-hostile-") as scratch_dir:
        scratch = Path(scratch_dir)
        outs = scratch / "out"
        outs.mkdir()
        runs = []
        for i, f in enumerate(files):
            for name, tmpl in PER_FILE.items():
                if only and name not in only:
                    continue
                argv_ = [a.replace("{f}", str(f)).replace("{out}", str(outs / f"{i}-{name}")) for a in tmpl]
                runs.append(Run(f"{name} {f.name}", argv_))
        for name, tmpl in PER_FOLDER.items():
            if not only or name in only:
                runs.append(Run(name, [a.replace("{d}", str(corpus)).replace("{out}", str(outs)) for a in tmpl]))
        t0 = time.monotonic()
        run_all(runs, args.jobs, scratch)
        after_runs = [Run(n, [a.replace("{out}", str(outs)) for a in t]) for n, t in AFTER.items()
                      if (not only or n in only) and (outs / "汇总.xlsx").exists()]
        run_all(after_runs, 1, scratch)
        runs += after_runs
        elapsed = time.monotonic() - t0
    for r in runs:
        judge(r)
    after = digests(corpus)
    changed = sorted(os.fsdecode(p) for p in before if after.get(p) != before[p])
    summary = {
        "files": len(files), "runs": len(runs), "seconds": round(elapsed, 1),
        "unexpected": sum("意外问题" in r.problems or "traceback" in r.problems for r in runs),
        "signal_deaths": sum(any(p.startswith("signal") for p in r.problems) for r in runs),
        "over_time": sum("over time" in r.problems for r in runs),
        "over_memory": sum("over memory" in r.problems for r in runs),
        "bad_exit": sum(any(p.startswith("exit") for p in r.problems) for r in runs),
        "inputs_modified": len(changed),
        "peak_memory_mb": round(max((r.maxrss_mb for r in runs), default=0), 1),
        "exit_codes": {str(k): sum(r.rc == k for r in runs) for k in sorted({r.rc for r in runs}, key=str)},
        "problems": [{"run": r.name, "problems": r.problems, "rc": r.rc, "signal": r.signal,
                      "message": (r.err.strip().splitlines() or [""])[-1][:300]} for r in runs if r.problems],
        "changed": changed,
    }
    if args.json:
        print(json.dumps(summary, ensure_ascii=False, indent=1))
    else:
        print(f"hostile corpus: {summary['files']} files, {summary['runs']} runs in {summary['seconds']} s; "
              f"意外问题 {summary['unexpected']}, signal deaths {summary['signal_deaths']}, "
              f"over time {summary['over_time']}, over memory {summary['over_memory']}, "
              f"bad exit {summary['bad_exit']}, inputs modified {summary['inputs_modified']}, "
              f"peak memory {summary['peak_memory_mb']} MB")
        for p in summary["problems"]:
            print(f"  {p['run']!r}: {', '.join(p['problems'])} — {p['message']}")
    return 1 if summary["problems"] or changed else 0


if __name__ == "__main__":
    sys.exit(main())
