"""The jixiao version — one source: the installed distribution's metadata (``pyproject.toml``).

``importlib.metadata`` answers for an installed (or editable) jixiao; running from a source
folder that was never installed, the version is read from the ``pyproject.toml`` beside it.
Used by ``jixiao --version``, ``jixiao doctor``, the bundle name (``make dist``) and the
properties of the files jixiao writes.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import metadata
from pathlib import Path

DISTRIBUTION = "jixiao"
UNKNOWN = "0+unknown"
PYPROJECT = Path(__file__).resolve().parent.parent / "pyproject.toml"


@lru_cache(maxsize=1)
def version() -> str:
    """``0.1.0`` — the installed version, else the source tree's, else ``0+unknown``."""
    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        pass
    try:
        text = PYPROJECT.read_text(encoding="utf-8")
    except OSError:
        return UNKNOWN
    match = re.search(r'(?m)^version\s*=\s*"([^"]+)"', text)
    return match.group(1) if match else UNKNOWN


def generator() -> str:
    """``jixiao 0.1.0`` — what files written by jixiao name as their producer."""
    return f"{DISTRIBUTION} {version()}"


def stamp_workbook(wb, *, new: bool = False) -> None:
    """Name jixiao and its version in an openpyxl workbook's properties.

    ``lastModifiedBy`` and a custom property ``jixiao_version`` always; ``creator`` only for a
    workbook jixiao made (``new``) — a user's own file keeps its author.
    """
    from openpyxl.packaging.custom import StringProperty

    wb.properties.lastModifiedBy = generator()
    if new:
        wb.properties.creator = generator()
    props = wb.custom_doc_props
    for prop in [p for p in props.props if p.name == "jixiao_version"]:
        props.props.remove(prop)
    props.append(StringProperty(name="jixiao_version", value=version()))
