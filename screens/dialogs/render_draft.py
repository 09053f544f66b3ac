"""Render despite blocking findings? The answer makes a DRAFT PDF or nothing."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from appealdesk.checks.base import Finding
from appealdesk.checks.reasons import title as finding_title
from appealdesk.i18n import N_, _, ngettext

SHOWN = 6  # findings listed in the dialog; the letter pane lists them all


class RenderDraftScreen(ModalScreen[bool]):
    """The case has blocking findings: render a watermarked DRAFT, or cancel."""

    DEFAULT_CSS = """
    RenderDraftScreen {
        align: center middle;
    }
    RenderDraftScreen > #render-draft {
        width: 72;
        max-width: 95%;
        height: auto;
        border: round $error;
        background: $surface;
        padding: 0 1;
    }
    RenderDraftScreen #render-draft-buttons {
        height: auto;
        margin-top: 1;
    }
    RenderDraftScreen Button {
        margin-right: 2;
    }
    """
    BINDINGS = [
        Binding("escape,n", "answer(False)", N_("Cancel"), id="render_draft.cancel"),
        Binding("y", "answer(True)", N_("Render a DRAFT"), id="render_draft.yes"),
    ]

    def __init__(self, blocking: list[Finding]) -> None:
        super().__init__()
        self.blocking = blocking

    def compose(self) -> ComposeResult:
        lines = [f"• {finding_title(f.code)}: {f.message}" for f in self.blocking[:SHOWN]]
        if len(self.blocking) > SHOWN:
            lines.append(_("… and {n} more").format(n=len(self.blocking) - SHOWN))
        with Vertical(id="render-draft"):
            yield Static(ngettext(
                "{n} blocking finding would get this appeal rejected. Render a DRAFT anyway? "
                "It is watermarked, its name starts with DRAFT_ and it cannot be submitted.",
                "{n} blocking findings would get this appeal rejected. Render a "
                "DRAFT anyway? It is watermarked, its name starts with DRAFT_ and "
                "it cannot be submitted.", len(self.blocking)).format(n=len(self.blocking)))
            yield Static("\n".join(lines), markup=False)
            with Horizontal(id="render-draft-buttons"):
                yield Button(_("Render a DRAFT (y)"), variant="warning", id="yes")
                yield Button(_("Cancel (n)"), id="no")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "yes")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
