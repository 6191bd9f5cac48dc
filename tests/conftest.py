"""Shared test helpers."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

# xlwings' remote engine (Book(json=...)) is licensed PolyForm Noncommercial, which covers
# government institutions; tests that build books from payloads need the key set.
os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")

FIXTURES = Path(__file__).parent / "fixtures"


def load_fixture(name: str) -> dict:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def seed004() -> dict:
    return load_fixture("seed004_self_evaluation.json")


@pytest.fixture(scope="session")
def seed001() -> dict:
    return load_fixture("seed001_scorecard.json")


@pytest.fixture(scope="session")
def seed002() -> dict:
    return load_fixture("seed002_department.json")


@pytest.fixture(scope="session")
def seed003() -> dict:
    return load_fixture("seed003_weights.json")
