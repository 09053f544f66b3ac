"""Cases and letters shared by the letter tests (no app, no data folder)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from appealdesk.cases.model import Case, EvidenceItem, Notification, QuotedMetric, Submission
from appealdesk.policy.loading import load_policies

NOW = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
POLICIES = load_policies()

GOOD_AMAZON = """\
# Plan of Action — Sunrise Home Goods

Notification 5839201744 (Late shipment rate), received 2026-11-18.

## Root cause

Our carrier UPS missed its scheduled pick-ups between 2026-10-28 and 2026-11-02; 14 of the
18 late orders were handed over after the expected ship date because of this.

## Actions already taken

We shipped and confirmed every pending order by 2026-11-03 and sent each buyer the tracking
number. We signed an agreement with a second carrier, DHL, which collects daily at 16:00; the
contract is attached.

## Steps to prevent recurrence

Every day at 15:00 a named team member checks that every order due that day has been
confirmed as shipped and escalates any exception to the manager.

## About our metrics

| Metric | Our figure | Target |
|---|---|---|
| Late shipment rate (10 days) | 6.80% | < 4.00% |

Evidence attached: carrier-agreement-2026.pdf, ups-pickup-log.pdf.
"""


def amazon_case(**changes) -> Case:
    case = Case(
        id="amazon-5839201744",
        marketplace="amazon",
        store="Sunrise Home Goods",
        site="amazon.com",
        notification=Notification(
            type="late_shipment",
            external_id="5839201744",
            received=NOW - timedelta(days=2),
            cited_orders=["114-3941689-8772232", "114-3941689-8772233"],
            quoted_metrics=[QuotedMetric("late_shipment_rate_10d", 6.8)],
        ),
        evidence=[
            EvidenceItem(name="carrier-agreement-2026.pdf", requirement="carrier_contract"),
            EvidenceItem(name="ups-pickup-log.pdf", requirement="carrier_delay"),
        ],
    )
    case.letter.draft = GOOD_AMAZON
    for key, value in changes.items():
        setattr(case, key, value)
    return case


def rejected(at: datetime, text_version: int | None = None, reason: str = "more detail") -> Submission:
    return Submission(at=at, operator="t", pdf="x.pdf", sha256="0" * 64, outcome="rejected",
                      outcome_at=at + timedelta(hours=5), reason=reason, code="R1",
                      letter_version=text_version)
