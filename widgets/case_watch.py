"""Live team view: what the CLI or another operator changes in the data folder is shown
within about a second, without a reload key.

Every ``POLL_SECONDS`` the watch asks the index to look at the case files' stamps
(``CaseIndex.sync``: one ``stat`` per case file; only files whose (mtime_ns, size,
inode) changed are read again), in a thread worker. When cases changed, the inbox is
given the new summaries (it keeps its cursor on the selected case) and, when the
selected case is one of them and differs from the copy on screen, every pane is shown
it again (the letter pane keeps unsaved text: ``EditorPane.show_case``), as is an open
screen that shows that case (``case_changed``, e.g. the timeline). The app's own
writes come back as "changed" too; they are equal to the copy on screen and show
nothing again. A case file that cannot be read any more is said once.
"""

from __future__ import annotations

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

POLL_SECONDS = 1.0  # the promise is 2 s: a look, plus reading what changed
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

    def on_mount(self) -> None:
        self.set_interval(POLL_SECONDS, self.look, name="case-watch")

    def look(self) -> None:
        """One look, unless the cases are still loading or the last look is running."""
        app = self.app
        if getattr(app, "_case_index", None) is None:
            return  # the first load has not opened the index yet
        if any(w.group in (WATCH_GROUP, "load-cases") and w.state in _BUSY
               for w in app.workers):
            return
        self._look()

    @work(thread=True, group="case-watch", exit_on_error=False)
    def _look(self) -> None:
        app = self.app
        try:
            changed = app.case_index.sync()
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
