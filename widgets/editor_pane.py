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
While editing, the commands are hidden from the footer (``check_action``).

Nothing slow runs on the event loop: the checks (``letter.lint.lint_letter``)
run in a thread worker 0.5 s after typing stops, the preview is rendered to
styled lines by rich in a worker (Textual's Markdown widget is too slow for a
long letter, see DESIGN.md), and so are drafting and the PDF.

Autosave: a change is saved 1 s after typing stops, and at the latest 1.5 s
after the first unsaved keystroke while typing goes on, so a crash loses at most
the last two seconds; a dropped SSH connection (SIGHUP) makes the app leave as on
``q``, and the pane saves on the way out. Saves run in a thread worker
through ``Store.editing`` (locked, atomic). Continuous typing updates the
current "edited" version (``letter.versions.save_edit``). If the letter changed
on disk since we loaded it (another window, another operator, the CLI), our
text is saved as a new version beside theirs, never over it. The pane saves
once more when it is unmounted (app exit). The text area is plain: its
Markdown highlighting needs tree-sitter, which textual 8.2.8 does not ship.
"""

from __future__ import annotations

import io
import os
import re
import shlex
import subprocess
import tempfile
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.timer import Timer
from textual.widgets import ContentSwitcher, OptionList, ProgressBar, Static, TextArea
from textual.widgets.option_list import Option
from textual.widgets.text_area import Selection

from appealdesk.app import guarded
from appealdesk.cases.errors import CaseLocked, StoreError
from appealdesk.cases.model import Case, LetterVersion
from appealdesk.checks.base import BLOCKING, Finding
from appealdesk.i18n import N_, _
from appealdesk.operations import letters, submissions
from appealdesk.operations.letters import SaveResult
from appealdesk.widgets.fixes import finding_text
from appealdesk.widgets.pane import Pane

LINT_DEBOUNCE = 0.5  # seconds after the last keystroke
AUTOSAVE_DEBOUNCE = 1.0  # seconds after the last keystroke
AUTOSAVE_MAX_WAIT = 1.5  # seconds after the first unsaved keystroke, however fast one types
monotonic = time.monotonic  # the autosave's clock (tests move it on)
LOCKED_RETRY = 1.0  # seconds before saving again when another writer holds the case
# The promise of the issue: at most this much typing is lost in a crash.
MAX_LOSS = 2.0
assert AUTOSAVE_MAX_WAIT < MAX_LOSS and AUTOSAVE_DEBOUNCE < MAX_LOSS

# Commands typed as plain letters: hidden while the text area has the keys.
COMMANDS = {"edit", "toggle_preview", "draft", "render", "versions", "timeline",
            "external_editor", "insert_phrase"}
NEEDS_CASE = COMMANDS - {"edit"}


# --------------------------------------------------------------------------
# Pure helpers (no Textual): saving, the external editor, the preview
# --------------------------------------------------------------------------


def autosave_delay(first_unsaved: float, now: float) -> float:
    """Seconds from a keystroke at ``now`` to the save: the debounce, cut short so the
    save comes at most AUTOSAVE_MAX_WAIT after the first unsaved keystroke."""
    return min(AUTOSAVE_DEBOUNCE, max(0.0, AUTOSAVE_MAX_WAIT - (now - first_unsaved)))


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


def preview_text(markdown: str, width: int) -> Text:
    """The letter as rich renders Markdown, flattened into styled lines (runs in a worker:
    the event loop then only paints a ready-made Text)."""
    from rich.console import Console
    from rich.markdown import Markdown

    console = Console(width=max(20, width), file=io.StringIO(), color_system="truecolor",
                      force_terminal=True, legacy_windows=False)
    lines = console.render_lines(Markdown(markdown, hyperlinks=False), pad=False)
    out = Text(no_wrap=True, end="")
    for n, line in enumerate(lines):
        if n:
            out.append("\n")
        for segment in line:
            if not segment.control:
                out.append(segment.text, segment.style)
    return out


def finding_line(finding: Finding) -> int | None:
    """The 1-based letter line a finding is about, if any ("letter:12")."""
    kind, _sep, rest = finding.where.partition(":")
    if kind == "letter" and rest.isdigit():
        return int(rest)
    return None


def finding_prompt(finding: Finding) -> Text:
    style = "bold red" if finding.severity == BLOCKING else "bold yellow"
    text = Text(no_wrap=True, overflow="ellipsis")
    text.append("✗ " if finding.severity == BLOCKING else "~ ", style=style)
    if finding.where:
        text.append(f"{finding.where} ", style="dim")
    text.append(finding.code, style=style)
    text.append(f" {finding.message}", style="dim")
    return text


# --------------------------------------------------------------------------
# The pane
# --------------------------------------------------------------------------


class EditorPane(Pane):
    BINDINGS = [
        Binding("e", "edit", N_("Edit"), id="editor.edit"),
        Binding("escape", "stop_editing", N_("Stop editing"), id="editor.stop"),
        Binding("p", "toggle_preview", N_("Preview"), id="editor.preview"),
        Binding("d", "draft", N_("Draft"), id="editor.draft"),
        Binding("r", "render", N_("Render PDF"), id="editor.render"),
        Binding("v", "versions", N_("Versions"), id="editor.versions"),
        Binding("t", "timeline", N_("Timeline"), id="editor.timeline"),
        Binding("i", "insert_phrase", N_("Insert phrase"), id="editor.phrase"),
        Binding("E", "external_editor", N_("Open in $EDITOR"), show=False,
                id="editor.external"),
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
    EditorPane #editor-preview {
        height: 1fr;
        padding: 0 1;
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
    """

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
        self._area = TextArea(id="editor-text", soft_wrap=True, show_line_numbers=True,
                              tab_behavior="focus", highlight_cursor_line=False)

    def compose(self) -> ComposeResult:
        yield Static("", id="editor-empty")
        with Vertical(id="editor-body"):
            with Horizontal(id="editor-status-row"):
                yield Static("", id="editor-status", markup=False)
                yield ProgressBar(id="editor-progress", show_eta=False, show_percentage=False)
            with Horizontal(id="editor-main"):
                yield OptionList(id="editor-outline")
                with ContentSwitcher(initial="editor-text", id="editor-views"):
                    yield self._area
                    with VerticalScroll(id="editor-preview", can_focus=True):
                        yield Static("", id="editor-preview-body")
            yield OptionList(id="editor-findings")
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

    def editing(self) -> bool:
        return self.text_area.has_focus

    def focus_first(self) -> None:
        outline = self.query_one("#editor-outline", OptionList)
        target = outline if outline.display and outline.option_count else (
            self.query_one("#editor-findings", OptionList))
        if self.case is None or not target.display:
            self.focus()
            return
        target.focus()

    def _show_empty(self, message: str) -> None:
        empty = self.query_one("#editor-empty", Static)
        empty.update(message)
        empty.display = True
        self.query_one("#editor-body").display = False

    def _preview_shown(self) -> bool:
        return self.query_one("#editor-views", ContentSwitcher).current == "editor-preview"

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
        disk = case.letter.draft
        if previous is None or previous.id != case.id:
            self._case_findings = []  # the other case's; this one's come from a worker
            self._load(case, disk, cursor_row=0)
        elif disk != self.text and disk != self._saved_text:
            # The letter changed on disk (a draft, the CLI, another operator).
            if self.dirty:
                self.notify(_("The letter of {case_id} was changed elsewhere. Your text stays "
                              "here and is saved as a new version beside it.").format(
                    case_id=case.id), title=_("Letter changed"), severity="warning", timeout=10)
            else:
                self._load(case, disk, cursor_row=self.text_area.cursor_location[0])
        elif disk == self.text:
            self._saved_text = disk
        self.render_findings = []
        self._update_status()
        self._lint_now()
        self._case_findings_worker(case)

    def _load(self, case: Case, text: str, cursor_row: int) -> None:
        with self._save_lock:
            self._known_disk[case.id] = text
        self._saved_text = text
        self._saved_at = None
        self._first_unsaved = None
        if self._save_timer is not None:
            self._save_timer.stop()
        area = self.text_area
        area.load_text(text)
        row = min(cursor_row, max(0, area.document.line_count - 1))
        area.move_cursor((row, 0))

    def _update_status(self) -> None:
        case = self.case
        if case is None:
            return
        letter = case.letter
        parts = []
        if not self.text.strip():
            parts.append(_("No letter yet · d: draft one from the case"))
        if letter.version:
            parts.append(_("version {n} of {m}").format(n=letter.version,
                                                        m=len(letter.versions)))
        if self.dirty:
            parts.append(_("● unsaved"))
        elif self._saved_at is not None:
            parts.append(_("saved {time}").format(
                time=self._saved_at.astimezone().strftime("%H:%M:%S")))
        from appealdesk.checks.letter_phrases import count_words

        if self.text.strip():
            parts.append(_("{n} words").format(n=count_words(self.text)))
        if self.editing():
            parts.append(_("esc: stop editing"))
        elif self._preview_shown():
            parts.append(_("preview · p: back to the text"))
        else:
            parts.append(_("e: edit"))
        self.query_one("#editor-status", Static).update(" · ".join(parts))

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
        """Save 1 s after the last change, and at most 1.5 s after the first unsaved one."""
        now = monotonic()
        if self._first_unsaved is None:
            self._first_unsaved = now
        delay = autosave_delay(self._first_unsaved, now)
        if self._save_timer is not None:
            self._save_timer.stop()
            self._save_timer = None
        if delay <= 0:
            # The key was handled after the deadline (a busy loop). Save now: a Textual
            # timer of length 0 never fires (and fails when stopped at exit).
            self._start_save()
            return
        self._save_timer = self.set_timer(delay, self._start_save, name="autosave")

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
            self._save_timer = self.set_timer(LOCKED_RETRY, self._start_save, name="autosave")
        else:
            self.notify(_("{error}. Your text stays in the editor; it is saved again after "
                          "your next change.").format(error=exc), title=_("Not saved"),
                        severity="error", timeout=12)

    def on_unmount(self) -> None:
        self.save_now()

    def _lint_now(self) -> None:
        if self.case is None:
            return
        self._lint_seq += 1
        self._lint_worker(self.case, self.text, self._lint_seq)
        if self._preview_shown():
            self._refresh_preview()

    # Not exclusive: cancelling a thread does not stop it, and a cancelled worker fails
    # whoever waits for it; each run carries a number and only the newest is shown.
    @work(thread=True, group="editor-lint", exit_on_error=False)
    def _lint_worker(self, case: Case, text: str, seq: int = 0) -> None:
        from appealdesk.checks.letter import LintInput, lint_letter
        from appealdesk.checks.letter_sections import split_sections

        ws = self.app.workspace
        policy = ws.policy_for(case)
        findings = lint_letter(LintInput(
            text=text, case=case, policy=policy, now=ws.now(),
            other_cases=ws.cases_like(case), user_dir=ws.store.policies_dir))
        outline = [(s.title, s.line, s.level) for s in _outline(split_sections(text), text)]
        if seq == self._lint_seq:
            self.app.call_from_thread(self._show_findings, case.id, findings, outline)

    # Not exclusive: a newer case shown does not cancel it; a stale answer is dropped.
    @work(thread=True, group="editor-case-findings", exit_on_error=False)
    def _case_findings_worker(self, case: Case) -> None:
        """The case's blocking findings of every other area (evidence, ...): the letter
        pane is where the operator renders, so it shows everything that blocks."""
        from appealdesk.checks.letter import other_area_findings

        ws = self.app.workspace
        found = [f for f in other_area_findings(case, ws.policy_for(case), ws.now(), ws)
                 if f.severity == BLOCKING]
        self.app.call_from_thread(self._show_case_findings, case.id, found)

    def _show_case_findings(self, case_id: str, found: list[Finding]) -> None:
        if self.case is None or self.case.id != case_id or not self._widgets_present():
            return
        self._case_findings = found
        self._merge_findings()
        self._fill_findings()
        self._update_status()

    def _widgets_present(self) -> bool:
        return bool(self.is_mounted and self.query("#editor-outline")
                    and self.query("#editor-findings"))

    def _merge_findings(self) -> None:
        merged = self._letter_findings + self._case_findings
        self.findings = sorted(merged, key=lambda f: f.severity != BLOCKING)  # blocking first

    def _show_findings(self, case_id: str, findings: list[Finding],
                       outline: list[tuple[str, int, int]]) -> None:
        if self.case is None or self.case.id != case_id or not self._widgets_present():
            return  # another case, or the pane is going away while the worker ran
        self._letter_findings = findings
        self._merge_findings()
        self._fill_outline(outline)
        self._fill_findings()
        self._update_status()

    def _fill_outline(self, outline: list[tuple[str, int, int]]) -> None:
        widget = self.query_one("#editor-outline", OptionList)
        highlighted = widget.highlighted
        widget.clear_options()
        self._outline_lines = [line for _title, line, _level in outline]
        widget.add_options([Option(Text("  " * max(0, level - 1) + title, no_wrap=True,
                                        overflow="ellipsis"), id=f"line-{line}")
                            for title, line, level in outline])
        if outline:
            widget.highlighted = min(highlighted or 0, len(outline) - 1)

    def _fill_findings(self) -> None:
        widget = self.query_one("#editor-findings", OptionList)
        shown = self.render_findings + self.findings
        highlighted = widget.highlighted
        widget.clear_options()
        widget.add_options([Option(finding_prompt(f), id=f"finding-{i}")
                            for i, f in enumerate(shown)])
        blocking = sum(f.severity == BLOCKING for f in shown)
        if shown:
            widget.border_title = _("Findings: {b} blocking, {w} warnings").format(
                b=blocking, w=len(shown) - blocking)
            widget.highlighted = min(highlighted or 0, len(shown) - 1)
        else:
            widget.border_title = _("No findings")
        self._show_finding_detail()

    def _show_finding_detail(self) -> None:
        """The whole message of the highlighted finding (the list shows one line each)."""
        shown = self.render_findings + self.findings
        index = self.query_one("#editor-findings", OptionList).highlighted
        detail = self.query_one("#editor-finding-detail", Static)
        if index is None or index >= len(shown):
            detail.update("")
            detail.display = False
            return
        finding = shown[index]
        text = Text()
        text.append(finding.code, style="bold red" if finding.severity == BLOCKING
                    else "bold yellow")
        text.append(f": {finding_text(finding)}")
        detail.update(text)
        detail.display = True

    @on(OptionList.OptionHighlighted, "#editor-findings")
    def _finding_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        self._show_finding_detail()

    # -- moving around -----------------------------------------------------------
    def jump_to_line(self, line: int) -> None:
        """Edit at a 1-based line of the letter."""
        if self._preview_shown():
            self.query_one("#editor-views", ContentSwitcher).current = "editor-text"
        area = self.text_area
        row = min(max(0, line - 1), max(0, area.document.line_count - 1))
        area.move_cursor((row, 0), center=True)
        area.focus()

    @on(OptionList.OptionSelected, "#editor-outline")
    def _outline_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.jump_to_line(int((event.option.id or "line-1").removeprefix("line-")))

    @on(OptionList.OptionSelected, "#editor-findings")
    def _finding_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        shown = self.render_findings + self.findings
        index = int((event.option.id or "finding-0").removeprefix("finding-"))
        line = finding_line(shown[index]) if index < len(shown) else None
        if line is not None:
            self.jump_to_line(line)
        elif index < len(shown):
            self.notify(shown[index].message, title=shown[index].code, timeout=8)

    @on(TextArea.SelectionChanged, "#editor-text")
    def _cursor_moved(self) -> None:
        """Highlight the finding about the cursor's line, if there is one."""
        row = self.text_area.cursor_location[0] + 1
        shown = self.render_findings + self.findings
        for index, finding in enumerate(shown):
            if finding_line(finding) == row:
                self.query_one("#editor-findings", OptionList).highlighted = index
                break

    def on_descendant_focus(self) -> None:
        self._update_status()
        self.refresh_bindings()

    def on_descendant_blur(self) -> None:
        self.call_after_refresh(self._update_status)
        self.call_after_refresh(self.refresh_bindings)

    # -- commands -------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # True: shown and enabled; False: hidden; None: shown greyed out.
        editing = self.case is not None and self.editing()
        if action == "stop_editing":
            return editing
        if action == "external_editor" and self.app.is_web:
            return False  # no terminal to hand over in a browser
        if action in COMMANDS:
            if editing:
                return False  # the keys are text now; esc first
            if self.case is None and action in NEEDS_CASE:
                return None
        return True

    def action_edit(self) -> None:
        if self.case is None:
            return
        if self._preview_shown():
            self.query_one("#editor-views", ContentSwitcher).current = "editor-text"
        self.text_area.focus()

    def action_stop_editing(self) -> None:
        self.focus_first()

    def action_toggle_preview(self) -> None:
        if self.case is None:
            return
        switcher = self.query_one("#editor-views", ContentSwitcher)
        if self._preview_shown():
            switcher.current = "editor-text"
            self.focus_first()
        else:
            switcher.current = "editor-preview"
            self._refresh_preview()
            self.query_one("#editor-preview", VerticalScroll).focus()
        self._update_status()

    def _refresh_preview(self) -> None:
        # The switcher is laid out even while the preview was hidden; minus padding and
        # the scrollbar.
        width = self.query_one("#editor-views").size.width - 3
        self._preview_worker(self.text, width if width > 20 else 60)

    @work(thread=True, exclusive=True, group="editor-preview", exit_on_error=False)
    def _preview_worker(self, text: str, width: int) -> None:
        rendered = preview_text(text, width) if text.strip() else Text(
            _("The letter is empty."), style="dim")
        body = self.query_one("#editor-preview-body", Static)
        self.app.call_from_thread(body.update, rendered)

    # draft ---------------------------------------------------------------------
    def action_draft(self) -> None:
        if self.case is None:
            return
        self._draft_worker(self.case.id, self.text, False)

    def _busy(self, on: bool) -> None:
        self.set_class(on, "busy")
        if on:
            self.query_one("#editor-progress", ProgressBar).update(total=None, progress=0)

    @work(thread=True, exclusive=True, group="editor-draft", exit_on_error=False)
    def _draft_worker(self, case_id: str, text: str, new_version: bool) -> None:
        from appealdesk.letter.versions import DraftWouldOverwrite

        self.app.call_from_thread(self._busy, True)
        try:
            self._save_seq += 1
            saved = self._write(case_id, text, self._save_seq)  # keep the edits first
            if saved is not None:
                self.app.call_from_thread(self._saved, case_id, text, saved)
            with self._save_lock:
                version = letters.draft(self.app.workspace, case_id, new_version=new_version)
                self._known_disk[case_id] = version.text
        except DraftWouldOverwrite:
            self.app.call_from_thread(self._offer_new_version, case_id)
            return
        except (letters.NoPolicy, StoreError, OSError) as exc:
            self.app.call_from_thread(self.notify, str(exc), severity="error", timeout=10)
            return
        finally:
            self.app.call_from_thread(self._busy, False)
        self.app.call_from_thread(self._drafted, case_id, version)

    def _offer_new_version(self, case_id: str) -> None:
        from appealdesk.screens.dialogs.letter_versions import NewVersionScreen

        def answered(yes: bool | None) -> None:
            if yes and self.case is not None and self.case.id == case_id:
                self._draft_worker(case_id, self.text, True)

        version = self.case.letter.version if self.case else 0
        self.app.push_screen(NewVersionScreen(version), answered)

    def _drafted(self, case_id: str, version: LetterVersion) -> None:
        self.notify(_("Drafted version {n} ({origin}); the earlier text is kept as a version.")
                    .format(n=version.version, origin=version.origin), title=_("Draft"))
        if self.case is not None and self.case.id == case_id and not self.dirty:
            self._load(self.case, version.text, self.text_area.cursor_location[0])
        self.app.reload_case(case_id)

    # render ----------------------------------------------------------------------
    def action_render(self) -> None:
        """Render; with blocking findings, only as a DRAFT and only when confirmed."""
        from appealdesk.render.gate import NOT_ABOUT_THE_PDF

        if self.case is None:
            return
        blocking = [f for f in self.findings
                    if f.severity == BLOCKING and f.where not in NOT_ABOUT_THE_PDF]
        if not blocking:
            self._busy(True)
            self._render_worker(self.case.id, self.text, False)
            return
        from appealdesk.screens.dialogs.render_draft import RenderDraftScreen

        case_id, text = self.case.id, self.text

        def answered(yes: bool | None) -> None:
            if yes and self.case is not None and self.case.id == case_id:
                self._busy(True)
                self._render_worker(case_id, text, True)

        self.app.push_screen(RenderDraftScreen(blocking), answered)

    @work(thread=True, exclusive=True, group="editor-render", exit_on_error=False)
    def _render_worker(self, case_id: str, text: str, as_draft: bool) -> None:
        from appealdesk.render.fonts import FontMissing
        from appealdesk.render.gate import blocking_findings
        from appealdesk.render.pdf import RenderError

        ws = self.app.workspace
        try:
            self._save_seq += 1
            saved = self._write(case_id, text, self._save_seq)  # the PDF shows what is on disk
            if saved is not None:
                self.app.call_from_thread(self._saved, case_id, text, saved)
            case = ws.store.load(case_id)
            blocking = blocking_findings(ws, case)  # of the saved case, every area
            if blocking and not as_draft:
                raise RenderError(_("{n} blocking findings; render again to make a DRAFT")
                                  .format(n=len(blocking)))
            result = letters.render(ws, case_id, text=text, hold=self._save_lock,
                                    blocking=blocking or None)
        except (RenderError, FontMissing, StoreError, OSError) as exc:
            self.app.call_from_thread(self.notify, str(exc), title=_("Not rendered"),
                                      severity="error", timeout=12)
            return
        finally:
            self.app.call_from_thread(self._busy, False)
        self.app.call_from_thread(self._rendered, case_id, result)

    def _rendered(self, case_id: str, result) -> None:
        message = _("{path} ({pages} pages, {size} KB)").format(
            path=result.path, pages=result.pages, size=max(1, result.size // 1024))
        if result.draft:
            self.notify(message + "\n" + _("A DRAFT: watermarked and not for submission."),
                        title=_("DRAFT rendered"), severity="warning", timeout=12)
        elif result.ok:
            self.notify(message, title=_("Letter rendered"), timeout=10)
        else:
            self.notify(message + "\n" + _("It has blocking findings; see the list."),
                        title=_("Letter rendered"), severity="warning", timeout=12)
        if self.case is not None and self.case.id == case_id:
            self.render_findings = list(result.findings)
            self._fill_findings()
        self.app.reload_case(case_id)

    # versions and timeline ----------------------------------------------------------
    @guarded(N_("Showing the case failed"))
    def action_versions(self) -> None:
        if self.case is None:
            return
        from appealdesk.screens.dialogs.letter_versions import LetterVersionsScreen

        self.app.push_screen(LetterVersionsScreen(self.case, self.text))

    @guarded(N_("Showing the case failed"))
    def action_timeline(self) -> None:
        if self.case is None:
            return
        from appealdesk.screens.dialogs.submissions import SubmissionsScreen, TimelineChoice

        ws = self.app.workspace
        case_id = self.case.id

        def chosen(choice: TimelineChoice | None) -> None:
            if choice is None:
                return
            if choice.action == "followup_done":
                self._followup_done(case_id, choice.value)
            elif choice.action == "submit":
                self._submit(case_id, choice.value)
            elif choice.action in ("approved", "rejected"):
                self._outcome(case_id, choice.action, choice.value)

        self.app.push_screen(SubmissionsScreen(self.case, now=ws.now(),
                                               policy=ws.policy_for(self.case)), chosen)

    @work(thread=True, group="followup-done", exit_on_error=False)
    def _followup_done(self, case_id: str, followup: str) -> None:
        from appealdesk.operations.submissions import FollowupError

        self.apply_change(case_id, lambda ws, cid: submissions.followup_done(ws, cid, followup),
                          _("Follow-up done: {id}").format(id=followup), errors=(FollowupError,))

    @work(thread=True, group="submit", exit_on_error=False)
    def _submit(self, case_id: str, ticket: str) -> None:
        self.apply_change(
            case_id, lambda ws, cid: submissions.submit(ws, cid, ticket=ticket or None),
            _("Submission recorded"), errors=(submissions.SubmissionError,))

    @work(thread=True, group="outcome", exit_on_error=False)
    def _outcome(self, case_id: str, result: str, reason: str) -> None:
        self.apply_change(
            case_id, lambda ws, cid: submissions.outcome(ws, cid, result, reason=reason or None),
            _("Outcome recorded: {result}").format(
                result=_("approved") if result == "approved" else _("rejected")),
            errors=(submissions.SubmissionError,))

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
        values = (placeholder_values(facts_for_case(case, policy, now=ws.now(), workspace=ws))
                  if policy is not None else {"store": case.store, "case_id": case.id})
        language = policy.letter.language if policy is not None else "en"
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


@dataclass
class _Heading:
    title: str
    line: int
    level: int


def _outline(sections, text: str) -> list[_Heading]:
    """Headings with their level (the number of #), from lint's section split."""
    lines = text.splitlines()
    out = []
    for s in sections:
        if not s.title:
            continue
        raw = lines[s.line - 1].lstrip() if s.line - 1 < len(lines) else ""
        out.append(_Heading(s.title, s.line, max(1, len(raw) - len(raw.lstrip("#")))))
    return out
