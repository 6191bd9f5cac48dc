"""汇总各单位: consolidate a folder (or zip) of units' 自评表 into one 汇总表 workbook.

Each file is checked, read, scored and validated in a worker process (``--jobs``, small files
batched per task); a worker returns a small summary dict, never the workbook. The parent spools
summaries to a temporary file and handles them in file order as they arrive: 问题清单 rows,
duplicates and statistics stream into an openpyxl write-only workbook while workers still read;
the 汇总表 rows (which need every score for 排名) follow from the spool. Parent memory holds a
few numbers per project, not the projects. A bad file never stops the run: it becomes a 无法读取
row with a Chinese reason. A file that hangs past the per-file time budget, or kills its worker,
is reported and the pool restarted.

资金加权得分 = Σ(得分 × 全年预算数) ÷ Σ全年预算数 (``udfs.scoring.weighted_score``), for the
stated 自评得分 and for the 规则得分.
"""

from __future__ import annotations

import os
import pickle
import sys
import tempfile
import time
from collections import Counter, deque
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from udfs.numbers import excel_round
from udfs.scoring import weighted_score
from workbook_templates.errors import WriteError
from workbook_templates.fileio import atomic_path, check_output_path
from workbook_templates.meta import profile_digest
from workbook_templates.model import num
from workbook_templates.safety import kill_pool, limit_memory

from .consolidate_sources import SourceFile, Sources
from .consolidate_worker import is_summary_workbook, resolve_profile, summarize_file

if TYPE_CHECKING:       # openpyxl (≈0.25 s to import) is loaded while the workers start
    from .consolidate_output import SummaryWriter

Progress = Callable[[int, int, str], None]

DEFAULT_TIMEOUT = 120.0          # seconds per file before the worker is killed
TIMEOUT_REASON = "读取超时（超过 {s:.0f} 秒仍未完成），已跳过；文件可能过大或结构异常"
CRASH_REASON = "读取时处理进程异常退出（文件可能损坏或过大），已跳过"
RETURN_REASON = "读取结果无法从处理进程传回（{what}），已跳过"
START_REASON = "读取进程在 {s:.0f} 秒内未能启动（本机负载过高或安装不完整），该文件未读取，已跳过"
START_GRACE = 60.0   # seconds a pool may take to start its first worker, on top of the per-file budget


class Terminated(KeyboardInterrupt):
    """SIGTERM/SIGHUP during a consolidation: unwinds like Ctrl+C, so workers, the forkserver and
    the temporary folder are cleaned up (``cli`` exits 128 + signal number)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


@dataclass
class ConsolidationResult:
    """What a consolidation found. ``projects`` is kept only when asked (``keep_projects``)."""

    output: str | None
    files: int = 0
    ok: int = 0
    failed: list[dict[str, str]] = field(default_factory=list)
    weighted_score: Decimal | None = None
    rule_weighted_score: Decimal | None = None
    errors: int = 0
    warnings: int = 0
    files_with_errors: int = 0
    duplicates: int = 0
    projects: list[dict[str, Any]] = field(default_factory=list)
    mismatches: list[dict[str, str]] = field(default_factory=list)   # template-version / profile

    def exit_code(self, strict: bool = False) -> int:
        """0, or 1 with ``strict`` when a file failed or has error findings."""
        return 1 if strict and (self.failed or self.files_with_errors) else 0

    def to_json(self) -> dict[str, Any]:
        return {
            "files": self.files,
            "ok": self.ok,
            "failed": list(self.failed),
            "weighted_score": num(self.weighted_score),
            "rule_weighted_score": num(self.rule_weighted_score),
            "projects": list(self.projects),
            "mismatches": list(self.mismatches),
        }


# -- running the workers -----------------------------------------------------------------------

_STARTS: Any = None      # in a worker: the pool's shared start-time slots (``run_tasks``)


def _init_worker(starts: Any = None) -> None:
    """Pool initializer: cap the worker's memory (``safety.limit_memory``, which also lets it run
    python-calamine in place: the worker is the isolation), keep the pool's start-time slots, and,
    on Linux, have the kernel kill it when its parent (the forkserver) goes — a killed
    consolidation leaves no worker behind."""
    global _STARTS
    _STARTS = starts
    limit_memory()
    if sys.platform.startswith("linux"):
        try:
            import ctypes
            import signal

            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)     # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass


def stop_forkserver() -> None:
    """Stop the forkserver this process started (its workers follow by PR_SET_PDEATHSIG)."""
    if not sys.platform.startswith("linux"):
        return
    from multiprocessing import forkserver

    server = getattr(forkserver, "_forkserver", None)
    stop = getattr(server, "_stop", None)
    if stop is not None and getattr(server, "_forkserver_pid", None) is not None:
        try:
            stop()
        except (OSError, ChildProcessError):
            pass


@contextmanager
def terminate_on_signals() -> Iterator[None]:
    """SIGTERM and SIGHUP raise ``Terminated`` in the main thread (elsewhere: nothing changes)."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum: int, _frame: Any) -> None:
        raise Terminated(signum)

    old = {}
    for name in ("SIGTERM", "SIGHUP"):
        sig = getattr(signal, name, None)
        if sig is not None:
            old[sig] = signal.signal(sig, handler)
    try:
        yield
    finally:
        for sig, h in old.items():
            signal.signal(sig, h)


_NO_FORKSERVER = False     # the forkserver could not start here (e.g. TMPDIR too long for its socket)


def _mp_context():
    import multiprocessing as mp

    if sys.platform.startswith("linux") and not _NO_FORKSERVER:
        ctx = mp.get_context("forkserver")   # no fork of a threaded parent (rich's refresh thread)
        ctx.set_forkserver_preload(["addin.consolidate_preload"])
        return ctx
    return mp.get_context("spawn")


def prestart_workers() -> None:
    """Start the forkserver now (Linux): it imports what workers need (``consolidate_preload``)
    in the background while this process lists the files and loads openpyxl, so the first
    workers fork from a warm server. Elsewhere workers are spawned when the pool starts. A
    forkserver that cannot start (its socket path in a TMPDIR longer than 108 bytes: "AF_UNIX
    path too long") leaves the workers to be spawned."""
    global _NO_FORKSERVER
    ctx = _mp_context()
    if ctx.get_start_method() == "forkserver":
        from multiprocessing import forkserver

        try:
            forkserver.ensure_running()
        except OSError:
            _NO_FORKSERVER = True


def processes_usable() -> bool:
    """Worker processes re-import ``__main__`` from its file (spawn/forkserver); an interactive or
    piped parent (``python -`` ) has none, so run in-process there instead of failing every file."""
    main = sys.modules.get("__main__")
    path = getattr(main, "__file__", None)
    return path is None or os.path.exists(path)


def _failure(task: SourceFile, reason: str) -> dict[str, Any]:
    return {"ok": False, "file": task.display, "reason": reason}


def run_batch(worker: Callable[[str, str, Any], dict], items: list[tuple[str, str]], profile: Any,
              slot: int | None = None) -> list[dict]:
    """In a worker process: several small files per round trip (less inter-process overhead). The
    time it starts goes to its ``slot`` first: the time budget runs from here, not from when the
    parent submitted it (a pool still starting on a loaded machine is not the file's time)."""
    if slot is not None and _STARTS is not None:
        _STARTS[slot] = time.monotonic()
    return [worker(path, display, profile) for path, display in items]


def batch_size(n: int, jobs: int) -> int:
    """Files per task: 1 for small runs, up to 8 when there are many files per worker."""
    return max(1, min(8, n // (jobs * 16))) if jobs else 1


def run_tasks(tasks: list[SourceFile], jobs: int, profile: Any, timeout: float,
              worker: Callable[[str, str, Any], dict] = summarize_file,
              batch: int | None = None) -> Iterator[tuple[int, dict]]:
    """Yield ``(index, summary)`` for every task, in completion order.

    ``jobs == 0`` runs in this process (no time budget). Otherwise a process pool with a bounded
    number of batches in flight. A batch running longer than ``timeout`` or whose worker dies has
    its files run again one at a time; a single file over ``timeout`` is reported and the pool
    killed and restarted; a single file whose worker dies (alone in its pool) is reported.
    """
    if jobs == 0:
        for t in tasks:
            yield t.index, worker(t.path, t.display, profile)
        return
    ctx = _mp_context()
    size = batch or batch_size(len(tasks), jobs)
    queue: deque[list[SourceFile]] = deque(tasks[i:i + size] for i in range(0, len(tasks), size))
    suspects: deque[list[SourceFile]] = deque()     # one file each: re-run alone
    max_inflight = jobs * 3
    ex: ProcessPoolExecutor | None = None
    inflight: dict[Future, list[SourceFile]] = {}
    started: dict[Future, float] = {}
    submitted: dict[Future, float] = {}     # the fallback: a pool none of whose workers ever starts
    # When each in-flight batch's worker began it (time.monotonic, system-wide; 0 = not yet): one
    # slot per batch in flight, written without a lock (a worker killed mid-write blocks no one).
    starts = ctx.Array("d", max_inflight, lock=False)
    slot_of: dict[Future, int] = {}
    solo = False

    def new_pool(workers: int) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_init_worker,
                                   initargs=(starts,))

    def submit(group: list[SourceFile]) -> None:
        slot = min(set(range(max_inflight)) - set(slot_of.values()))
        starts[slot] = 0.0
        f = ex.submit(run_batch, worker, [(t.path, t.display) for t in group], profile, slot)
        inflight[f] = group
        slot_of[f] = slot
        submitted[f] = time.monotonic()

    def isolate(group: list[SourceFile]) -> None:
        suspects.extend([t] for t in group)

    try:
        while queue or suspects or inflight:
            if ex is not None and not solo and not queue and not inflight:
                ex.shutdown(wait=True)       # only suspects left: each alone in a one-worker pool
                ex = None
            if ex is None:
                solo = not queue and bool(suspects)
                ex = new_pool(1 if solo else jobs)
            source = suspects if solo else queue
            limit = 1 if solo else max_inflight
            while source and len(inflight) < limit:
                submit(source.popleft())
            now = time.monotonic()
            for f, slot in slot_of.items():
                if f not in started and starts[slot] > 0:
                    started[f] = min(starts[slot], now)
            # A batch that starts later also ends its budget later: waiting for the earliest is enough.
            wait_for = max(0.05, min((started[f] + timeout - now for f in started), default=0.05))
            done, _ = wait(list(inflight), timeout=wait_for, return_when=FIRST_COMPLETED)
            broken = False
            for f in done:
                group = inflight.pop(f)
                started.pop(f, None)
                slot_of.pop(f, None)
                submitted.pop(f, None)
                try:
                    results = f.result()
                except BrokenProcessPool:
                    broken = True
                    if solo:
                        yield group[0].index, _failure(group[0], CRASH_REASON)
                    else:
                        isolate(group)
                    continue
                except Exception as exc:  # noqa: BLE001 — e.g. an unpicklable result: whose is it?
                    if len(group) > 1:
                        isolate(group)       # the others are not at fault: each runs again alone
                    else:
                        yield group[0].index, _failure(group[0], RETURN_REASON.format(what=type(exc).__name__))
                    continue
                for t, rec in zip(group, results, strict=True):
                    yield t.index, rec
            now = time.monotonic()
            expired = [f for f in inflight if f in started and now - started[f] > timeout and not f.done()]
            grace = timeout + START_GRACE
            stuck = [] if started else [f for f in inflight if now - submitted[f] > grace and not f.done()]
            if broken or expired or stuck:
                for f in expired + stuck:
                    group = inflight.pop(f)
                    started.pop(f, None)
                    slot_of.pop(f, None)
                    submitted.pop(f, None)
                    if len(group) == 1:
                        reason = START_REASON.format(s=grace) if f in stuck else TIMEOUT_REASON.format(s=timeout)
                        yield group[0].index, _failure(group[0], reason)
                    else:
                        isolate(group)
                kill_pool(ex)
                ex = None
                # batches still in flight: not at fault, or (after a crash) suspects
                back = [inflight[f] for f in inflight]
                inflight.clear()
                started.clear()
                submitted.clear()
                slot_of.clear()
                if broken and not solo:
                    for group in back:
                        isolate(group)
                else:
                    (suspects if solo else queue).extendleft(reversed(back))
    finally:
        if ex is not None:
            if inflight:
                kill_pool(ex)
            else:
                ex.shutdown(wait=True)


# -- the consolidation ---------------------------------------------------------------------------

def _norm(text: Any) -> str:
    return "".join(str(text).split()) if text is not None else ""


def duplicate_key(rec: dict[str, Any]) -> tuple[str, ...] | None:
    """Two files hold the same project when 主管部门, 实施单位, 项目名称 and 年度 agree; a sheet
    without unit names (e.g. seed 004's) needs the same 全年预算数 as well."""
    if not rec.get("name"):
        return None
    key = (_norm(rec.get("department")), _norm(rec.get("unit")), _norm(rec.get("name")), _norm(rec.get("year")))
    if not key[0] and not key[1]:
        key += (_norm(num(rec.get("budget"))),)
    return key


def _rank_key(rec: dict[str, Any]) -> Decimal | None:
    """排名 by 自评得分 (what the unit reported), by 规则得分 when none was stated."""
    return rec.get("score") if rec.get("score") is not None else rec.get("rule_score")


def competition_ranks(keys: dict[int, Decimal]) -> dict[int, int]:
    """Like Excel's RANK (descending): equal scores share a rank, the next rank skips."""
    ordered = sorted(keys.values(), reverse=True)
    first: dict[Decimal, int] = {}
    for pos, k in enumerate(ordered, start=1):
        first.setdefault(k, pos)
    return {i: first[k] for i, k in keys.items()}


class _Spool:
    """Summaries pickled to a temporary file, read back by index (bounded parent memory)."""

    def __init__(self) -> None:
        self.fh = tempfile.TemporaryFile(prefix="jixiao-spool-")
        self.offsets: dict[int, int] = {}

    def put(self, index: int, rec: dict[str, Any]) -> None:
        self.fh.seek(0, os.SEEK_END)
        self.offsets[index] = self.fh.tell()
        pickle.dump(rec, self.fh, protocol=pickle.HIGHEST_PROTOCOL)

    def get(self, index: int) -> dict[str, Any]:
        self.fh.seek(self.offsets[index])
        return pickle.load(self.fh)

    def close(self) -> None:
        self.fh.close()


NAMES_SHOWN = 10                 # units named per group in a mismatch message


def unit_name(rec: dict[str, Any]) -> str:
    """"乙.xlsx（某县医疗保险服务中心）": the file (unique) and the unit it names."""
    unit = rec.get("unit") or rec.get("name")
    return f"{rec['file']}（{unit}）" if unit else str(rec["file"])


class Versions:
    """Which units used which template version and which rules (issue #17): more than one
    version of a template, or more than one profile, is a finding naming the units."""

    def __init__(self) -> None:
        self.templates: dict[str, dict[str, list]] = {}     # id → version label → [count, names]
        self.profiles: dict[str, list] = {}                  # digest → [label, count, names]

    @staticmethod
    def _add(group: list, name: str) -> None:
        group[-2] += 1
        if len(group[-1]) < NAMES_SHOWN:
            group[-1].append(name)

    def add(self, rec: dict[str, Any]) -> None:
        from .consolidate_output import profile_label, version_label

        name = unit_name(rec)
        t = rec.get("template")
        if t and t.get("id"):
            self._add(self.templates.setdefault(t["id"], {}).setdefault(version_label(rec).removesuffix("，已改动"),
                                                                       [0, []]), name)
        p = rec.get("profile")
        if p and p.get("digest"):
            self._add(self.profiles.setdefault(p["digest"], [profile_label(rec).split("（")[0], 0, []]), name)

    @staticmethod
    def _names(count: int, names: list[str]) -> str:
        more = f"等{count}个单位" if count > len(names) else ""
        return "、".join(names) + more

    def findings(self) -> list[tuple[str, str]]:
        out = []
        for tid, versions in sorted(self.templates.items()):
            if len(versions) > 1:
                parts = [f"版本 {v}：{self._names(n, names)}" for v, (n, names) in sorted(versions.items())]
                out.append(("template-version-mismatch", f"各单位使用的“{tid}”模板版本不一致——" + "；".join(parts)
                            + "。请核实是否使用了旧版或其他地区的模板"))
        if len(self.profiles) > 1:
            labels = [label for label, _, _ in self.profiles.values()]
            parts = [f"{label}{'（规则内容不同）' if labels.count(label) > 1 else ''}：{self._names(n, names)}"
                     for label, n, names in sorted(self.profiles.values(), key=lambda g: -g[1])]
            out.append(("profile-mismatch", "各单位按不同的评分规则计分——" + "；".join(parts)
                        + "。得分不可直接比较，请统一评分规则（如用 --profile 指定）"))
        return out


def pack_findings(pack: Any, rec: dict[str, Any]) -> list[tuple[str | None, str, str, str]]:
    """--expect-pack: the unit's template and rules against the pack's (finding rows)."""
    from .consolidate_output import profile_label, version_label

    out: list[tuple[str | None, str, str, str]] = []
    t, p = rec.get("template"), rec.get("profile") or {}
    want = pack.template_entry(t["id"]) if t and t.get("id") else None
    pack_version = ((t or {}).get("pack") or {}).get("version")
    if want is None:
        what = f"模板“{t['id']}”不在模板包中" if t and t.get("id") else "不是用模板包中的模板填报的"
        out.append((None, "template-version-mismatch", "warning", f"{what}（{pack.label}）"))
    elif str(t.get("version")) != str(want.get("version")) or pack_version != pack.manifest.get("version") \
            or t.get("layout") != want.get("layout"):
        layout = f"{want['layout']} " if want.get("layout") else ""
        out.append((None, "template-version-mismatch", "warning",
                    f"模板版本 {version_label(rec)} 与模板包不符（应为 {layout}{want.get('version')}（模板包 "
                    f"{pack.manifest.get('version')}））"))
    if p.get("digest") and p["digest"] != profile_digest(pack.profile.data):
        out.append((None, "profile-mismatch", "warning",
                    f"按 {profile_label(rec)} 计分，与模板包的评分规则 {pack.profile.id}"
                    f"{' ' + str(pack.profile.data['version']) if pack.profile.data.get('version') else ''} 不符"))
    return out


def _project_json(rec: dict[str, Any], rank: int | None) -> dict[str, Any]:
    return {"file": rec["file"], "layout": rec.get("layout"),
            "template": rec.get("template"), "profile": rec.get("profile"), "department": rec.get("department"),
            "unit": rec.get("unit"), "name": rec.get("name"), "year": rec.get("year"),
            "budget": num(rec.get("budget")), "executed": num(rec.get("executed")), "rate": num(rec.get("rate")),
            "score": num(rec.get("score")), "rule_score": num(rec.get("rule_score")),
            "grade": rec.get("grade"), "rule_grade": rec.get("rule_grade"),
            "errors": rec.get("errors", 0), "warnings": rec.get("warnings", 0), "rank": rank}


def check_output(out_path: Path, source: Path) -> None:
    """Before reading anything: the output is an .xlsx in an existing folder, and never one of
    the units' files (only a previous 汇总表 inside the input folder may be replaced)."""
    check_output_path(out_path)          # a folder, a name over 255 bytes, a missing folder
    if out_path.suffix.lower() != ".xlsx":
        raise WriteError(f"汇总表应保存为 .xlsx 文件：{out_path}")
    if out_path.exists() and source.is_dir():
        try:
            inside = out_path.resolve().is_relative_to(source.resolve())
        except OSError:
            inside = False
        if inside and not is_summary_workbook(str(out_path)):
            raise WriteError(f"输出文件 {out_path} 是输入文件夹中已有的工作簿（可能是某单位的自评表），"
                             "为保护原文件不予覆盖；请用 -o 指定其他文件名")


class _Collector:
    """Takes summaries as they complete and handles them in file order (reorder via the spool):
    duplicates, 问题清单 rows, totals and statistics stream into the writer while workers still
    read. The 汇总表 rows need every score (排名), so ``finish`` writes them from the spool."""

    def __init__(self, writer: SummaryWriter, result: ConsolidationResult, keep_projects: bool,
                 expected: Any = None) -> None:
        self.writer, self.result, self.keep = writer, result, keep_projects
        self.expected = expected           # --expect-pack: an addin.packs.Pack
        self.versions = Versions()
        self.spool = _Spool()
        self.next = 0
        self.arrived: set[int] = set()
        self.ok: set[int] = set()
        self.seen: dict[tuple[str, ...], str] = {}
        self.extra_warnings: dict[int, int] = {}
        self.rank_keys: dict[int, Decimal] = {}
        self.scores: list[Decimal | None] = []
        self.rule_scores: list[Decimal | None] = []
        self.funds: list[Decimal | None] = []
        self.grade_stated: Counter[str] = Counter()
        self.grade_rule: Counter[str] = Counter()
        self.units: dict[str, list] = {}
        self.tot_budget = self.tot_exec = self.both_budget = self.both_exec = Decimal(0)

    def add(self, index: int, rec: dict[str, Any] | None) -> None:
        if rec is not None:
            self.spool.put(index, rec)
            self.ok.add(index)
        self.arrived.add(index)
        while self.next in self.arrived:
            self.arrived.discard(self.next)
            if self.next in self.ok:
                self._in_order(self.next, self.spool.get(self.next))
            self.next += 1

    def _in_order(self, index: int, rec: dict[str, Any]) -> None:
        result, w = self.result, self.writer
        findings = list(rec.get("findings") or [])
        w.note_project(rec)
        key = duplicate_key(rec)
        if key is not None:
            first = self.seen.setdefault(key, rec["file"])
            if first != rec["file"]:
                result.duplicates += 1
                self.extra_warnings[index] = 1
                what = "主管部门、实施单位、项目名称、年度" if key[0] or key[1] else "项目名称、年度、全年预算数"
                findings.append(((rec.get("cells") or {}).get("name"), "duplicate-project", "warning",
                                 f"与文件“{first}”中的项目重复（{what}相同），汇总时可能重复计算，请核实"))
        self.versions.add(rec)
        if self.expected is not None:
            against = pack_findings(self.expected, rec)
            findings += against
            self.extra_warnings[index] = self.extra_warnings.get(index, 0) + len(against)
        for cell, rule, severity, message in findings:
            w.finding_row(rec["file"], rec.get("name"), cell, rule, severity, message)
        warnings = rec.get("warnings", 0) + self.extra_warnings.get(index, 0)
        result.errors += rec.get("errors", 0)
        result.warnings += warnings
        result.files_with_errors += 1 if rec.get("errors") else 0
        key_score = _rank_key(rec)
        if key_score is not None:
            self.rank_keys[index] = key_score
        b, e = rec.get("budget"), rec.get("executed")
        weighting = rec.get("weighting", True)      # out-of-range figures stay out of the averages
        self.scores.append(rec.get("score") if weighting else None)
        self.rule_scores.append(rec.get("rule_score") if weighting else None)
        self.funds.append(b if weighting else None)
        if not weighting:
            b = e = None
        self.tot_budget += b or 0
        self.tot_exec += e or 0
        both = b is not None and e is not None
        if both:
            self.both_budget += b
            self.both_exec += e
        if rec.get("grade"):
            self.grade_stated[rec["grade"]] += 1
        if rec.get("rule_grade"):
            self.grade_rule[rec["rule_grade"]] += 1
        u = self.units.setdefault(rec.get("unit") or rec["file"], [0, Decimal(0), Decimal(0)])  # no 实施单位: the file
        u[0] += 1
        if both:
            u[1] += b
            u[2] += e
        if self.keep:
            result.projects.append(_project_json(rec, None) | {"warnings": warnings})

    def finish(self, failed: list[tuple[str, str]]) -> None:
        """Scores known: weighted scores, 排名, then the 汇总表 rows, totals, 无法读取 and 统计."""
        result, w = self.result, self.writer
        result.weighted_score = weighted_score(self.scores, self.funds)
        result.rule_weighted_score = weighted_score(self.rule_scores, self.funds)
        ranks = competition_ranks(self.rank_keys)
        order = sorted(self.ok)
        result.ok = len(order)
        for seq, index in enumerate(order, start=1):
            rec = self.spool.get(index)
            rec["warnings"] = rec.get("warnings", 0) + self.extra_warnings.get(index, 0)
            w.project_row(seq, rec, ranks.get(index))
        if self.keep:
            for p, index in zip(result.projects, order, strict=True):
                p["rank"] = ranks.get(index)
        w.total_rows({
            "projects": len(order), "budget": self.tot_budget, "executed": self.tot_exec,
            "rate": excel_round(self.both_exec / self.both_budget, 4) if self.both_budget else None,
            "errors": result.errors, "warnings": result.warnings,
            "weighted_score": result.weighted_score, "rule_weighted_score": result.rule_weighted_score})
        for rule, message in self.versions.findings():
            w.finding_row("（各单位）", None, None, rule, "warning", message)
            result.mismatches.append({"rule": rule, "message": message})
            result.warnings += 1
        for file, reason in failed:
            w.failed_row(file, reason)
        from udfs import default_profile

        names = [g for g, _ in default_profile().grades]
        names += sorted((set(self.grade_stated) | set(self.grade_rule)) - set(names))
        grades = [(g, self.grade_stated.get(g, 0), self.grade_rule.get(g, 0)) for g in names]
        units = sorted(((name, n, b, e, excel_round(e / b, 4) if b else None)
                        for name, (n, b, e) in self.units.items()), key=lambda r: (-r[2], r[0]))
        w.statistics(grades, units)

    def close(self) -> None:
        self.spool.close()


def consolidate(source: str | os.PathLike, out_path: str | os.PathLike, jobs: int | None = None,
                profile: Any = None, progress: Progress | None = None, strict: bool = False, *,
                timeout: float = DEFAULT_TIMEOUT, keep_projects: bool = True,
                expect_pack: str | os.PathLike | None = None) -> ConsolidationResult:
    """Read every workbook of ``source`` (folder or .zip) and write the 汇总表 to ``out_path``.

    ``jobs``: worker processes (default ``os.cpu_count()``; 0 = in this process).
    ``progress(done, total, file)`` is called after each file. ``strict`` only affects
    ``result.exit_code()``'s default. ``expect_pack`` (a pack .zip or folder): every unit is
    checked against its templates and rules. Raises ReadError when the input itself is unusable.
    """
    resolve_profile(profile)                # a bad --profile fails now, not in every worker
    jobs = (os.cpu_count() or 1) if jobs is None else max(0, int(jobs))
    if not processes_usable():
        jobs = 0
    if sys.platform == "win32":
        jobs = min(jobs, 61)                # ProcessPoolExecutor's limit on Windows
    out_path = Path(out_path)
    check_output(out_path, Path(source))
    with terminate_on_signals():
        try:
            if jobs:
                prestart_workers()
            return _consolidate(source, out_path, jobs, profile, progress, timeout, keep_projects, expect_pack)
        except BaseException:
            if jobs:
                stop_forkserver()   # interrupted (Ctrl+C, SIGTERM/SIGHUP) or failed: nothing left running
            raise


def _consolidate(source: str | os.PathLike, out_path: Path, jobs: int, profile: Any, progress: Progress | None,
                 timeout: float, keep_projects: bool,
                 expect_pack: str | os.PathLike | None = None) -> ConsolidationResult:
    from .consolidate_output import SummaryWriter

    result = ConsolidationResult(output=str(out_path))
    with tempfile.TemporaryDirectory(prefix="jixiao-expect-") as tmp, Sources(source, exclude=out_path) as src:
        expected = None
        if expect_pack is not None:
            from .packs import open_pack

            expected = open_pack(expect_pack, Path(tmp))
        tasks = src.files
        total = len(tasks) + len(src.skipped)
        result.files = total
        failed: list[tuple[str, str]] = [(s.display, s.reason) for s in src.skipped]
        for done, s in enumerate(src.skipped, start=1):
            if progress:
                progress(done, total, s.display)
        done = len(src.skipped)
        writer = SummaryWriter(f"项目支出绩效自评汇总表（{Path(source).name}）", source=source, out=out_path)
        collector = _Collector(writer, result, keep_projects, expected)
        try:
            for index, rec in run_tasks(tasks, min(jobs, len(tasks)) if jobs else 0, profile, timeout):
                done += 1
                if progress:
                    progress(done, total, rec.get("file", ""))
                if rec.get("ok"):
                    collector.add(index, rec)
                elif rec.get("skipped"):
                    result.files -= 1
                    collector.add(index, None)
                else:
                    failed.append((rec["file"], rec.get("reason") or "无法读取"))
                    collector.add(index, None)
            failed.sort(key=lambda t: t[0])
            result.failed = [{"file": f, "reason": r} for f, r in failed]
            collector.finish(failed)
            try:
                with atomic_path(out_path, source=source) as tmp:
                    writer.save(tmp)
            except PermissionError:
                raise WriteError(f"无法写入汇总表 {out_path}：没有写权限，或该文件正在 Excel/WPS 中打开"
                                 "（请关闭后重试）") from None
            except OSError as exc:
                raise WriteError(f"无法写入汇总表 {out_path}：{exc.strerror or exc}") from None
        finally:
            writer.discard()
            collector.close()
    return result
