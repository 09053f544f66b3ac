"""``x`` in the evidence pane: take a file out of the case? Its copy in the case folder
is deleted (the operator's original is not touched), so one stray key must not do it."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from appealdesk.i18n import N_, _
from appealdesk.screens.dialogs.confirm import ConfirmScreen


class RemoveEvidenceScreen(ConfirmScreen):
    """Remove ``name`` from the case (y), or keep it (n, Esc)."""

    DEFAULT_CSS = """
    RemoveEvidenceScreen > #remove-evidence {
        width: 72;
    }
    """
    BINDINGS = [
        Binding("escape,n", "answer(False)", N_("Cancel"), id="remove_evidence.cancel"),
        Binding("y", "answer(True)", N_("Remove file"), id="remove_evidence.yes"),
    ]
    BOX_ID = "remove-evidence"
    YES_VARIANT = "error"

    def __init__(self, name: str) -> None:
        super().__init__()
        self.file_name = name

    def question(self) -> ComposeResult:
        yield Static(_("Remove {name} from the case?").format(name=self.file_name),
                     markup=False)
        yield Static(_("Its copy in the case folder is deleted and the checklist counts it no "
                       "more; the original file you attached is not touched."))

    def yes_label(self) -> str:
        return _("Remove (y)")
