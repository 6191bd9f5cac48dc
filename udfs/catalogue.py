"""Text views of the registry: the `jixiao functions` listing and the README table."""

from __future__ import annotations

from .registry import REGISTRY


def markdown_table() -> str:
    """The README's function table, generated from the registry."""
    lines = ["| 函数 | English alias | 参数 | 说明 | 返回 |", "|---|---|---|---|---|"]
    for s in REGISTRY:
        args = "<br>".join(f"{'[' if a.optional else ''}{a.name}{']' if a.optional else ''}：{a.doc}" for a in s.args)
        lines.append(f"| `{s.signature}` | `{s.alias}` | {args} | {s.doc} | {s.returns} |")
    return "\n".join(lines)


def plain_text() -> str:
    """The catalogue as plain text (函数说明 button, `jixiao functions`)."""
    out = []
    for s in REGISTRY:
        out.append(f"{s.signature}    英文别名 {s.alias}    类别 {s.category}")
        out.append(f"  {s.doc}")
        for a in s.args:
            opt = "（可选）" if a.optional else ""
            out.append(f"    {a.name}{opt}：{a.doc}")
        out.append(f"  返回：{s.returns}")
        for example in s.examples:
            out.append(f"  示例：{example}")
        out.append("")
    return "\n".join(out)
