"""Regenerate the README's generated tables — the worksheet functions (from the registry) and the
rule-profile keys (from ``udfs/profile_schema.json``): ``python -m udfs.readme README.md``."""

from __future__ import annotations

import re
import sys
from pathlib import Path

from . import profile_schema
from .catalogue import markdown_table

START = "<!-- functions:start"
END = "<!-- functions:end -->"
BLOCKS = (("functions", markdown_table), ("profile-keys", profile_schema.markdown_table))


def render(readme: str) -> str:
    """README text with each generated block (between its markers) replaced by the current table."""
    for name, table in BLOCKS:
        start, end = f"<!-- {name}:start", f"<!-- {name}:end -->"
        pattern = re.compile(rf"({re.escape(start)}[^\n]*\n).*?({re.escape(end)})", re.S)
        readme = pattern.sub(lambda m, t=table: m.group(1) + t() + "\n" + m.group(2), readme)
    return readme


if __name__ == "__main__":
    path = Path(sys.argv[1] if len(sys.argv) > 1 else "README.md")
    path.write_text(render(path.read_text(encoding="utf-8")), encoding="utf-8")
