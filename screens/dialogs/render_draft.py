"""Render despite blocking findings? The answer makes a DRAFT PDF or nothing."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from appealdesk.checks.base import Finding
from appealdesk.checks.reasons import title as finding_title
from appealdesk.i18n import N_, _, ngettext
from appealdesk.screens.dialogs.confirm import ConfirmScreen

SHOWN = 6  # findings listed in the dialog; the letter pane lists them all


class RenderDraftScreen(ConfirmScreen):
    """The case has blocking findings: render a watermarked DRAFT, or cancel."""

    DEFAULT_CSS = """
    RenderDraftScreen > #render-draft {
        width: 72;
        border: round $error;
    }
    """
    BINDINGS = [
        Binding("escape,n", "answer(False)", N_("Cancel"), id="render_draft.cancel"),
        Binding("y", "answer(True)", N_("Render a DRAFT"), id="render_draft.yes"),
    ]
    BOX_ID = "render-draft"
    YES_VARIANT = "warning"

    def __init__(self, blocking: list[Finding]) -> None:
        super().__init__()
        self.blocking = blocking

    def question(self) -> ComposeResult:
        lines = [f"• {finding_title(f.code)}: {f.message}" for f in self.blocking[:SHOWN]]
        if len(self.blocking) > SHOWN:
            lines.append(_("… and {n} more").format(n=len(self.blocking) - SHOWN))
        yield Static(ngettext(
            "{n} blocking finding would get this appeal rejected. Render a DRAFT anyway? "
            "It is watermarked, its name starts with DRAFT_ and it cannot be submitted.",
            "{n} blocking findings would get this appeal rejected. Render a "
            "DRAFT anyway? It is watermarked, its name starts with DRAFT_ and "
            "it cannot be submitted.", len(self.blocking)).format(n=len(self.blocking)))
        yield Static("\n".join(lines), markup=False)

    def yes_label(self) -> str:
        return _("Render a DRAFT (y)")
