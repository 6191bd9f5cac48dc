"""More worksheet-function rules pinned for the mutation run on udfs/ (issue #18, second pass).

Each expected value is worked out by hand from the rules of 财预〔2020〕10号 as DESIGN.md states them
and the default profile's documented bands, or from the seeds — never printed by the code. Functions
are called by their Chinese worksheet names, as a user types them.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from udfs import FUNCTIONS as F
from udfs import InputError

D = Decimal


# --- 完成率 needs numbers on both sides -----------------------------------------------------------

@pytest.mark.parametrize("target", ["2024年12月31日前", "2024年12月31日", "效果明显"])
def test_a_date_or_qualitative_target_has_no_completion_rate(target):
    """完成率 = 实际值 ÷ 目标值: a 时效 or 定性 target is not a number — the message says so and
    points to 定性得分 (not the evaluator's message for an unscored row)."""
    with pytest.raises(InputError, match="不是数值"):
        F["完成率"]("2024年11月20日" if "年" in target else "效果明显", target)
