"""``python -m addin.release [--dist DIR] [--cache DIR]`` — what ``make dist`` runs."""

import argparse
import sys

from . import ReleaseError, build_dist

parser = argparse.ArgumentParser(prog="python -m addin.release", description="构建 wheel 和 Windows 离线安装包")
parser.add_argument("--dist", default="dist", help="输出目录（默认 dist）")
parser.add_argument("--cache", help="下载缓存目录（默认 <dist>/cache）")
args = parser.parse_args()
try:
    out = build_dist(args.dist, args.cache)
except ReleaseError as exc:
    print(f"错误：{exc}", file=sys.stderr)
    sys.exit(2)
for kind, path in out.items():
    print(f"{kind:7} {path}  ({path.stat().st_size:,} 字节)")
