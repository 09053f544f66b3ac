"""Live team view: what the CLI or another operator changes in the data folder is shown
within about a second, without a reload key.

Every ``POLL_SECONDS`` the watch takes the case files' stamps (``index.stamps.scan``:
one ``stat`` per case file, (mtime_ns, size, inode)) in a thread worker; only when they
differ from the last look's does it ask the index to read again the files that changed
(``CaseIndex.sync``, which says which). When cases changed, the inbox is
given the new summaries (it keeps its cursor on the selected case) and, when the
selected case is one of them and differs from the copy on screen, every pane is shown
it again (the letter pane keeps unsaved text: ``EditorPane.show_case``), as is an open
screen that shows that case (``case_changed``, e.g. the timeline). The app's own
writes come back as "changed" too; they are equal to the copy on screen and show
nothing again. A case file that cannot be read any more is said once.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from textual import work
from textual.widget import Widget
from textual.worker import WorkerState

from appealdesk.app import CaseSelected, CasesLoaded, WorkerErrorsToApp
from appealdesk.cases.errors import StoreError
from appealdesk.i18n import N_, _

if TYPE_CHECKING:
    from appealdesk.cases.model import Case
    from appealdesk.index import Summary
    from appealdesk.index.stamps import Stamp

POLL_SECONDS = 1.0  # the promise is 2 s: a look, plus reading what changed
# A look may take at most this share of the time: in a folder so big (or on a machine so
# busy) that one takes longer than a fifth of a second, the looks space out to match.
BUSY_SHARE = 0.2
WATCH_GROUP = "case-watch"
WATCH_TITLE = N_("Looking for changes to the cases failed")
_BUSY = (WorkerState.PENDING, WorkerState.RUNNING)


class CaseWatch(WorkerErrorsToApp, Widget):
    """Invisible; mounted on the main screen, whose inbox and panes it refreshes."""

    DEFAULT_CSS = """
    CaseWatch {
        display: none;
    }
    """

    def __init__(self) -> None:
        super().__init__(id="case-watch")
        self._told: set[str] = set()  # errors already said
        self._failed = ""  # the last look's failure, said once
        self._stamps: dict[str, Stamp] | None = None  # the last look's, in its worker only
        self._next = 0.0  # time.monotonic() before which no look starts (BUSY_SHARE)

    def on_mount(self) -> None:
        self.set_interval(POLL_SECONDS, self.look, name="case-watch")

    def look(self, paced: bool = True) -> None:
        """One look, unless the cases are still loading, the last look is running or
        (``paced``) looks take so long that this one should wait (``BUSY_SHARE``)."""
        app = self.app
        if getattr(app, "_case_index", None) is None:
            return  # the first load has not opened the index yet
        if (paced and time.monotonic() < self._next) or any(
                w.group in (WATCH_GROUP, "load-cases") and w.state in _BUSY
                for w in app.workers):
            return
        self._look()

    @work(thread=True, group="case-watch", exit_on_error=False)
    def _look(self) -> None:
        from appealdesk.index.stamps import scan

        app = self.app
        try:
            start = time.monotonic()
            now = scan(app.workspace.store.cases_dir)  # one stat per case file
            took = time.monotonic() - start
            self._next = start + took / BUSY_SHARE - POLL_SECONDS / 2
            if now == self._stamps:
                return  # the quiet path, every second: no index, no SQLite
            self._stamps = now
            changed = app.case_index.sync()  # reads what changed (also since this scan)
        except Exception as error:  # noqa: BLE001 - said once, then looked at again
            from appealdesk.app import one_line

            if one_line(error) != self._failed:
                self._failed = one_line(error)
                app.call_from_thread(app.report_failure, WATCH_TITLE, error)
            return
        self._failed = ""
        if changed:
            self._read(changed)

    def _read(self, changed: set[str]) -> None:
        app = self.app
        index = app.case_index
        summaries = index.summaries(sync=False)
        errors = index.errors()
        shown = app.case
        fresh = None
        if shown is not None and shown.id in changed:
            try:
                fresh = app.workspace.store.load(shown.id)
            except StoreError:
                fresh = None  # broken or gone: the error list says so
        app.call_from_thread(self._show, summaries, errors, fresh)

    def _show(self, summaries: list[Summary], errors: list[str], fresh: Case | None) -> None:
        app = self.app
        told = self._told | set(app.load_errors)  # the first load said those
        for error in errors:
            if error not in told:
                app.notify(error, title=_("Case file skipped"), severity="error", timeout=10)
        self._told = set(errors)
        app.load_errors = errors
        if summaries != sorted(app.summaries, key=lambda s: s.id):
            app.summaries = summaries
            self.screen.post_message(CasesLoaded())
        case = app.case
        if fresh is None or case is None or fresh.id != case.id or fresh == case:
            return
        app.case = fresh
        self.screen.post_message(CaseSelected(fresh))
        for screen in app.screen_stack:
            changed = getattr(screen, "case_changed", None)
            if callable(changed):
                changed(fresh)
