"""Evidence files of a case: add, correct, remove, waive a requirement, bundle for upload.

The rules (naming, what a file covers, the size limit) are the evidence stage's;
these are the one entry point the CLI and the app call. All raise
``EvidenceError`` (``BundleTooLarge`` for a bundle over the limit) with one line.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

from appealdesk.cases.model import EvidenceItem, Waiver
from appealdesk.cases.workspace import Workspace
from appealdesk.evidence import attach as _attach
from appealdesk.evidence import bundle as _bundle
from appealdesk.evidence.bundle import Progress
from appealdesk.evidence.errors import BundleTooLarge, EvidenceError

__all__ = ["BundleTooLarge", "EvidenceError", "add", "bundle", "remove", "set_facts",
           "unwaive", "waive"]


def add(workspace: Workspace, case_id: str, paths: Sequence[Path | str], *,
        requirement: str | None = None, orders: Sequence[str] | None = None,
        on: date | None = None, also_covers: str | None = None) -> list[EvidenceItem]:
    """Copy files into the case and record them (all or none).

    ``orders``: the orders they cover (default: ids found in the name and text);
    ``on``: the document's date; ``also_covers``: one more order the files cover
    (attached from that order's cell of the coverage matrix).
    """
    items = _attach.add_evidence(workspace, case_id, list(paths), requirement=requirement,
                                    orders=orders, date=on)
    if also_covers:
        items = [
            item if also_covers in item.orders else _attach.update_evidence(
                workspace, case_id, item.name, orders=[*item.orders, also_covers])
            for item in items
        ]
    return items


_UNCHANGED: object = ...


def set_facts(workspace: Workspace, case_id: str, name: str, *,
              requirement: str | None | object = _UNCHANGED,
              orders: Sequence[str] | None = None, on: date | None = None) -> EvidenceItem:
    """Confirm or correct a file's requirement, orders (replaced) or document date."""
    return _attach.update_evidence(workspace, case_id, name, requirement=requirement,  # type: ignore[arg-type]
                                      orders=orders, document_date=on)


def remove(workspace: Workspace, case_id: str, name: str) -> EvidenceItem:
    """Take a file out of the case (the case is saved first, then the copy deleted)."""
    return _attach.remove_evidence(workspace, case_id, name)


def waive(workspace: Workspace, case_id: str, requirement: str, reason: str) -> Waiver:
    """Mark a requirement as not needed, with the operator's written reason."""
    return _attach.waive(workspace, case_id, requirement, reason)


def unwaive(workspace: Workspace, case_id: str, requirement: str) -> None:
    """Withdraw a waiver."""
    _attach.unwaive(workspace, case_id, requirement)


def bundle(workspace: Workspace, case_id: str, progress: Progress | None = None) -> Path:
    """Build the upload file in out/ (the letter first, then the evidence) and log it."""
    return _bundle.bundle(workspace, case_id, progress)
