"""How a case's status reads to the operator, in the interface language.

Status values (``in_progress``) are ids for files, ``--json`` and scripts; the app and
the CLI's text output show these names instead.
"""

from __future__ import annotations

from appealdesk.i18n import N_, _

STATUS_NAMES = {
    "new": N_("new"), "in_progress": N_("in progress"), "ready": N_("ready"),
    "submitted": N_("submitted"), "approved": N_("approved"), "rejected": N_("rejected"),
    "closed": N_("closed"), "archived": N_("archived"),
}


def status_name(value: str) -> str:
    """``in_progress`` -> "in progress" / "处理中"; an unknown value stays as it is."""
    return _(STATUS_NAMES[value]) if value in STATUS_NAMES else value

# What each kind of history entry is called (``appealdesk show``'s history lines).
EVENT_NAMES = {
    "created": N_("created"), "status": N_("status"), "letter": N_("letter"),
    "evidence": N_("evidence"), "report": N_("report"), "rendered": N_("rendered"),
    "bundle": N_("bundle"), "waiver": N_("waiver"), "rejection": N_("rejection"),
    "submission": N_("submission"), "outcome": N_("outcome"), "followup": N_("follow-up"),
}


def event_name(event: str) -> str:
    """A history entry's kind in the interface language; an unknown one as it is."""
    return _(EVENT_NAMES[event]) if event in EVENT_NAMES else event
