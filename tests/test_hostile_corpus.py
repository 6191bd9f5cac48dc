"""The hostile corpus (issue #10, "how to make it stay fixed"): every subcommand over every file of
``tests/hostile/corpus.py`` (mutated zips, mutated XML, mutated values, odd names), each run in a
forked child with a time limit and an address-space cap (``tests/hostile/run.py``). Fails on any
"意外问题" or traceback, any signal death, any run over the time or memory bound, any exit code
other than 0/1/2, and any input whose bytes changed. The summary is printed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.hostile.corpus import XML_MUTATIONS, write_corpus

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    dest = tmp_path_factory.mktemp("hostile")
    write_corpus(dest)
    return dest


def test_every_mutation_changed_its_part(corpus):
    """A mutation whose pattern matched nothing would test the base file again, silently."""
    import zipfile

    base = {}
    with zipfile.ZipFile(corpus / "基准-seed004.xlsx") as zf:
        base["seed004"] = {i.filename: zf.read(i) for i in zf.infolist()}
    with zipfile.ZipFile(corpus / "基准-模板.xlsx") as zf:
        base["模板"] = {i.filename: zf.read(i) for i in zf.infolist()}
    for name in XML_MUTATIONS:
        with zipfile.ZipFile(corpus / f"{name}.xlsx") as zf:
            parts = {i.filename: zf.read(i) for i in zf.infolist()}
        assert parts != base["模板" if name.startswith("名称") else "seed004"], name


@pytest.mark.skipif(not hasattr(os, "fork"), reason="the driver forks a child per run (POSIX)")
def test_every_subcommand_over_the_hostile_corpus(corpus):
    p = subprocess.run([sys.executable, "-m", "tests.hostile.run", str(corpus), "--json", "--jobs", "2"],
                       capture_output=True, text=True, cwd=ROOT, timeout=1800,
                       env=os.environ | {"PYTHONPATH": str(ROOT)})
    summary = json.loads(p.stdout)
    print("\nhostile corpus:", {k: v for k, v in summary.items() if k not in ("problems", "changed")})
    assert summary["files"] >= 50 and summary["runs"] >= 400
    assert summary["problems"] == [] and summary["changed"] == [], json.dumps(summary, ensure_ascii=False, indent=1)
    assert summary["unexpected"] == summary["signal_deaths"] == summary["inputs_modified"] == 0
    assert p.returncode == 0
