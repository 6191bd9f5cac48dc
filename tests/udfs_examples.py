"""The function table's examples (``udfs.REGISTRY[...].example``, shown by `jixiao functions`
and the README) evaluated — the same code runs in CPython and, by tests/pyodide_runner.mjs,
inside Pyodide. ``results()`` returns ``repr`` of every result: scalar form and range form.
"""

import ast
import re

EXAMPLE = re.compile(r"^=(?P<name>[^(]+)\((?P<args>.*)\)\s*→\s*(?P<shown>.+)$")


def example_args(text: str) -> list:
    """Excel literal arguments ("18.74万人", 18, 1521.57) as Python values."""
    return list(ast.literal_eval(f"[{text}]"))


def results() -> dict:
    import importlib
    import pkgutil

    import udfs
    import udfs.excel

    modules = []
    for m in pkgutil.iter_modules(udfs.__path__):
        if m.name != "lite":          # the Lite registrations need xlwings, which Lite provides
            importlib.import_module(f"udfs.{m.name}")
            modules.append(m.name)
    out = {"modules": sorted(modules)}
    for spec in udfs.REGISTRY:
        m = EXAMPLE.match(spec.example or "")
        if not m:
            continue
        args = example_args(m.group("args"))
        fn = udfs.FUNCTIONS[m.group("name")]
        out[spec.example] = {
            "scalar": repr(fn(*args)),
            "range": repr(fn(*[[[a], [a]] for a in args])),
            "excel": repr(udfs.excel.call(spec, *args)),
        }
    return out
