"""Files jixiao writes name the jixiao version: a template's _meta sheet and properties, the
汇总表's properties, an annotated copy's last-modified-by (the user's own author is kept)."""

from __future__ import annotations

from importlib.metadata import version

from openpyxl import Workbook, load_workbook

from addin.cli import main
from workbook_templates.samples import write_corpus, write_sample

GENERATOR = f"jixiao {version('jixiao')}"


def _custom(wb) -> dict:
    return {p.name: p.value for p in wb.custom_doc_props.props}


def test_template_meta_and_properties(tmp_path):
    out = tmp_path / "t.xlsx"
    assert main(["template", "project", "-o", str(out)]) == 0
    wb = load_workbook(out)
    meta = {r[0].value: r[1].value for r in wb["_meta"].iter_rows(max_col=2) if r[0].value}
    assert meta["generator"] == GENERATOR and meta["template_id"] == "project"
    assert wb.properties.creator == GENERATOR
    assert _custom(wb)["jixiao_version"] == version("jixiao")


def test_summary_properties(tmp_path):
    write_corpus(tmp_path / "units", 3, seed=1)
    out = tmp_path / "汇总表.xlsx"
    assert main(["consolidate", str(tmp_path / "units"), "-o", str(out), "--jobs", "0", "-q"]) == 0
    wb = load_workbook(out)
    assert wb.properties.creator == wb.properties.lastModifiedBy == GENERATOR
    assert _custom(wb)["jixiao_version"] == version("jixiao")


def test_annotated_copy_keeps_the_users_author(tmp_path):
    src = write_sample("seed004", tmp_path / "s.xlsx")
    wb = load_workbook(src)
    wb.properties.creator = "张会计"
    wb.save(src)
    out = tmp_path / "a.xlsx"
    assert main(["validate", str(src), "-o", str(out)]) in (0, 1)
    copy = load_workbook(out)
    assert copy.properties.creator == "张会计"
    assert copy.properties.lastModifiedBy == GENERATOR
    assert _custom(copy)["jixiao_version"] == version("jixiao")


def test_stamp_replaces_an_older_version():
    from workbook_templates.version import stamp_workbook

    wb = Workbook()
    stamp_workbook(wb)
    stamp_workbook(wb)
    assert [p.name for p in wb.custom_doc_props.props] == ["jixiao_version"]
