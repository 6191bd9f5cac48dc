"""A chart never blocks a report: without any CJK font the report is written without the chart
(and says so); with a stale matplotlib font cache — built before the CJK fonts were installed,
as on a machine where `make demo` ran first and fonts-noto-cjk came later — the list is refreshed
once and the chart is drawn."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from docx import Document

from workbook_templates.samples import write_sample

HAS_CJK = subprocess.run([sys.executable, "-c", "from addin.report.charts import listed_cjk_font as f;"
                          "import sys; sys.exit(0 if f() else 1)"], capture_output=True).returncode == 0


def test_no_cjk_font_report_without_chart(tmp_path, monkeypatch, capsys):
    """matplotlib's font list emptied and the system scan finding nothing: report, no chart, a notice."""
    from matplotlib import font_manager

    from addin.cli import main
    from addin.report import charts

    monkeypatch.setattr(font_manager.fontManager, "ttflist", [])
    monkeypatch.setattr(font_manager, "findSystemFonts", lambda *a, **k: [])
    monkeypatch.setattr(charts, "_refreshed", False)
    sample = write_sample("seed004", tmp_path / "s.xlsx")
    assert main(["report", str(sample), "-o", str(tmp_path / "r.docx")]) == 0
    err = capsys.readouterr().err
    assert "未找到可显示中文的字体" in err and "未插入图表" in err
    doc = Document(str(tmp_path / "r.docx"))
    assert len(doc.inline_shapes) == 0
    assert any("预算执行" in p.text for p in doc.paragraphs)      # the report itself is all there


@pytest.mark.skipif(not HAS_CJK, reason="no CJK font installed on this machine")
def test_stale_font_cache_is_refreshed(tmp_path):
    """A cache listing no CJK font (MPLCONFIGDIR holds it): `jixiao report` still draws the chart,
    and rewrites the cache so that it lists the CJK font."""
    env = {**os.environ, "MPLCONFIGDIR": str(tmp_path / "mpl")}
    stale = ("from matplotlib import font_manager as fm; import matplotlib, pathlib\n"
             "from addin.report.charts import CJK_FONT_PREFERENCE as names\n"
             "m = fm.fontManager\n"
             "m.ttflist = [f for f in m.ttflist if f.name not in names\n"
             "             and not any(k in f.name for k in ('CJK', 'Hei', 'Song', 'Kai', 'Ming'))]\n"
             "p = pathlib.Path(matplotlib.get_cachedir()) / f'fontlist-v{fm.FontManager.__version__}.json'\n"
             "fm.json_dump(m, p); print(p)\n")
    cache = Path(subprocess.run([sys.executable, "-c", stale], env=env, capture_output=True, text=True,
                                check=True).stdout.strip())
    assert "CJK" not in cache.read_text("utf-8") and "Droid Sans Fallback" not in cache.read_text("utf-8")
    sample = write_sample("seed004", tmp_path / "s.xlsx")
    proc = subprocess.run([sys.executable, "-m", "addin", "report", str(sample), "-o", str(tmp_path / "r.docx")],
                          env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "未插入图表" not in proc.stderr
    assert len(Document(str(tmp_path / "r.docx")).inline_shapes) == 1
    names = {f["name"] for f in json.loads(cache.read_text("utf-8"))["ttflist"]}
    assert any("CJK" in n or "Hei" in n for n in names)


def test_demo_runs_without_cjk_fonts(tmp_path, monkeypatch, capsys):
    """`make demo` on a machine without fonts-noto-cjk: every step succeeds, the reports without charts."""
    from matplotlib import font_manager

    from addin.cli import main
    from addin.report import charts

    monkeypatch.setattr(font_manager.fontManager, "ttflist", [])
    monkeypatch.setattr(font_manager, "findSystemFonts", lambda *a, **k: [])
    monkeypatch.setattr(charts, "_refreshed", False)
    assert main(["demo", "-o", str(tmp_path / "demo"), "--units", "3"]) == 0
    assert "未插入图表" in capsys.readouterr().err
    assert len(Document(str(tmp_path / "demo" / "sample-seed004-report.docx")).inline_shapes) == 0
