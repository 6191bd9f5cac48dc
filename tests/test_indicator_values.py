"""Every case of tests/fixtures/indicator_values.json: real target/actual pairs from published
自评表 (the seed reports 001 and 004, and the public tables found with the search tool's "pages"
corpus — 池州 棠溪镇, 稷山, 永德, 金寨, 中江, 成安, 大英, 天长, 银川, 原州, 广水, 昌宁, 普陀, 萧县,
临翔, 零陵, 衡山, 重庆 and others; each is named with its address in the fixture's ``sources``, which
also says what the stored opening cut) plus the cases of issue #11 and the everyday written forms.
Expected kind, direction, parsed value and score were worked out by hand from the rules (each
case's ``why``; ``published`` is the score the table printed when it differs or for reference),
never printed by the code.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from udfs import default_profile
from udfs.evaluate import evaluate
from udfs.parse import parse_value

CASES = json.loads((Path(__file__).parent / "fixtures" / "indicator_values.json").read_text(encoding="utf-8"))["cases"]


def test_the_fixture_is_sourced_and_explained():
    sources = json.loads((Path(__file__).parent / "fixtures" / "indicator_values.json").read_text(encoding="utf-8"))["sources"]
    assert len(CASES) >= 300
    for c in CASES:
        assert c["source"] in sources and c["why"], c


@pytest.mark.parametrize("case", CASES, ids=[f"{i}-{c['target']}-{c['actual']}" for i, c in enumerate(CASES)])
def test_case(case):
    p = default_profile()
    t, a = parse_value(case["target"], p), parse_value(case["actual"], p)
    for key, want in case["parsed"].items():
        got = getattr(t, key)
        if isinstance(got, Decimal):
            assert got == Decimal(want), (key, got, want)
        else:
            assert got == want, (key, got, want)
    rate = Decimal(case["rate"]) if case.get("rate") else None
    out = evaluate(t, a, p, weight=Decimal(str(case["weight"])), band=case.get("chosen"), rate=rate,
                   level2=case.get("level2"), name=case.get("name"))
    assert out.status == case["status"], (out.status, out.message)
    if out.status in ("scored",) or case["status"] != "not-applicable":
        assert out.direction == case["direction"], out.direction
    if case["status"] in ("scored", "not-scorable", "unit-mismatch", "magnitude-mismatch"):
        assert out.kind == case["kind"], out.kind
    assert (str(out.score) if out.score is not None else None) == case["score"], out
    if "band" in case:
        assert out.band == case["band"]
    if "met" in case:
        assert out.met is case["met"]
    if "deviation" in case:
        assert out.deviation is not None and round(out.deviation, 4) == Decimal(case["deviation"])
    if out.status != "scored":
        assert out.message, "a case the rules cannot score says why"
