"""A new case from a notification: detection is the intake stage's; creating is here."""

from __future__ import annotations

from appealdesk.cases.model import Case
from appealdesk.cases.workspace import Workspace
from appealdesk.intake import create as _create
from appealdesk.intake.create import Duplicate
from appealdesk.intake.detect import Detection
from appealdesk.intake.text import IntakeError

__all__ = ["Duplicate", "IntakeError", "create_case"]


def create_case(workspace: Workspace, detection: Detection) -> Case:
    """Store a case for ``detection`` (with the operator's corrections applied); raises
    ``Duplicate`` when the notification is already a case, ``IntakeError`` otherwise."""
    return _create.create_case(workspace, detection)
