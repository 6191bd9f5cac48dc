"""``jixiao fill --data``: read the JSON a unit (or another system) provides, as untrusted input.

Checked before anything is filled, each refusal a Chinese ReadError naming the file and the place
in the JSON (``indicators[2].weight``): a regular file (a FIFO would block for ever), at most
``MAX_BYTES``, UTF-8, valid JSON, nesting at most ``MAX_DEPTH`` deep, no NaN/Infinity or numbers
beyond a double (1e400), no lone surrogates, and the shape of ``fill_data.schema.json`` (DESIGN.md's
JSON: ``project``/``budget`` objects whose known fields are scalars, ``indicators`` a list of such
objects).
"""

from __future__ import annotations

import json
import math
from functools import lru_cache
from pathlib import Path
from typing import Any

from .errors import ReadError

MAX_BYTES = 16 * 1024 * 1024
MAX_DEPTH = 32
SCHEMA = Path(__file__).with_name("fill_data.schema.json")
_TYPES = {"object": "对象（{…}）", "array": "列表（[…]）", "string": "文字", "number": "数值", "null": "空（null）",
          "integer": "整数", "boolean": "是/否"}


@lru_cache(maxsize=1)
def _validator():
    from jsonschema import Draft202012Validator

    return Draft202012Validator(json.loads(SCHEMA.read_text(encoding="utf-8")))


def _where(path) -> str:
    out = ""
    for p in path:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else str(p))
    return out or "顶层"


def _bad_constant(name: str) -> None:
    raise ValueError(f"JSON 中不允许 {name}")


def _walk(v: Any, path: list, depth: int = 0) -> tuple[list, str] | None:
    """(where, why) of the first value no cell can hold: too deep, inf/nan, a lone surrogate."""
    if depth > MAX_DEPTH:
        return path, f"嵌套过深（超过 {MAX_DEPTH} 层）"
    if isinstance(v, float) and not math.isfinite(v):
        return path, "数值超出范围（如 1e400）"
    if isinstance(v, str):
        try:
            v.encode("utf-8")
        except UnicodeEncodeError:
            return path, "含有无效的 Unicode 字符（孤立的代理项，如 \\ud800）"
    if isinstance(v, dict):
        for k, x in v.items():
            if (bad := _walk(k, path, depth + 1)) or (bad := _walk(x, [*path, k], depth + 1)):
                return bad
    if isinstance(v, list):
        for i, x in enumerate(v):
            if bad := _walk(x, [*path, i], depth + 1):
                return bad
    return None


def load_fill_data(path: str | Path) -> dict[str, Any]:
    """The checked JSON of ``path`` (see the module docstring); ReadError otherwise."""
    src = Path(path)
    file = str(src)
    try:
        if not src.exists():
            raise ReadError("数据文件不存在", file=file)
        if not src.is_file():
            raise ReadError("不是普通文件（可能是文件夹、管道或设备），不能作为数据文件", file=file)
        if src.stat().st_size > MAX_BYTES:
            raise ReadError(f"数据文件过大（超过 {MAX_BYTES // 2**20} MB）", file=file)
        text = src.read_bytes().decode("utf-8-sig")
    except ReadError:
        raise
    except UnicodeDecodeError:
        raise ReadError("数据文件不是 UTF-8 编码的文本；请另存为 UTF-8", file=file) from None
    except OSError as exc:
        raise ReadError(f"无法读取数据文件（{exc.strerror or exc}）", file=file) from None
    try:
        data = json.loads(text, parse_constant=_bad_constant)
    except json.JSONDecodeError as exc:
        raise ReadError(f"不是有效的 JSON（第 {exc.lineno} 行第 {exc.colno} 列：{exc.msg}）", file=file) from None
    except RecursionError:
        raise ReadError(f"JSON 嵌套过深（超过 {MAX_DEPTH} 层）", file=file) from None
    except ValueError as exc:
        raise ReadError(f"不是有效的 JSON（{exc}：NaN/Infinity 不是数值）", file=file) from None
    bad = _walk(data, [])
    if bad:
        raise ReadError(f"{_where(bad[0])}：{bad[1]}", file=file)
    errors = sorted(_validator().iter_errors(data), key=lambda e: list(e.absolute_path))
    if errors:
        e = errors[0]
        if e.validator == "type":
            want = e.validator_value if isinstance(e.validator_value, list) else [e.validator_value]
            why = "应为" + "或".join(_TYPES.get(t, t) for t in want if t != "null") + f"，实际为 {json.dumps(e.instance, ensure_ascii=False)[:60]}"
        else:
            why = e.message
        more = f"（另有 {len(errors) - 1} 处）" if len(errors) > 1 else ""
        if not e.absolute_path:
            raise ReadError(f"JSON 顶层应为对象（{{…}}），实际为 {type(data).__name__}；格式见 jixiao fill --help 或 docs/json-format.md", file=file)
        raise ReadError(f"数据形状不对：{_where(e.absolute_path)} {why}{more}；格式见 jixiao fill --help 或 docs/json-format.md", file=file)
    return data
