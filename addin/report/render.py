"""Render a docxtpl template with a context: the chart becomes an InlineImage, text is escaped.

Jinja autoescape is on: workbook text can hold ``&``/``<`` safely, and ``markup`` objects
(placeholders, line breaks) supply their own WordprocessingML.

Templates travel between units, so a template is untrusted input: it is rendered in Jinja's
``ImmutableSandboxedEnvironment`` (no ``__globals__``/``__subclasses__`` walk to ``os``, no
mutation of the context) bounded by ``BoundedSandbox``: ``*``, ``**``, ``%`` and ``+`` on strings,
lists and numbers, width arguments of string methods and filters, ``range`` (per call and in
total), ``namespace`` values and the rendered length of each part are capped, and rendering
stops after ``RENDER_SECONDS``. A runtime error in the template (``{{ 1/0 }}``, an undefined
variable's attribute, a blocked operation) is a Chinese ReadError naming the template file and
the expression.
"""

from __future__ import annotations

import io
import re
import signal
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage
from jinja2 import TemplateError, TemplateSyntaxError, UndefinedError
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError
from jinja2.utils import Namespace

from workbook_templates.errors import ReadError, WriteError
from workbook_templates.fileio import atomic_path

from .docx_format import core_properties

MAX_TEXT = 2_000_000           # characters (or list items) of one value a template computes
MAX_PART = 20_000_000          # characters of one rendered part (document.xml, a header …)
MAX_RANGE_TOTAL = 1_000_000    # items produced by range() over the whole rendering
MAX_POWER_BITS = 4096          # bits of the result of ** on integers
RENDER_SECONDS = 60            # wall-clock budget of one rendering (POSIX, main thread)

_WIDTH_METHODS = {"center", "ljust", "rjust", "zfill", "expandtabs", "indent", "wordwrap", "truncate"}
_NESTED_SPEC = re.compile(r":[^{}]*\{")
_FORMAT_WIDTH = re.compile(r"%[-+ #0]*(\d+)|%[-+ #0]*\d*\.(\d+)|\{[^{}]*?[:][^{}]*?(\d+)[^{}]*\}")


class TemplateTooBig(SecurityError):
    """A template asked for a value or an output beyond the caps."""


def _size(v: Any) -> int:
    return len(v) if isinstance(v, (str, bytes, list, tuple)) else 0


def _check(v: Any) -> Any:
    if _size(v) > MAX_TEXT:
        raise TemplateTooBig(f"计算出的文字或列表过长（超过 {MAX_TEXT:,} 个字符/项）")
    return v


def _check_format(fmt: Any) -> None:
    if isinstance(fmt, str):
        for m in _FORMAT_WIDTH.finditer(fmt):
            width = next((g for g in m.groups() if g), "0")
            if int(width) > MAX_TEXT:
                raise TemplateTooBig(f"格式宽度过大（{width}）")


def _check_ints(args: tuple, kwargs: dict) -> None:
    for a in (*args, *kwargs.values()):
        if isinstance(a, int) and not isinstance(a, bool) and abs(a) > MAX_TEXT:
            raise TemplateTooBig(f"参数过大（{a}）")


class BoundedNamespace(Namespace):
    """``namespace()`` whose attributes stay within MAX_TEXT (``{% set ns.s = ns.s ~ ns.s %}``)."""

    def __setitem__(self, name: str, value: Any) -> None:
        super().__setitem__(name, _check(value))


class BoundedSandbox(ImmutableSandboxedEnvironment):
    """The sandbox with sizes bounded (see the module docstring). ``sources`` keeps each part's
    template source so an error can be placed; ``range_used`` counts range() items."""

    intercepted_binops = frozenset(["*", "**", "%", "+"])

    def __init__(self, **kw: Any) -> None:
        super().__init__(**kw)
        self.sources: list[str] = []
        self.range_used = 0
        self.globals["range"] = self._range
        self.globals["namespace"] = BoundedNamespace
        self.globals.pop("lipsum", None)
        for name, fn in list(self.filters.items()):
            self.filters[name] = self._bounded_filter(fn, name)
        self.concat = self._concat

    def from_string(self, source: Any, *args: Any, **kw: Any):
        self.sources.append(source if isinstance(source, str) else "")
        return super().from_string(source, *args, **kw)

    def _range(self, *args: int) -> range:
        rng = range(*args)
        self.range_used += len(rng)
        if self.range_used > MAX_RANGE_TOTAL:
            raise TemplateTooBig(f"range() 共产生超过 {MAX_RANGE_TOTAL:,} 个数")
        return rng

    def _concat(self, chunks: Iterator[str]) -> str:
        out, n = [], 0
        for c in chunks:
            n += len(c)
            if n > MAX_PART:
                raise TemplateTooBig(f"模板输出过长（超过 {MAX_PART:,} 个字符）")
            out.append(c)
        return "".join(out)

    @staticmethod
    def _bounded_filter(fn: Any, name: str):
        skip = 1 if hasattr(fn, "jinja_pass_arg") else 0     # context/environment comes first

        def call(*args: Any, **kwargs: Any) -> Any:
            value, rest = (args[skip], args[skip + 1:]) if len(args) > skip else (None, ())
            if name in _WIDTH_METHODS:
                _check_ints(rest, kwargs)
            elif name == "format":
                _check_format(value)
            elif name == "replace" and len(rest) >= 2:
                _check_replace(value, rest[0], rest[1])
            return _check(fn(*args, **kwargs))

        if skip:
            call.jinja_pass_arg = fn.jinja_pass_arg  # type: ignore[attr-defined]
        return call

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "*":
            for seq, k in ((left, right), (right, left)):
                if _size(seq) and isinstance(k, int) and _size(seq) * k > MAX_TEXT:
                    raise TemplateTooBig(f"重复次数过多（{k} 次）")
        elif operator == "**":
            if isinstance(left, int) and isinstance(right, int) and abs(left) > 1 and \
                    right > 0 and left.bit_length() * right > MAX_POWER_BITS:
                raise TemplateTooBig(f"乘方结果过大（{left} ** {right}）")
        elif operator == "%":
            _check_format(left)
            if isinstance(left, str) and "*" in left:                 # '%*d' % (999999999, 1)
                _check_ints(right if isinstance(right, tuple) else (right,), {})
        elif operator == "+" and _size(left) + _size(right) > MAX_TEXT:
            raise TemplateTooBig("拼接结果过长")
        return _check(super().call_binop(context, operator, left, right))

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805
        owner = getattr(__obj, "__self__", None)
        name = getattr(__obj, "__name__", "")
        if isinstance(owner, (str, list, tuple)):
            if name in _WIDTH_METHODS:
                _check_ints(args, kwargs)
            elif name == "replace" and len(args) >= 2:
                _check_replace(owner, args[0], args[1])
            elif name == "join" and isinstance(owner, str) and args:
                items = args[0]
                if _size(items) and len(owner) * len(items) > MAX_TEXT:
                    raise TemplateTooBig("拼接结果过长")
        return _check(super().call(__context, __obj, *args, **kwargs))

    def wrap_str_format(self, value: Any) -> Any:
        """``'{:>999999999}'.format(x)``: the format string is checked when the method is taken."""
        wrapped = super().wrap_str_format(value)
        if wrapped is None:
            return None
        fmt = value.__self__
        _check_format(fmt)
        if not _NESTED_SPEC.search(fmt):
            return wrapped

        def checked(*args: Any, **kwargs: Any) -> str:     # '{0:{1}}'.format(1, 999999999)
            _check_ints(args, kwargs)
            return wrapped(*args, **kwargs)

        return checked


def _check_replace(s: Any, old: Any, new: Any) -> None:
    if isinstance(s, str) and isinstance(old, str) and isinstance(new, str):
        hits = s.count(old) if old else len(s) + 1
        if len(s) + hits * max(0, len(new) - len(old)) > MAX_TEXT:
            raise TemplateTooBig("替换结果过长")


@contextmanager
def _time_budget(seconds: float) -> Iterator[None]:
    """SIGALRM after ``seconds`` raises TemplateTooBig in the rendering (POSIX main thread only;
    elsewhere the size caps still hold)."""
    if not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(_sig: int, _frame: Any) -> None:
        raise TemplateTooBig(f"渲染超过 {seconds:.0f} 秒仍未完成")

    old = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


_TAG = re.compile(r"<[^>]+>")
_EXPR = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.S)


def _where(env: BoundedSandbox, exc: BaseException) -> str:
    """The template expression at the failing line (from the traceback's template frame)."""
    line = getattr(exc, "lineno", None)
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == "<template>":
            line = tb.tb_lineno
        tb = tb.tb_next
    if not line or not env.sources:
        return ""
    lines = env.sources[-1].splitlines()
    if not 0 < line <= len(lines):
        return ""
    text = _TAG.sub("", lines[line - 1])
    exprs = _EXPR.findall(text)
    return (" ".join(exprs) if exprs else text.strip())[:200]


def _why(exc: BaseException) -> str:
    if isinstance(exc, TemplateTooBig):
        return f"结果超出限制：{exc}"
    if isinstance(exc, SecurityError):
        return "模板试图访问不允许的内部属性或函数，已阻止（报告模板只能使用文档中说明的变量）"
    if isinstance(exc, UndefinedError):
        return f"使用了不存在的变量或属性（{exc}）"
    if isinstance(exc, ZeroDivisionError):
        return "除数为零"
    if isinstance(exc, RecursionError):
        return "宏或循环嵌套过深"
    if isinstance(exc, MemoryError):
        return "内存不足（计算结果过大）"
    if isinstance(exc, OverflowError):
        return "数值过大"
    if isinstance(exc, (TypeError, ValueError, KeyError, IndexError, AttributeError, ArithmeticError)):
        return f"运算或取值错误（{type(exc).__name__}：{exc}）"
    return f"渲染失败（{type(exc).__name__}：{exc}）"


def load_template(template: str | Path | bytes) -> DocxTemplate:
    if isinstance(template, bytes):
        return DocxTemplate(io.BytesIO(template))
    path = Path(template)
    if not path.is_file():
        raise ReadError(f"报告模板不存在：{path}", file=str(path))
    try:
        tpl = DocxTemplate(str(path))
        tpl.init_docx()           # docxtpl opens lazily: open now, so a bad file is reported here
        return tpl
    except Exception as exc:  # not a .docx (e.g. an .xlsx) / damaged zip
        raise ReadError(f"报告模板无法打开（应为 Word .docx 文件）：{path}（{exc}）", file=str(path)) from None


def render(template: str | Path | bytes, context: dict[str, Any], out_path: str | Path, *,
           chart: Path | None = None, chart_width_mm: float = 150, source: str | Path | None = None) -> Path:
    """Render ``template`` with ``context`` to ``out_path`` atomically; ``chart`` → ``{{ chart }}``."""
    tpl = load_template(template)
    label = None if isinstance(template, bytes) else str(template)
    ctx = dict(context)
    ctx["chart"] = InlineImage(tpl, str(chart), width=Mm(chart_width_mm)) if chart else ""
    env = BoundedSandbox(autoescape=True)
    try:
        with _time_budget(RENDER_SECONDS):
            tpl.render(ctx, jinja_env=env)
    except TemplateSyntaxError as exc:
        where = " ".join(getattr(exc, "docx_context", []) or [])[:200]
        raise ReadError(f"报告模板有语法错误：{exc}" + (f"（附近内容：{where}）" if where else ""),
                        file=label) from None
    except (KeyboardInterrupt, SystemExit):
        raise
    except (TemplateError, Exception) as exc:  # noqa: BLE001 - any runtime error of the template's own code
        where = _where(env, exc)
        raise ReadError(f"报告模板的表达式 {where or '（位置未知）'} 无法计算：{_why(exc)}", file=label) from None
    core_properties(tpl.docx)
    out_path = Path(out_path)
    with atomic_path(out_path, source=source) as tmp:
        try:
            tpl.save(str(tmp))
        except OSError as exc:
            raise WriteError(f"无法写入报告：{out_path}（{exc}）") from None
    return out_path


def temp_png() -> Path:
    fd, name = tempfile.mkstemp(prefix="jixiao-chart-", suffix=".png")
    import os

    os.close(fd)
    return Path(name)
