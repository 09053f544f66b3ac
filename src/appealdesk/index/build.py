"""Reading many case files at once (a cold index, a changed policy): in parallel.

Parsing TOML is most of the cost of a cold build (about 0.6 ms a case); with
more than ``PARALLEL_FROM`` files to read, worker processes each read a share
and send back the summaries while this process reads its own; then this one
writes them all (SQLite has one writer). Workers are spawned, not forked: the
app builds from a thread, and forking a threaded process is unsafe. Anything
that stops the workers (no ``fork``/``spawn`` allowed, a broken pool) falls back
to reading here.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from appealdesk.index.stamps import Stamp

PARALLEL_FROM = 1000
MAX_WORKERS = 4

Result = tuple  # (case id, stamp, Indexed | error text | "" when the file vanished)


def read_all(items: list[tuple[str, Stamp]], read: Callable[[str, Stamp], Result],
             root: Path, now: datetime) -> list[Result]:
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (
        os.cpu_count() or 1)
    workers = min(cores, MAX_WORKERS, len(items) // (PARALLEL_FROM // 2) or 1)
    if len(items) < PARALLEL_FROM or workers < 2:
        return [read(i, s) for i, s in items]
    try:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        context = multiprocessing.get_context("spawn")
        # This process reads a share too while the others start (spawning one costs
        # an interpreter and its imports): ``workers - 1`` helpers, not ``workers``.
        with ProcessPoolExecutor(workers - 1, mp_context=context) as pool:
            futures = [pool.submit(_read_share, str(root), items[n::workers], now)
                       for n in range(1, workers)]
            mine = [read(i, s) for i, s in items[0::workers]]
            return mine + [r for f in futures for r in f.result()]
    except Exception:  # no worker processes here: read them in this one
        return [read(i, s) for i, s in items]


def _read_share(root: str, items: list[tuple[str, Stamp]], now: datetime) -> list[Result]:
    from appealdesk.cases.store import Store
    from appealdesk.index.case_index import CaseIndex

    index = CaseIndex(Store(Path(root)), now=lambda: now)
    return [index._read(i, s) for i, s in items]
