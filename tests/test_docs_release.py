"""The documents match the product: the JSON shape in docs/ fills a template that scores as the
rules say, no document points to a file the repository does not have, requires-python is what the
docs and `jixiao doctor` say, LICENSE/CHANGELOG exist and the version is one."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from addin.cli import main

tomllib = pytest.importorskip("tomllib")          # Python 3.11+; 3.10 reads no TOML here

ROOT = Path(__file__).resolve().parent.parent
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]


def test_json_format_example_fills_and_scores_by_the_rules(tmp_path, capsys):
    """docs/json-format.md's example → `fill project` → `score`: 预算执行率 10 × 1521.57 ÷ 1600 =
    9.5098 → 9.51; 18.74万人 ≥ 18万人 → 20; 812 ≤ 830元/人 → 30; 达成年度指标 (top band) → 30;
    93.5% ≥ 90% → 10; total 99.51 (财预〔2020〕10号 rules, computed by hand)."""
    text = (ROOT / "docs" / "json-format.md").read_text("utf-8")
    example = json.loads(re.search(r"```json\n(.*?)\n```", text, re.S).group(1))
    (tmp_path / "d.json").write_text(json.dumps(example, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "f.xlsx"
    assert main(["fill", "project", "--data", str(tmp_path / "d.json"), "-o", str(out)]) == 0
    capsys.readouterr()
    assert main(["score", str(out), "--json"]) == 0
    scored = json.loads(capsys.readouterr().out)
    assert scored["budget"]["rule_score"] == pytest.approx(9.51)
    assert [i["rule_score"] for i in scored["indicators"]] == [20, 30, 30, 10]
    assert scored["rule_total_score"] == pytest.approx(99.51)
    assert scored["project"]["unit"] == example["project"]["unit"]


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_docs_point_only_to_files_the_repository_has(doc):
    text = doc.read_text("utf-8")
    assert "DESIGN.md" not in text
    for target in re.findall(r"\]\(([^)#]+)\)", text):
        if "://" in target:
            continue
        assert (doc.parent / target).exists(), f"{doc.name} → {target}"


def test_help_points_to_the_json_doc_not_design(capsys):
    for cmd in (["fill", "--help"], ["read", "--help"], ["score", "--help"]):
        with pytest.raises(SystemExit):
            main(cmd)
        out = capsys.readouterr().out
        assert "DESIGN.md" not in out
        assert "docs/json-format.md" in out
        assert (ROOT / "docs" / "json-format.md").exists()


def test_requires_python_agrees_with_docs_and_doctor():
    from addin.doctor import python_min

    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    low = re.fullmatch(r">=(\d+)\.(\d+)", project["requires-python"]).groups()
    assert python_min() == tuple(map(int, low))
    version = ".".join(low)
    assert f"Python ≥ {version}" in (ROOT / "README.md").read_text("utf-8")
    assert f"Python ≥ {version}" in (ROOT / "docs" / "windows-install.md").read_text("utf-8")
    assert f'target-version = "py{"".join(low)}"' in (ROOT / "pyproject.toml").read_text("utf-8")


def test_license_changelog_and_one_version():
    from importlib.metadata import metadata

    from workbook_templates.version import version

    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    assert project["license"] == "MIT" and project["license-files"] == ["LICENSE"]
    assert (ROOT / "LICENSE").read_text("utf-8").startswith("MIT License")
    assert f"## [{project['version']}]" in (ROOT / "CHANGELOG.md").read_text("utf-8")
    assert version() == project["version"] == metadata("jixiao")["Version"]


def test_version_without_installed_metadata(monkeypatch):
    """Running from a source folder never installed: the version comes from pyproject.toml."""
    from importlib import metadata

    from workbook_templates import version as v

    def missing(name):
        raise metadata.PackageNotFoundError(name)

    monkeypatch.setattr(v.metadata, "version", missing)
    v.version.cache_clear()
    try:
        assert v.version() == tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]["version"]
    finally:
        v.version.cache_clear()
