"""The yes/no modal: a question, a yes button and Cancel; y says yes, n or Esc says no.

A dialog subclasses ``ConfirmScreen``, yields its question in ``question()`` and
declares its own two bindings (ids and descriptions are the dialog's):
``answer(True)`` on y, ``answer(False)`` on escape,n. The box's width and border
colour are the subclass's CSS on its ``BOX_ID``.
"""

from __future__ import annotations

from typing import ClassVar, Literal

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button

from appealdesk.i18n import _

ButtonVariant = Literal["default", "primary", "success", "warning", "error"]


class ConfirmScreen(ModalScreen[bool]):
    """Dismissed with True (y, the yes button) or False (n, Esc, Cancel)."""

    DEFAULT_CSS = """
    ConfirmScreen {
        align: center middle;
    }
    ConfirmScreen > .confirm {
        width: 64;
        max-width: 95%;
        height: auto;
        border: round $warning;
        background: $surface;
        padding: 0 1;
    }
    ConfirmScreen .confirm-buttons {
        height: auto;
        margin-top: 1;
    }
    ConfirmScreen Button {
        margin-right: 2;
    }
    """
    BOX_ID: ClassVar[str] = "confirm"
    YES_VARIANT: ClassVar[ButtonVariant] = "primary"

    def question(self) -> ComposeResult:
        """The widgets above the buttons."""
        raise NotImplementedError

    def yes_label(self) -> str:
        """The yes button's label, with its key."""
        raise NotImplementedError

    def compose(self) -> ComposeResult:
        with Vertical(id=self.BOX_ID, classes="confirm"):
            yield from self.question()
            with Horizontal(id=f"{self.BOX_ID}-buttons", classes="confirm-buttons"):
                yield Button(self.yes_label(), variant=self.YES_VARIANT, id="yes")
                yield Button(_("Cancel (n)"), id="no")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "yes")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
