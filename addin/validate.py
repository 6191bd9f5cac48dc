"""校验: score an Evaluation by the rule profile, then run every check of ``addin.rules``."""

from __future__ import annotations

import json
from importlib import resources

from udfs import Profile, default_profile, load_profile
from workbook_templates.grid import parse_a1
from workbook_templates.model import Evaluation, Finding

from .pipeline import score_evaluation
from .rules import SEVERITIES, run_checks

LAYOUT_PROFILES: dict[str, str] = {
    k: v for k, v in json.loads(
        (resources.files("addin.rules") / "layout_profiles.json").read_text(encoding="utf-8")).items()
    if not k.startswith("_")
}


def resolve_profile(profile: Profile | str | None, ev: Evaluation | None = None) -> Profile:
    """A Profile from an object, a name/path, the reader's suggestion (``ev.extra['profile']``),
    the layout's default (``rules/layout_profiles.json``) or 财预〔2020〕10号."""
    if isinstance(profile, Profile):
        return profile
    if profile:
        return load_profile(profile)
    suggested = None
    if ev is not None:
        suggested = ev.extra.get("profile") or LAYOUT_PROFILES.get(ev.layout or "")
    return load_profile(suggested) if suggested else default_profile()


def cell_sort_key(cell: str | None) -> tuple:
    """Sort 'Sheet!A1' by sheet, then row, then column; findings without a cell last."""
    if not cell:
        return (1, "", 0, 0)
    sheet, _, ref = cell.rpartition("!")
    try:
        r, c = parse_a1(ref)
    except (ValueError, IndexError):
        r, c = 0, 0
    return (0, sheet.strip("'"), r, c)


def sort_findings(findings: list[Finding]) -> list[Finding]:
    """By severity (error, warning, info), then cell."""
    order = {s: i for i, s in enumerate(SEVERITIES)}
    return sorted(findings, key=lambda f: (order.get(f.severity, 9), cell_sort_key(f.cell), f.rule))


def validate(ev: Evaluation, profile: Profile | str | None = None) -> list[Finding]:
    """Score ``ev`` (rule_* fields), run every check, set ``ev.findings`` and return them sorted."""
    prof = resolve_profile(profile, ev)
    score_evaluation(ev, prof)
    findings = sort_findings(run_checks(ev, prof))
    ev.findings = findings
    return findings


def has_errors(findings: list[Finding]) -> bool:
    return any(f.severity == "error" for f in findings)


def read_evaluation(path: str, profile: Profile | str | None = None) -> tuple[Evaluation, Profile]:
    """Read a workbook with the reader (ReadError on anything unusable) and resolve the profile."""
    from pathlib import Path

    from workbook_templates.errors import ReadError

    prof = resolve_profile(profile) if profile else None
    p = Path(path)
    if not p.exists():
        raise ReadError("文件不存在", file=str(path))
    if p.is_dir():
        raise ReadError("这是一个文件夹，不是工作簿文件", file=str(path))
    try:
        from workbook_templates.reader import read_workbook
    except ImportError as exc:  # pragma: no cover - the reader module ships with the package
        raise ReadError(f"读取模块不可用（{exc}）", file=str(path)) from None
    ev = read_workbook(str(path), profile=prof)
    return ev, prof or resolve_profile(None, ev)
