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
