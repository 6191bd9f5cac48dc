"""A consolidation worker whose processes start slower than the time budget: this module sleeps
while a worker process imports it (unpickling the worker function, before any file is read), as
a loaded machine makes a fresh worker's imports slow. The test process itself imports it at once."""

from __future__ import annotations

import multiprocessing
import time

from addin.consolidate_worker import summarize_file

START_DELAY = 4.0       # seconds; longer than the test's 2-second budget per file

if multiprocessing.parent_process() is not None:     # a pool worker, not the test process
    time.sleep(START_DELAY)


def slow_start(path: str, display: str, profile=None) -> dict:
    return summarize_file(path, display, profile)
