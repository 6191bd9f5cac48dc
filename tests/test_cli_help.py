"""The command line speaks Chinese: argparse's frame, every subcommand's description and example,
argparse's error messages, and ``jixiao --version``."""

from __future__ import annotations

import argparse
import re

import pytest

from addin.cli import build_parser, main

ENGLISH_FRAME = ["usage:", "options:", "positional arguments", "show this help message and exit",
                 "the following arguments are required", "error:", "invalid choice"]


def _walk(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()):
    yield path, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from _walk(sub, (*path, name))


COMMANDS = [path for path, _ in _walk(build_parser())]


def test_every_command_is_walked():
    names = {p[0] for p in COMMANDS if p}
    assert {"template", "fill", "read", "score", "validate", "report", "consolidate", "addin",
            "functions", "demo", "doctor"} <= names
    assert ("addin", "build") in COMMANDS and ("addin", "press") in COMMANDS


@pytest.mark.parametrize("path", COMMANDS, ids=lambda p: " ".join(p) or "jixiao")
def test_help_is_chinese_with_description_and_example(path, capsys):
    with pytest.raises(SystemExit) as exc:
        main([*path, "--help"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    for english in ENGLISH_FRAME:
        assert english not in out, f"jixiao {' '.join(path)} --help: {english!r}"
    assert out.startswith("用法：jixiao")
    assert "显示本帮助并退出" in out
    assert "选项：" in out
    lines = out.splitlines()
    description = lines[lines.index("") + 1] if "" in lines else ""
    assert re.search(r"[\u4e00-\u9fff]", description), f"no Chinese description: {description!r}"
    assert "例：" in out, "no example"
    example = lines[lines.index("例：") + 1].strip()
    assert example.startswith("jixiao " + " ".join(path)), example


def test_parser_errors_are_chinese(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["score"])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert "jixiao score：错误：缺少必需的参数：file" in err
    assert "用法：" in err
    with pytest.raises(SystemExit):
        main(["read", "x.xlsx", "--engine", "excel"])
    err = capsys.readouterr().err
    assert "参数 --engine：无效的选项值：'excel'" in err
    with pytest.raises(SystemExit):
        main(["functions", "--no-such-flag"])
    assert "无法识别的参数：--no-such-flag" in capsys.readouterr().err


def test_argparse_is_left_as_it_was():
    """Other programs in the process (pytest itself) keep English argparse."""
    parser = argparse.ArgumentParser(prog="other")
    assert "show this help message and exit" in parser.format_help()


def test_version(capsys):
    from importlib.metadata import version

    with pytest.raises(SystemExit) as exc:
        main(["--version"])
    assert exc.value.code == 0
    assert capsys.readouterr().out.strip() == f"jixiao {version('jixiao')}"


def test_fill_help_documents_the_data_shape(capsys, tmp_path):
    """The JSON shown in `fill --help` is a working input: filling it gives a template whose rule
    total is the seed-004 table's (预算执行率 1521.57/1600 → 9.51; the indicators all met)."""
    import json

    with pytest.raises(SystemExit):
        main(["fill", "--help"])
    out = capsys.readouterr().out
    start, end = out.index("  {\n"), out.index("\n  }\n") + 4
    data = json.loads(out[start:end])
    assert set(data) == {"project", "budget", "indicators"}
    target = tmp_path / "f.xlsx"
    (tmp_path / "d.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert main(["fill", "project", "--data", str(tmp_path / "d.json"), "-o", str(target)]) == 0
    assert main(["score", str(target), "--json"]) == 1      # an example: its 分值 add to 60, not 100
    scored = json.loads(capsys.readouterr().out.split("\n", 1)[1])
    assert scored["budget"]["rule_score"] == pytest.approx(9.51)
    assert scored["rule_total_score"] == pytest.approx(9.51 + 20 + 30)
