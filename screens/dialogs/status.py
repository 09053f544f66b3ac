"""``c`` in the inbox: move the highlighted case to another status of its lifecycle.

Only the statuses the lifecycle allows from the current one are offered; the screen
returns the chosen status value (the caller runs ``operations.status.change_status``).
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from appealdesk.cases.model import Case, allowed_transitions
from appealdesk.i18n import N_, _


class StatusScreen(ModalScreen[str | None]):
    DEFAULT_CSS = """
    StatusScreen {
        align: center middle;
    }
    StatusScreen > #status {
        width: 50;
        max-width: 95%;
        height: auto;
        border: round $accent;
        background: $surface;
        padding: 0 1;
    }
    StatusScreen OptionList {
        height: auto;
        max-height: 12;
    }
    """
    BINDINGS = [Binding("escape", "cancel", N_("Cancel"), id="status.cancel")]

    def __init__(self, case: Case, label) -> None:
        super().__init__()
        self.case = case
        self.label = label  # status value -> the interface's word for it

    def compose(self) -> ComposeResult:
        with Vertical(id="status"):
            yield Label(_("Status of {case_id}: {status}").format(
                case_id=self.case.id, status=self.label(self.case.status.value)))
            yield OptionList(*[Option(self.label(s.value), id=s.value)
                               for s in allowed_transitions(self.case.status)],
                             id="status-options")
            yield Static(_("Enter: change · Esc: cancel"))

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
