"""The letter's versions: pick two and compare them; and the "draft a new version?" question.

The comparison is a line diff (difflib) with the changed words marked. On a
wide terminal the two versions stand side by side (a two-column table keeps
wrapped lines aligned); below 120 columns they are stacked as one unified diff
(removed lines, then added lines). Long unchanged stretches are folded.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import SelectionList, Static
from textual.widgets.selection_list import Selection

from appealdesk.cases.model import Case
from appealdesk.i18n import N_, _
from appealdesk.i18n_dates import moment
from appealdesk.letter.versions import origin_name
from appealdesk.letter.words import count_words, words_label
from appealdesk.screens.dialogs.confirm import ConfirmScreen
from appealdesk.widgets.nav_keys import ListKeys, Scroll

WIDE_FROM = 120  # columns: side by side from here, stacked below
CONTEXT = 2  # unchanged lines kept around each change
UNSAVED = 0  # the pseudo version number of the editor's unsaved text

OLD_STYLE = "on #4b1818"
NEW_STYLE = "on #173f1f"
OLD_WORD = "bold white on #8b2020"
NEW_WORD = "bold white on #1f6f2f"


@dataclass(frozen=True)
class Side:
    label: str
    text: str


def _words_marked(old: str, new: str) -> tuple[Text, Text]:
    """Two changed lines with the words that differ marked."""
    a, b = old.split(" "), new.split(" ")
    left, right = Text(style=OLD_STYLE), Text(style=NEW_STYLE)
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        same = tag == "equal"
        if i2 > i1:
            left.append(" ".join(a[i1:i2]), None if same else OLD_WORD)
            left.append(" ")
        if j2 > j1:
            right.append(" ".join(b[j1:j2]), None if same else NEW_WORD)
            right.append(" ")
    left.rstrip()
    right.rstrip()
    return left, right


def diff_rows(old: str, new: str, context: int = CONTEXT) -> list[tuple[Text | None, Text | None]]:
    """Aligned (left, right) rows; (None, None) stands for folded unchanged lines, which
    are then given as a count in the left Text of the next row pair."""
    a, b = old.splitlines(), new.splitlines()
    rows: list[tuple[Text | None, Text | None]] = []
    ops = difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    for index, (tag, i1, i2, j1, j2) in enumerate(ops):
        if tag == "equal":
            n = i2 - i1
            head = context if index > 0 else 0
            tail = context if index < len(ops) - 1 else 0
            if n > head + tail + 1:
                keep = list(range(i1, i1 + head))
                folded = n - head - tail
                keep_tail = list(range(i2 - tail, i2))
            else:
                keep, folded, keep_tail = list(range(i1, i2)), 0, []
            for i in keep:
                rows.append((Text(a[i], style="dim"), Text(a[i], style="dim")))
            if folded:
                note = Text(_("⋯ {n} unchanged lines").format(n=folded), style="italic dim")
                rows.append((note, note.copy()))
            for i in keep_tail:
                rows.append((Text(a[i], style="dim"), Text(a[i], style="dim")))
            continue
        left, right = a[i1:i2], b[j1:j2]
        for k in range(max(len(left), len(right))):
            lt = left[k] if k < len(left) else None
            rt = right[k] if k < len(right) else None
            if lt is not None and rt is not None:
                rows.append(_words_marked(lt, rt))
            else:
                rows.append((Text(lt, style=OLD_STYLE) if lt is not None else None,
                             Text(rt, style=NEW_STYLE) if rt is not None else None))
    return rows


def side_by_side(old: Side, new: Side) -> RenderableType:
    table = Table(expand=True, box=None, padding=(0, 1), show_edge=False)
    table.add_column(Text(old.label, style="bold red"), ratio=1, overflow="fold")
    table.add_column(Text(new.label, style="bold green"), ratio=1, overflow="fold")
    for left, right in diff_rows(old.text, new.text):
        table.add_row(left or Text(""), right or Text(""))
    if old.text == new.text:
        return Group(table, Text(_("The two versions are the same."), style="italic"))
    return table


def stacked(old: Side, new: Side) -> Table:
    """One column: each change as the old lines (-) then the new ones (+); a mark column
    keeps wrapped lines indented."""
    table = Table.grid(padding=(0, 1))
    table.add_column(width=1, no_wrap=True)
    table.add_column(ratio=1, overflow="fold")
    table.add_row(Text("-", style="bold red"), Text(old.label, style="bold red"))
    table.add_row(Text("+", style="bold green"), Text(new.label, style="bold green"))
    removed: list[Text] = []
    added: list[Text] = []

    def flush() -> None:
        for t in removed:
            table.add_row(Text("-", style="red"), t)
        for t in added:
            table.add_row(Text("+", style="green"), t)
        removed.clear()
        added.clear()

    for left, right in diff_rows(old.text, new.text):
        if left is not None and right is not None and left.plain == right.plain:
            flush()
            table.add_row("", left)
            continue
        if left is not None:
            removed.append(left)
        if right is not None:
            added.append(right)
    flush()
    if old.text == new.text:
        table.add_row("", Text(_("The two versions are the same."), style="italic"))
    return table


class _Picks(ListKeys, SelectionList[int]):
    BINDINGS = ListKeys.NAV_BINDINGS


class LetterVersionsScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    LetterVersionsScreen {
        align: center middle;
    }
    LetterVersionsScreen > #versions {
        width: 96%;
        height: 94%;
        border: round $accent;
        background: $surface;
        padding: 0 1;
    }
    LetterVersionsScreen #versions-list {
        height: auto;
        max-height: 8;
        border: none;
        padding: 0;
    }
    LetterVersionsScreen.narrow #versions-list {
        max-height: 5;
    }
    LetterVersionsScreen #versions-hint {
        color: $text-muted;
        height: 1;
    }
    LetterVersionsScreen #versions-diff {
        height: 1fr;
        border-top: solid $surface-lighten-2;
    }
    """
    BINDINGS = [Binding("escape", "close", N_("Close"), id="versions.close")]

    def __init__(self, case: Case, current_text: str | None = None) -> None:
        super().__init__()
        self.case = case
        self.sides: dict[int, Side] = {}
        for v in case.letter.versions:
            self.sides[v.version] = Side(
                _("version {n} · {origin} · {when}").format(
                    n=v.version, origin=origin_name(v.origin),
                    when=moment(v.saved)), v.text)
        latest = case.letter.versions[-1].text if case.letter.versions else case.letter.draft
        if current_text is not None and current_text != latest:
            self.sides[UNSAVED] = Side(_("the editor (not saved yet)"), current_text)
        self.picked: list[int] = sorted(self.sides, key=_order)[-2:]

    def compose(self) -> ComposeResult:
        with Vertical(id="versions"):
            yield Static(_("Versions of the letter of {case_id}").format(case_id=self.case.id),
                         classes="title")
            yield _Picks(*self._selections(), id="versions-list")
            yield Static(_("space: pick two to compare · esc: close"), id="versions-hint")
            with Scroll(id="versions-diff"):
                yield Static("", id="versions-diff-body")

    def _selections(self) -> list[Selection[int]]:
        rows = []
        for number in sorted(self.sides, key=_order, reverse=True):  # newest first
            side = self.sides[number]
            words = words_label(count_words(side.text))
            rows.append(Selection(f"{side.label} · {words}", number,
                                  number in self.picked))
        return rows

    def on_mount(self) -> None:
        self.query_one("#versions > .title", Static).styles.text_style = "bold"
        self._apply_width(self.app.size.width)
        self._show_diff()

    def on_resize(self, event) -> None:
        self._apply_width(event.size.width)
        self._show_diff()

    def _apply_width(self, width: int) -> None:
        self.set_class(width < WIDE_FROM, "narrow")

    def on_selection_list_selected_changed(self, event: SelectionList.SelectedChanged) -> None:
        chosen = list(event.selection_list.selected)
        # Keep the order of picking: a third pick drops the oldest one.
        self.picked = [n for n in self.picked if n in chosen] + [
            n for n in chosen if n not in self.picked]
        if len(self.picked) > 2:
            dropped = self.picked.pop(0)
            event.selection_list.deselect(dropped)
        self._show_diff()

    def _show_diff(self) -> None:
        body = self.query_one("#versions-diff-body", Static)
        if len(self.sides) < 2:
            body.update(Text(_("There is only one version so far. A version is kept for every "
                               "draft, import and editing session."), style="italic"))
            return
        if len(self.picked) < 2:
            body.update(Text(_("Pick two versions to compare (space)."), style="italic"))
            return
        old, new = (self.sides[n] for n in sorted(self.picked, key=_order))
        body.update(stacked(old, new) if self.has_class("narrow") else side_by_side(old, new))

    def action_close(self) -> None:
        self.dismiss(None)


def _order(number: int) -> float:
    return float("inf") if number == UNSAVED else number


class NewVersionScreen(ConfirmScreen):
    """The letter was edited: draft beside it as a new version, or leave it."""

    BINDINGS = [
        Binding("escape,n", "answer(False)", N_("Cancel"), id="new_version.cancel"),
        Binding("y", "answer(True)", N_("New version"), id="new_version.yes"),
    ]
    BOX_ID = "new-version"

    def __init__(self, edited_version: int) -> None:
        super().__init__()
        self.edited_version = edited_version

    def question(self) -> ComposeResult:
        yield Static(_("The letter was edited (version {n}). A new draft does not replace "
                       "it: draft a new version beside it? The edited text stays as "
                       "version {n}; compare them with v.").format(n=self.edited_version))

    def yes_label(self) -> str:
        return _("New version (y)")
