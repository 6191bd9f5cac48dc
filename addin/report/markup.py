"""Text values for the Word template: workbook text, placeholders, and compositions of both.

The template is rendered with Jinja autoescape on, so a plain ``str`` is always escaped; these
classes supply their own WordprocessingML through ``__html__`` and work inside an ordinary
``{{ variable }}`` (which docxtpl always places inside a ``<w:t>``):

- ``Text``: text from the workbook; line breaks become ``<w:br/>`` in the same run, so the
  run keeps its formatting.
- ``Placeholder``: a clearly marked, yellow-highlighted ``【请填写：…】`` for what the workbook
  does not hold. It closes the current run, writes its own highlighted run and reopens a plain one.
- ``Verify``: the same highlight as ``【请核实：…】`` where the workbook holds a figure that 校验
  flagged — the submission report does not state a flagged figure as fact.
- ``Rich``: a sequence of str / Text / Placeholder parts.

``str(x)`` gives the plain text (used for tests, the console and the department summary).
"""

from __future__ import annotations

from html import escape

_REOPEN = '<w:r><w:t xml:space="preserve">'


class Text:
    """Workbook text (may contain line breaks)."""

    def __init__(self, text: str) -> None:
        self.text = text.strip()

    def __html__(self) -> str:
        lines = [escape(line.strip(), quote=False) for line in self.text.splitlines()]
        return '</w:t><w:br/><w:t xml:space="preserve">'.join(lines)

    def __str__(self) -> str:
        return self.text

    def __bool__(self) -> bool:
        return bool(self.text)


class Placeholder:
    """``【请填写：what】``, highlighted, for the unit to write; never invented content."""

    highlight = "yellow"
    prefix = "请填写"

    def __init__(self, what: str) -> None:
        self.what = what

    @property
    def text(self) -> str:
        return f"【{self.prefix}：{self.what}】"

    def __html__(self) -> str:
        run = (f'<w:r><w:rPr><w:highlight w:val="{self.highlight}"/></w:rPr>'
               f'<w:t xml:space="preserve">{escape(self.text, quote=False)}</w:t></w:r>')
        return f"</w:t></w:r>{run}{_REOPEN}"

    def __str__(self) -> str:
        return self.text

    def __bool__(self) -> bool:  # a placeholder is "something to show"
        return True


class Verify(Placeholder):
    """``【请核实：what】`` — a figure the workbook states but 校验 flagged, for the unit to check."""

    prefix = "请核实"


class Rich:
    """Concatenation of str (escaped), Text and Placeholder parts."""

    def __init__(self, *parts: object) -> None:
        self.parts = [p for p in parts if p is not None and p != ""]

    def __html__(self) -> str:
        return "".join(p.__html__() if hasattr(p, "__html__") else escape(str(p), quote=False)
                       for p in self.parts)

    def __str__(self) -> str:
        return "".join(str(p) for p in self.parts)

    def __contains__(self, text: str) -> bool:
        return text in str(self)

    def __bool__(self) -> bool:
        return bool(self.parts)


def text_or_placeholder(value: str | None, what: str) -> Text | Placeholder:
    """The workbook's text when it has some, else a placeholder naming what to write."""
    if value is not None and str(value).strip():
        return Text(str(value))
    return Placeholder(what)


def has_placeholder(x: object) -> bool:
    if isinstance(x, Placeholder):
        return True
    if isinstance(x, Rich):
        return any(has_placeholder(p) for p in x.parts)
    return False
