"""`jixiao pack build|install|show`: template packs — a 财政局's templates, rules and report
template in one .zip (``addin.packs``)."""

from __future__ import annotations

import argparse
import sys

EXAMPLES = """\
例：
  jixiao pack build pack.json -o 某省2026模板包.zip     财政局：生成模板包
  jixiao pack install 某省2026模板包.zip               各单位：安装，作为默认模板
  jixiao pack install \\\\财政局\\绩效模板 --shared       直接使用共享文件夹
  jixiao pack show                                    查看当前使用的模板包"""


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("pack", epilog=EXAMPLES, help="模板包：生成、安装、查看 (build / install / show a template pack)",
                       description="模板包：财政局把本省的模板（内嵌评分规则）、评分规则和报告模板打包下发，"
                                   "各单位安装后“插入模板”即得到同一版本的模板。")
    psub = p.add_subparsers(dest="pack_command", metavar="操作 action")
    b = psub.add_parser("build", epilog="例：\n  jixiao pack build pack.json -o 某省2026模板包.zip", help="按说明文件生成模板包 .zip (build a pack from pack.json)",
                        description="pack.json 示例：{\"issuer\": \"某省财政厅\", \"year\": 2026, \"version\": \"2026.1\", "
                                    "\"profile\": \"my-province.json\", \"templates\": [\"project\"], "
                                    "\"report_template\": \"报告模板.docx\"}（路径相对于 pack.json 所在文件夹）")
    b.add_argument("manifest", help="模板包说明文件 pack.json")
    b.add_argument("-o", "--output", required=True, help="输出的模板包 .zip")
    i = psub.add_parser("install", help="安装模板包，作为默认模板 (install a pack zip or folder)",
                        description="安装模板包：其中的模板和评分规则成为“插入模板”、template、fill 的默认值。",
                        epilog="例：\n  jixiao pack install 某省2026模板包.zip")
    i.add_argument("source", help="模板包 .zip 或文件夹")
    i.add_argument("--shared", action="store_true",
                   help="把该文件夹（如 \\\\财政局\\绩效模板）记入加载项配置，每次直接读取，不复制 (use a shared folder live)")
    psub.add_parser("show", help="显示当前使用的模板包 (show the active pack)",
                    description="显示当前使用的模板包：发布单位、年度、版本、模板和评分规则。",
                    epilog="例：\n  jixiao pack show")
    p.set_defaults(func=run, pack_parser=p)


def run(args: argparse.Namespace) -> int:
    from addin import packs

    action = getattr(args, "pack_command", None)
    if action == "build":
        path = packs.build_pack(args.manifest, args.output)
        print(f"已生成模板包：{path}")
        return 0
    if action == "install":
        pack = packs.install_pack(args.source, shared=args.shared)
        where = f"已记入加载项配置（{packs.CONFIG_KEY}），每次从该文件夹读取" if args.shared \
            else f"已安装到 {packs.installed_dir()}"
        print(f"模板包{where}：")
        for line in packs.describe(pack):
            print(line)
        return 0
    if action == "show":
        pack, where = packs.active_pack()
        if pack is None:
            print(f"未安装模板包，使用标准模板{where}。")
            return 0
        print(f"当前模板包：{where}")
        for line in packs.describe(pack):
            print(line)
        return 0
    args.pack_parser.print_help(sys.stdout)
    return 0
