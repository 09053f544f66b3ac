"""``?``: every key of the screen below, from the same bindings the footer shows."""

from __future__ import annotations

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from appealdesk.i18n import N_, _
from appealdesk.widgets.footer import key_description


def key_rows(screen: Screen) -> list[tuple[str, str]]:
    """(key, description) for every binding active on ``screen``, app keys included."""
    ours, builtin, seen = [], [], set()
    for key, active in screen.active_bindings.items():
        b = active.binding
        if not b.description or (b.action, key) in seen:
            continue
        seen.add((b.action, key))
        row = (b.key_display or screen.app.get_key_display(b), key_description(b.description))
        # AppealDesk's own keys carry ids; a widget's built-in moves (cursor, paging) go last.
        (ours if b.id else builtin).append(row)
    return ours + builtin


class HelpScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll {
        width: 64; max-width: 100%; height: auto; max-height: 90%;
        border: round $accent; background: $panel; padding: 0 1;
    }
    """
    BINDINGS = [
        Binding("escape", "dismiss", N_("Close"), id="help.close"),
        Binding("question_mark", "dismiss", N_("Close"), key_display="?", show=False,
                id="help.close2"),
    ]

    def __init__(self, below: Screen) -> None:
        super().__init__()
        self.below = below

    def compose(self) -> ComposeResult:
        table = Table(box=None, show_header=False, expand=True, padding=(0, 1))
        table.add_column(style="bold", no_wrap=True)
        table.add_column(ratio=1)
        for key, description in key_rows(self.below):
            table.add_row(key, description)
        with VerticalScroll() as scroll:
            scroll.border_title = _("Keys — esc to close")
            yield Static(table)
            yield Static(_("Tip: ctrl+p opens the command palette; every key is there too."),
                         classes="empty")
