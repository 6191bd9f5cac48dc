"""Issue #16 — the report as submitted and as reviewed: one source of 得分 per report, the title,
the signature block and 落款, the placeholders provincial outlines ask for, and the file's
properties. Numbers from the seed 004 fixture (tests/fixtures/seed004_self_evaluation.json)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal

from docx import Document

from addin.cli import main
from addin.report import build_report
from workbook_templates.samples import write_sample

from .test_report_docx import all_text, seed004_evaluation, table_with_header


def _doc(ev, tmp_path, name="r.docx", **kw):
    return Document(str(build_report(ev, tmp_path / name, chart=False, **kw)))


def test_title_of_a_project_named_xiangmu_has_one_xiangmu(tmp_path):
    ev = seed004_evaluation(unit="某县交通运输局")
    ev.project.name = "农村公路安全生命防护工程建设项目"
    doc = _doc(ev, tmp_path, findings=[])
    title = [p.text for p in doc.paragraphs if p.style.name == "Title"]
    assert title == ["某县交通运输局2021年度农村公路安全生命防护工程建设项目支出绩效自评报告"]
    assert any(p.text == "农村公路安全生命防护工程建设项目支出绩效自评表（2021年度）" for p in doc.paragraphs)
    assert "项目项目" not in all_text(doc)


def test_a_blank_score_makes_every_score_the_rules_never_a_mix(tmp_path):
    """One 得分 left blank (a formula not copied down): before, 表1's rows summed to the rules'
    scores while its 合计 was the stated 总分. Now every 得分 in 表1 and 附表1 is the core's, and the
    tables say so; the rows add up to the 合计."""
    ev = seed004_evaluation()
    ev.total_score = Decimal("89.51")                  # stated: 社会满意度's 10 missing from the sum
    ev.indicators[-1].score = None                      # 社会满意度 得分 blank
    doc = _doc(ev, tmp_path, findings=[])
    t1 = table_with_header(doc, "指标")
    assert t1.rows[0].cells[2].text == "得分（按规则计算）"
    rows = [[c.text for c in r.cells] for r in t1.rows[1:]]
    assert rows[-1][:3] == ["合计", "100", "99.51"]     # the seed's rule total (fixture expected)
    assert sum(Decimal(r[2]) for r in rows[:-1]) == Decimal("99.51")
    appendix = table_with_header(doc, "一级指标")
    assert appendix.rows[-1].cells[7].text == "99.51"
    text = all_text(doc)
    assert "注：表中得分均按" in text and "89.51" not in text
    assert "本项目自评得分99.51分" in text
    review = all_text(_doc(ev, tmp_path, "review.docx", findings=[], review=True))
    assert "自评表填报的总分为89.51分，与按规则计算的得分相差10.00分" in review   # the reviewer sees both


def test_fully_stated_scores_are_the_units_and_labelled_so(tmp_path):
    doc = _doc(seed004_evaluation(), tmp_path, findings=[])
    t1 = table_with_header(doc, "指标")
    assert t1.rows[0].cells[2].text == "自评得分"
    assert "注：表中得分为自评表填报的得分。" in all_text(doc)


def test_workbook_written_by_fill_is_computed_by_the_core(tmp_path):
    """`jixiao fill` writes formulas without cached values: the report does not claim the 总分 is
    missing (the template has its formula) but says the formulas were not calculated."""
    src = tmp_path / "filled.xlsx"
    assert main(["fill", "project", "--from", str(write_sample("seed004", tmp_path / "s.xlsx")),
                 "-o", str(src)]) in (0, 1)
    out = tmp_path / "r.docx"
    assert main(["report", str(src), "-o", str(out), "--no-chart"]) == 0
    text = all_text(Document(str(out)))
    assert "未填写总分" not in text
    assert "自评表中的公式尚未计算" in text and "本项目自评得分99.51分" in text


def test_signature_block_and_keep_with_previous(tmp_path):
    doc = _doc(seed004_evaluation(unit="某县医疗保障事务中心"), tmp_path, findings=[])
    paras = doc.paragraphs
    i = next(k for k, p in enumerate(paras) if p.style.name == "签字栏")
    assert paras[i].text.replace("　", "") == "单位负责人：财务负责人：填表人："
    unit = next(k for k in range(i) if paras[k].style.name == "落款" and paras[k].text == "某县医疗保障事务中心")
    # the paragraph before the 落款 and every 落款 line keep with the next: the block never ends alone
    first = next(k for k in range(unit, -1, -1) if paras[k].style.name != "落款")
    assert paras[first].text.startswith("【请填写：下一步改进措施和建议】")
    for p in paras[first:i]:
        assert p.paragraph_format.keep_with_next, p.text


def test_sections_provincial_outlines_ask_for_are_placeholders(tmp_path):
    doc = _doc(seed004_evaluation(), tmp_path, findings=[])
    paras = [p.text for p in doc.paragraphs]
    for heading, what in (("（三）项目资金管理情况", "项目资金管理情况"), ("（四）项目组织实施情况", "项目组织实施情况"),
                          ("二、自评工作开展情况", "自评工作开展情况")):
        assert paras[paras.index(heading) + 1].startswith(f"【请填写：{what}")


def test_core_properties_are_todays_and_ours(tmp_path):
    from importlib.metadata import version

    doc = _doc(seed004_evaluation(), tmp_path, findings=[])
    cp = doc.core_properties
    now = datetime.now(timezone.utc)
    assert abs(cp.created - now) < timedelta(minutes=5) and abs(cp.modified - now) < timedelta(minutes=5)
    assert cp.author == f"jixiao {version('jixiao')}" and cp.comments == ""
    assert cp.created.year != 2013 and cp.last_printed is None


def test_review_copy_lists_findings_in_chinese_submission_does_not(tmp_path):
    src = write_sample("seed004", tmp_path / "s.xlsx")
    for args, present in (([], False), (["--review"], True)):
        out = tmp_path / f"r{len(args)}.docx"
        assert main(["report", str(src), "-o", str(out), "--no-chart", *args]) == 0
        doc = Document(str(out))
        assert any(p.text == "附表2" for p in doc.paragraphs) is present
        text = all_text(doc)
        assert "unit-mismatch" not in text and "!E5" not in text
        if present:
            t = table_with_header(doc, "级别")
            assert [c.text for c in t.rows[0].cells] == ["级别", "位置", "问题", "说明"]
            assert t.rows[1].cells[1].text == "项目支出绩效自评表第5行 年度指标值"


def test_ribbon_offers_both_reports_and_press_runs_them(tmp_path, capsys):
    """The 绩效自评 tab has 生成报告 (submission) and 审核用报告 (review); `addin press` runs both on a
    file headless, writing the report beside it without touching the workbook."""
    import zipfile

    from addin.excel.xlam import build

    xlam = build(tmp_path / "jixiao.xlam")
    with zipfile.ZipFile(xlam) as z:
        ui = next(z.read(n).decode("utf-8") for n in z.namelist() if n.endswith("customUI.xml")
                  or n.endswith("customUI14.xml"))
    assert 'label="生成报告"' in ui and 'label="审核用报告"' in ui and 'onAction="Jx_ReviewReport"' in ui
    src = write_sample("seed004", tmp_path / "单位.xlsx")
    before = src.read_bytes()
    for button, name in (("生成报告", "单位-绩效自评报告.docx"), ("审核用报告", "单位-绩效自评报告（审核用）.docx")):
        assert main(["addin", "press", button, str(src)]) == 0
        assert f"已生成：{tmp_path / name}" in capsys.readouterr().out
        doc = Document(str(tmp_path / name))
        assert any(p.text == "附表2" for p in doc.paragraphs) is (button == "审核用报告")
    assert src.read_bytes() == before
