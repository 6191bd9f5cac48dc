"""生成报告: the 绩效自评报告 (Word, official format) from a workbook, optionally as PDF.

``build_report(ev, out)`` — one project; ``build_department_report(source, out)`` — the
部门整体 report from a 汇总表 workbook or a folder of unit workbooks. Both render a docxtpl
template (the default one from ``default_template``, or a unit's own via ``template=``).
"""

from __future__ import annotations

from pathlib import Path

from udfs import Profile, default_profile, load_profile
from workbook_templates.model import Evaluation, Finding

from .context import budget_rate, build_context
from .default_template import build_default_template, write_default_template

__all__ = ["build_report", "build_department_report", "write_default_template", "report_context"]


def _profile(profile: Profile | str | None) -> Profile:
    if profile is None:
        return default_profile()
    if isinstance(profile, str):
        return load_profile(profile)
    return profile


def _findings(ev: Evaluation, profile: Profile) -> list[Finding]:
    """The 校验 findings by ``addin.validate.validate`` (keeps the reader's own findings);
    without that module, whatever is already on ``ev``."""
    try:
        from addin.validate import validate
    except ImportError:
        return list(ev.findings)
    return list(validate(ev, profile))


def report_context(ev: Evaluation, profile: Profile | str | None = None,
                   findings: list[Finding] | None = None, review: bool = False) -> dict:
    """Score ``ev`` (rule fields) and build the template variables (``review``: the reviewer's copy)."""
    from addin.pipeline import score_evaluation
    from addin.validate import resolve_profile

    prof = resolve_profile(profile, ev)     # --profile, the workbook's own rules, or the default
    score_evaluation(ev, prof)
    if findings is None:
        findings = _findings(ev, prof)
    return build_context(ev, prof, findings, review=review)


def build_report(ev: Evaluation, out_path: str | Path, template: str | Path | None = None, pdf: bool = False,
                 findings: list[Finding] | None = None, profile: Profile | str | None = None,
                 chart: bool = True, review: bool = False) -> Path:
    """Write the project's 绩效自评报告 (.docx; also .pdf next to it when ``pdf``). Returns the .docx path.

    Default: the unit's submission copy — no findings embedded, a flagged figure shown as a highlighted
    【请核实：…】. ``review``: the 财政局 reviewer's copy, with the findings appendix (附表2, in Chinese)."""
    from .charts import score_chart
    from .render import render, temp_png

    ctx = report_context(ev, profile, findings, review=review)
    png = None
    try:
        if chart and (ctx["indicator_groups"] or budget_rate(ev) is not None):
            png = score_chart(ctx["indicator_groups"], temp_png(), budget_rate=budget_rate(ev))
        out = render(template if template else build_default_template(), ctx, out_path, chart=png,
                     source=ev.source)
    finally:
        if png:
            png.unlink(missing_ok=True)
    if pdf:
        from .pdf import docx_to_pdf

        docx_to_pdf(out, Path(out).with_suffix(".pdf"))
    return Path(out)


def build_department_report(source: str | Path, out_path: str | Path, template: str | Path | None = None,
                            pdf: bool = False, profile: Profile | str | None = None, warn=None) -> Path:
    """Write the 部门整体 report from a 汇总表 (.xlsx) or a folder of unit workbooks; ``warn(text)``
    hears of projects from several 主管部门."""
    from .department import build_department_report as _build

    return _build(source, out_path, template=template, pdf=pdf, profile=_profile(profile), warn=warn)
