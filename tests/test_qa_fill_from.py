"""QA: `fill project --from last-year's-report` says what the source got wrong. Found by QA: seed
004's published slip (补助人数（人） target 18 against 18.74万人, the unit-mismatch error `validate`
raises on the report) was filled in as 18 万人 without a word — the filled template validates
clean, so the slip vanished on the way into this year's template.

Source: seed 004 (医疗保险基金补助项目 2021 年绩效自评报告, tests/fixtures/reports/seed004.txt); the
expected error is the one the seed's fixture names (unit-mismatch at the 补助人数 target).
"""

from __future__ import annotations

from addin.cli import main
from tests.docx_reports import REPORTS, build


def test_fill_from_a_report_names_the_source_errors(tmp_path, capsys):
    src = build("seed004", tmp_path / "去年报告.docx")
    out = tmp_path / "今年.xlsx"
    assert main(["fill", "project", "--from", str(src), "-o", str(out)]) == 0
    text = capsys.readouterr().out
    assert "1 个错误" in text and "unit-mismatch" in text and "表6!E3" in text and "18.74万人" in text


def test_fill_from_a_clean_source_says_nothing_more(tmp_path, capsys):
    """Seed 004 with its target written 18万人 (as the fixture's correction suggests): no error to name."""
    text = (REPORTS / "seed004.txt").read_text(encoding="utf-8").replace("补助人数（人） | 20 | 18 |", "补助人数（万人） | 20 | 18 |")
    src = build(text, tmp_path / "去年报告.docx")
    assert main(["fill", "project", "--from", str(src), "-o", str(tmp_path / "今年.xlsx")]) == 0
    assert "注意" not in capsys.readouterr().out
