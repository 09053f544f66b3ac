"""Small one-line prompts: waive a requirement (a reason is required), correct a file's orders."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from appealdesk.i18n import N_, _


class PromptScreen(ModalScreen[str | None]):
    """Ask for one line of text; Enter returns it, Esc returns None."""

    DEFAULT_CSS = """
    PromptScreen {
        align: center middle;
    }
    PromptScreen > #prompt {
        width: 70;
        max-width: 95%;
        height: auto;
        border: round $accent;
        background: $surface;
        padding: 0 1;
    }
    PromptScreen #prompt-title {
        width: 100%;  /* a long file name wraps instead of being cut */
    }
    PromptScreen #prompt-error {
        color: $error;
        height: auto;
    }
    """
    BINDINGS = [Binding("escape", "cancel", N_("Cancel"), id="prompt.cancel")]

    def __init__(self, title: str, explanation: str, *, value: str = "",
                 placeholder: str = "", required: str | None = None) -> None:
        super().__init__()
        self.title_text = title
        self.explanation = explanation
        self.initial = value
        self.placeholder = placeholder
        self.required = required  # the message shown when Enter is pressed on nothing

    def compose(self) -> ComposeResult:
        with Vertical(id="prompt"):
            yield Label(self.title_text, id="prompt-title")
            yield Static(self.explanation)
            yield Input(value=self.initial, placeholder=self.placeholder, id="prompt-input")
            yield Static("", id="prompt-error")
            yield Static(_("Enter: confirm · Esc: cancel"))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        text = " ".join(event.value.split())
        if not text and self.required:
            self.query_one("#prompt-error", Static).update(self.required)
            return
        self.dismiss(text)

    def action_cancel(self) -> None:
        self.dismiss(None)


class WaiveScreen(PromptScreen):
    """Waive an evidence requirement: the operator must write why (kept in the history)."""

    def __init__(self, requirement_name: str) -> None:
        super().__init__(
            _("Waive \u201c{name}\u201d").format(name=requirement_name),
            _("Why is this evidence not needed? The reason is kept in the case history."),
            placeholder=_("reason"),
            required=_("Write a reason first."),
        )
