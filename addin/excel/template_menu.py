"""The ribbon's 插入模板 menu: the installed pack's (or the configured shared folder's) templates,
then the standard ones — built here, so the menu a unit sees is what `jixiao template` gives.

The ribbon's ``<dynamicMenu getContent="Jx_TemplateMenu" invalidateContentOnDrop="true">`` asks
for its content each time it drops down: the VBA callback runs ``macros.template_menu(path)``
through RunPython, which writes ``menu_xml()`` to ``path``, and hands that file's text to Excel.
The XML is pure ASCII (Chinese as character references ``&#39033;``), so VBA reads it with a
plain ``Line Input`` on any Windows code page and on a Mac. Each entry is a button with the
template id in ``tag`` and ``onAction="Jx_InsertTemplate"`` (the button that writes the
template). Headless: ``jixiao addin menu [--xml]`` and ``jixiao addin press 插入模板``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import quoteattr

CUSTOM_UI_NS = "http://schemas.microsoft.com/office/2006/01/customui"
ACTION = "Jx_InsertTemplate"


@dataclass
class Section:
    """One titled part of the menu: (template id, label) entries."""

    title: str
    entries: list[tuple[str, str]] = field(default_factory=list)


def menu_sections() -> list[Section]:
    """The pack's templates (when a pack is installed or a shared folder configured), then the
    standard templates the pack does not replace; a pack that cannot be used is said in the
    standard section's title (never a silent fallback). The pack is checked as far as a listing
    needs (manifest, checksums, rules); 插入模板 checks the chosen template fully."""
    from addin.packs import active_pack
    from workbook_templates.specs import load_spec, template_ids

    pack, where = active_pack(deep=False)        # listing only: insertion checks the template itself
    sections = []
    in_pack: set[str] = set()
    if pack is not None:
        sec = Section(f"{pack.label}（{where}）")
        for t in pack.manifest.get("templates", []):
            if t.get("id") in pack.templates:
                sec.entries.append((t["id"], str(t.get("title") or load_spec(t["id"])["title"])))
                in_pack.add(t["id"])
        sections.append(sec)
    title = "标准模板" + (where if pack is None and where else "")
    sections.append(Section(title, [(tid, load_spec(tid)["title"]) for tid in template_ids() if tid not in in_pack]))
    return [s for s in sections if s.entries]


def menu_xml(sections: list[Section] | None = None) -> str:
    """The dynamicMenu content: ``<menu xmlns=…>`` with a titled separator per section and one
    button per template; ASCII only (non-ASCII as character references)."""
    sections = menu_sections() if sections is None else sections
    lines = [f'<menu xmlns="{CUSTOM_UI_NS}">']
    n = 0
    for i, sec in enumerate(sections):
        lines.append(f'  <menuSeparator id="jxTplSection{i}" title={quoteattr(sec.title[:1024])}/>')
        for tid, label in sec.entries:
            n += 1
            lines.append(f'  <button id="jxTpl{n}" label={quoteattr(label[:1024])} tag={quoteattr(tid)} '
                         f'onAction="{ACTION}"/>')
    lines.append("</menu>")
    return "\n".join(lines).encode("ascii", "xmlcharrefreplace").decode("ascii") + "\n"


def write_menu(path: str | os.PathLike) -> Path:
    """``menu_xml()`` written to ``path`` (atomically: Excel reads it right after)."""
    from workbook_templates.fileio import atomic_path

    path = Path(path)
    with atomic_path(path) as tmp:
        Path(tmp).write_text(menu_xml(), encoding="ascii", newline="\r\n")
    return path


def entries(sections: list[Section] | None = None) -> list[tuple[str, str, str]]:
    """(section title, template id, label) of every menu button, in menu order."""
    sections = menu_sections() if sections is None else sections
    return [(s.title, tid, label) for s in sections for tid, label in s.entries]
