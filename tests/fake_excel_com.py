"""A stand-in for the few pieces of Excel's COM object model that ``addin.excel.merged`` uses —
Worksheet.Range(address) / .Cells(r, c), Range.MergeCells (True / False / None for mixed, as
pywin32 returns Excel's Null), Range.MergeArea, .Row, .Column, .Rows.Count, .Columns.Count — with
merged areas taken from a real openpyxl worksheet, counting every property read and method call
(each is a COM round trip in desktop Excel). Used by tests and benchmarks/excel_calls.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from openpyxl.utils.cell import range_boundaries


@dataclass
class Counter:
    calls: int = 0


@dataclass
class _Count:
    Count: int


@dataclass
class FakeSheet:
    areas: list[tuple[int, int, int, int]]        # 1-based inclusive (row1, col1, row2, col2)
    counter: Counter = field(default_factory=Counter)
    _owner: dict[tuple[int, int], tuple[int, int, int, int]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for a in self.areas:
            for r in range(a[0], a[2] + 1):
                for c in range(a[1], a[3] + 1):
                    self._owner[(r, c)] = a

    @classmethod
    def from_openpyxl(cls, ws) -> FakeSheet:
        areas = []
        for m in ws.merged_cells.ranges:
            c1, r1, c2, r2 = range_boundaries(str(m))
            areas.append((r1, c1, r2, c2))
        return cls(areas)

    def Range(self, address: str) -> FakeRange:  # noqa: N802 - COM name
        self.counter.calls += 1
        c1, r1, c2, r2 = range_boundaries(address)
        return FakeRange(self, r1, c1, r2, c2)

    def Cells(self, row: int, col: int) -> FakeRange:  # noqa: N802 - COM name
        self.counter.calls += 1
        return FakeRange(self, row, col, row, col)


@dataclass
class FakeRange:
    sheet: FakeSheet
    r1: int
    c1: int
    r2: int
    c2: int

    def _count(self) -> None:
        self.sheet.counter.calls += 1

    @property
    def Worksheet(self) -> FakeSheet:  # noqa: N802
        self._count()
        return self.sheet

    @property
    def Row(self) -> int:  # noqa: N802
        self._count()
        return self.r1

    @property
    def Column(self) -> int:  # noqa: N802
        self._count()
        return self.c1

    @property
    def Rows(self) -> _Count:  # noqa: N802
        self._count()
        return _Count(self.r2 - self.r1 + 1)

    @property
    def Columns(self) -> _Count:  # noqa: N802
        self._count()
        return _Count(self.c2 - self.c1 + 1)

    @property
    def MergeCells(self) -> bool | None:  # noqa: N802
        self._count()
        n = sum(1 for r in range(self.r1, self.r2 + 1) for c in range(self.c1, self.c2 + 1)
                if (r, c) in self.sheet._owner)
        size = (self.r2 - self.r1 + 1) * (self.c2 - self.c1 + 1)
        return False if n == 0 else True if n == size else None

    @property
    def MergeArea(self) -> FakeRange:  # noqa: N802
        self._count()
        a = self.sheet._owner.get((self.r1, self.c1), (self.r1, self.c1, self.r1, self.c1))
        return FakeRange(self.sheet, *a)

    @property
    def Cells(self):  # noqa: N802 - the old per-cell loop iterates this
        self._count()
        return [FakeRange(self.sheet, r, c, r, c) for r in range(self.r1, self.r2 + 1) for c in range(self.c1, self.c2 + 1)]

    @property
    def Address(self) -> str:  # noqa: N802
        self._count()
        return f"{self.r1},{self.c1}:{self.r2},{self.c2}"
