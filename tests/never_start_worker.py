"""A consolidation worker whose processes never start: this module sleeps for an hour while a
worker process imports it (unpickling the worker function) — a pool stuck at start-up. The test
process itself imports it at once."""

from __future__ import annotations

import multiprocessing
import time

from addin.consolidate_worker import summarize_file

if multiprocessing.parent_process() is not None:     # a pool worker, not the test process
    time.sleep(3600)


def never_starts(path: str, display: str, profile=None) -> dict:
    return summarize_file(path, display, profile)
