"""The mutation driver (benchmarks/mutation.py): each operator changes exactly one thing, and a
mutant of a real rule is caught by the test that pins it (a seeded sample of one, run for real)."""

from __future__ import annotations

import importlib.util
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("mutation", ROOT / "benchmarks" / "mutation.py")
mutation = importlib.util.module_from_spec(_spec)
sys.modules["mutation"] = mutation      # dataclasses look their module up while the class is built
_spec.loader.exec_module(mutation)

SRC = '''\
def f(a, t):
    """Docstring and annotations are never mutated."""
    total = 0
    for x in (a, None, t):
        if x is None:
            continue
        total = total + x
    if a >= t and not t == 0:
        return min(a, t) * 2 + total
    return abs(a - t) + total
'''


def _fn(src):
    ns: dict = {}
    exec(compile(src, "<mutant>", "exec"), ns)
    return ns["f"]


def test_every_operator_is_offered():
    descs = [m.desc for m in mutation.mutants_of("m.py", SRC)]
    for op in ("GtE→Gt", "Is→IsNot", "Add→Sub", "Sub→Add", "Mult→Div", "min→max", "abs dropped",
               "[+1]", "[negated]", "not dropped", "And→Or", "continue→break"):
        assert any(op in d for d in descs), op
    assert not any("Docstring" in d for d in descs)


def test_each_mutant_changes_behaviour_of_one_place():
    original = _fn(SRC)
    ms = mutation.mutants_of("m.py", SRC)
    changed = 0
    for m in ms:
        mutant = _fn(mutation.mutate(SRC, m.index))
        try:
            differs = any(mutant(a, t) != original(a, t) for a, t in [(3, 2), (2, 3), (2, 2), (5, 0), (0, 5)])
        except TypeError:          # e.g. "is None" flipped: 3 + None
            differs = True
        changed += differs
    assert changed == len(ms), (changed, len(ms))


def test_a_pinned_rule_kills_its_mutant(tmp_path):
    """weights-sum's abs() dropped: tests/test_pinned_rules.py sees 95 points pass as 100."""
    module = "addin/rules/weights.py"
    ms = [m for m in mutation.mutants_of(module) if m.func == "weights_sum" and "abs dropped" in m.desc]
    assert ms
    scratch = mutation._scratch()
    try:
        status = mutation.run_one(ms[-1], ["tests/test_pinned_rules.py"], scratch, timeout=300)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    assert status == "killed"


# Coverage-guided selection, on a real small project: two functions, each pinned by its own test,
# a third reached only through a subprocess (as the CLI tests reach the code), a fourth no test runs;
# and for the in-process (forked) runs a closure made at import (as the registry's wrappers are), a
# cached constant filled at import, and a function run in-process but checked only by a subprocess.
_MOD = '''\
import functools


def rate(a, b):
    if b == 0:
        return None
    return a / b


def band(r):
    return "达成" if r >= 0.8 else "未达成"


def via_cli(x):
    return x + 1


def unused(x):
    return x * 2


def make(k):
    def times(x):
        return x * k
    return times


double = make(2)


@functools.lru_cache(maxsize=1)
def limit():
    return 80


LIMIT = limit()


def passed(score):
    return score >= limit()


def label(n):
    return "第" + str(n + 1) + "项"
'''

_TESTS = '''\
import subprocess
import sys

from pkg.mod import band, rate


def test_rate():
    assert rate(9, 10) == 0.9
    assert rate(1, 0) is None


def test_band():
    assert band(0.8) == "达成"
    assert band(0.79) == "未达成"


def test_cli():
    code = "from pkg.mod import via_cli; assert via_cli(1) == 2"
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0


def test_double():
    from pkg.mod import double
    assert double(3) == 6


def test_passed():
    from pkg.mod import passed
    assert passed(80) and not passed(79)


def test_label_runs_here_and_is_checked_in_a_subprocess():
    from pkg.mod import label
    label(0)
    code = "from pkg.mod import label; assert label(0) == '第1项'"
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0
'''


def _project(tmp_path: Path, tests: str = _TESTS) -> Path:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "__init__.py").write_text("", encoding="utf-8")
    (tmp_path / "pkg" / "mod.py").write_text(_MOD, encoding="utf-8")
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_mod.py").write_text(tests, encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text(
        '[tool.pytest.ini_options]\nmarkers = ["libreoffice: slow"]\n', encoding="utf-8")
    return tmp_path


def _by_func(ms, func, op):
    return next(m for m in ms if m.func == func and op in m.desc)


def test_each_line_maps_to_the_tests_that_execute_it(tmp_path):
    d = _project(tmp_path)
    cov = mutation.coverage_map(["tests/test_mod.py"], d, ["pkg/mod.py"], timeout=120)
    ms = mutation.mutants_of("pkg/mod.py", _MOD)
    assert mutation.covering(_by_func(ms, "rate", "Eq→NotEq"), cov) == ["tests/test_mod.py::test_rate"]
    assert mutation.covering(_by_func(ms, "rate", "Div→Mult"), cov) == ["tests/test_mod.py::test_rate"]
    assert mutation.covering(_by_func(ms, "band", "GtE→Gt"), cov) == ["tests/test_mod.py::test_band"]
    # reached only in a subprocess, or not at all: no in-process test covers it
    assert mutation.covering(_by_func(ms, "via_cli", "Add→Sub"), cov) == []
    assert mutation.covering(_by_func(ms, "unused", "Mult→Div"), cov) == []


def test_covering_tests_kill_and_an_uncovered_line_runs_the_whole_selection(tmp_path):
    d = _project(tmp_path)
    cov = mutation.coverage_map(["tests/test_mod.py"], d, ["pkg/mod.py"], timeout=120)
    ms = mutation.mutants_of("pkg/mod.py", (d / "pkg" / "mod.py").read_text(encoding="utf-8"))
    whole = ["tests/test_mod.py"]

    def status(m):
        return mutation.run_one(m, whole, d, 120, mutation.covering(m, cov))

    assert status(_by_func(ms, "band", "GtE→Gt")) == "killed"        # band(0.8): 达成 at exactly 80 %
    assert status(_by_func(ms, "via_cli", "Add→Sub")) == "killed"    # only test_cli's subprocess sees it
    assert status(_by_func(ms, "unused", "Mult→Div")) == "survived"  # after the whole selection ran
    assert (d / "pkg" / "mod.py").read_text(encoding="utf-8") == _MOD  # the module is restored


def test_a_failing_baseline_gives_no_coverage_map(tmp_path):
    d = _project(tmp_path, _TESTS.replace("== 0.9", "== 0.8"))
    assert mutation.coverage_map(["tests/test_mod.py"], d, ["pkg/mod.py"], timeout=120) is None


def test_forked_runs_apply_the_mutant_everywhere_it_is_referenced(tmp_path):
    """One worker collects the tests once and forks per mutant: the closure made at import, the
    lru_cache filled at import and the subprocess reading the module from disk all see the mutant."""
    d = _project(tmp_path)
    cov = mutation.coverage_map(["tests/test_mod.py"], d, ["pkg/mod.py"], timeout=120)
    ms = mutation.mutants_of("pkg/mod.py", (d / "pkg" / "mod.py").read_text(encoding="utf-8"))
    chosen = [_by_func(ms, "band", "GtE→Gt"), _by_func(ms, "times", "Mult→Div"),
              _by_func(ms, "limit", "[+1]"), _by_func(ms, "label", "Add→Sub"),
              _by_func(ms, "unused", "Mult→Div")]
    assert [m.patch for m in chosen] == ["band", "make", "limit", "label", "unused"]
    first = [mutation.covering(m, cov) for m in chosen[:4]]
    # limit() ran once, at import, and then answers from its cache: no test covers its line (the
    # driver runs it in a subprocess); given a test, the fork clears the cache and runs the mutant
    assert first[2] == []
    first[2] = ["tests/test_mod.py::test_passed"]
    got = mutation.run_in_process(list(zip(chosen[:4], first, strict=True)), ["tests/test_mod.py"], d, 120)
    assert [got[m.id] for m in chosen[:4]] == ["killed"] * 4
    # a survivor has run the whole selection in-process, not just its (no) covering tests
    survivor = mutation.run_in_process([(chosen[4], ["tests/test_mod.py::test_rate"])], ["tests/test_mod.py"], d, 120)
    assert survivor[chosen[4].id] == "survived"
    assert (d / "pkg" / "mod.py").read_text(encoding="utf-8") == _MOD


def test_a_module_imported_only_when_a_test_runs_is_mutated_in_process(tmp_path):
    """addin.rules imports its check families in load_checks(), when validate() first runs: at
    collection they are not loaded, so there is no function to patch — the fork imports the
    mutated file from disk instead (before, each such mutant fell back to a slow subprocess)."""
    d = _project(tmp_path, "def test_lazy():\n    from pkg.lazy import half\n    assert half(9) == 4.5\n")
    (d / "pkg" / "lazy.py").write_text("def half(x):\n    return x / 2\n", encoding="utf-8")
    cov = mutation.coverage_map(["tests/test_mod.py"], d, ["pkg/lazy.py"], timeout=120)
    ms = mutation.mutants_of("pkg/lazy.py", (d / "pkg" / "lazy.py").read_text(encoding="utf-8"))
    m = _by_func(ms, "half", "Div→Mult")
    assert mutation.covering(m, cov) == ["tests/test_mod.py::test_lazy"]
    got = mutation.run_in_process([(m, mutation.covering(m, cov))], ["tests/test_mod.py"], d, 120)
    assert got[m.id] == "killed"                      # not "subprocess"
    assert (d / "pkg" / "lazy.py").read_text(encoding="utf-8") == "def half(x):\n    return x / 2\n"
