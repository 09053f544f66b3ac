"""The appeal letter: a Markdown text area with its outline, live findings and a preview.

Keys — enter to edit. The pane opens on the outline (the letter's headings),
where plain letters are commands: ``e`` edits at the cursor, enter on a heading
or a finding edits at its line, ``i`` inserts a phrasebook sentence picked by
its Chinese meaning (``screens/phrase_picker.py``) as its own line at the cursor,
``p`` preview, ``d`` draft, ``r`` render the PDF, ``v`` versions, ``t``
submission timeline, ``E`` open in $EDITOR. While
editing every printable key is text, and ``esc`` stops editing. We chose this
over ctrl+letter commands because the app's keys (1–4 panes, ``q``, ``?``) are
plain letters too, and the ctrl+letters that survive SSH, tmux and screen are
few and already taken by the text area (ctrl+a/e/k/u/w/x/y/z) or the terminal
(ctrl+s/q flow control, ctrl+z, ctrl+c, ctrl+h/i/j/m are backspace/tab/enter).
While editing, the commands are hidden from the footer (``widgets/editor_modes.py``).

Nothing slow runs on the event loop: the checks (``letter.lint.lint_letter``)
run in a thread worker 0.5 s after typing stops, the preview is rendered to
styled lines by rich in a worker (Textual's Markdown widget is too slow for a
long letter, see DESIGN.md), and so are drafting and the PDF.

Autosave is a throttle, not a debounce: a save starts 1 s after the first
unsaved keystroke, whether typing stops or goes on (continuous typing saves about
once a second; a debounce would wait for a pause that may never come), so a crash
loses at most the last two seconds; a dropped SSH connection (SIGHUP) or SIGTERM
makes the app leave as on ``q`` (``app_exit.py``), and the pane saves on the way
out (how a save is made, and what it does when the letter changed on disk:
``widgets/editor_save.py``). The text area is plain: its Markdown highlighting
needs tree-sitter, which textual 8.2.8 does not ship.
"""

from __future__ import annotations

import threading
import time
from datetime import datetime

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.timer import Timer
from textual.widgets import ContentSwitcher, OptionList, ProgressBar, Static, TextArea

from appealdesk.app import guarded
from appealdesk.cases.model import Case
from appealdesk.checks.base import Finding
from appealdesk.i18n import N_, _
from appealdesk.widgets.editor_actions import EditorActionsMixin
from appealdesk.widgets.editor_findings import EditorFindingsMixin
from appealdesk.widgets.editor_findings import finding_line as finding_line
from appealdesk.widgets.editor_findings import finding_prompt as finding_prompt
from appealdesk.widgets.editor_insert import EditorInsertMixin
from appealdesk.widgets.editor_insert import ExternalEditorError as ExternalEditorError
from appealdesk.widgets.editor_insert import edit_externally as edit_externally
from appealdesk.widgets.editor_insert import editor_command as editor_command
from appealdesk.widgets.editor_modes import EditorModesMixin
from appealdesk.widgets.editor_placeholders import EditorPlaceholdersMixin
from appealdesk.widgets.editor_preview import PREVIEW_CSS, EditorPreviewMixin, PreviewScroll
from appealdesk.widgets.editor_preview import preview_text as preview_text
from appealdesk.widgets.editor_rejection import RejectionNote
from appealdesk.widgets.editor_save import EditorSaveMixin
from appealdesk.widgets.editor_status import EditorStatusMixin
from appealdesk.widgets.letter_area import LetterArea
from appealdesk.widgets.nav_keys import List
from appealdesk.widgets.pane import Pane
from appealdesk.widgets.workflow_actions import WORKFLOW_BINDINGS, WorkflowActionsMixin

# The timing knobs stay here, where the tests turn them (editor_pane.AUTOSAVE_INTERVAL,
# .monotonic, ...): the code that reads them (_text_changed, _schedule_save,
# autosave_delay) stays in this module with them.
LINT_DEBOUNCE = 0.5  # seconds after the last keystroke
# Seconds from the first unsaved keystroke to the save, however fast one types. The
# margin up to MAX_LOSS is for the save itself (a locked, fsynced write in a thread)
# and a busy event loop: measured in tests/test_crash_typing.py with kill -9.
AUTOSAVE_INTERVAL = 1.0
monotonic = time.monotonic  # the autosave's clock (tests move it on)
# The promise of the issue: at most this much typing is lost in a crash.
MAX_LOSS = 2.0
assert AUTOSAVE_INTERVAL < MAX_LOSS


# --------------------------------------------------------------------------
# Pure helpers (no Textual): the autosave's timing, the preview
# --------------------------------------------------------------------------


def autosave_delay(first_unsaved: float, now: float) -> float:
    """Seconds from ``now`` to the save that keeps the keystroke made at ``first_unsaved``
    (the first one not on disk): AUTOSAVE_INTERVAL after it, however many keys follow;
    0 when that moment has passed (a busy loop handled the key late)."""
    return max(0.0, AUTOSAVE_INTERVAL - (now - first_unsaved))


# --------------------------------------------------------------------------
# The pane
# --------------------------------------------------------------------------


# The jobs live in mixins, one module each (editor_modes, editor_save, editor_findings,
# editor_actions, editor_insert, editor_preview, editor_status); this class composes
# the widgets, holds the state, the keys and the @on handlers (Textual only collects
# those from classes built by its metaclass, which the plain mixins are not).
class EditorPane(EditorModesMixin, EditorSaveMixin, EditorFindingsMixin, EditorActionsMixin,
                 WorkflowActionsMixin, EditorInsertMixin, EditorPreviewMixin, EditorStatusMixin,
                 EditorPlaceholdersMixin, Pane):
    BINDINGS = [
        Binding("e", "edit", N_("Edit"), id="editor.edit"),
        Binding("escape", "stop_editing", N_("Stop editing"), id="editor.stop"),
        Binding("p", "toggle_preview", N_("Preview"), id="editor.preview"),
        Binding("d", "draft", N_("Draft"), id="editor.draft"),
        Binding("r", "render", N_("Render PDF"), id="editor.render"),
        Binding("v", "versions", N_("Versions"), id="editor.versions"),
        Binding("t", "timeline", N_("Timeline"), id="editor.timeline"),
        *WORKFLOW_BINDINGS,
        Binding("i", "insert_phrase", N_("Insert phrase"), id="editor.phrase"),
        Binding("n", "next_placeholder", N_("Next placeholder"), id="editor.next_placeholder"),
        Binding("E", "external_editor", N_("Open in $EDITOR"), show=False,
                id="editor.external"),
        Binding("D", "download_pdf", N_("Download PDF"), id="editor.download"),
    ]
    DEFAULT_CSS = """
    EditorPane #editor-empty {
        color: $text-muted;
        padding: 1 2;
        height: auto;
    }
    EditorPane #editor-body {
        height: 1fr;
    }
    EditorPane #editor-status-row {
        height: 1;
        padding: 0 1;
    }
    EditorPane #editor-status {
        width: 1fr;
        color: $text-muted;
    }
    EditorPane #editor-progress {
        display: none;
        width: 22;
    }
    EditorPane.busy #editor-progress {
        display: block;
    }
    EditorPane #editor-main {
        height: 1fr;
    }
    EditorPane #editor-outline {
        width: 24;
        text-wrap: nowrap;
        text-overflow: ellipsis;
        height: 1fr;
        border: none;
        border-right: solid $surface-lighten-2;
        padding: 0;
    }
    EditorPane.slim #editor-outline {
        width: 18;
    }
    EditorPane.tiny #editor-outline {
        display: none;
    }
    EditorPane #editor-views {
        width: 1fr;
        height: 1fr;
    }
    EditorPane #editor-text {
        height: 1fr;
        border: none;
        padding: 0;
    }
    EditorPane #editor-text:focus {
        border: none;
    }
    EditorPane #editor-findings {
        height: auto;
        max-height: 8;
        border: none;
        border-top: solid $surface-lighten-2;
        border-title-color: $text-muted;
        padding: 0;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    EditorPane.short #editor-findings {
        max-height: 3;
    }
    EditorPane #editor-finding-detail {
        height: auto;
        max-height: 4;
        padding: 0 1;
        color: $text-muted;
    }
    EditorPane.short #editor-finding-detail {
        max-height: 3;
    }
    """ + PREVIEW_CSS

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.case: Case | None = None
        self.findings: list[Finding] = []  # the letter's (of the text shown) and _case_findings
        self.render_findings: list[Finding] = []
        self._letter_findings: list[Finding] = []
        # What blocks in the case's other areas (evidence, ...), for the case last shown.
        self._case_findings: list[Finding] = []
        self._saved_text = ""  # what the last completed save (or load) put on disk
        self._saved_at: datetime | None = None
        self._first_unsaved: float | None = None
        self._save_timer: Timer | None = None
        self._lint_timer: Timer | None = None
        self._save_seq = 0
        self._lint_seq = 0
        # Guarded by _save_lock (read and written in save workers): the draft as we
        # last saw it on disk, per case — the base for noticing changes made elsewhere.
        self._save_lock = threading.Lock()
        self._known_disk: dict[str, str] = {}
        self._outline_lines: list[int] = []
        # Kept here, not queried: the text must still be readable while unmounting.
        self._area = LetterArea(id="editor-text", soft_wrap=True, show_line_numbers=True,
                                tab_behavior="focus", highlight_cursor_line=False,
                                classes="edit-only")  # Tab skips it: screens/place.py

    def compose(self) -> ComposeResult:
        yield Static("", id="editor-empty")
        with Vertical(id="editor-body"):
            with Horizontal(id="editor-status-row"):
                yield Static("", id="editor-status", markup=False)
                yield ProgressBar(id="editor-progress", show_eta=False, show_percentage=False)
            yield RejectionNote(id="editor-rejection")
            with Horizontal(id="editor-main"):
                yield List(id="editor-outline")
                with ContentSwitcher(initial="editor-text", id="editor-views"):
                    yield self._area
                    with PreviewScroll(id="editor-preview", can_focus=True):
                        yield Static("", id="editor-preview-body")
            yield List(id="editor-findings")
            yield Static("", id="editor-finding-detail")

    def on_mount(self) -> None:
        self.border_title = _("Letter")
        self._show_empty(_("Select a case in the inbox (key 1)."))

    def on_resize(self) -> None:
        self.set_class(self.size.width < 90, "slim")
        self.set_class(self.size.width < 56, "tiny")
        self.set_class(self.size.height < 30, "short")

    # -- widgets ---------------------------------------------------------------
    @property
    def text_area(self) -> TextArea:
        return self._area

    @property
    def text(self) -> str:
        return self.text_area.text

    @property
    def dirty(self) -> bool:
        return self.case is not None and self.text != self._saved_text

    def _show_empty(self, message: str) -> None:
        empty = self.query_one("#editor-empty", Static)
        empty.update(message)
        empty.display = True
        self.query_one("#editor-body").display = False

    # -- showing a case -------------------------------------------------------
    @guarded(N_("Showing the case failed"))
    def show_case(self, case: Case | None) -> None:
        previous = self.case
        if previous is not None and (case is None or case.id != previous.id) and self.dirty:
            self._start_save()  # the old case's text, before the area shows another
        self.case = case
        if case is None:
            self._show_empty(_("Select a case in the inbox (key 1)."))
            return
        self.query_one("#editor-empty").display = False
        self.query_one("#editor-body").display = True
        self.query_one(RejectionNote).show_case(case)
        disk = case.letter.draft
        if previous is None or previous.id != case.id:
            self._case_findings = []  # the other case's; this one's come from a worker
            self._load(case, disk, cursor_row=0)
        elif disk != self.text and disk != self._saved_text:
            self._changed_elsewhere(case, disk)  # a draft, the CLI, another operator
        elif disk == self.text:
            self._saved_text = disk
        self.render_findings = []
        self._update_status()
        self._lint_now()
        self._case_findings_worker(case)

    # -- typing: checks and autosave --------------------------------------------
    @on(TextArea.Changed, "#editor-text")
    def _text_changed(self) -> None:
        if self.case is None:
            return
        was_dirty = self._first_unsaved is not None
        if self.dirty:
            self._schedule_save()
        else:
            self._first_unsaved = None
        if self._lint_timer is not None:
            self._lint_timer.stop()
        self._lint_timer = self.set_timer(LINT_DEBOUNCE, self._lint_now, name="lint")
        self.render_findings = []
        if was_dirty != self.dirty:  # not on every keystroke: the checks refresh the count
            self._update_status()

    def _schedule_save(self) -> None:
        """Save AUTOSAVE_INTERVAL after the first unsaved change (a throttle): later keys
        leave the timer alone, so continuous typing saves about once a second."""
        now = monotonic()
        if self._first_unsaved is None:
            self._first_unsaved = now
        delay = autosave_delay(self._first_unsaved, now)
        if delay <= 0:
            # The key was handled after the deadline (a busy loop): save now. (A Textual
            # timer of length 0 never fires, and fails when stopped at exit.)
            self._stop_save_timer()
            self._start_save()
            return
        if self._save_timer is None:
            self._save_timer = self.set_timer(delay, self._autosave_due, name="autosave")

    @on(OptionList.OptionHighlighted, "#editor-findings")
    def _finding_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        self._show_finding_detail()

    # -- moving around (jump_to_line: editor_modes) ------------------------------
    @on(OptionList.OptionSelected, "#editor-outline")
    def _outline_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.jump_to_line(int((event.option.id or "line-1").removeprefix("line-")))

    @on(OptionList.OptionSelected, "#editor-findings")
    def _finding_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._open_finding(int((event.option.id or "finding-0").removeprefix("finding-")))

    @on(TextArea.SelectionChanged, "#editor-text")
    def _cursor_moved(self) -> None:
        self._highlight_finding_at_cursor()
