"""`jixiao addin build|install|uninstall`: the Excel add-in file and its installation."""

from __future__ import annotations

import argparse
import sys

EXAMPLES = """\
例：
  jixiao addin build -o jixiao.xlam       生成加载项文件
  jixiao addin install                    安装到本人的 XLSTART（先退出 Excel）
  jixiao addin install --dry-run          只显示将要做的操作
  jixiao addin press 校验 自评表.xlsx      不开 Excel 试按“校验”按钮
  jixiao addin menu                       列出“插入模板”菜单（已安装的模板包和标准模板）
  jixiao addin uninstall                  卸载"""


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("addin", epilog=EXAMPLES,
                       description="Excel 加载项（jixiao.xlam）：生成、安装、卸载，或不开 Excel 试按按钮。",
                       help="Excel 加载项：生成、安装、卸载 (build / install / uninstall the .xlam)")
    asub = p.add_subparsers(dest="addin_command", metavar="操作 action")
    b = asub.add_parser("build", description="由文本源（功能区、VBA、函数登记表）生成 jixiao.xlam，其中的 xlwings 部分取自本机安装的 xlwings。", epilog="例：\n  jixiao addin build -o jixiao.xlam\n  jixiao addin build --locale en -o jixiao-en.xlam   非中文 Windows 用（只含英文别名）",
                          help="生成 jixiao.xlam (build the add-in from the text sources)")
    b.add_argument("-o", "--output", default="jixiao.xlam", help="输出文件（默认 jixiao.xlam；.xlsm 生成同内容的启用宏工作簿）")
    b.add_argument("--locale", choices=["zh", "en"], default="zh",
                   help="zh：中文函数名 + 英文别名（代码页 936，默认）；en：只含英文别名（代码页 1252，非中文 Windows）")
    w = asub.add_parser("build-udfs", description="生成只含工作表函数的纯 Python 安装包 jixiao_udfs-….whl，供 xlwings Lite（Microsoft 365 / 网页版 Excel）和 Pyodide 使用。",
                        epilog="例：\n  jixiao addin build-udfs -o dist",
                        help="生成纯 Python 的工作表函数安装包 jixiao_udfs-….whl（xlwings Lite / Pyodide 用）")
    w.add_argument("-o", "--output", default=".", help="输出文件夹（默认当前文件夹）")
    i = asub.add_parser("install", description="把加载项放入本人的 Excel 启动文件夹（XLSTART），并写入 xlwings 配置（解释器、函数模块）。请先完全退出 Excel。",
                        epilog="例：\n  jixiao addin install --xlam jixiao.xlam",
                        help="安装到 Excel 启动文件夹并写入 xlwings 配置 (install into XLSTART + xlwings config; Windows/macOS)")
    i.add_argument("--xlam", help="使用已生成的 .xlam（默认按本机的 xlwings 现场生成；xlwings 版本不同时拒绝）")
    i.add_argument("--locale", choices=["zh", "en"], help="中文版 / 英文版（默认按系统 ANSI 代码页：936 用中文版，其余用英文版）")
    i.add_argument("--python", help="Excel 调用的 Python 解释器（默认当前解释器）")
    i.add_argument("--dry-run", action="store_true", help="只显示将要做的操作")
    u = asub.add_parser("uninstall", description="从 Excel 启动文件夹删除加载项，并删除 jixiao 写入的 xlwings 配置。", epilog="例：\n  jixiao addin uninstall --keep-config",
                          help="从 Excel 启动文件夹移除加载项和配置 (uninstall)")
    u.add_argument("--keep-config", action="store_true", help="保留 xlwings 配置文件")
    u.add_argument("--dry-run", action="store_true", help="只显示将要做的操作")
    r = asub.add_parser("press", description="不开 Excel，用 xlwings 远程引擎按下一个按钮，列出它将写回工作簿的操作；不修改文件。",
                        epilog="例：\n  jixiao addin press 计算得分 自评表.xlsx --json",
                        help="无 Excel 时按下按钮，列出将写回工作簿的操作，不修改文件 (press a ribbon button headless via xlwings' remote engine)")
    r.add_argument("button", help="按钮：插入模板 / 计算得分 / 校验 / 清除标记 / 生成报告 / 审核用报告 / 导出PDF / 汇总各单位 / 函数说明")
    r.add_argument("file", help="工作簿 (.xlsx/.xlsm)")
    r.add_argument("--out-dir", help="生成报告/导出PDF/汇总各单位/插入模板写出文件的文件夹（默认：工作簿所在文件夹）")
    r.add_argument("--folder", help="汇总各单位：存放各单位自评表的文件夹")
    r.add_argument("--template", default="project", help="插入模板：模板 id（默认 project）")
    r.add_argument("--json", action="store_true", help="输出全部操作 (xlwings actions JSON)")
    m = asub.add_parser("menu", description="列出功能区“插入模板”菜单的内容：已安装的模板包（或加载项配置的共享文件夹）中的模板，"
                                            "再是标准模板；与 Excel 中下拉菜单时看到的相同。",
                        epilog="例：\n  jixiao addin menu\n  jixiao addin menu --xml   功能区收到的 customUI XML",
                        help="列出“插入模板”菜单 (the 插入模板 menu: the pack's templates, then the standard ones)")
    m.add_argument("--xml", action="store_true", help="输出功能区 dynamicMenu 收到的 XML")
    p.set_defaults(func=run, addin_parser=p)


def run(args: argparse.Namespace) -> int:
    action = getattr(args, "addin_command", None)
    if action == "build":
        from addin.excel.xlam import build

        path = build(args.output, locale=args.locale)
        print(f"已生成加载项：{path}（{path.stat().st_size} 字节）")
        return 0
    if action == "build-udfs":
        from addin.excel.udfs_dist import build_udfs_wheel

        path = build_udfs_wheel(args.output)
        print(f"已生成工作表函数安装包：{path}（{path.stat().st_size} 字节）")
        return 0
    if action in ("install", "uninstall"):
        from addin.excel import install

        if action == "install":
            return install.install(xlam=args.xlam, python=args.python, dry_run=args.dry_run, locale=args.locale)
        return install.uninstall(keep_config=args.keep_config, dry_run=args.dry_run)
    if action == "press":
        return press(args)
    if action == "menu":
        from addin.excel.template_menu import entries, menu_sections, menu_xml

        sections = menu_sections()
        if args.xml:
            print(menu_xml(sections), end="")
            return 0
        print("“插入模板”菜单：")
        print_menu(entries(sections))
        return 0
    args.addin_parser.print_help(sys.stdout)
    return 0


def press(args: argparse.Namespace) -> int:
    """Run one button headless and show what it would write into the workbook."""
    import json
    from collections import Counter

    from addin.excel.macros import press as run_button

    pressed = run_button(args.button, args.file, out_dir=args.out_dir, folder=args.folder, template=args.template)
    acts = pressed.actions["actions"]
    # the button showed an error in its message box: the command fails too (exit 2, message on stderr)
    failed = [a["args"][0] for a in acts if a["func"] == "alert" and str(a["args"][0]).startswith("错误：")]
    for message in failed:
        print(message, file=sys.stderr)
    code = 2 if failed else 0
    if args.json:
        print(json.dumps({**pressed.actions, "written": [str(p) for p in pressed.written],
                          **({"menu": pressed.menu} if pressed.menu is not None else {})},
                         ensure_ascii=False, indent=2, default=str))
        return code
    labels = {"setValues": "写入单元格区域", "setRangeColor": "设置底色", "addNote": "添加批注", "deleteNote": "删除批注",
              "addSheet": "新增工作表", "sheetDelete": "删除工作表", "setNumberFormat": "设置数字格式",
              "clearContents": "清除内容", "alert": "消息框"}
    print(f"按钮“{args.button}”对 {args.file} 的操作（工作簿本身未修改）：")
    for func, n in Counter(a["func"] for a in acts).items():
        print(f"  {labels.get(func, func)}：{n}")
    for a in acts:
        if a["func"] == "addSheet":
            print(f"  新增工作表“{a['args'][1]}”")
        elif a["func"] == "addNote":
            print(f"  批注 {a['args'][0].replace('$', '')}：{a['args'][1][:60]}")
        elif a["func"] == "alert":
            print(f"  消息框：{a['args'][0]}")
    if pressed.menu is not None:
        print("  “插入模板”菜单：")
        print_menu(pressed.menu, indent="    ")
    for p in pressed.written:
        print(f"  写出文件：{p}")
    return code


def print_menu(entries: list[tuple[str, str, str]], indent: str = "  ") -> None:
    """The 插入模板 menu as the ribbon shows it: section titles, then each template (id)."""
    title = None
    for section, tid, label in entries:
        if section != title:
            print(f"{indent}—— {section} ——")
            title = section
        print(f"{indent}{label}\t{tid}")
