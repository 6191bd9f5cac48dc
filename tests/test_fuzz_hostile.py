"""A property-based fuzzer (hypothesis, seeded and bounded: ``derandomize``, a few dozen examples)
over cell values and over zip members of a real unit workbook (seed 004's layout): whatever a cell
holds or however a part is damaged, ``read`` and ``validate`` end with 0/1/2 and a Chinese message,
never "意外问题" or a traceback, and never change the input."""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import MergedCell

from addin.cli import main
from workbook_templates.grid import clean_text
from workbook_templates.samples import write_sample

FUZZ = settings(max_examples=40, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> Path:
    return write_sample("seed004", tmp_path_factory.mktemp("fuzz") / "base.xlsx")


def run(capsys, *argv: str) -> tuple[int, str]:
    rc = main(list(argv))
    out = capsys.readouterr()
    return rc, out.out + out.err


def check(capsys, path: Path) -> None:
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    for argv in (["read", str(path), "--json"], ["validate", str(path), "--json"], ["read", str(path)]):
        rc, text = run(capsys, *argv)
        assert rc in (0, 1, 2), (argv, rc, text[-300:])
        assert "意外问题" not in text and "Traceback" not in text, (argv, text[-300:])
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before


values = st.one_of(
    st.none(),
    st.integers(min_value=-10**30, max_value=10**30),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=60),
    st.sampled_from(["≥95%", "≤830元/人", "18.74万人", "[95%,100%]", "增长10%", "=1/0", "-5", "+3", "@x",
                     "[/b]", "１００％", "95%%", "达成年度指标", "1e400", "NaN", "#REF!", "\u202e反向", "万元"]),
)


@FUZZ
@given(cells=st.lists(st.tuples(st.integers(0, 24), st.integers(0, 9), values), min_size=1, max_size=6))
def test_any_cell_values(base, tmp_path, capsys, cells):
    wb = openpyxl.load_workbook(base)
    ws = wb.worksheets[-1]                        # the 自评表 sheet
    for r, c, v in cells:
        cell = ws.cell(row=r + 1, column=c + 1)
        if not isinstance(cell, MergedCell):      # a user types into a merged range's first cell only
            cell.value = clean_text(v) if isinstance(v, str) else v
    path = tmp_path / "fuzz.xlsx"
    wb.save(path)
    check(capsys, path)


@FUZZ
@given(data=st.data())
def test_any_damaged_zip_member(base, tmp_path, capsys, data):
    with zipfile.ZipFile(base) as zf:
        parts = {i.filename: zf.read(i) for i in zf.infolist()}
    name = data.draw(st.sampled_from(sorted(parts)), label="member")
    how = data.draw(st.sampled_from(["truncate", "flip", "random", "drop", "insert"]), label="how")
    raw = parts[name]
    if how == "truncate":
        parts[name] = raw[: data.draw(st.integers(0, max(0, len(raw) - 1)))]
    elif how == "flip":
        b = bytearray(raw)
        for pos in data.draw(st.lists(st.integers(0, max(0, len(b) - 1)), min_size=1, max_size=8)):
            if b:
                b[pos] ^= data.draw(st.integers(1, 255))
        parts[name] = bytes(b)
    elif how == "random":
        parts[name] = data.draw(st.binary(max_size=2000))
    elif how == "drop":
        del parts[name]
    else:
        pos = data.draw(st.integers(0, len(raw)))
        parts[name] = raw[:pos] + data.draw(st.sampled_from([b"<", b"&", b"\x00", b"<x:y>", b"</c>", b'"'])) + raw[pos:]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for n, d in parts.items():
            zf.writestr(n, d)
    path = tmp_path / "fuzz.xlsx"
    path.write_bytes(buf.getvalue())
    check(capsys, path)
