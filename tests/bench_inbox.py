"""Benchmark: the inbox with 1,000 cases (not collected by pytest).

Prints, in the same run: the time to build the rows and fill the inbox table
with 1,000 cases, the time for one `/` filter keystroke and one clock tick,
next to a baseline: a bare DataTable filled with 1,000 rows of the same width.

    /work/.venv/bin/python tests/bench_inbox.py

Its figures include the test harness's frame waits (``pilot.pause``), which on a
loaded machine dominate them (2026-12-01, load ~11: filter redraw 1,426 ms wall while
the inbox's own work was ~55 ms CPU); ``bench_index.py`` times the keystroke's own work
(filter, table rows, the lines drawn) and is the figure issue 17's target refers to.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from textual.app import App  # noqa: E402
from textual.widgets import DataTable  # noqa: E402

from appealdesk.cases.clock import frozen_clock  # noqa: E402
from appealdesk.cases.model import Case, Notification, Status  # noqa: E402
from appealdesk.cases.workspace import Workspace  # noqa: E402

NOW = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
N = 1000


def cases() -> list[Case]:
    markets = [("noon", "late_shipment"), ("amazon", "late_shipment"), ("joom", "x"),
               ("jd", "late_shipment")]
    out = []
    for i in range(N):
        market, kind = markets[i % 4]
        status = [Status.NEW, Status.IN_PROGRESS, Status.SUBMITTED, Status.ARCHIVED][i % 4]
        out.append(Case(
            id=f"{market}-bench-{i:05d}", marketplace=market, store=f"Store {i % 53}",
            status=status,
            notification=Notification(type=kind, received=NOW - timedelta(hours=i % 90),
                                      cited_orders=[f"ORDER-{i:08d}"]),
        ))
    return out


class Bare(App):
    def compose(self):
        yield DataTable()


async def baseline() -> float:
    app = Bare()
    async with app.run_test(size=(160, 48)) as pilot:
        table = app.query_one(DataTable)
        table.add_columns("Left", "Market", "Case", "Status", "Store", "Type")
        start = time.perf_counter()
        for i in range(N):
            table.add_row("1d 2h", "noon", f"noon-bench-{i:05d}", "new", "Store", "Late",
                          key=str(i))
        await pilot.pause()
        return time.perf_counter() - start


async def ours() -> tuple[float, float, float]:
    from appealdesk.app import AppealDeskApp

    data = Path(tempfile.mkdtemp())
    ws = Workspace.open(data, clock=frozen_clock(NOW), operator="bench")
    app = AppealDeskApp(ws)
    async with app.run_test(size=(160, 48)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        inbox = app.screen.query_one("InboxPane")
        from appealdesk.inbox import summaries_of

        all_cases = summaries_of(cases(), ws.policies, NOW)
        app.summaries = all_cases
        start = time.perf_counter()
        inbox.show_cases(all_cases)
        await pilot.pause()
        fill = time.perf_counter() - start
        start = time.perf_counter()
        inbox.inbox_filter.text = "store 7"
        inbox._render_rows()
        await pilot.pause()
        keystroke = time.perf_counter() - start
        inbox.inbox_filter.text = ""
        inbox._render_rows()
        await pilot.pause()
        start = time.perf_counter()
        inbox.refresh_time_left()
        await pilot.pause()
        tick = time.perf_counter() - start
        return fill, keystroke, tick


def main() -> None:
    base = asyncio.run(baseline())
    fill, keystroke, tick = asyncio.run(ours())
    print(f"bare DataTable, {N} rows:            {base * 1000:7.1f} ms (baseline)")
    print(f"inbox show_cases, {N} cases:         {fill * 1000:7.1f} ms ({fill / base:.1f}x)")
    print(f"inbox filter redraw ({N} cases):     {keystroke * 1000:7.1f} ms "
          "(typing is debounced: one redraw per pause)")
    print(f"inbox clock tick ({N} cases):        {tick * 1000:7.1f} ms")


if __name__ == "__main__":
    main()
