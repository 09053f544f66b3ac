"""``c`` in the inbox: move the highlighted case to another status of its lifecycle
(``C``: close or archive it, the same form offering only those two).

Only the statuses the lifecycle allows from the current one are offered, with a note
for the case's history; the screen returns a ``StatusChoice`` (the caller runs
``operations.status.change_status``, as ``appealdesk status`` does).
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from appealdesk.cases.model import Case, allowed_transitions
from appealdesk.i18n import N_, _


@dataclass(frozen=True)
class StatusChoice:
    status: str  # a Status value
    note: str = ""


class StatusScreen(ModalScreen[StatusChoice | None]):
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
    StatusScreen .hint {
        color: $text-muted;
    }
    """
    BINDINGS = [Binding("escape", "cancel", N_("Cancel"), id="status.cancel")]

    def __init__(self, case: Case, label: Callable[[str], str],
                 only: Collection[str] | None = None) -> None:
        super().__init__()
        self.case = case
        self.label = label  # status value -> the interface's word for it
        self.choices = [s.value for s in allowed_transitions(case.status)
                        if only is None or s.value in only]

    def compose(self) -> ComposeResult:
        with Vertical(id="status"):
            yield Label(_("Status of {case_id}: {status}").format(
                case_id=self.case.id, status=self.label(self.case.status.value)))
            yield OptionList(*[Option(self.label(s), id=s) for s in self.choices],
                             id="status-options")
            yield Input(placeholder=_("note for the history (optional)"), id="status-note")
            yield Static(_("Enter: change · Tab: note · Esc: cancel"), classes="hint")

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._choose(event.option.id)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        options = self.query_one(OptionList)
        if options.highlighted is not None:
            self._choose(self.choices[options.highlighted])

    def _choose(self, status: str | None) -> None:
        if status:
            note = self.query_one("#status-note", Input).value.strip()
            self.dismiss(StatusChoice(status, note))

    def action_cancel(self) -> None:
        self.dismiss(None)
