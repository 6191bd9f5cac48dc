"""Regenerate the README's function table from the registry: ``python -m udfs.readme README.md``."""

from __future__ import annotations

import re
import sys
from pathlib import Path

from .catalogue import markdown_table

START = "<!-- functions:start"
END = "<!-- functions:end -->"


def render(readme: str) -> str:
    """README text with the block between the markers replaced by the current table."""
    pattern = re.compile(rf"({re.escape(START)}[^\n]*\n).*?({re.escape(END)})", re.S)
    return pattern.sub(lambda m: m.group(1) + markdown_table() + "\n" + m.group(2), readme)


if __name__ == "__main__":
    path = Path(sys.argv[1] if len(sys.argv) > 1 else "README.md")
    path.write_text(render(path.read_text(encoding="utf-8")), encoding="utf-8")
