"""A small fixed sample of the mutation run (benchmarks/mutation.py), fast enough for CI: one mutant
of each kind of rule in udfs/evaluate.py (the scoring by kind) and addin/rules/scores.py (the 得分
checks), each run for real against a scratch copy of the tree with the pinned tests that hold it.

``make mutation`` runs every mutant (slow, not in CI); this keeps the pins from quietly rotting:
if one of these rules loses its test, the mutant survives and this test names it.
"""

from __future__ import annotations

import importlib.util
import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("mutation", ROOT / "benchmarks" / "mutation.py")
mutation = importlib.util.module_from_spec(_spec)
sys.modules.setdefault("mutation", mutation)
_spec.loader.exec_module(mutation)

# (module, mutant id without the module, the pinned tests that must kill it)
SAMPLE = [
    ("udfs/evaluate.py", "_over:t / a [Div→Mult]", ["tests/test_pinned_udfs.py"]),             # 反向: 目标 ÷ 实际
    ("udfs/evaluate.py", "_equal:abs(a - t) [abs dropped]", ["tests/test_pinned_udfs.py"]),   # 等于 below target
    ("udfs/evaluate.py", "_in_range:if a <= lo [negated]", ["tests/test_pinned_udfs.py"]),     # 区间 below: ÷ low
    ("addin/rules/scores.py", "grade_mismatch:if ev.total_score is not None [negated]",
     ["tests/test_pinned_checks.py"]),                                                      # grade of the stated 总分
    ("addin/rules/scores.py", "score_differs:abs(b.score - b.rule_score) [abs dropped]",
     ["tests/test_pinned_checks.py"]),                                                      # 得分 below the rule
    ("addin/rules/scores.py", "completion_mismatch:if abs(stated - forward) <= Decimal(\"0.001\") [negated]",
     ["tests/test_pinned_checks.py"]),                                                      # completion severity
]


@pytest.fixture(scope="module")
def scratch():
    d = mutation._scratch()
    yield d
    shutil.rmtree(d, ignore_errors=True)


@pytest.mark.parametrize(("module", "mid", "tests"), SAMPLE, ids=[s[1] for s in SAMPLE])
def test_sampled_mutant_is_killed(scratch, module, mid, tests):
    ms = {m.id: m for m in mutation.mutants_of(module, (scratch / module).read_text(encoding="utf-8"))}
    m = ms.get(f"{module}:{mid}")
    assert m is not None, f"no mutant {mid} in {module} (renamed? update the sample)"
    assert mutation.run_one(m, tests, scratch, timeout=300) == "killed", m.id


def test_a_missing_test_file_is_refused_not_counted_as_killing():
    """pytest fails on a path that does not exist — every mutant would count as killed."""
    with pytest.raises(SystemExit, match="不存在"):
        mutation._expand(["tests/test_no_such_file.py"])
    assert mutation._expand(["tests/test_pinned_udfs.py", "tests/test_mutation_d*.py"]) == [
        "tests/test_pinned_udfs.py", "tests/test_mutation_driver.py"]
