"""The ribbon buttons (addin/excel/macros.py), headless through xlwings' own remote Book API.

``xlwings.Book(json=payload)`` is the engine xlwings Server/Lite use: it builds a book from the
payload Excel's Office.js client sends and records every action a macro takes (``book.json()``).
Payloads are made from real test workbooks (workbook_templates.samples, written with openpyxl);
``apply_actions`` plays the recorded actions back onto the openpyxl workbook, the way the client
would, so a round trip (校验 → 清除标记) can be checked on the resulting workbook itself.
Expected numbers come from the seed 004 fixture (published figures), not from the code.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import PatternFill

from addin.excel import macros
from udfs import REGISTRY
from workbook_templates.samples import default_data, write_sample

FIXTURE = json.loads((Path(__file__).parent / "fixtures" / "seed004_self_evaluation.json").read_text("utf-8"))


def remote_book(wb: Workbook, name: str = "自评.xlsx", active: int = 0) -> Any:
    """A remote-engine book from the payload an Office.js client would send for ``wb``."""
    return macros.remote_xlwings().Book(json=macros.payload_from_openpyxl(wb, name, active))


def apply_actions(wb: Workbook, actions: list[dict[str, Any]]) -> list[str]:
    """Play recorded actions onto ``wb`` in order (what the client does); returns the alerts."""
    alerts = []
    for a in actions:
        f = a["func"]
        ws = wb.worksheets[a["sheet_position"]] if a["sheet_position"] is not None else None

        def cells(a: dict[str, Any] = a, ws: Any = ws):
            for r in range(a["row_count"]):
                for c in range(a["column_count"]):
                    yield ws.cell(row=a["start_row"] + r + 1, column=a["start_column"] + c + 1)

        if f == "alert":
            alerts.append(a["args"][0])
        elif f == "addSheet":
            wb.create_sheet(a["args"][1], a["args"][0])
        elif f == "sheetDelete":
            del wb[ws.title]
        elif f == "setValues":
            for r, row in enumerate(a["values"]):
                for c, v in enumerate(row):
                    ws.cell(row=a["start_row"] + r + 1, column=a["start_column"] + c + 1, value=v)
        elif f == "setRangeColor":
            for cell in cells():
                cell.fill = PatternFill("solid", fgColor=a["args"][0][1:]) if a["args"][0] else PatternFill()
        elif f == "setNumberFormat":
            for cell in cells():
                cell.number_format = a["args"][0]
        elif f == "clearContents":
            for cell in cells():
                cell.value = None
        elif f == "addNote":
            ws[a["args"][0].replace("$", "")].comment = Comment(a["args"][1], "jixiao")
        elif f == "deleteNote":
            ws[a["args"][0].replace("$", "")].comment = None
        else:
            raise AssertionError(f"unexpected action {f}")
    return alerts


def actions(book: Any, func: str | None = None) -> list[dict[str, Any]]:
    return [a for a in book.json()["actions"] if func is None or a["func"] == func]


def fill_of(cell: Any) -> str | None:
    return cell.fill.fgColor.rgb[-6:] if cell.fill and cell.fill.fill_type == "solid" else None


def find_cell(ws: Any, text: str) -> tuple[int, int]:
    """(row, column), 1-based, of the first cell whose value is ``text``."""
    for row in ws.iter_rows():
        for c in row:
            if c.value == text:
                return c.row, c.column
    raise AssertionError(text)


@pytest.fixture()
def seed004(tmp_path) -> Path:
    return write_sample("seed004", tmp_path / "seed004.xlsx")


def test_validate_adds_findings_sheet_and_marks_the_cells(seed004):
    wb = load_workbook(seed004)
    book = remote_book(wb)
    findings = macros.validate(book)
    assert findings, "seed 004 has a known slip: target 18 under 补助人数（人） against 18.74万人"
    add = actions(book, "addSheet")
    assert [a["args"][1] for a in add] == [macros.FINDINGS_SHEET]
    alerts = apply_actions(wb, book.json()["actions"])
    assert alerts and alerts[-1].startswith("校验完成")
    # the slip's row, found independently in the workbook: 目标值 column of 补助人数（人）
    ws = wb["项目支出绩效自评表"]
    row, _ = find_cell(ws, "补助人数（人）")
    _, target_col = find_cell(ws, "目标值")
    slip = ws.cell(row=row, column=target_col)
    assert slip.value in ("18", 18)
    assert fill_of(slip) == macros.FILL_COLOURS["error"][1:]
    assert "18.74万人" in slip.comment.text and slip.comment.text.startswith(macros.NOTE_PREFIX)
    res = wb[macros.FINDINGS_SHEET]
    header = [c.value for c in res[macros.FINDINGS_TOP]]
    assert header[:len(macros.FINDINGS_HEADER)] == macros.FINDINGS_HEADER
    listed = [res.cell(row=r, column=5).value for r in range(macros.FINDINGS_TOP + 1, res.max_row + 1)
              if isinstance(res.cell(row=r, column=1).value, int)]          # the 颜色说明 legend follows
    assert f"项目支出绩效自评表!{slip.coordinate}" in listed
    assert len(listed) == len(findings)


def test_clear_marks_restores_the_workbook(seed004):
    wb = load_workbook(seed004)
    ws = wb["项目支出绩效自评表"]
    row, _ = find_cell(ws, "补助人数（人）")
    _, target_col = find_cell(ws, "目标值")
    slip = ws.cell(row=row, column=target_col)
    slip.fill = PatternFill("solid", fgColor="FFF2CC")        # the user's own input tint
    before = {(s.title, c.coordinate): (c.value, fill_of(c), c.comment) for s in wb for r in s.iter_rows() for c in r}

    book = remote_book(wb)
    macros.validate(book)
    apply_actions(wb, book.json()["actions"])
    assert fill_of(wb["项目支出绩效自评表"][slip.coordinate]) == macros.FILL_COLOURS["error"][1:]

    book = remote_book(wb, active=1)
    n = macros.clear_marks(book)
    assert n and n >= 1
    assert "sheetDelete" in [a["func"] for a in actions(book)]
    apply_actions(wb, book.json()["actions"])
    assert macros.FINDINGS_SHEET not in wb.sheetnames
    after = {(s.title, c.coordinate): (c.value, fill_of(c), c.comment) for s in wb for r in s.iter_rows() for c in r}
    marked = {("项目支出绩效自评表", slip.coordinate)}
    for key, (value, fill, comment) in before.items():
        assert after[key][0] == value, key
        assert (after[key][2] is None) == (comment is None), key
        if key not in marked:
            assert after[key][1] == fill, key
    assert fill_of(wb["项目支出绩效自评表"][slip.coordinate]) is None   # remote: original fill unknown → none


def test_validate_twice_keeps_one_findings_sheet_and_never_touches_user_notes(seed004):
    wb = load_workbook(seed004)
    ws = wb["项目支出绩效自评表"]
    row, _ = find_cell(ws, "补助人数（人）")
    _, target_col = find_cell(ws, "目标值")
    slip = ws.cell(row=row, column=target_col)
    slip.comment = Comment("用户自己的批注", "财务")
    for _ in range(2):
        book = remote_book(wb)
        macros.validate(book)
        assert not actions(book, "addNote") or all(a["args"][0].replace("$", "") != slip.coordinate
                                                    for a in actions(book, "addNote"))
        apply_actions(wb, book.json()["actions"])
    assert wb.sheetnames.count(macros.FINDINGS_SHEET) == 1
    assert wb["项目支出绩效自评表"][slip.coordinate].comment.text == "用户自己的批注"
    book = remote_book(wb)
    macros.clear_marks(book)
    assert not actions(book, "deleteNote") or all(a["args"][0].replace("$", "") != slip.coordinate
                                                   for a in actions(book, "deleteNote"))


def test_score_fills_only_empty_score_cells_with_the_rule_scores(tmp_path):
    data = default_data("seed004")
    data["budget"]["score"] = None                 # 预算执行率 得分 left empty
    data["indicators"][-1]["score"] = None         # 社会满意度 得分 left empty
    path = write_sample("seed004", tmp_path / "blank.xlsx", data)
    wb = load_workbook(path)
    ws = wb["项目支出绩效自评表"]
    _, score_col = find_cell(ws, "指标得分")
    budget_row, _ = find_cell(ws, "预算执行率")
    sat_row, _ = find_cell(ws, "社会满意度")
    stated = {r: ws.cell(row=r, column=score_col).value for r in range(1, ws.max_row + 1)}

    book = remote_book(wb, active=1)
    ev = macros.score(book)
    assert float(ev.rule_total_score) == pytest.approx(FIXTURE["expected"]["total_score"])
    apply_actions(wb, book.json()["actions"])
    ws = wb["项目支出绩效自评表"]
    assert ws.cell(row=budget_row, column=score_col).value == pytest.approx(FIXTURE["expected"]["budget_score"])
    sat = next(i for i in FIXTURE["indicators"] if i["name"] == "社会满意度")
    assert ws.cell(row=sat_row, column=score_col).value == pytest.approx(sat["score_stated"])
    assert fill_of(ws.cell(row=sat_row, column=score_col)) == macros.WRITTEN_FILL[1:]
    for r, v in stated.items():          # stated scores untouched
        if v is not None:
            assert ws.cell(row=r, column=score_col).value == v
    res = wb[macros.SCORES_SHEET]
    total = next(row for row in res.iter_rows(values_only=True) if row[0] == "总分")
    assert total[5] == pytest.approx(FIXTURE["expected"]["total_score"])
    assert "99.51" in actions(book, "alert")[-1]["args"][0]


def test_nothing_is_half_written_when_a_write_fails(seed004, monkeypatch):
    from xlwings.main import Sheets

    wb = load_workbook(seed004)
    book = remote_book(wb)

    def broken(*a, **k):
        raise RuntimeError("磁盘已满")

    monkeypatch.setattr(Sheets, "add", broken)     # fails after the cell marks were queued
    assert macros.validate(book) is None
    acts = actions(book)
    assert [a["func"] for a in acts] == ["alert"]
    assert acts[0]["args"][0].startswith("错误：") and "磁盘已满" in acts[0]["args"][0]


def test_unreadable_book_gives_a_chinese_message_and_no_changes():
    wb = Workbook()
    wb.active.title = "说明"
    wb.active["A1"] = "这里没有自评表"
    book = remote_book(wb)
    assert macros.validate(book) is None
    acts = actions(book)
    assert [a["func"] for a in acts] == ["alert"]
    assert "未找到绩效自评表" in acts[0]["args"][0]


def test_show_functions_lists_the_registry():
    wb = Workbook()
    book = remote_book(wb)
    assert macros.show_functions(book) == len(REGISTRY)
    apply_actions(wb, book.json()["actions"])
    ws = wb[macros.FUNCTIONS_SHEET]
    names = [ws.cell(row=r, column=2).value for r in range(3, ws.max_row + 1)]
    assert names == [s.alias for s in REGISTRY]
    assert ws.cell(row=3, column=1).value.startswith(REGISTRY[0].name + "(")
    assert "Ctrl+Shift+Enter" in ws.cell(row=1, column=2).value      # issue #14 (6): Excel 2010–2019


def test_files_go_next_to_the_workbook_and_never_overwrite(seed004, tmp_path):
    wb = load_workbook(seed004)
    book = remote_book(wb)
    assert macros.report(book) is None              # unsaved (remote) book and no folder given
    assert "尚未保存" in actions(book, "alert")[-1]["args"][0]
    taken = tmp_path / "自评-绩效自评报告.docx"
    taken.write_bytes(b"user's own file")
    made = macros.report(remote_book(wb), out_dir=tmp_path)
    assert made == tmp_path / "自评-绩效自评报告(2).docx" and made.exists()
    assert taken.read_bytes() == b"user's own file"
    first = made
    from docx import Document

    text = "\n".join(p.text for p in Document(str(first)).paragraphs)
    assert "医疗保险基金补助" in text


def test_insert_template_builds_a_new_file(tmp_path):
    book = remote_book(Workbook())
    path = macros.insert_template("project", book, out_dir=tmp_path)
    assert path and path.exists()
    meta = load_workbook(path)["_meta"]
    assert (meta["A1"].value, meta["B1"].value) == ("template_id", "project")
    book = remote_book(Workbook())
    assert macros.insert_template("没有这个模板", book, out_dir=tmp_path) is None
    assert "尚未提供" in actions(book, "alert")[-1]["args"][0]


def test_consolidate_button_writes_a_summary(tmp_path):
    units = tmp_path / "各单位"
    units.mkdir()
    write_sample("seed004", units / "甲单位.xlsx")
    write_sample("sichuan", units / "乙单位.xlsx")
    out = tmp_path / "out"
    out.mkdir()
    book = remote_book(Workbook())
    path = macros.consolidate(str(units), book, out_dir=out)
    assert path and path.exists() and path.parent == out
    assert "2/2" in actions(book, "alert")[-1]["args"][0]
    rows = list(load_workbook(path).worksheets[0].iter_rows(values_only=True))
    flat = " ".join(str(v) for row in rows for v in row if v is not None)
    assert "医疗保险基金补助" in flat
    assert macros.consolidate(str(tmp_path / "不存在"), remote_book(Workbook()), out_dir=out) is None


@pytest.mark.libreoffice
def test_export_pdf_writes_docx_and_pdf(seed004, tmp_path):
    from workbook_templates.libreoffice import find_soffice

    if find_soffice() is None:
        pytest.skip("LibreOffice not installed")
    pdf = macros.export_pdf(remote_book(load_workbook(seed004)), out_dir=tmp_path)
    assert pdf and pdf.suffix == ".pdf" and pdf.read_bytes()[:4] == b"%PDF"
    assert pdf.with_suffix(".docx").exists()


def test_payload_carries_values_notes_and_names(seed004):
    wb = load_workbook(seed004)
    ws = wb["项目支出绩效自评表"]
    ws["A1"].comment = Comment("说明", "财务")
    data = macros.payload_from_openpyxl(wb, "x.xlsx")
    assert [s["name"] for s in data["sheets"]] == wb.sheetnames
    sheet = data["sheets"][1]
    assert sheet["notes"] == [{"address": "A1"}]
    row, col = find_cell(ws, "补助人数（人）")
    assert sheet["values"][row - 1][col - 1] == "补助人数（人）"
    book = remote_book(wb)
    assert book.sheets[1]["A1"].note is not None
    assert book.sheets[1].used_range.shape == (ws.max_row, ws.max_column)


def test_press_command_shows_the_actions_without_touching_the_file(seed004, capsys):
    from addin.cli import main

    before = seed004.read_bytes()
    assert main(["addin", "press", "校验", str(seed004)]) == 0
    out = capsys.readouterr().out
    assert "新增工作表“校验结果”" in out and "校验完成" in out
    assert main(["addin", "press", "计算得分", str(seed004), "--json"]) == 0
    acts = json.loads(capsys.readouterr().out)["actions"]
    assert any(a["func"] == "addSheet" and a["args"][1] == "计分结果" for a in acts)
    assert seed004.read_bytes() == before
    assert main(["addin", "press", "没有", str(seed004)]) == 2


def test_score_leaves_our_template_formulas_alone(tmp_path):
    from workbook_templates.fill import fill_template

    path = fill_template("project", default_data("seed004"), tmp_path / "filled.xlsx")
    wb = load_workbook(path, data_only=True)     # formulas have no cached values in an openpyxl file
    book = remote_book(wb)
    ev = macros.score(book)
    assert float(ev.rule_total_score) == pytest.approx(FIXTURE["expected"]["total_score"])
    writes = [a for a in actions(book, "setValues") if a["sheet_position"] < len(wb.sheetnames)]
    assert writes == []
    assert [a["args"][1] for a in actions(book, "addSheet")] == [macros.SCORES_SHEET]


def test_press_accepts_all_eight_buttons_and_lists_the_files_it_writes(seed004, tmp_path, capsys):
    """Issue #14 (10): every ribbon button headless; the four that write files name them."""
    from addin.cli import main
    from workbook_templates.libreoffice import find_soffice

    before = seed004.read_bytes()
    units = tmp_path / "各单位"
    units.mkdir()
    write_sample("seed004", units / "单位甲.xlsx")
    out_dir = tmp_path / "输出"
    out_dir.mkdir()
    expected = {"插入模板": ["project-模板.xlsx"], "计算得分": [], "校验": [], "清除标记": [],
                "生成报告": ["seed004-绩效自评报告.docx"], "汇总各单位": ["各单位-汇总表.xlsx"], "函数说明": []}
    if find_soffice():
        expected["导出PDF"] = ["seed004-绩效自评报告(2).docx", "seed004-绩效自评报告(2).pdf"]
    for button, files in expected.items():
        extra = ["--folder", str(units)] if button == "汇总各单位" else []
        assert main(["addin", "press", button, str(seed004), "--out-dir", str(out_dir), *extra]) == 0, button
        out = capsys.readouterr().out
        for name in files:
            assert f"写出文件：{out_dir / name}" in out, (button, out)
            assert (out_dir / name).stat().st_size > 0
        if not files:
            assert "写出文件" not in out, button
    assert seed004.read_bytes() == before
    assert main(["addin", "press", "汇总各单位", str(seed004)]) == 2
    assert "--folder" in capsys.readouterr().err
