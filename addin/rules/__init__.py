"""校验规则目录: the checks a 财政局 reviewer runs on a 自评表.

Each check family is a module holding functions ``check(ev, profile) -> Iterable[Finding]``
registered with :func:`check`. Rule ids, default severities and Chinese titles are data
(``catalogue.json``); thresholds come from the rule profile (``udfs.load_profile``).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from importlib import resources
from typing import Any

from udfs import Profile
from workbook_templates.model import Evaluation, Finding

SEVERITIES = ("error", "warning", "info")
SEVERITY_LABELS = {"error": "错误", "warning": "警告", "info": "提示"}

CATALOGUE: dict[str, dict[str, str]] = {
    k: v for k, v in json.loads(
        (resources.files(__package__) / "catalogue.json").read_text(encoding="utf-8")).items()
    if not k.startswith("_")
}

Check = Callable[[Evaluation, Profile], Iterable[Finding]]
CHECKS: list[Check] = []


def check(fn: Check) -> Check:
    """Register a check function (decorator)."""
    CHECKS.append(fn)
    return fn


def finding(rule: str, cell: str | None, message: str, expected: Any = None,
            severity: str | None = None) -> Finding:
    """A Finding of catalogue rule ``rule`` (default severity from the catalogue)."""
    if rule not in CATALOGUE:
        raise KeyError(f"unknown rule id {rule!r}")
    return Finding(rule=rule, severity=severity or CATALOGUE[rule]["severity"], cell=cell,
                   message=message, expected=expected)


def load_checks() -> list[Check]:
    """Import every check family (importing registers its checks) and return the registry."""
    from . import budget, fields, indicators, narrative, scores, subtotals, text, total_rows, weights  # noqa: F401

    return CHECKS


def run_checks(ev: Evaluation, profile: Profile) -> list[Finding]:
    """Every registered check on a scored Evaluation (rule_* fields filled)."""
    load_checks()

    out: list[Finding] = []
    for fn in CHECKS:
        out.extend(fn(ev, profile))
    return out
