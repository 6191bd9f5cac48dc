"""Mutation testing of the scoring core and the checks: does the suite hold every rule in place?

    python benchmarks/mutation.py                      # every module of benchmarks/mutation.json
    python benchmarks/mutation.py udfs/scoring.py      # one module (its tests from the config)
    python benchmarks/mutation.py --sample 40 --seed 1 # a small seeded sample (CI-sized)

Why a small AST driver rather than mutmut or cosmic-ray: mutmut 3 rewrites the whole tree into a
``mutants/`` copy with trampolines (our modules are imported by worksheet-function registries and by
subprocess CLI tests, which then run the unmutated code), and cosmic-ray needs a session database and
a config per module. What we need is small: one change at a time to one module, the module's own
tests run in a subprocess against a scratch copy of the repository (so CLI subprocesses see the
mutant too), killed / survived / timed out counted per module, survivors printed with their line.

Test selection by coverage, as mutmut does: each module's selection is run once under coverage with
per-test contexts (pytest-cov ``--cov-context=test``; this run is also the baseline that must pass),
which maps every source line to the test node ids that execute it in-process. A mutant then runs
only the tests covering its statement (``-x``: the first failure kills it). A mutant whose line no
test covers in-process (module-level code run at import, or code reached only through a CLI
subprocess) runs the module's whole selection; and a mutant that survives its covering tests is run
again against the whole selection before it is counted survived (a subprocess test may still kill
it) — no mutant is counted survived without the whole selection having run.

Operators (the ones a rule's code can get wrong): comparison flipped or made strict/non-strict,
``+``↔``-``, ``*``↔``/``, an integer constant moved by one, ``min``↔``max``, ``any``↔``all``,
``abs(x)``→``x``, a condition negated, ``not`` dropped, ``and``↔``or``, ``continue``↔``break``.

Mutants listed in ``docs/mutation-equivalents.md`` (one line ``- `id` — why``) change nothing
observable; they are excluded from the score and reported separately.
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONFIG = Path(__file__).with_suffix(".json")
EQUIVALENTS = ROOT / "docs" / "mutation-equivalents.md"
COPY = ("udfs", "workbook_templates", "addin", "tests", "docs", "benchmarks", "pyproject.toml", "README.md")

_CMP_SWAP = {ast.Lt: ast.LtE, ast.LtE: ast.Lt, ast.Gt: ast.GtE, ast.GtE: ast.Gt, ast.Eq: ast.NotEq,
             ast.NotEq: ast.Eq, ast.In: ast.NotIn, ast.NotIn: ast.In, ast.Is: ast.IsNot, ast.IsNot: ast.Is}
_BIN_SWAP = {ast.Add: ast.Sub, ast.Sub: ast.Add, ast.Mult: ast.Div, ast.Div: ast.Mult, ast.FloorDiv: ast.Div}
_CALL_SWAP = {"min": "max", "max": "min", "any": "all", "all": "any"}


@dataclass
class Mutant:
    module: str
    index: int          # position in the module's walk order (to re-find the node)
    line: int
    func: str
    desc: str           # "a >= t → a > t"
    lines: tuple[int, int] = (0, 0)    # first and last source line whose execution reaches the node
    patch: str | None = None           # qualified name of the outermost function whose body holds it

    @property
    def id(self) -> str:
        return f"{self.module}:{self.func}:{self.desc}"


def _funcs(tree: ast.AST) -> dict[int, str]:
    """Map node ids to the name of the function enclosing them."""
    owner: dict[int, str] = {}

    def visit(node: ast.AST, name: str) -> None:
        for child in ast.iter_child_nodes(node):
            n = child.name if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) else name
            owner[id(child)] = n
            visit(child, n)

    visit(tree, "<module>")
    return owner


def _skip_ids(tree: ast.AST) -> set[int]:
    """Nodes never mutated: annotations, docstrings, decorators, default-argument values."""
    skip: set[int] = set()
    for node in ast.walk(tree):
        parts: list[ast.AST | None] = []
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            parts += [node.returns, *node.decorator_list]
            parts += [a.annotation for a in [*node.args.args, *node.args.kwonlyargs, *node.args.posonlyargs]]
        if isinstance(node, ast.AnnAssign):
            parts.append(node.annotation)
        if isinstance(node, (ast.FunctionDef, ast.ClassDef, ast.Module, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                parts.append(first)
        for p in parts:
            if p is not None:
                skip.update(id(n) for n in ast.walk(p))
    return skip


_DESCRIBED = (ast.Compare, ast.BinOp, ast.Constant, ast.Call, ast.UnaryOp, ast.BoolOp)
_LINES = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")


def _segments(src: str):
    """``ast.get_source_segment(src, node)`` (newlines as spaces) with the source split once: the
    stdlib splits the whole file at every call, which made enumerating a 400-line module take
    seconds — per mutant."""
    lines = [m.group().encode("utf-8") for m in _LINES.finditer(src)]

    def segment(node: ast.AST) -> str:
        end = getattr(node, "end_lineno", None)
        if end is None or getattr(node, "end_col_offset", None) is None:
            return ""
        first, last = node.lineno - 1, end - 1
        if first == last:
            raw = lines[first][node.col_offset:node.end_col_offset]
        else:
            raw = b"".join([lines[first][node.col_offset:], *lines[first + 1:last],
                            lines[last][:node.end_col_offset]])
        return raw.decode("utf-8").replace("\n", " ")

    return segment


def _points(tree: ast.AST, src: str) -> Iterator[tuple[ast.AST, str, object]]:
    """Every (node, description, change) this module offers, in a stable walk order."""
    skip = _skip_ids(tree)
    segment = _segments(src)
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        seg = segment(node) if isinstance(node, _DESCRIBED) else ""
        seg = seg if len(seg) <= 60 else seg[:57] + "..."
        if isinstance(node, ast.Compare):
            for i, op in enumerate(node.ops):
                new = _CMP_SWAP.get(type(op))
                if new:
                    yield node, f"{seg} [{type(op).__name__}→{new.__name__}#{i}]", ("cmp", i, new)
        elif isinstance(node, ast.BinOp) and type(node.op) in _BIN_SWAP:
            new = _BIN_SWAP[type(node.op)]
            yield node, f"{seg} [{type(node.op).__name__}→{new.__name__}]", ("bin", new)
        elif isinstance(node, ast.Constant) and type(node.value) is int:
            yield node, f"{seg} [+1]", ("const",)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            name = node.func.id
            if name in _CALL_SWAP:
                yield node, f"{seg} [{name}→{_CALL_SWAP[name]}]", ("call", _CALL_SWAP[name])
            elif name == "abs" and len(node.args) == 1:
                yield node, f"{seg} [abs dropped]", ("abs",)
        elif isinstance(node, (ast.If, ast.While, ast.IfExp)):
            tseg = segment(node.test)[:60]
            yield node, f"if {tseg} [negated]", ("negate",)
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            yield node, f"{seg} [not dropped]", ("notdrop",)
        elif isinstance(node, ast.BoolOp):
            new = ast.Or if isinstance(node.op, ast.And) else ast.And
            yield node, f"{seg} [{type(node.op).__name__}→{new.__name__}]", ("bool", new)
        elif isinstance(node, (ast.Continue, ast.Break)):
            other = "break" if isinstance(node, ast.Continue) else "continue"
            yield node, f"line {node.lineno} [{type(node).__name__.lower()}→{other}]", ("loop",)


class _Replace(ast.NodeTransformer):
    def __init__(self, target: ast.AST, change: tuple) -> None:
        self.target, self.change = target, change

    def generic_visit(self, node: ast.AST) -> ast.AST:
        node = super().generic_visit(node)
        if node is not self.target:
            return node
        kind = self.change[0]
        if kind == "cmp":
            node.ops[self.change[1]] = self.change[2]()
        elif kind == "bin":
            node.op = self.change[1]()
        elif kind == "const":
            node.value = node.value + 1
        elif kind == "call":
            node.func = ast.Name(id=self.change[1], ctx=ast.Load())
        elif kind == "abs":
            return node.args[0]
        elif kind == "negate":
            node.test = ast.UnaryOp(op=ast.Not(), operand=node.test)
        elif kind == "notdrop":
            return node.operand
        elif kind == "bool":
            node.op = self.change[1]()
        elif kind == "loop":
            return ast.Break() if isinstance(node, ast.Continue) else ast.Continue()
        return node


def _parents(tree: ast.AST) -> dict[int, ast.AST]:
    return {id(child): node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}


def _span(node: ast.AST, parent: dict[int, ast.AST]) -> tuple[int, int]:
    """The lines coverage may record when ``node`` runs: the node's own lines and those of its
    statement (a compound statement's header only: ``if …:``, ``for … in …:``) — a multi-line
    statement's line events fall on any of its lines."""
    lo = getattr(node, "lineno", 0)
    hi = getattr(node, "end_lineno", None) or lo
    if isinstance(node, (ast.If, ast.While)):
        hi = node.test.end_lineno or hi
    stmt = node
    while not isinstance(stmt, ast.stmt) and id(stmt) in parent:
        stmt = parent[id(stmt)]
    if isinstance(stmt, ast.stmt):
        body = getattr(stmt, "body", None)
        end = (max(stmt.lineno, body[0].lineno - 1) if body and isinstance(body, list)
               else stmt.end_lineno or stmt.lineno)
        lo, hi = min(lo, stmt.lineno), max(hi, end)
    return lo, hi


def _bodies(tree: ast.AST) -> dict[int, str]:
    """Node ids inside the body of a function (not its decorators, defaults or annotations) → the
    qualified name of the outermost such function: replacing that function's code object applies
    a mutant there to a running process."""
    out: dict[int, str] = {}

    def visit(node: ast.AST, prefix: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                name = prefix + child.name
                for stmt in child.body:
                    out.update((id(n), name) for n in ast.walk(stmt))
            elif isinstance(child, ast.ClassDef):
                visit(child, prefix + child.name + ".")
            elif not isinstance(child, ast.Lambda):
                visit(child, prefix)

    visit(tree, "")
    return out


def mutants_of(module: str, src: str | None = None) -> list[Mutant]:
    """Every mutant of ``module`` (its source read from the tree unless given)."""
    src = (ROOT / module).read_text(encoding="utf-8") if src is None else src
    tree = ast.parse(src)
    owner = _funcs(tree)
    parent = _parents(tree)
    bodies = _bodies(tree)
    out: list[Mutant] = []
    seen: dict[str, int] = {}
    for i, (node, desc, _change) in enumerate(_points(tree, src)):
        func = owner.get(id(node), "<module>")
        key = f"{func}:{desc}"
        seen[key] = seen.get(key, 0) + 1
        if seen[key] > 1:
            desc = f"{desc} (#{seen[key]})"
        out.append(Mutant(module, i, getattr(node, "lineno", 0), func, desc, _span(node, parent),
                          bodies.get(id(node))))
    return out


def mutate(src: str, index: int) -> str:
    """``src`` with mutation number ``index`` applied (the order of :func:`mutants_of`)."""
    tree = ast.parse(src)
    node, _desc, change = list(_points(tree, src))[index]
    new = _Replace(node, change).visit(tree)
    ast.fix_missing_locations(new)
    return ast.unparse(new)


def equivalents() -> dict[str, str]:
    """``- `id` — why`` lines of docs/mutation-equivalents.md."""
    if not EQUIVALENTS.exists():
        return {}
    out = {}
    for line in EQUIVALENTS.read_text(encoding="utf-8").splitlines():
        m = re.match(r"^- `(.+?)` — (.+)$", line.strip())
        if m:
            out[m.group(1)] = m.group(2)
    return out


def _scratch() -> Path:
    d = Path(tempfile.mkdtemp(prefix="jixiao-mutation-"))
    for name in COPY:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, d / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(src, d / name)
    return d


def _flags(scratch: Path) -> list[str]:
    # hypothesis' pytest plugin imports hypothesis at every start (½ s of a 1 s run of one test);
    # @given works without it, and the files that use it import it themselves
    return ["-x", "-q", "-p", "no:cacheprovider", "-p", "no:randomly", "-p", "no:hypothesispytest",
            "-p", "no:xdist", "--rootdir", str(scratch), "-m", "not libreoffice"]


def _pytest(tests: list[str], scratch: Path, timeout: float, extra: tuple[str, ...] = (),
            env_extra: dict[str, str] | None = None) -> int | None:
    """The selection's exit code in ``scratch`` (LibreOffice-marked tests skipped), None on timeout.
    ``tests`` are paths or node ids; a long list goes through an argument file (pytest's ``@file``)."""
    env = {**os.environ, "PYTHONPATH": str(scratch), "PYTHONDONTWRITEBYTECODE": "1", **(env_extra or {})}
    args = list(tests)
    argfile = None
    if sum(len(t) + 1 for t in args) > 50_000:
        fd, argfile = tempfile.mkstemp(prefix="mutation-args-", suffix=".txt", dir=scratch)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write("\n".join(args) + "\n")
        args = [f"@{argfile}"]
    cmd = [sys.executable, "-m", "pytest", *_flags(scratch), *extra, *args]
    try:
        return subprocess.run(cmd, cwd=scratch, env=env, capture_output=True, timeout=timeout).returncode
    except subprocess.TimeoutExpired:
        return None
    finally:
        if argfile:
            os.unlink(argfile)


Coverage = dict[str, dict[int, set[str]]]      # module → line → test node ids that execute it


def coverage_map(tests: list[str], scratch: Path, modules: list[str], timeout: float) -> Coverage | None:
    """Run ``tests`` once in ``scratch`` under coverage with one context per test and map each line of
    ``modules`` to the node ids executing it in-process (setup, call and teardown alike). None when
    the selection fails on the unmutated tree (then every mutant would count as killed)."""
    import coverage

    data_file = scratch / f".mutation-coverage-{os.getpid()}"
    dirs = sorted({str((scratch / m).parent) for m in modules})
    extra = ("-p", "pytest_cov", *(f"--cov={d}" for d in dirs), "--cov-context=test", "--cov-report=",
             "--cov-config=/dev/null")
    try:
        rc = _pytest(tests, scratch, timeout, extra, {"COVERAGE_FILE": str(data_file)})
        if rc != 0:
            return None
        data = coverage.CoverageData(basename=str(data_file))
        data.read()
        files = {Path(f).resolve(): f for f in data.measured_files()}
        out: Coverage = {}
        for m in modules:
            f = files.get((scratch / m).resolve())
            by_line = data.contexts_by_lineno(f) if f else {}
            out[m] = {line: {c.rsplit("|", 1)[0] for c in ctxs if c}
                      for line, ctxs in by_line.items()}
        return out
    finally:
        for p in scratch.glob(f"{data_file.name}*"):
            p.unlink()


_BREADTH: dict[int, dict[str, int]] = {}


def _breadth(lines: dict[int, set[str]]) -> dict[str, int]:
    """How many lines of the module each test executes (cached per coverage map)."""
    got = _BREADTH.get(id(lines))
    if got is None:
        got = {}
        for ids in lines.values():
            for t in ids:
                got[t] = got.get(t, 0) + 1
        _BREADTH[id(lines)] = got
    return got


def covering(m: Mutant, cov: Coverage | None) -> list[str]:
    """The node ids executing ``m``'s lines in-process (empty: none do), narrowest first: a test that
    runs few lines of the module is a unit test of them — quick, and the likeliest to fail — and
    the seed-file tests that run everything come last."""
    lines = (cov or {}).get(m.module, {})
    lo, hi = m.lines if m.lines != (0, 0) else (m.line, m.line)
    ids: set[str] = set()
    for n in range(lo, hi + 1):
        ids |= lines.get(n, set())
    breadth = _breadth(lines)
    return sorted(ids, key=lambda t: (breadth.get(t, 0), t))


def run_one(m: Mutant, tests: list[str], scratch: Path, timeout: float,
            first: list[str] | None = None) -> str:
    """'killed', 'survived' or 'timeout' for one mutant, run in ``scratch`` (whose copy of the
    module is the source the mutants were enumerated from). With ``first`` (the tests covering the
    mutant's line), those run first and the whole selection ``tests`` only if they all pass."""
    path = scratch / m.module
    original = path.read_text(encoding="utf-8")
    try:
        path.write_text(mutate(original, m.index), encoding="utf-8")
        rc = _pytest(first, scratch, timeout) if first else 0
        if rc == 0:
            rc = _pytest(tests, scratch, timeout)
        return "timeout" if rc is None else "survived" if rc == 0 else "killed"
    finally:
        path.write_text(original, encoding="utf-8")


# --- in-process runs: collect once, fork per mutant ----------------------------------------------
#
# Starting pytest and importing the tests costs about a second per mutant, most of the run. The
# worker (``mutation.py --worker PLAN``, run in the scratch tree) collects the module's selection
# once, then for each mutant writes the mutated module to disk (CLI subprocesses run it), forks,
# and in the child replaces the ``__code__`` of the outermost function holding the mutant (and of
# the closures already made from it) — every reference, registries and ``from … import`` alike,
# then runs the mutant — clears the project's caches and runs the covering tests, then if they
# pass the whole selection, stopping at the first failure. A mutant outside a function body
# (module-level tables, defaults, decorators) or one it cannot apply runs in a fresh subprocess.

_PATCH_FAILED, _WORKER_ERROR = 3, 4


def _codes(code):
    yield code
    for c in code.co_consts:
        if hasattr(c, "co_code"):
            yield from _codes(c)


def _dotted(module: str) -> str:
    """'addin/rules/text.py' → 'addin.rules.text' (a package's __init__.py → the package)."""
    return module.removesuffix(".py").removesuffix("/__init__").replace("/", ".")


def _live_functions(path: Path) -> dict[str, list]:
    """Function objects of the running process whose code comes from ``path``, by qualified name."""
    import gc
    import types

    target, seen, out = str(path.resolve()), {}, {}
    for o in gc.get_objects():
        if isinstance(o, types.FunctionType):
            f = o.__code__.co_filename
            if seen.setdefault(f, os.path.realpath(f) == target):
                out.setdefault(o.__code__.co_qualname, []).append(o)
    return out


def _clear_caches(scratch: Path) -> None:
    """Empty the lru_caches of the tree's modules (filled by the unmutated code before the fork)."""
    root = str(scratch.resolve()) + os.sep
    for mod in list(sys.modules.values()):
        if os.path.realpath(getattr(mod, "__file__", None) or "/").startswith(root):
            for v in list(vars(mod).values()):
                clear = getattr(v, "cache_clear", None)
                if callable(clear):
                    clear()


def _worker(plan_file: str) -> int:
    import signal

    import pytest
    from _pytest.runner import runtestprotocol

    plan = json.loads(Path(plan_file).read_text(encoding="utf-8"))
    scratch = Path(plan["scratch"])
    timeout = int(plan["timeout"]) + 1

    def child(targets: list[tuple[object, object]], items: list) -> int:
        try:
            for fn, code in targets:
                fn.__code__ = code
        except Exception:  # noqa: BLE001 - free variables differ: run it in a subprocess instead
            return _PATCH_FAILED
        _clear_caches(scratch)
        signal.alarm(timeout)
        for i, item in enumerate(items):
            reports = runtestprotocol(item, nextitem=items[i + 1] if i + 1 < len(items) else None, log=False)
            if any(r.failed for r in reports):
                return 1
        return 0

    def fork(targets, items) -> str:
        pid = os.fork()
        if pid == 0:
            try:
                rc = child(targets, items)
            except BaseException:  # noqa: BLE001 - the worker's own failure: not the mutant's kill
                rc = _WORKER_ERROR
            os._exit(rc)
        _, st = os.waitpid(pid, 0)
        if os.WIFSIGNALED(st):
            return "timeout" if os.WTERMSIG(st) == signal.SIGALRM else "killed"
        rc = os.WEXITSTATUS(st)
        return {0: "survived", 1: "killed"}.get(rc, "subprocess")

    class Worker:
        @pytest.hookimpl(tryfirst=True)
        def pytest_runtestloop(self, session):
            items = list(session.items)
            by_id = {it.nodeid: it for it in items}
            live: dict[str, dict[str, list]] = {}
            with open(plan["results"], "a", encoding="utf-8") as out:
                for mt in plan["mutants"]:
                    path = scratch / mt["module"]
                    if mt["module"] not in live:
                        live[mt["module"]] = _live_functions(path)
                    original = path.read_text(encoding="utf-8")
                    status = "subprocess"
                    try:
                        mutated = mutate(original, mt["index"])
                        path.write_text(mutated, encoding="utf-8")
                        new = {c.co_qualname: c for c in _codes(compile(mutated, str(path), "exec"))}
                        q = mt["patch"]
                        targets = [(fn, new[name]) for name, fns in live[mt["module"]].items()
                                   if (name == q or name.startswith(q + ".<locals>.")) and name in new
                                   for fn in fns]
                        first = [by_id[n] for n in mt["first"] if n in by_id]
                        # a module the tests import only when they run (addin.rules' check families,
                        # loaded by load_checks()) is not in this process yet: the child imports it
                        # from disk, where the mutant is — nothing to patch
                        lazy = not live[mt["module"]] and _dotted(mt["module"]) not in sys.modules
                        if (lazy or any(name == q for name in live[mt["module"]])) and first:
                            status = fork(targets, first)
                            ran = {it.nodeid for it in first}
                            rest = [it for it in items if it.nodeid not in ran]
                            if status == "survived" and rest:     # then the rest of the selection
                                status = fork(targets, rest)
                    finally:
                        path.write_text(original, encoding="utf-8")
                    out.write(json.dumps({"id": mt["id"], "status": status}) + "\n")
                    out.flush()
            return True

    return pytest.main([*_flags(scratch), *plan["tests"]], plugins=[Worker()])


def run_in_process(ms: list[tuple[Mutant, list[str]]], tests: list[str], scratch: Path, timeout: float,
                   on_result=None) -> dict[str, str]:
    """Run mutants (each with its covering tests) in one worker over the selection ``tests``; mutant
    id → 'killed', 'survived', 'timeout' or 'subprocess' (to be run in a subprocess instead)."""
    fd, plan_file = tempfile.mkstemp(prefix="mutation-plan-", suffix=".json", dir=scratch)
    os.close(fd)
    results = Path(plan_file).with_suffix(".jsonl")
    plan = {"scratch": str(scratch), "timeout": timeout, "tests": tests, "results": str(results),
            "mutants": [{"id": m.id, "module": m.module, "index": m.index, "patch": m.patch, "first": first}
                        for m, first in ms]}
    Path(plan_file).write_text(json.dumps(plan, ensure_ascii=False), encoding="utf-8")
    results.write_text("", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(scratch), "PYTHONDONTWRITEBYTECODE": "1"}
    out: dict[str, str] = {}
    try:
        proc = subprocess.Popen([sys.executable, str(Path(__file__).resolve()), "--worker", plan_file],
                                cwd=scratch, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        with results.open(encoding="utf-8") as f:
            while True:
                line = f.readline()
                if line.endswith("\n"):
                    r = json.loads(line)
                    out[r["id"]] = r["status"]
                    if on_result:
                        on_result(r["id"], r["status"])
                elif proc.poll() is not None:
                    break
                else:
                    time.sleep(0.2)
    finally:
        os.unlink(plan_file)
        results.unlink(missing_ok=True)
    return out


def _survivors(report: str) -> set[str]:
    """Mutant ids listed as survivors in an earlier ``--json`` report."""
    data = json.loads(Path(report).read_text(encoding="utf-8"))
    return {line.split(": ", 1)[1] for r in data["modules"].values()
            for line in [*r["survivors"], *r.get("timeouts", [])]}


def _expand(patterns: list[str] | None) -> list[str] | None:
    """Test paths of the config, globs expanded (a pattern matching nothing is dropped)."""
    if patterns is None:
        return None
    out: list[str] = []
    for p in patterns:
        if any(c in p for c in "*?["):
            out += sorted(str(x.relative_to(ROOT)) for x in ROOT.glob(p))
        elif (ROOT / p).exists():
            out.append(p)
        else:       # pytest would fail on it, and every mutant would count as killed
            raise SystemExit(f"benchmarks/mutation.json: 测试文件 {p} 不存在")
    return out


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--worker"]:
        return _worker(argv[1])
    ap = argparse.ArgumentParser(description="变异测试：逐个小改动代码，看测试能否发现")
    ap.add_argument("modules", nargs="*", help="要变异的模块（默认：mutation.json 中的全部）")
    ap.add_argument("--sample", type=int, help="每个模块随机抽取的变异体数")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--jobs", type=int, default=max(1, (os.cpu_count() or 2) // 2))
    ap.add_argument("--timeout", type=float, default=120.0,
                    help="每个变异体的测试超时下限（秒；实际取此值与未变异时整个测试集用时的 3 倍中较大者）")
    ap.add_argument("--json", help="把结果写入此 JSON 文件")
    ap.add_argument("--match", action="append", help="只运行编号含此文字的变异体（可重复；如重跑上次的存活者）")
    ap.add_argument("--survivors", help="只重跑此前 --json 结果中的存活者和超时者（补了测试之后）")
    ap.add_argument("--list", action="store_true", help="只列出变异体，不运行")
    ap.add_argument("--progress", action="store_true", help="每个变异体运行完即在标准错误输出打印结果")
    ap.add_argument("--no-coverage", action="store_true",
                    help="不按覆盖选测试：每个变异体都运行整个测试集（慢，用于对照）")
    ap.add_argument("--no-fork", action="store_true",
                    help="不在进程内（fork）运行：每个变异体都新起一个 pytest 子进程（慢，用于对照）")
    ap.add_argument("--confirm", action="store_true",
                    help="进程内存活的变异体再在新的子进程中运行整个测试集确认")
    args = ap.parse_args(argv)
    config: dict[str, list[str]] = json.loads(CONFIG.read_text(encoding="utf-8"))["modules"]
    modules = args.modules or list(config)
    equiv = equivalents()
    rng = random.Random(args.seed)
    # one snapshot of the tree: mutants are enumerated from it and run against copies of it
    scratches = [_scratch() for _ in range(max(1, args.jobs))]
    try:
        return _run(args, config, modules, equiv, rng, scratches)
    finally:
        for d in scratches:
            shutil.rmtree(d, ignore_errors=True)


def _run(args: argparse.Namespace, config: dict[str, list[str]], modules: list[str],
         equiv: dict[str, str], rng: random.Random, scratches: list[Path]) -> int:
    plan: list[tuple[Mutant, list[str]]] = []
    selections: dict[tuple[str, ...], list[str]] = {}     # one baseline/coverage run per selection
    for mod in modules:
        tests = _expand(config.get(mod))
        if tests is None:
            print(f"{mod}: 不在 benchmarks/mutation.json 中（需要为它指定测试）", file=sys.stderr)
            return 2
        ms = mutants_of(mod, (scratches[0] / mod).read_text(encoding="utf-8"))
        if args.match:
            ms = [m for m in ms if any(x in m.id for x in args.match)]
        if args.survivors:
            ms = [m for m in ms if m.id in _survivors(args.survivors)]
        if args.sample and len(ms) > args.sample:
            ms = sorted(rng.sample(ms, args.sample), key=lambda m: m.index)
        plan += [(m, tests) for m in ms]
        if ms:
            selections.setdefault(tuple(tests), []).append(mod)
    if args.list:
        for m, _ in plan:
            print(f"{m.module}:{m.line}\t{m.id}{'  (equivalent)' if m.id in equiv else ''}")
        return 0
    t_cov = time.perf_counter()
    cov: Coverage | None = None if args.no_coverage else {}
    limit: dict[tuple[str, ...], float] = {}      # per selection: 3 × its baseline, at least --timeout
    for tests, mods in selections.items():
        t_sel = time.perf_counter()
        if args.no_coverage:
            ok = _pytest(list(tests), scratches[0], 10 * args.timeout) == 0
        else:
            got = coverage_map(list(tests), scratches[0], mods, 10 * args.timeout)
            ok = got is not None
            cov.update(got or {})
        limit[tests] = max(args.timeout, 3 * (time.perf_counter() - t_sel))
        if not ok:
            print(f"{', '.join(mods)}: 未变异的代码上测试就不通过（{' '.join(tests)}）；先修好测试",
                  file=sys.stderr)
            return 2
    t_cov = time.perf_counter() - t_cov
    results: dict[str, dict[str, list[Mutant]]] = {}
    t0 = time.perf_counter()
    jobs = len(scratches)
    todo = [(m, t) for m, t in plan if m.id not in equiv]
    chunks = [todo[i::jobs] for i in range(jobs)]

    done = [0]

    uncovered = [0]

    in_process = [0]

    def report_one(m: Mutant, status: str, how: str) -> None:
        done[0] += 1
        if args.progress:
            print(f"[{done[0]}/{len(todo)}] {status:8} {m.module}:{m.line}  {m.id} ({how})",
                  file=sys.stderr, flush=True)

    def work(k: int) -> list[tuple[Mutant, str]]:
        out = []
        rest: list[tuple[Mutant, list[str], list[str] | None]] = []
        forkable: dict[tuple[str, ...], list[tuple[Mutant, list[str]]]] = {}
        for m, t in chunks[k]:
            first = covering(m, cov) if cov is not None else None
            uncovered[0] += cov is not None and not first
            if first and m.patch and not args.no_fork:
                forkable.setdefault(tuple(t), []).append((m, first))
            else:
                rest.append((m, t, first))
        for t, ms in forkable.items():
            by_id = {m.id: (m, first) for m, first in ms}

            def seen(mid: str, status: str, by_id=by_id) -> None:
                if status != "subprocess":
                    report_one(by_id[mid][0], status, f"in-process, {len(by_id[mid][1])} tests first")

            got = run_in_process(ms, list(t), scratches[k], limit[t], seen)
            for m, first in ms:
                status = got.get(m.id, "subprocess")
                if status == "subprocess":
                    rest.append((m, list(t), first))
                    continue
                in_process[0] += 1
                if status == "survived" and args.confirm:
                    status = run_one(m, list(t), scratches[k], limit[t])
                    report_one(m, status, "confirmed in a subprocess")
                    done[0] -= 1
                out.append((m, status))
        for m, t, first in rest:
            status = run_one(m, t, scratches[k], limit[tuple(t)], first)
            out.append((m, status))
            how = "whole selection" if first is None or not first else f"subprocess, {len(first)} tests first"
            report_one(m, status, how)
        return out

    with ThreadPoolExecutor(jobs) as ex:
        for part in ex.map(work, range(jobs)):
            for m, status in part:
                results.setdefault(m.module, {}).setdefault(status, []).append(m)
    elapsed = time.perf_counter() - t0 + t_cov
    report = {"elapsed_s": round(elapsed, 1), "coverage_s": round(t_cov, 1), "modules": {}}
    print(f"{'module':40} {'killed':>7} {'survived':>9} {'timeout':>8} {'equiv':>6} {'score':>7}")
    totals = {"killed": 0, "survived": 0, "timeout": 0}
    for mod in modules:
        r = results.get(mod, {})
        k, s, to = (len(r.get(x, [])) for x in ("killed", "survived", "timeout"))
        eq = sum(1 for m, _ in plan if m.module == mod and m.id in equiv)
        score = (k + to) / (k + s + to) if k + s + to else 1.0
        totals["killed"] += k
        totals["survived"] += s
        totals["timeout"] += to
        print(f"{mod:40} {k:7d} {s:9d} {to:8d} {eq:6d} {score:7.1%}")
        report["modules"][mod] = {"killed": k, "survived": s, "timeout": to, "equivalent": eq,
                                  "score": round(score, 4),
                                  "survivors": [f"{m.line}: {m.id}" for m in r.get("survived", [])],
                                  "timeouts": [f"{m.line}: {m.id}" for m in r.get("timeout", [])]}
    for mod in modules:
        for m in results.get(mod, {}).get("survived", []):
            print(f"  survived {m.module}:{m.line}  {m.id}")
    print(f"elapsed {elapsed:.0f} s, {len(plan)} mutants, {jobs} jobs")
    if cov is not None:
        print(f"tests chosen by coverage (one run per selection: {t_cov:.0f} s); "
              f"{uncovered[0]} mutants on lines no test covers in-process ran the whole selection; "
              f"{in_process[0]} ran in-process (forked)")
    if args.json:
        Path(args.json).write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
