"""Start-up benchmark: time to the first rendered screen with 1,000 cases.

Run: ``python tests/bench_startup.py``. Each figure is the median of several
fresh interpreter starts (imports included), measured in the same run for
  * a bare Textual app with one label (the baseline), and
  * AppealDesk on a data folder holding 1,000 cases: first paint, and the
    moment the inbox shows all 1,000 rows.
Target (issue 2): first paint ≤ 1.5x the bare app.
Mode "shown" (used by bench_index.py): the moment the inbox first shows every case
(what the index held), before the stat check of every file that "loaded" waits for.

Last measured (h/paint, 2026-12-01 23:52 UTC, load average 6-7 on 2 shared cores: wall
times about 5x a quiet machine's, the ratio is noise): bare 1045 ms, first paint 993 ms
(0.95x), inbox with 1,000 cases 3030 ms. The steady figure is the instruction count up to
the first frame (callgrind, 10,000 cases, compiled modules): see bench_index.py.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

RUNS = 5
CASES = 1000

# "First paint" is the first frame the app hands to its driver (App._display),
# measured the same way for both apps.
BARE = """
import sys, time
from textual.app import App
from textual.widgets import Label
class Bare(App):
    painted = False
    def compose(self):
        yield Label("hello")
    def _display(self, screen, renderable):
        super()._display(screen, renderable)
        if renderable is not None and not self.painted:
            self.painted = True
            print(time.time(), flush=True)
            self.call_later(self.exit)
Bare().run(headless=True, size=(80, 24))
"""

OURS = """
import sys, time
from pathlib import Path
from appealdesk.cases.workspace import Workspace
from appealdesk.app import AppealDeskApp, CasesLoaded
from appealdesk.screens import MainScreen
mode = sys.argv[2]
class Timed(AppealDeskApp):
    painted = False
    def _display(self, screen, renderable):
        super()._display(screen, renderable)
        if mode == "paint" and renderable is not None and not self.painted:
            self.painted = True
            self.done()
    def _cases_known(self, *args):
        super()._cases_known(*args)
        if mode == "shown":  # the inbox shows what the index held, before the stat check
            self.call_after_refresh(self.done)
    def _cases_loaded(self, *args):
        super()._cases_loaded(*args)
        if mode in ("loaded", "shown"):  # "shown": when the index held nothing yet
            self.call_after_refresh(self.done)
    def done(self):
        if getattr(self, "finished", False):
            return
        self.finished = True
        print(time.time(), flush=True)
        self.call_later(self.exit)
Timed(Workspace.open(Path(sys.argv[1]))).run(headless=True, size=(80, 24))
"""


def make_cases(root: Path) -> None:
    from appealdesk.cases.store import Store
    from appealdesk.demo import install_demo

    store = Store(root)
    now = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
    ids = install_demo(store, now)
    template = store.load(ids[0])
    for i in range(CASES - len(ids)):
        template.id = f"amazon-bench-{i:05d}"
        template.notification.external_id = f"bench-{i:05d}"
        template.notification.received = now - timedelta(hours=i % 400)
        template._loaded_digest = None
        store.create(template, "bench")


def measure(code: str, *args: str) -> float:
    start = time.time()
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                         check=True, timeout=120)
    return float(out.stdout.strip().splitlines()[-1]) - start


def median(code: str, *args: str) -> float:
    return statistics.median(measure(code, *args) for _ in range(RUNS))


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "data"
        make_cases(root)
        count = len(list((root / "cases").iterdir()))
        measure(BARE)  # warm the OS file cache for both
        measure(OURS, str(root), "paint")
        bare = median(BARE)
        paint = median(OURS, str(root), "paint")
        loaded = median(OURS, str(root), "loaded")
    print(f"cases in data folder:           {count}")
    print(f"bare Textual app, one label:    {bare * 1000:7.0f} ms (median of {RUNS})")
    print(f"AppealDesk, first paint:        {paint * 1000:7.0f} ms  ratio {paint / bare:.2f}x "
          f"(target <= 1.50x)")
    print(f"AppealDesk, inbox with {count}: {loaded * 1000:7.0f} ms  ratio {loaded / bare:.2f}x")


if __name__ == "__main__":
    main()
