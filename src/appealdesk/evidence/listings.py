"""Listings x per-listing requirements: which cited listing (ASIN) each file covers.

A policy marks an evidence requirement ``per_listing = true`` when a file is
needed for every listing the notice cites (Amazon: supplier invoices covering
each cited ASIN — "evidence for every ASIN/order cited", help G201623610). A
file covers a listing when the listing id appears in its name, its original
name, or its ``listings`` (an evidence item's extra field). The matrix has the
same shape as the per-order one in checklist.py; ``checks.listings`` turns its
gaps into ``listings_not_covered``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from appealdesk.cases.model import Case, EvidenceItem
from appealdesk.evidence.checklist import requirements_for
from appealdesk.intake.vocabulary import group, vocabulary
from appealdesk.policy.types import EvidenceRequirement, Policy


def per_listing_ids(policy: Policy) -> set[str]:
    """Ids of the policy's requirements marked ``per_listing = true``."""
    return {str(e.get("id")) for e in (policy.raw or {}).get("evidence", [])
            if isinstance(e, dict) and e.get("per_listing") is True}


def item_listings(item: EvidenceItem, policy: Policy) -> set[str]:
    """Listing ids an evidence file names (file names, or its recorded ``listings``)."""
    found = {str(x).upper() for x in (item.extra or {}).get("listings", []) or []}
    text = f"{item.name} {item.original_name}"
    for pattern in vocabulary(policy).listing_ids:
        found.update(group(m).upper() for m in pattern.finditer(text))
        found.update(group(m).upper() for m in pattern.finditer(text.upper()))
    return found


@dataclass
class ListingCoverage:
    listings: list[str]
    requirements: list[EvidenceRequirement]
    cells: dict[tuple[str, str], list[str]]
    waived: set[str]

    def files_for(self, listing: str, requirement: str) -> list[str]:
        return self.cells.get((listing, requirement), [])

    def uncovered(self, requirement: str) -> list[str]:
        if requirement in self.waived:
            return []
        return [x for x in self.listings if not self.cells.get((x, requirement))]

    def gaps(self) -> list[tuple[str, str]]:
        return [(x, r.id) for x in self.listings for r in self.requirements
                if r.id not in self.waived and not self.cells.get((x, r.id))]

    def to_dict(self) -> dict[str, Any]:
        return {
            "listings": self.listings,
            "requirements": [r.id for r in self.requirements],
            "cells": {x: {r.id: self.files_for(x, r.id) for r in self.requirements}
                      for x in self.listings},
            "gaps": [{"listing": x, "requirement": r} for x, r in self.gaps()],
        }


def listing_coverage(case: Case, policy: Policy | None) -> ListingCoverage:
    if policy is None:
        return ListingCoverage([], [], {}, set())
    marked = per_listing_ids(policy)
    reqs = [r for r in requirements_for(case, policy) if r.id in marked]
    listings = list(case.notification.cited_listings)
    cells: dict[tuple[str, str], list[str]] = {}
    for req in reqs:
        for item in case.evidence:
            if item.requirement != req.id:
                continue
            for listing in item_listings(item, policy) & set(listings):
                cells.setdefault((listing, req.id), []).append(item.name)
    return ListingCoverage(listings, reqs, cells, {w.requirement for w in case.waivers})
