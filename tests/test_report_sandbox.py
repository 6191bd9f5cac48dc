"""Report templates are untrusted input (issue #10 item 1): a .docx template travels between units,
so ``report --template`` renders it sandboxed and bounded, and a template's own runtime error is a
Chinese message naming the template file and the expression. The payloads are the issue's."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest
from docx import Document

from addin.cli import main
from workbook_templates.samples import write_sample

ROOT = Path(__file__).resolve().parents[1]


def template(tmp_path: Path, *paragraphs: str) -> Path:
    """A unit's report template as Word saves it (python-docx), holding the given paragraphs."""
    doc = Document()
    doc.add_paragraph("{{ project_name }}绩效自评报告")
    for p in paragraphs:
        doc.add_paragraph(p)
    path = tmp_path / "t.docx"
    doc.save(str(path))
    return path


def run_report(tmp_path: Path, tpl: Path, capsys) -> tuple[int, str, Path]:
    src = write_sample("seed004", tmp_path / "s.xlsx")
    out = tmp_path / "r.docx"
    rc = main(["report", str(src), "-o", str(out), "--template", str(tpl), "--no-chart"])
    return rc, capsys.readouterr().err, out


def test_template_cannot_run_a_shell_command(tmp_path, capsys):
    marker = tmp_path / "pwned"
    tpl = template(tmp_path, "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
                   f"{{{{ cycler.__init__.__globals__.os.popen('touch {marker}').read() }}}}")
    rc, err, out = run_report(tmp_path, tpl, capsys)
    assert rc == 2 and not marker.exists() and not out.exists()
    assert "t.docx" in err and "不允许" in err and "cycler.__init__" in err
    assert "意外问题" not in err and "Traceback" not in err


@pytest.mark.parametrize("payload", [
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ self._TemplateReference__context.cycler.__init__.__globals__.os }}",
    "{{ budget.__class__.__init__.__globals__ }}",
])
def test_template_cannot_reach_python_internals(tmp_path, capsys, payload):
    rc, err, out = run_report(tmp_path, template(tmp_path, payload), capsys)
    assert rc == 2 and "不允许" in err and not out.exists()


def test_template_division_by_zero_names_template_and_expression(tmp_path, capsys):
    rc, err, _ = run_report(tmp_path, template(tmp_path, "执行率：{{ 1/0 }}"), capsys)
    assert rc == 2 and "t.docx" in err and "{{ 1/0 }}" in err and "除数为零" in err
    assert "意外问题" not in err


def test_template_undefined_attribute(tmp_path, capsys):
    rc, err, _ = run_report(tmp_path, template(tmp_path, "{{ nosuch.name }}"), capsys)
    assert rc == 2 and "{{ nosuch.name }}" in err and "不存在的变量" in err


@pytest.mark.parametrize("payload", [
    "{{ 'x' * 10**8 }}",
    "{{ ('x' * 100000) | replace('x', 'x' * 100000) }}",
    "{{ 'x' | center(100000000) }}",
    "{{ '%99999999d' | format(1) }}",
    "{{ '{:>99999999}'.format(1) }}",
    "{% set ns = namespace(s='x') %}{% for i in range(40) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s }}",
    "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
    "{{ 7 ** 99999999 }}",
])
def test_template_output_is_bounded(tmp_path, capsys, payload):
    """Each of these asks for ≥ 100 MB or ≥ 10¹⁰ steps; refused before the work, with a reason."""
    rc, err, out = run_report(tmp_path, template(tmp_path, payload), capsys)
    assert rc == 2 and "超出限制" in err and not out.exists()


def test_issue_payload_gigabyte_string_under_a_memory_cap(tmp_path):
    """The issue's exact payload (4.8 GB before): under a 1 GB address-space cap it is refused with
    the Chinese reason, not a MemoryError."""
    tpl = template(tmp_path, "{{'x'*10**9}}")
    src = write_sample("seed004", tmp_path / "s.xlsx")

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))

    proc = subprocess.run([sys.executable, "-m", "addin", "report", str(src), "-o", str(tmp_path / "r.docx"),
                           "--template", str(tpl), "--no-chart"], capture_output=True, text=True,
                          preexec_fn=cap, cwd=ROOT, timeout=120, env=os.environ | {"PYTHONPATH": str(ROOT)})
    assert proc.returncode == 2, proc.stderr
    assert "超出限制" in proc.stderr and "意外问题" not in proc.stderr


def test_ordinary_template_features_still_work(tmp_path, capsys):
    tpl = template(tmp_path, "{% for g in indicator_groups %}{{ loop.index }}.{{ g.level1 }} {% endfor %}",
                   "{{ '%.2f' % 3.14159 }} {{ '{:,}'.format(1234567) }} {{ [1, 2] | join('、') }}")
    rc, err, out = run_report(tmp_path, tpl, capsys)
    assert rc == 0, err
    text = "\n".join(p.text for p in Document(str(out)).paragraphs)
    assert "3.14 1,234,567 1、2" in text and "1." in text
