"""Benchmark: one look of the live team view (``widgets.case_watch``) over N case files
(not collected by pytest).

Prints, in the same run: the time of one quiet look (``stamps.scan`` compared with the
last one: what the app does every second), of ``CaseIndex.sync()`` finding nothing new, of
one finding a case changed by another process, and, as the baseline, a bare ``os.stat``
of every case file.

    .venv/bin/python tests/bench_case_watch.py [N]
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from appealdesk.cases.clock import frozen_clock  # noqa: E402
from appealdesk.cases.workspace import Workspace  # noqa: E402
from appealdesk.index import (
    CaseIndex,  # noqa: E402
    stamps,  # noqa: E402
)
from tests.bench_inbox import NOW, cases  # noqa: E402


def best(fn, runs: int = 7) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times) * 1000


def main() -> None:
    import tests.bench_inbox as bench

    bench.N = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    with tempfile.TemporaryDirectory() as tmp:
        ws = Workspace.open(Path(tmp) / "data", clock=frozen_clock(NOW), operator="bench")
        ws.store.ensure()
        made = cases()
        for case in made:
            ws.store.create(case, "bench")
        stamps.RACY_NS = 0  # the files were just written: count them as settled
        index = CaseIndex.for_workspace(ws)
        index.sync()
        files = [str(ws.store.case_file(c.id)) for c in made]
        baseline = best(lambda: [os.stat(f) for f in files])
        last = stamps.scan(ws.store.cases_dir)
        quiet = best(lambda: stamps.scan(ws.store.cases_dir) == last)
        index_quiet = best(index.sync)
        one = made[len(made) // 2].id

        def change_one() -> None:
            with ws.store.editing(one, "other") as case:
                case.store = case.store + "."
            assert index.sync() == {one}

        changed = best(change_one)
        print(f"{len(made)} cases")
        print(f"  baseline: stat every case file       {baseline:7.1f} ms")
        print(f"  look, nothing changed (each second)  {quiet:7.1f} ms")
        print(f"  (the index's own sync, nothing new)  {index_quiet:7.1f} ms")
        print(f"  look, one case changed (incl. write) {changed:7.1f} ms")


if __name__ == "__main__":
    main()
