"""A Detection becomes a stored Case: its id, the duplicate check, the history note.

A text that gives no received time is never silently "now": the case gets the
time of intake with ``received_source = "intake"``, its history says the time
was not found, and the deadline is shown as counted from intake until the
operator gives the real time (``--received``, the new-case modal's field).
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import TYPE_CHECKING

from appealdesk.cases.errors import CaseExists
from appealdesk.cases.model import Case, Notification, Status, make_case_id
from appealdesk.i18n import _
from appealdesk.intake.detect import Detection, detect
from appealdesk.intake.text import MAX_SCAN_BYTES, IntakeError, decode_input, normalise

if TYPE_CHECKING:
    from appealdesk.cases.workspace import Workspace


class Duplicate(IntakeError):
    def __init__(self, case_id: str, marketplace: str, external_id: str | None):
        self.case_id = case_id
        if external_id:
            message = _("this notification ({marketplace} {id}) is already case {case_id}")
        else:
            message = _("this notification text is already case {case_id}")
        super().__init__(
            message.format(marketplace=marketplace, id=external_id, case_id=case_id)
        )


def text_digest(text: str) -> str:
    return hashlib.sha256(normalise(text).encode("utf-8")).hexdigest()


def find_duplicate(cases: list[Case], detection: Detection) -> Case | None:
    """A case that already holds this notification (same marketplace and id, or same text,
    or a rejection reply already recorded on one of its submissions)."""
    digest = None
    for case in cases:
        if case.marketplace != detection.marketplace:
            continue
        replies = [s.reply for s in case.submissions if s.reply]
        if replies:
            digest = digest or text_digest(detection.text)
            if any(text_digest(reply) == digest for reply in replies):
                return case
        if detection.external_id:
            other = case.notification.external_id
            if other and other.casefold() == detection.external_id.casefold():
                return case
            continue
        if not case.notification.external_id and case.notification.text:
            digest = digest or text_digest(detection.text)
            if text_digest(case.notification.text) == digest:
                return case
    return None


def build_case(detection: Detection, case_id: str, *, operator: str, now: datetime) -> Case:
    received = detection.received or now
    window = detection.stated_window
    notification = Notification(
        type=detection.type,
        external_id=detection.external_id,
        received=received,
        text=detection.text,
        cited_orders=list(detection.cited_orders),
        quoted_metrics=list(detection.quoted_metrics),
        stated_deadline=detection.stated_deadline,
        subject=detection.subject,
        cited_listings=list(detection.cited_listings),
        stated_thresholds=list(detection.thresholds),
        stated_text=window.text if window and detection.stated_deadline else "",
        stated_for_action=bool(window and window.action and detection.stated_deadline),
        received_source=detection.received_from or "intake",
    )
    case = Case(
        id=case_id,
        marketplace=detection.marketplace,
        store=detection.store,
        site=detection.site,
        status=Status.NEW,
        created=now,
        notification=notification,
    )
    note = _("intake: {marketplace}, {type}, {orders} cited orders").format(
        marketplace=detection.marketplace, type=detection.type,
        orders=len(detection.cited_orders),
    )
    if detection.cited_listings:
        note += "; " + _("{n} cited listings").format(n=len(detection.cited_listings))
    if detection.truncated:
        note += "; " + _("text cut to the first {limit} of {size} characters").format(
            limit=MAX_SCAN_BYTES, size=detection.size
        )
    if window is not None and window.anchor == "original" and detection.stated_deadline:
        note += "; " + _("the deadline counts from an original notification that is not on "
                         "file: it was counted from this text and may be earlier")
    if notification.received_source == "intake":
        note += "; " + _("the text gives no received time: counted from intake until corrected")
    case.log("created", operator=operator, at=now, note=note)
    return case


def create_case(workspace: Workspace, detection: Detection) -> Case:
    """Store a case for ``detection``; raises Duplicate when it is already held."""
    now = workspace.now()
    if detection.received is None:
        detection.received = now
        detection.received_from = "intake"
        detection.resolve_deadline()  # "within 72 hours" now has something to count from
    # the duplicate check and the create under one claim: one notice is one case
    with workspace.store.claim(duplicate_key(detection)):
        existing = find_duplicate(workspace.store.load_all().cases, detection)
        if existing is not None:
            raise Duplicate(existing.id, detection.marketplace, detection.external_id)
        base = make_case_id(detection.marketplace, detection.external_id, detection.received)
        for n in range(1, 1000):
            case_id = base if n == 1 else f"{base}-{n}"
            if workspace.store.exists(case_id):
                continue
            case = build_case(detection, case_id, operator=workspace.operator, now=now)
            try:
                return workspace.store.create(case, workspace.operator)
            except CaseExists:
                continue  # another operator took the id a moment ago: try the next one
    raise IntakeError(_("no free case id for {base}").format(base=base))


def duplicate_key(detection: Detection) -> str:
    """What find_duplicate compares: the marketplace and the id, else the text."""
    if detection.external_id:
        return f"{detection.marketplace}\0id\0{detection.external_id.casefold()}"
    return f"{detection.marketplace}\0text\0{text_digest(detection.text)}"


def create_case_from_text(
    workspace: Workspace,
    text: str | bytes,
    platform: str | None = None,
    store: str | None = None,
    received: datetime | None = None,
) -> Case:
    """Detect and store in one step (a new case, whatever the text is)."""
    detection = detect_text(workspace, text, platform=platform, store=store, received=received)
    return create_case(workspace, detection)


def detect_text(workspace: Workspace, text: str | bytes, **options) -> Detection:
    truncated = False
    size = len(text)
    if isinstance(text, bytes):
        text, truncated = decode_input(text)
    detection = detect(text, list(workspace.policies), truncated=truncated, **options)
    detection.size = max(detection.size, size)
    return detection
