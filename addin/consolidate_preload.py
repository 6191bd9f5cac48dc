"""Imported once by the forkserver before it forks consolidation workers (Linux): every module a
worker needs for its first file, and the data tables it would otherwise load per worker (layouts
and synonyms, the rule catalogue, the default profile). Workers start warm, and the imports are
paid once per run instead of once per worker. Importing this module has no other effect, and it
never fails: whatever goes wrong here happens again in the worker, where it is reported per file.
"""

from __future__ import annotations


def _warm() -> None:
    import python_calamine  # noqa: F401  (the loader's engine)

    from addin import validate  # noqa: F401
    from addin.consolidate_worker import resolve_profile
    from addin.rules import load_checks
    from udfs import default_profile
    from workbook_templates import loaders, reader, safety  # noqa: F401

    load_checks()
    reader.headers()
    reader.layouts()
    default_profile()
    resolve_profile(None)


try:
    _warm()
except Exception:  # noqa: BLE001, S110 — a warm-up only; the worker meets and reports the problem
    pass
