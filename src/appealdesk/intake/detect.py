"""Intake: pasted notification text -> a Detection (what the notice says).

The work is done by one module per job, all driven by the policies:

* text.py       decoding, refusing binary, normalising (HTML, quoted-printable, NFKC)
* headers.py    subject, senders and the received time (e-mail and forwarded headers)
* recognise.py  marketplace, notice type, site, notification / order / listing ids
* figures.py    the seller's quoted figures and the thresholds the notice states
* stated.py     deadlines the text states, what they are for and what they count from
* store_name.py the store (never a redaction mask)
* create.py     a Detection -> a stored Case (ids, duplicates)
* rejection.py  a rejection reply -> the outcome of the case it answers

Only the first ``MAX_SCAN_BYTES`` (1 MB) is read: a 50 MB paste costs the same
as a 1 MB one and the case keeps those first 1 MB (the history says it was cut).
Every built-in regular expression is linear: no nested quantifiers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from appealdesk.cases.clock import SANE_FIRST_YEAR, SANE_LAST_YEAR, sane_year
from appealdesk.cases.model import QuotedMetric
from appealdesk.i18n import N_, _
from appealdesk.intake import headers, recognise
from appealdesk.intake.figures import detect_metrics
from appealdesk.intake.stated import Resolved, StatedWindow, detect_stated, resolve
from appealdesk.intake.store_name import detect_store, without_site
from appealdesk.intake.text import (
    MAX_SCAN_BYTES,
    UNKNOWN,
    IntakeError,
    check_text,
    normalise,
    simplified,
)
from appealdesk.intake.vocabulary import vocabulary
from appealdesk.policy.types import Calendar, Policy

_UTC = ZoneInfo("UTC")

# How the operator sees each field the detection could not fill (never its field name).
FIELD_LABELS = {
    "marketplace": N_("Marketplace"),
    "type": N_("Type"),
    "external_id": N_("Notification id"),
    "store": N_("Store"),
    "received": N_("Received"),
}


@dataclass
class Detection:
    marketplace: str = UNKNOWN
    scores: dict[str, int] = field(default_factory=dict)
    candidates: list[str] = field(default_factory=list)  # a tie the operator must break
    kind: str = "notice"  # notice | rejection (an answer to an appeal)
    type: str = UNKNOWN
    external_id: str | None = None
    id_expected: bool = True  # the marketplace prints a notification id on its notices
    cited_orders: list[str] = field(default_factory=list)
    cited_listings: list[str] = field(default_factory=list)
    quoted_metrics: list[QuotedMetric] = field(default_factory=list)
    thresholds: list[QuotedMetric] = field(default_factory=list)
    stated: list[StatedWindow] = field(default_factory=list)
    stated_deadline: datetime | None = None
    stated_window: StatedWindow | None = None  # the stated window that won
    rejection_code: str | None = None
    store: str = ""
    site: str = ""
    senders: list[str] = field(default_factory=list)
    received: datetime | None = None
    received_from: str = ""  # operator | header | forwarded | intake | "" (not found)
    received_line: str = ""  # the date line it was read from
    subject: str | None = None
    text: str = ""
    size: int = 0  # characters (or bytes) given, before the cap
    truncated: bool = False
    calendar: Calendar | None = field(default=None, repr=False, compare=False)

    @property
    def unknowns(self) -> list[str]:
        """Fields the operator should fill in by hand (ids: see FIELD_LABELS)."""
        missing = []
        if self.marketplace == UNKNOWN:
            missing.append("marketplace")
        if self.type == UNKNOWN:
            missing.append("type")
        if not self.external_id and self.id_expected:
            missing.append("external_id")
        if not self.store:
            missing.append("store")
        if self.received is None or self.received_from == "intake":
            missing.append("received")
        return missing

    @property
    def unknown_labels(self) -> list[str]:
        return [_(FIELD_LABELS[f]) for f in self.unknowns]

    def resolve_deadline(self, original: datetime | None = None) -> None:
        """Resolve the stated windows against the received time (again, after a correction)."""
        found: Resolved | None = resolve(self.stated, self.received, self.calendar, original)
        self.stated_deadline = found.at if found else None
        self.stated_window = found.window if found else None

    def to_dict(self) -> dict:
        window = self.stated_window
        return {
            "marketplace": self.marketplace,
            "scores": self.scores,
            "candidates": self.candidates,
            "kind": self.kind,
            "type": self.type,
            "external_id": self.external_id,
            "cited_orders": self.cited_orders,
            "cited_listings": self.cited_listings,
            "quoted_metrics": [q.to_dict() for q in self.quoted_metrics],
            "thresholds": [q.to_dict() for q in self.thresholds],
            "stated_deadline": self.stated_deadline.isoformat() if self.stated_deadline else None,
            "stated_text": [s.text for s in self.stated],
            "stated_for_action": bool(window and window.action),
            "stated_anchor": window.anchor if window else "",
            "rejection_code": self.rejection_code,
            "store": self.store,
            "site": self.site,
            "received": self.received.isoformat() if self.received else None,
            "received_from": self.received_from,
            "received_line": self.received_line,
            "subject": self.subject,
            "truncated": self.truncated,
            "unknowns": self.unknowns,
        }


def detect(
    text: str,
    policies: list[Policy],
    *,
    platform: str | None = None,
    store: str | None = None,
    received: datetime | None = None,
    now: datetime | None = None,
    truncated: bool = False,
) -> Detection:
    """Read ``text`` (already decoded) and say what it is. Raises IntakeError.

    ``now`` is accepted for callers' convenience and not used: a text without a
    date has ``received`` None, and the case says so (see create.create_case).
    """
    del now
    size = len(text)
    if len(text) > MAX_SCAN_BYTES:
        text, truncated = text[:MAX_SCAN_BYTES], True
    check_text(text)
    written = normalise(text)
    # detectors read simplified Chinese; the store is given back as the notice writes it
    clean = simplified(written)
    by_id = {p.id: p for p in policies}
    senders = headers.sender_domains(clean)
    candidates: list[str] = []
    scores: dict[str, int]
    if platform:
        if platform != UNKNOWN and platform not in by_id:
            known = ", ".join(sorted(by_id)) or "-"
            raise IntakeError(
                _("unknown marketplace {id}; known: {known}").format(id=platform, known=known)
            )
        marketplace, scores = platform, {}
    else:
        marketplace, scores, candidates = recognise.detect_marketplace(clean, policies, senders)
    policy = by_id.get(marketplace)

    site = recognise.detect_site(policy, clean, senders)
    calendar = policy.calendar_for(site or None) if policy else None
    zone = calendar.zone if calendar else _UTC

    received_from, received_line = ("operator", "") if received else ("", "")
    if received is not None and received.tzinfo is None:
        received = received.replace(tzinfo=zone)  # a bare --received is marketplace time
    if received is None:
        line = headers.received_from_text(clean, zone)
        if line is not None:
            received, received_from, received_line = line.at, line.where, line.text
    if received is not None and not sane_year(received.year):
        raise IntakeError(_(
            "the notice is dated {date}, outside the years {first}-{last}: correct its date "
            "or give the time it was received").format(
            date=received.date().isoformat(), first=SANE_FIRST_YEAR, last=SANE_LAST_YEAR))

    external_id = recognise.detect_external_id(clean, policy)
    # a forwarded notice under the forwarder's own note: figures and windows are the notice's
    notice = clean[headers.notice_start(
        clean, vocabulary(policy).senders if policy else []):]
    quoted, thresholds = detect_metrics(notice, policy)
    detection = Detection(
        marketplace=marketplace,
        scores=scores,
        candidates=candidates,
        kind="rejection" if recognise.is_rejection(clean, policy) else "notice",
        type=recognise.detect_type(notice, policy, quoted + thresholds) if policy else UNKNOWN,
        external_id=external_id,
        id_expected=vocabulary(policy).notification_id_given if policy else True,
        cited_orders=recognise.detect_orders(clean, policy, external_id),
        cited_listings=recognise.detect_listings(clean, policy, external_id),
        quoted_metrics=quoted,
        thresholds=thresholds,
        stated=detect_stated(notice, zone),
        # the notice's own greeting before the forwarder's ("Hi Mark, see below")
        store=store or without_site(as_written(
            detect_store(notice) or detect_store(clean), clean, written), site),
        site=site,
        senders=senders,
        received=received,
        received_from=received_from,
        received_line=received_line,
        subject=headers.subject(written),
        text=text,
        size=size,
        truncated=truncated,
        calendar=calendar,
    )
    if detection.kind == "rejection":
        detection.rejection_code = recognise.rejection_code(clean, policy)
    detection.resolve_deadline()
    return detection


def as_written(found: str, read: str, written: str) -> str:
    """``found`` in ``read`` (the simplified text) as ``written`` has it, where the two align
    character for character; else ``found``."""
    at = read.find(found) if found else -1
    if at < 0 or len(read) != len(written):
        return found
    return written[at:at + len(found)]


def resolve_stated(detection: Detection, calendar: Calendar | None) -> datetime | None:
    """The earliest stated deadline, counted from the received time (kept for callers)."""
    if calendar is not None:
        detection.calendar = calendar
    detection.resolve_deadline()
    return detection.stated_deadline


__all__ = [
    "FIELD_LABELS",
    "Detection",
    "IntakeError",
    "MAX_SCAN_BYTES",
    "StatedWindow",
    "UNKNOWN",
    "detect",
    "normalise",
    "resolve_stated",
]
