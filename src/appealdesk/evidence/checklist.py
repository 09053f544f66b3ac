"""Evidence: what the policy still asks for, and which orders the files cover.

``checklist`` says, per requirement of the notification type, whether it is
missing, partial (n of m orders), done or waived, and builds the coverage
matrix of orders x per-order requirements. Attaching, correcting and waiving is
``evidence.attach``; ``evidence.bundle`` builds the upload file;
``evidence.names`` makes file names.

Contributing orders come from the metrics stage; callers pass them in
(``contributing_orders=``) so this module does not depend on metrics.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from appealdesk.cases.model import Case, Waiver
from appealdesk.i18n import _, pick
from appealdesk.policy.types import EvidenceRequirement, Policy

MISSING = "missing"
PARTIAL = "partial"
DONE = "done"
WAIVED = "waived"

# ---------------------------------------------------------------------------
# Checklist and coverage
# ---------------------------------------------------------------------------


@dataclass
class ChecklistItem:
    requirement: EvidenceRequirement
    state: str  # missing | partial | done | waived
    files: list[str] = field(default_factory=list)
    covered: int = 0  # orders covered (per-order requirements)
    total: int = 0  # orders to cover
    uncovered: list[str] = field(default_factory=list)
    waiver: Waiver | None = None

    @property
    def label(self) -> str:
        return pick(self.requirement.name, self.requirement.name_zh)

    def state_text(self) -> str:
        if self.state == PARTIAL:
            return _("partial ({n} of {m})").format(n=self.covered, m=self.total)
        return {MISSING: _("missing"), DONE: _("done"), WAIVED: _("waived")}[self.state]

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "requirement": self.requirement.id,
            "name": self.requirement.name,
            "name_zh": self.requirement.name_zh,
            "per_order": self.requirement.per_order,
            "state": self.state,
            "files": self.files,
        }
        if self.requirement.per_order:
            data.update(covered=self.covered, total=self.total, uncovered=self.uncovered)
        if self.waiver:
            data["waiver"] = {"reason": self.waiver.reason, "operator": self.waiver.operator,
                              "at": self.waiver.at}
        return data


@dataclass
class Coverage:
    """Orders x per-order requirements; each cell lists the files covering it."""

    orders: list[str]
    cited: set[str]
    requirements: list[EvidenceRequirement]
    cells: dict[tuple[str, str], list[str]]
    waived: set[str]

    def files_for(self, order: str, requirement: str) -> list[str]:
        return self.cells.get((order, requirement), [])

    def gaps(self) -> list[tuple[str, str]]:
        """Uncovered (order, requirement) cells, row by row; waived columns are no gaps."""
        return [
            (o, r.id)
            for o in self.orders
            for r in self.requirements
            if r.id not in self.waived and not self.cells.get((o, r.id))
        ]

    def to_dict(self) -> dict[str, Any]:
        return {
            "orders": [{"id": o, "cited": o in self.cited} for o in self.orders],
            "requirements": [r.id for r in self.requirements],
            "cells": {o: {r.id: self.files_for(o, r.id) for r in self.requirements}
                      for o in self.orders},
            "gaps": [{"order": o, "requirement": r} for o, r in self.gaps()],
        }


@dataclass
class Checklist:
    items: list[ChecklistItem]
    coverage: Coverage
    unassigned: list[str]  # files not linked to any requirement of this notification type

    def item(self, requirement_id: str) -> ChecklistItem | None:
        return next((i for i in self.items if i.requirement.id == requirement_id), None)

    def to_dict(self) -> dict[str, Any]:
        return {
            "items": [i.to_dict() for i in self.items],
            "coverage": self.coverage.to_dict(),
            "unassigned": self.unassigned,
        }


def case_orders(case: Case, contributing_orders: Iterable[str] = ()) -> list[str]:
    """Cited orders first, then contributing ones, each once."""
    out: list[str] = []
    for order in [*case.notification.cited_orders, *contributing_orders]:
        if order and order not in out:
            out.append(order)
    return out


def requirements_for(case: Case, policy: Policy | None) -> list[EvidenceRequirement]:
    if policy is None:
        return []
    ntype = policy.notification_type(case.notification.type)
    if ntype is None:
        return []
    return [r for r in (policy.requirement(i) for i in ntype.evidence) if r is not None]


def checklist(
    case: Case, policy: Policy | None, contributing_orders: Iterable[str] = ()
) -> Checklist:
    reqs = requirements_for(case, policy)
    orders = case_orders(case, contributing_orders)
    waivers = {w.requirement: w for w in case.waivers}
    cells: dict[tuple[str, str], list[str]] = {}
    items = []
    for req in reqs:
        files = [e for e in case.evidence if e.requirement == req.id]
        item = ChecklistItem(req, MISSING, [e.name for e in files])
        if req.per_order and orders:
            for order in orders:
                covering = [e.name for e in files if order in e.orders]
                if covering:
                    cells[(order, req.id)] = covering
            item.total = len(orders)
            item.uncovered = [o for o in orders if (o, req.id) not in cells]
            item.covered = item.total - len(item.uncovered)
            if item.covered == item.total:
                item.state = DONE
            elif files:
                item.state = PARTIAL
        elif files:
            item.state = DONE
        if req.id in waivers:
            item.state, item.waiver = WAIVED, waivers[req.id]
        items.append(item)
    req_ids = {r.id for r in reqs}
    unassigned = [e.name for e in case.evidence if e.requirement not in req_ids]
    coverage = Coverage(
        orders=orders,
        cited=set(case.notification.cited_orders),
        requirements=[r for r in reqs if r.per_order],
        cells=cells,
        waived=set(waivers),
    )
    return Checklist(items, coverage, unassigned)
