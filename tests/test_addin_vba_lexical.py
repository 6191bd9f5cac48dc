"""The English build read the way VBA reads it on a Western Windows: every module's bytes decoded
in code page 1252 and checked against the lexical grammar of MS-VBAL §3.3 (identifiers §3.3.5:
in a non-East-Asian code page only Latin-identifier = letter *(letter / digit / "_"), optional
type suffix; string literals with doubled quotes; comments; numbers; operators; conditional
compilation directives).

A full grammar was tried: antlr4-vba 0.0.67 (PyPI, ANTLR's MS-VBAL-based vba.g4) rejects valid
``object.Method argument`` call statements — it reports them in the xlwings module exactly as
Excel saved it inside xlwings' own quickstart_addin.xlam — so it cannot tell our errors from its
own and is not used; this lexical check is the test.
"""

from __future__ import annotations

import re

import pytest

from addin.excel import xlam
from addin.excel.xlam_info import read_info

TOKEN = re.compile(r"""
    (?P<ws>[ \t]+)
  | (?P<continuation>(?<=[ \t])_[ \t]*$)
  | (?P<string>"(?:[^"]|"")*")
  | (?P<comment>'.*$)
  | (?P<rem>Rem\b.*$)
  | (?P<directive>\#(?:If|ElseIf|Else|End[ ]?If|Const)\b)
  | (?P<date>\#[0-9/:\- ]+(?:[AP]M)?\#)
  | (?P<number>&H[0-9A-F]+[&%^]?|&O[0-7]+[&%^]?|(?:\d+\.?\d*|\.\d+)(?:E[+-]?\d+)?[%&^!\#@]?)
  | (?P<ident>[A-Za-z][A-Za-z0-9_]*[%&^!\#@$]?)
  | (?P<foreign>\[[^\]\r\n]*\])
  | (?P<op>:=|<=|>=|<>|=<|=>|[-+*/\\^&=<>(),.:;!\#])
""", re.X | re.I)


def lexical_errors(text: str) -> list[tuple[int, int, str]]:
    """(line, column, text) of every place no MS-VBAL token starts."""
    errors = []
    for n, line in enumerate(text.replace("\r\n", "\n").split("\n"), 1):
        pos = 0
        while pos < len(line):
            m = TOKEN.match(line, pos)
            if not m or m.end() == pos:
                errors.append((n, pos, line[pos:pos + 12]))
                nxt = TOKEN.search(line, pos + 1)
                pos = nxt.start() if nxt else len(line)
                continue
            pos = m.end()
    return errors


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    d = tmp_path_factory.mktemp("locales")
    return {loc: xlam.build(d / f"jixiao-{loc}.xlam", locale=loc) for loc in ("zh", "en")}


def raw_modules(path) -> dict[str, bytes]:
    info = read_info(path)
    codec = f"cp{info.codepage}"
    return {name: src.encode(codec) for name, src in info.modules.items()}


def test_english_build_is_code_page_1252_without_the_chinese_module(builds):
    info = read_info(builds["en"])
    assert info.codepage == 1252
    assert "JixiaoFunctionsZH" not in info.modules
    assert {"JixiaoFunctionsEN", "JixiaoRibbon", "JixiaoSupport", "JixiaoRegister", "xlwings"} <= set(info.modules)
    register = info.modules["JixiaoRegister"]
    assert 'Category:="Jixiao"' in register and '"!JX_EXEC_RATE"' in register
    assert "预算执行率" not in "".join(info.modules.values())


def test_every_module_of_the_english_build_lexes_under_cp1252(builds):
    """Issue #14 (4): bytes decoded strictly as cp1252 (an undefined byte fails), then tokenised."""
    for name, raw in raw_modules(builds["en"]).items():
        text = raw.decode("cp1252")            # strict
        assert lexical_errors(text) == [], name


def test_the_check_sees_what_the_review_saw(builds):
    """The Chinese module of the zh build, read on a cp1252 system: its identifiers are not
    Latin-identifiers (the review counted 48 of 55 invalid) — the check must notice."""
    raw = raw_modules(builds["zh"])["JixiaoFunctionsZH"]
    errors = lexical_errors(raw.decode("cp1252", errors="replace"))
    assert len(errors) > 40
    assert lexical_errors(raw_modules(builds["zh"])["JixiaoFunctionsEN"].decode("cp1252")) == []


def test_english_build_keeps_the_ribbon_and_the_function_aliases(builds):
    import zipfile

    with zipfile.ZipFile(builds["en"]) as zf, zipfile.ZipFile(builds["zh"]) as zz:
        assert zf.read("customUI/customUI.xml") == zz.read("customUI/customUI.xml")
    en = read_info(builds["en"]).modules["JixiaoFunctionsEN"]
    assert "Public Function JX_ERROR_REASON(cell As Range)" in en
