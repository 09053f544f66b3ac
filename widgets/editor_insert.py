"""Text that comes into the letter from outside the keyboard: a phrasebook sentence
picked by its meaning, or the whole letter written in the operator's own $EDITOR.

The pure part (``editor_command``, ``edit_externally``) has no Textual in it and
is tested on its own; ``EditorInsertMixin`` is a mixin of ``EditorPane``
(``widgets/editor_pane.py``) holding the ``i`` and ``E`` commands.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import tempfile
from collections.abc import Mapping
from pathlib import Path

from textual import work
from textual.widgets.text_area import Selection

from appealdesk.app import WorkerErrorsToApp
from appealdesk.cases.model import Case
from appealdesk.i18n import _


class ExternalEditorError(Exception):
    """The external editor could not run or failed; one line for the user."""


def editor_command(environ: Mapping[str, str]) -> list[str] | None:
    """$VISUAL, else $EDITOR, split like a shell would ("code --wait" works)."""
    for var in ("VISUAL", "EDITOR"):
        value = environ.get(var, "").strip()
        if value:
            try:
                parts = shlex.split(value)
            except ValueError:
                parts = []
            if parts:
                return parts
    return None


def edit_externally(text: str, command: list[str], *, stem: str = "letter") -> str:
    """Write ``text`` to a private temporary .md file, run the editor on it, read it back."""
    fd, name = tempfile.mkstemp(prefix=f"appealdesk-{stem}-", suffix=".md")
    path = Path(name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        try:
            done = subprocess.run([*command, str(path)], check=False)
        except OSError as exc:
            raise ExternalEditorError(_("could not start {editor}: {error}").format(
                editor=command[0], error=exc.strerror or exc)) from None
        if done.returncode != 0:
            raise ExternalEditorError(_(
                "{editor} exited with code {code}; the letter was not changed").format(
                editor=command[0], code=done.returncode))
        try:
            return path.read_text("utf-8")
        except UnicodeDecodeError:
            raise ExternalEditorError(_(
                "the edited file is not UTF-8 text; the letter was not changed")) from None
    finally:
        path.unlink(missing_ok=True)


# WorkerErrorsToApp: its workers' failures reach the app even outside EditorPane.
class EditorInsertMixin(WorkerErrorsToApp):
    """The phrase picker and $EDITOR commands of ``EditorPane``."""

    # phrasebook ------------------------------------------------------------------------
    def action_insert_phrase(self) -> None:
        if self.case is None:
            return
        self._phrase_worker(self.case)

    @work(thread=True, exclusive=True, group="editor-phrase", exit_on_error=False)
    def _phrase_worker(self, case: Case) -> None:
        """Read the phrasebook and the case's facts off the event loop, then open the picker."""
        from appealdesk.letter.facts import facts_for_case
        from appealdesk.letter.phrasebook import (
            PhrasebookError,
            load_phrasebook,
            placeholder_values,
        )

        ws = self.app.workspace
        try:
            phrases = load_phrasebook(ws.store.policies_dir)
        except (PhrasebookError, OSError) as exc:
            self.app.call_from_thread(self.notify, str(exc), title=_("Phrasebook"),
                                      severity="error", timeout=10)
            return
        policy = ws.policy_for(case)
        language = policy.letter.language if policy is not None else "en"
        values = (placeholder_values(facts_for_case(case, policy, now=ws.now(), workspace=ws),
                                     language)
                  if policy is not None else {"store": case.store, "case_id": case.id})
        self.app.call_from_thread(self._open_phrase_picker, case.id, phrases, values, language,
                                  case.notification.type)

    def _open_phrase_picker(self, case_id: str, phrases, values: dict[str, str],
                            language: str, topic: str) -> None:
        from appealdesk.screens.dialogs.phrase_picker import PhrasePickerScreen

        if isinstance(self.app.screen, PhrasePickerScreen):
            return  # i pressed twice before the first picker opened

        def picked(sentence: str | None) -> None:
            if sentence and self.case is not None and self.case.id == case_id:
                self.insert_line(sentence)

        self.app.push_screen(PhrasePickerScreen(phrases, values, language=language,
                                                topic=topic, case_id=case_id), picked)

    def insert_line(self, sentence: str) -> None:
        """Put ``sentence`` on its own line at the cursor (below the cursor's line unless that
        is blank; a list item gets the same marker) and edit there. The text area's Changed
        event then starts the checks and the autosave as typing does."""
        area = self.text_area
        row = area.cursor_location[0]
        line = area.document.get_line(row)
        if line.strip():
            bullet = re.match(r"\s*(?:[-*+]|\d+[.)])\s+", line)
            marker = bullet.group() if bullet else ""
            # A numbered item is followed by the next number.
            marker = re.sub(r"\d+", lambda m: str(int(m.group()) + 1), marker, count=1)
            start, new_row = (row, len(line)), row + 1
            area.insert("\n" + marker + sentence, start)
            column = len(marker)
        else:
            new_row = row
            area.insert(sentence, (row, 0))
            column = 0
        # Select the first placeholder the case could not fill: typing replaces it.
        hole = re.search(r"\{[a-z_][a-z0-9_]*\}", sentence)
        self.jump_to_line(new_row + 1)
        if hole:
            area.selection = Selection((new_row, column + hole.start()),
                                       (new_row, column + hole.end()))
        else:
            area.move_cursor((new_row, column + len(sentence)))

    # $EDITOR --------------------------------------------------------------------------
    def action_external_editor(self) -> None:
        if self.case is None or self.app.is_web:
            return
        command = editor_command(os.environ)
        if command is None:
            self.notify(_("Neither $VISUAL nor $EDITOR is set. Set one (for example "
                          "EDITOR=nano) to write the letter in your own editor."),
                        title=_("No editor"), severity="warning", timeout=8)
            return
        from textual.app import SuspendNotSupported

        before = self.text
        try:
            with self.app.suspend():
                after = edit_externally(before, command, stem=self.case.id)
        except SuspendNotSupported:
            self.notify(_("This terminal cannot hand over to another program."),
                        severity="error")
            return
        except ExternalEditorError as exc:
            self.notify(str(exc), title=_("Editor"), severity="error", timeout=10)
            return
        if after != before:
            row = self.text_area.cursor_location[0]
            area = self.text_area
            area.replace(after, (0, 0), area.document.end)  # undo still works
            area.move_cursor((min(row, area.document.line_count - 1), 0))
            self._start_save()
            self._lint_now()
