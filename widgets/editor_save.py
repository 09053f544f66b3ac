"""Saving the letter: the save workers, the save lock and what a save on a changed disk does.

A mixin of ``EditorPane`` (``widgets/editor_pane.py``). Every save goes through
``_write`` under ``_save_lock``, so autosaves, the save on exit and the saves
that drafting and rendering make first are serialised; each carries a number
and a save superseded by a newer one writes nothing. ``_known_disk`` is the
draft as we last saw it on disk: when the disk differs from it, someone else
changed the letter and ``operations.letters.save_letter`` keeps our text as a
new version beside theirs, never over it. Saves run in thread workers through
``Store.editing`` (locked, atomic); continuous typing updates the current
"edited" version (``letter.versions.save_edit``). When to save (the throttle)
stays in the pane, whose module holds the timing knobs the tests turn.
"""

from __future__ import annotations

from textual import work

from appealdesk.app import WorkerErrorsToApp
from appealdesk.cases.errors import CaseLocked, StoreError
from appealdesk.cases.model import Case
from appealdesk.i18n import _
from appealdesk.operations import letters
from appealdesk.operations.letters import SaveResult

LOCKED_RETRY = 1.0  # seconds before saving again when another writer holds the case


# WorkerErrorsToApp: its workers' failures reach the app even outside EditorPane.
class EditorSaveMixin(WorkerErrorsToApp):
    """Load, save and save-on-exit of the letter shown (state lives in ``EditorPane``)."""

    def _load(self, case: Case, text: str, cursor_row: int) -> None:
        with self._save_lock:
            self._known_disk[case.id] = text
        self._saved_text = text
        self._saved_at = None
        self._first_unsaved = None
        self._stop_save_timer()
        area = self.text_area
        area.load_text(text)
        row = min(cursor_row, max(0, area.document.line_count - 1))
        area.move_cursor((row, 0))

    def _autosave_due(self) -> None:
        self._save_timer = None
        self._start_save()

    def _stop_save_timer(self) -> None:
        if self._save_timer is not None:
            self._save_timer.stop()
            self._save_timer = None

    def _changed_elsewhere(self, case: Case, disk: str) -> None:
        """The letter of the case shown changed on disk (a draft, the CLI, another
        operator). Unsaved text is saved at once: ``save_letter`` keeps it as a new version
        beside theirs, never over it, and ``_saved`` says so, once. Without unsaved text
        their letter is shown, the cursor on the same line."""
        if self.dirty:
            self._start_save()
        else:
            self._load(case, disk, cursor_row=self.text_area.cursor_location[0])

    def _start_save(self) -> None:
        if self.case is None or not self.dirty:
            return
        self._first_unsaved = None
        self._save_seq += 1
        self._save_worker(self.case.id, self.text, self._save_seq)

    def save_now(self) -> None:
        """Save on the spot (the pane is going away); blocks for one small file write."""
        if self.case is None or not self.dirty:
            return
        self._save_seq += 1
        try:
            self._write(self.case.id, self.text, self._save_seq)
        except (StoreError, OSError):
            pass  # at exit there is no one left to tell; the last autosave is on disk

    def _write(self, case_id: str, text: str, seq: int) -> SaveResult | None:
        """One save, serialised with the others; None when a newer save supersedes it."""
        with self._save_lock:
            if seq != self._save_seq:
                return None
            base = self._known_disk.get(case_id)
            result = letters.save_letter(self.app.workspace, case_id, text, base)
            self._known_disk[case_id] = text
            return result

    @work(thread=True, group="editor-save", exit_on_error=False)
    def _save_worker(self, case_id: str, text: str, seq: int) -> None:
        try:
            result = self._write(case_id, text, seq)
        except CaseLocked as exc:
            self.app.call_from_thread(self._save_failed, exc, True)
            return
        except (StoreError, OSError) as exc:
            self.app.call_from_thread(self._save_failed, exc, False)
            return
        if result is not None:
            self.app.call_from_thread(self._saved, case_id, text, result)

    def _saved(self, case_id: str, text: str, result: SaveResult) -> None:
        self.app.case_saved(result.case)
        if self.case is None or self.case.id != case_id:
            return
        self.case = result.case
        self._saved_text = text
        self._saved_at = result.at
        if result.conflict and result.version is not None:
            self.notify(_("The letter had changed elsewhere; your text is saved as version "
                          "{n} beside it. Press v to compare.").format(n=result.version.version),
                        title=_("Letter changed"), severity="warning", timeout=12)
        self._update_status()
        if self.dirty:
            self._schedule_save()  # typed while saving: the next save

    def _save_failed(self, exc: Exception, locked: bool) -> None:
        if locked:
            self.notify(_("{error}. Your text is kept and saved again in a moment.").format(
                error=exc), title=_("Not saved yet"), severity="warning", timeout=4)
            self._stop_save_timer()
            self._save_timer = self.set_timer(LOCKED_RETRY, self._autosave_due, name="autosave")
        else:
            self.notify(_("{error}. Your text stays in the editor; it is saved again after "
                          "your next change.").format(error=exc), title=_("Not saved"),
                        severity="error", timeout=12)

    def on_unmount(self) -> None:
        self.save_now()
