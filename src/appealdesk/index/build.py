"""Reading many case files at once (a cold index, a changed policy): in parallel.

Parsing TOML is most of the cost of a cold build (about 0.6 ms a case); with
more than ``PARALLEL_FROM`` files to read, worker processes each read a share
and send back the summaries while this process reads its own; then this one
writes them all (SQLite has one writer).

A process with one thread (the CLI) forks its workers: they start with this
process's modules and policies, at almost no cost, where a spawned worker first
imports the core and loads the policies again (most of a second of CPU). The app
builds from a thread, and forking a threaded process is unsafe: its workers are
spawned. Anything that stops the workers (no ``fork``/``spawn`` allowed, a broken
pool) falls back to reading here.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from appealdesk.index.stamps import Stamp

PARALLEL_FROM = 1000
MAX_WORKERS = 4

Result = tuple  # (case id, stamp, rows.CaseRows | error text | "" when the file vanished)


def read_all(items: list[tuple[str, Stamp]], read: Callable[[str, Stamp], Result],
             root: Path, now: datetime) -> list[Result]:
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (
        os.cpu_count() or 1)
    workers = min(cores, MAX_WORKERS, len(items) // (PARALLEL_FROM // 2) or 1)
    if len(items) < PARALLEL_FROM or workers < 2:
        return [read(i, s) for i, s in items]
    global _FORKED_READ
    try:
        import multiprocessing
        import threading
        from concurrent.futures import ProcessPoolExecutor

        fork = threading.active_count() == 1 and "fork" in multiprocessing.get_all_start_methods()
        context = multiprocessing.get_context("fork" if fork else "spawn")
        _FORKED_READ = read if fork else None  # what a forked worker finds in its copy
        # Spawned (this process has threads): this process reads a share too while the
        # others start (spawning one costs an interpreter and its imports). Forked: the
        # workers read everything, each a process with one thread, where case files are
        # parsed by toml_rs (cases.errors.parse_toml); this one, which now has the pool's
        # threads, would parse its share with tomllib, several times slower.
        helpers = workers if fork else workers - 1
        with ProcessPoolExecutor(helpers, mp_context=context) as pool:
            futures = [pool.submit(_read_forked, items[n::workers]) if fork else
                       pool.submit(_read_share, str(root), items[n::workers], now)
                       for n in range(workers - helpers, workers)]
            mine = [] if fork else [read(i, s) for i, s in items[0::workers]]
            return mine + [r for f in futures for r in f.result()]
    except Exception:  # no worker processes here: read them in this one
        return [read(i, s) for i, s in items]
    finally:
        _FORKED_READ = None


_FORKED_READ: Callable[[str, Stamp], Result] | None = None


def _read_forked(items: list[tuple[str, Stamp]]) -> list[Result]:
    assert _FORKED_READ is not None  # set by read_all before the fork
    return [_FORKED_READ(i, s) for i, s in items]


def _read_share(root: str, items: list[tuple[str, Stamp]], now: datetime) -> list[Result]:
    from appealdesk.cases.store import Store
    from appealdesk.index.case_index import CaseIndex

    index = CaseIndex(Store(Path(root)), now=lambda: now)
    return [index._read(i, s) for i, s in items]
