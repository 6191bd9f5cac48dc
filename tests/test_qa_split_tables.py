"""QA: a 自评表 pasted into Word in two parts — the table split at a page with an empty paragraph
between (the second part with or without the header repeated) — is read as one table. Found by QA:
the second part (效益 and 满意度 rows of seed 004's 附件1) was silently left out; the report scored
59.51 (差) with false weights-sum / total-mismatch errors against the unit.

Source: seed 004 (医疗保险基金补助项目 2021 年绩效自评报告, tests/fixtures/reports/seed004.txt), its
附件1 split after the 成本指标 row. Expected by hand from the seed's table: the rule total is 99.51
(9.51 + 20 + 10 + 10 + 10 + 15 + 15 + 10), the one error the published unit-mismatch.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from docx import Document
from docx.oxml.ns import qn

from addin.cli import main as cli_main
from addin.validate import read_evaluation, validate
from tests.docx_reports import REPORTS, build

SPLIT_AFTER = "| ^ | 成本指标 | 人均补助标准（元/年）"
HEADER = "| 一级指标 | 二级指标 | 目标指标 | 权重 | 目标值 | 业绩值 | 完成率 | 指标得分 | 偏差原因分析及改进措施 |"


def _split(repeat_header: bool, text: str | None = None) -> str:
    lines = []
    for line in (text or (REPORTS / "seed004.txt").read_text(encoding="utf-8")).splitlines():
        lines.append(line)
        if line.startswith(SPLIT_AFTER):
            lines += ["", HEADER] if repeat_header else [""]
    assert HEADER in lines
    return "\n".join(lines)


@pytest.mark.parametrize("repeat_header", [False, True])
def test_a_table_split_in_two_is_read_whole(tmp_path, repeat_header):
    path = build(_split(repeat_header), tmp_path / "split.docx")
    ev, prof = read_evaluation(str(path))
    findings = validate(ev, prof)
    assert len(ev.indicators) == 7
    assert ev.rule_total_score == Decimal("99.51")
    assert [f.rule for f in findings if f.severity == "error"] == ["unit-mismatch"]
    assert any(f.rule == "document-notice" and "续表" in f.message for f in findings)


def test_a_finding_in_the_second_part_marks_that_cell(tmp_path):
    """社会满意度 stated 9 (rule 10) sits in the second Word table: the annotated copy marks it there."""
    base = (REPORTS / "seed004.txt").read_text(encoding="utf-8")
    row = "| 满意度指标 | 服务对象满意度指标 | 社会满意度 | 10 | 95 | 95% | 100.00% | 10 |"
    assert row in base
    text = _split(False, base.replace(row, row[: -len("10 |")] + "9 |"))
    src = build(text, tmp_path / "split.docx")
    out = tmp_path / "校验.docx"
    assert cli_main(["validate", str(src), "-o", str(out)]) == 1
    tables = Document(str(out)).tables

    def shaded(table) -> list[str]:
        return [c.text for r in table.rows for c in r.cells if c._tc.tcPr is not None
                and c._tc.tcPr.find(qn("w:shd")) is not None]

    assert shaded(tables[6]) == ["9"]                   # the continuation table's 社会满意度 得分
    assert "9" not in shaded(tables[5])


def test_separate_tables_stay_separate(tmp_path):
    """Seed 004's own tables (headings between them) are not joined: the same 6 grids as before."""
    ev, prof = read_evaluation(str(build("seed004", tmp_path / "s.docx")))
    assert not any("续表" in f.message for f in ev.findings)
