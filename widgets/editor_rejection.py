"""Above the letter, after a rejection: what the reviewer said, so the rewrite answers it.

Shown while the case's latest submission was rejected (with or without a reason);
the checks point at the sections that did not change (``section_unchanged``).
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from appealdesk.cases.model import Case
from appealdesk.i18n import _
from appealdesk.intake.reason import reason_gist


def rejection_text(case: Case | None) -> Text | None:
    """The reviewer's answer to the latest submission, if it was a rejection."""
    if case is None or not case.submissions:
        return None
    last = case.submissions[-1]
    if last.outcome != "rejected":
        return None
    when = (last.outcome_at or last.at).strftime("%Y-%m-%d")
    text = Text()
    text.append(_("Rejected on {day}").format(day=when), style="bold red")
    if last.code:
        text.append(f" ({last.code})", style="red")
    reason = reason_gist(last.reason or "")
    text.append(": ")
    text.append(reason or _("no reason was recorded"), style="" if reason else "dim")
    return text


class RejectionNote(Static):
    DEFAULT_CSS = """
    RejectionNote {
        display: none;
        height: auto;
        max-height: 3;
        padding: 0 1;
        background: $error 15%;
    }
    """

    def show_case(self, case: Case | None) -> None:
        text = rejection_text(case)
        self.display = text is not None
        self.update(text or "")
