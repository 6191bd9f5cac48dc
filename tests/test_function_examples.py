"""Every example in the function registry (shown by ``jixiao functions``) is run: the examples are
documentation that cannot go stale. Expected values are the ones written in the examples."""

from __future__ import annotations

import ast
import re
from decimal import Decimal

import pytest

from udfs import FUNCTIONS, REGISTRY, InputError

EXAMPLES = [(s.name, e) for s in REGISTRY for e in s.examples]


def test_the_new_forms_have_examples():
    text = " ".join(e for _, e in EXAMPLES)
    for form in ("增长10%", "[95%", "±5%", "个工作日", "2021", "提高5个百分点", "效果不明显", "未发生安全事故", "1.2",
                 "下降5%", "12月底前", "按期完成", '">95%"', "═", '"/"', "无上访", '"是"', "#VALUE!"):
        assert form in text, form


@pytest.mark.parametrize("name, example", EXAMPLES)
def test_example(name, example):
    m = re.fullmatch(r"=(\w+)\((.*)\) → (.+)", example)
    assert m, example
    fn, args, want = m.group(1), ast.literal_eval(f"({m.group(2)},)"), m.group(3)
    if want.startswith("#VALUE!"):                       # the cell shows an error with the reason, not a guess
        reason = re.fullmatch(r"#VALUE!（(.+)）", want)
        assert reason, example
        with pytest.raises(InputError, match=reason.group(1)):
            FUNCTIONS[fn](*args)
        return
    got = FUNCTIONS[fn](*args)
    if want.startswith("（空"):                           # blank: not applicable
        assert got is None
        return
    if want.endswith("%"):
        assert f"{Decimal(got) * 100:.2f}%" == want
    elif re.fullmatch(r"-?\d+(\.\d+)?", want):
        assert Decimal(got) == Decimal(want)
    else:
        assert got == want
