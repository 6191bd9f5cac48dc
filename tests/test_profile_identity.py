"""A profile is its content, not its name (issue #17): an embedded profile that reuses a shipped
id (``cz2020-10``) with other bands is another profile — it must not share the parse caches
keyed by a profile (``udfs.qualitative._official``, ``udfs.parse.units_of``) with the shipped one.

The modified profile is made up for the test: the 达成 band also accepts the wording “甲档”
(the shipped rules do not know it) and 部分达成 gives 60 % by default instead of 70 %."""

from __future__ import annotations

import copy
import json

import openpyxl

from addin.cli import main
from udfs import Profile, load_profile
from workbook_templates.fill import fill_template

UNIT = {"project": {"name": "农村公路养护", "unit": "某县交通运输局", "year": 2025},
        "budget": {"initial": 100, "adjusted": 100, "executed": 100},
        "indicators": [
            {"level1": "产出指标", "level2": "质量指标", "name": "养护质量", "target": "效果明显", "actual": "达成",
             "weight": 50},
            {"level1": "效益指标", "level2": "社会效益指标", "name": "群众出行", "target": "效果明显",
             "actual": "部分达成", "weight": 40}]}


def modified_cz2020() -> Profile:
    shipped = load_profile("cz2020-10")
    data = copy.deepcopy(shipped.data)
    for band in data["qualitative_bands"]:
        if band["band"] == "达成":
            band["aliases"] = [*band.get("aliases", []), "甲档"]
        if band["band"] == "部分达成":
            band["default"] = 0.6
    return Profile(shipped.id, shipped.title, data)


def test_equal_only_when_the_content_is():
    shipped, modified = load_profile("cz2020-10"), modified_cz2020()
    assert (modified.id, modified.title) == (shipped.id, shipped.title)
    assert modified != shipped and hash(modified) != hash(shipped)
    assert Profile(shipped.id, shipped.title, copy.deepcopy(shipped.data)) == shipped
    assert len({shipped, modified, load_profile("cz2020-10")}) == 2


def score_json(capsys, *argv: str) -> dict:
    capsys.readouterr()
    assert main(["score", *argv, "--json"]) in (0, 1)
    return json.loads(capsys.readouterr().out)


def test_a_workbook_embedding_a_modified_cz2020_10_is_scored_by_its_own_bands(tmp_path, capsys):
    """The shipped profile scores first (filling the caches), then the workbook carrying the
    modified one: “经验收评定为甲档” names its 达成 band (50 × 100 %) and 部分达成 gives 40 × 60 % — the shipped rules
    leave 甲档 unscored and give 部分达成 40 × 70 % = 28."""
    shipped_book = fill_template("project", UNIT, tmp_path / "shipped.xlsx", profile="cz2020-10")
    own_book = fill_template("project", UNIT, tmp_path / "own.xlsx", profile=modified_cz2020())
    for book in (shipped_book, own_book):         # the unit types its own wording (fill refuses it)
        wb = openpyxl.load_workbook(book)
        ws = wb["项目支出绩效自评表"]
        assert ws["C12"].value == "养护质量"
        ws["H12"], ws["I12"] = "经验收评定为甲档", None          # its words in 实际完成值, no 定性档次 chosen
        wb.save(book)
    shipped = {i["name"]: i for i in score_json(capsys, str(shipped_book))["indicators"]}
    assert shipped["养护质量"]["rule_score"] is None and shipped["群众出行"]["rule_score"] == 28
    data = score_json(capsys, str(own_book))
    assert data["profile"]["id"] == "cz2020-10" and data["profile"]["source"] == "template"
    own = {i["name"]: i for i in data["indicators"]}
    assert own["养护质量"]["rule_score"] == 50
    assert own["群众出行"]["rule_score"] == 24
    # and the shipped workbook again, after the modified one: still the shipped rules
    again = {i["name"]: i for i in score_json(capsys, str(shipped_book))["indicators"]}
    assert again["养护质量"]["rule_score"] is None and again["群众出行"]["rule_score"] == 28
