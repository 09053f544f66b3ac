"""``?``: the keys of the pane the operator is in, grouped, from the same bindings the
footer shows.

Three groups: this pane's own keys (the focused widget and the panes around it),
moving around (pane switches, up and down), and keys that work everywhere (the app).
Only AppealDesk's own bindings are listed (they carry an ``id``): the moves Textual's
widgets bring (``Cursor left``, ``Page Left``, ``super+c``) are widget internals, not the
operator's keys. A binding's ``tooltip``, when it has one, is the longer label that
says what the key does ("Show closed cases"); the footer keeps the short one.
The list scrolls with the moving keys of every list (j/k, g/G, ctrl+d/ctrl+u) and the arrows.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.table import Table
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from appealdesk.i18n import N_, _
from appealdesk.widgets.footer import key_description
from appealdesk.widgets.nav_keys import half_page

PANE, NAVIGATION, APP = "pane", "navigation", "app"
GROUP_TITLES = {PANE: N_("This pane"), NAVIGATION: N_("Moving around"),
                APP: N_("Everywhere")}
# Actions that move the cursor or the focus rather than do something to a case.
_MOVES = ("cursor_", "nav_", "scroll_", "move", "focus", "page_", "first", "last", "home", "end",
          "pop_screen")


@dataclass(frozen=True)
class KeyRow:
    key: str
    description: str  # translated
    group: str
    action: str


def binding_label(binding: Binding) -> str:
    """What the key does, in the interface language (the tooltip when there is one)."""
    long = binding.tooltip if isinstance(binding.tooltip, str) and binding.tooltip else ""
    return key_description(long or binding.description)


def operator_keys(screen: Screen) -> list[KeyRow]:
    """AppealDesk's own keys active on ``screen``, one row per action, grouped."""
    rows: list[KeyRow] = []
    seen: set[str] = set()
    for active in screen.active_bindings.values():
        b = active.binding
        if not b.id or not b.description or b.action in seen:
            continue  # no id: a Textual widget's built-in move, not ours to explain
        seen.add(b.action)
        if isinstance(active.node, App):
            group = APP
        elif isinstance(active.node, Screen) or b.action.startswith(_MOVES):
            group = NAVIGATION
        else:
            group = PANE
        shown = b.key_display or screen.app.get_key_display(b)
        rows.append(KeyRow(shown, binding_label(b), group, b.action))
    order = {PANE: 0, NAVIGATION: 1, APP: 2}
    return sorted(rows, key=lambda r: order[r.group])  # stable: binding order kept


def key_rows(screen: Screen) -> list[tuple[str, str]]:
    """(key, description) for every operator key of ``screen``, pane keys first."""
    return [(r.key, r.description) for r in operator_keys(screen)]


class HelpScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll {
        width: 64; max-width: 100%; height: auto; max-height: 90%;
        border: round $accent; background: $panel; padding: 0 1;
    }
    HelpScreen .help-group { text-style: bold; color: $accent; margin-top: 1; }
    """
    BINDINGS = [
        Binding("escape", "dismiss", N_("Close"), id="help.close"),
        Binding("question_mark", "dismiss", N_("Close"), key_display="?", show=False,
                id="help.close2"),
        Binding("j,down", "scroll(1)", N_("Scroll down"), show=False, id="help.down"),
        Binding("k,up", "scroll(-1)", N_("Scroll up"), show=False, id="help.up"),
        Binding("g", "scroll_to(0)", N_("First"), show=False, id="help.first"),
        Binding("G", "scroll_to(-1)", N_("Last"), show=False, id="help.last"),
        Binding("ctrl+d", "half(1)", N_("Half a page down"), show=False, id="help.half_down"),
        Binding("ctrl+u", "half(-1)", N_("Half a page up"), show=False, id="help.half_up"),
    ]

    def __init__(self, below: Screen) -> None:
        super().__init__()
        self.below = below

    def compose(self) -> ComposeResult:
        rows = operator_keys(self.below)
        with VerticalScroll() as scroll:
            scroll.border_title = _("Keys — esc to close")
            scroll.can_focus = False  # j/k belong to this screen, not to the scroll view
            for group in (PANE, NAVIGATION, APP):
                mine = [r for r in rows if r.group == group]
                if not mine:
                    continue
                yield Static(_(GROUP_TITLES[group]), classes="help-group")
                table = Table(box=None, show_header=False, expand=True, padding=(0, 1))
                table.add_column(style="bold", no_wrap=True, min_width=8)
                table.add_column(ratio=1)
                for r in mine:
                    table.add_row(r.key, r.description)
                yield Static(table)
            yield Static(_("Tip: ctrl+p opens the command palette; every key is there too."),
                         classes="empty")

    def action_scroll(self, lines: int) -> None:
        self.query_one(VerticalScroll).scroll_relative(y=lines, animate=False)

    def action_scroll_to(self, where: int) -> None:
        scroll = self.query_one(VerticalScroll)
        scroll.scroll_to(y=scroll.max_scroll_y if where < 0 else 0, animate=False)

    def action_half(self, direction: int) -> None:
        self.action_scroll(direction * half_page(self.query_one(VerticalScroll)))
