"""A case's status, changed by hand (``appealdesk status``); the lifecycle is cases.model's."""

from __future__ import annotations

from appealdesk.cases.model import Case, Status, TransitionError, allowed_transitions
from appealdesk.cases.workspace import Workspace
from appealdesk.i18n import _


def change_status(workspace: Workspace, case_id: str, new: Status | str,
                  note: str | None = None) -> Case:
    """Move the case to ``new`` and record it in its history; raises ``TransitionError``
    for an unknown status or a move the lifecycle does not allow."""
    with workspace.store.editing(case_id, workspace.operator) as case:
        try:
            target = Status(new)
        except ValueError:
            possible = ", ".join(s.value for s in allowed_transitions(case.status))
            raise TransitionError(
                _("unknown status {state}; from {current} possible: {possible}").format(
                    state=new, current=case.status.value, possible=possible)) from None
        case.change_status(target, operator=workspace.operator, at=workspace.now(), note=note)
    return case
