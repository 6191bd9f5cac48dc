"""Errors raised while reading or writing workbooks: Chinese message, file, and cell where known."""

from __future__ import annotations


class ReadError(Exception):
    """A workbook could not be read or understood. ``str()`` is the full Chinese message."""

    def __init__(self, message: str, file: str | None = None, cell: str | None = None) -> None:
        self.message = message
        self.file = file
        self.cell = cell
        parts = []
        if file:
            parts.append(f"文件“{file}”")
        if cell:
            parts.append(f"单元格 {cell}")
        prefix = "，".join(parts)
        super().__init__(f"{prefix}：{message}" if prefix else message)


class WriteError(Exception):
    """An output file could not be written (message in Chinese)."""
