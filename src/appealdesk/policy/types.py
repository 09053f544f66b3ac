"""The policy as typed objects: the vocabularies and the frozen dataclasses a policy file becomes.

A policy is data. ``policy.validation`` turns a parsed policy file into these
objects (reporting every problem with its key path); ``policy.loading`` finds
the files. The file format is typed in ``policy.schema`` and documented in
``policies/SCHEMA.md`` (``tests/test_policy_schema_doc.py`` keeps the two equal).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

POLICY_SCHEMA_VERSION = 1

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

# The fixed vocabulary of per-order facts that metrics compose (computed in metrics.py).
ORDER_FACTS = (
    "ordered",
    "shipped",
    "shipped_late",
    "shipped_on_time",
    "cancelled",
    "seller_cancelled",
    "buyer_cancelled",
    "platform_cancelled",
    "valid_tracking",
    "delivered",
    "delivered_on_time",
    "delivered_late",
    "negative_feedback",
    "claim",
    "chargeback",
    "defect",
    "returned",
    "shipped_within",
)
DATE_BASES = (
    "order_date",
    "ship_by",
    "shipped_at",
    "promised_delivery",
    "delivered_at",
    "cancelled_at",
    "returned_at",
)
# Per-message fields a conversations export can give (reports.conversations reads them).
MESSAGE_FIELDS = (
    "message_id",
    "order_id",
    "received_at",
    "replied_at",
    "response_needed",
    "automatic",
    "spam",
    "channel",
    "agent",
)
# What a message metric may leave out of its denominator (metrics.conversations);
# ``outside_hours``: received outside the metric's business hours.
MESSAGE_EXCLUSIONS = ("no_response_needed", "automatic", "spam", "outside_hours")
# On which days a metric's business hours count: every day, or the calendar's business days.
HOURS_DAYS = ("business", "every")
# Per-return fields a returns export can give (reports.returns reads them).
# Text encodings a report file may be in (``[report_encodings] candidates``);
# Python codec names. cp932 is Windows-31J, the Shift_JIS Windows writes.
REPORT_ENCODINGS = ("utf-8", "gb18030", "cp1252", "cp932")
RETURN_FIELDS = (
    "return_id",
    "order_id",
    "requested_at",
    "responded_at",
    "outcome",
    "reason",
    "sku",
    "negative_feedback",
    "invalid_rejection",
)
# What makes a return "dissatisfied" (metrics.returns).
RETURN_COMPONENTS = ("negative_feedback", "late_response", "invalid_rejection")
# How a reply window is counted: wall-clock time, or only the calendar's business days.
REPLY_CLOCKS = ("elapsed", "business")
COMPARATORS = ("<", "<=", ">", ">=")
WINDOW_KINDS = ("rolling", "calendar_month")
DURATION_UNITS = ("hours", "calendar_days", "business_days")
FOLLOWUP_EVENTS = ("submitted", "rejected", "approved")
EVIDENCE_KINDS = (
    "tracking",
    "carrier_proof",
    "dispatch_record",
    "invoice",
    "contract",
    "training",
    "warehouse",
    "erp",
    "process",
    "screenshot",
    "identity",
    "other",
)
BUNDLE_KINDS = ("pdf", "zip")


class PolicyError(Exception):
    """A policy file that cannot be used; ``problems`` lists every issue found."""

    def __init__(self, path: str, problems: list[str]):
        self.path = path
        self.problems = problems
        first = problems[0] if problems else "invalid"
        more = f" (+{len(problems) - 1} more)" if len(problems) > 1 else ""
        super().__init__(f"{path}: {first}{more}")


@dataclass(frozen=True)
class Duration:
    amount: float
    unit: str  # hours | calendar_days | business_days
    source: str = ""

    def as_timedelta(self) -> timedelta:
        """Only meaningful for calendar units; business days need the calendar."""
        if self.unit == "hours":
            return timedelta(hours=self.amount)
        return timedelta(days=self.amount)


@dataclass(frozen=True)
class Calendar:
    timezone: str
    weekend: tuple[str, ...]
    holiday_country: str | None
    holiday_subdiv: str | None = None

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def weekend_numbers(self) -> frozenset[int]:
        """Weekend days as ``date.weekday()`` numbers (Monday = 0)."""
        return frozenset(WEEKDAYS.index(d) for d in self.weekend)


@dataclass(frozen=True)
class Site:
    id: str
    name: str
    calendar: Calendar


@dataclass(frozen=True)
class ResponseRule:
    window: Duration
    holidays_extend: bool = True
    target: Duration | None = None  # an internal aim, earlier than the deadline


@dataclass(frozen=True)
class NotificationType:
    id: str
    name: str
    name_zh: str
    keywords: tuple[str, ...]
    metrics: tuple[str, ...]
    evidence: tuple[str, ...]
    response: ResponseRule


@dataclass(frozen=True)
class FollowUp:
    id: str
    after: str  # event that starts the timer: submitted | rejected | approved
    wait: Duration
    until_outcome: bool  # cancelled once an outcome is recorded
    action: str
    action_zh: str
    title: str = ""  # e.g. a ticket subject template with {notification_id}


@dataclass(frozen=True)
class Appeals:
    max_unsuccessful: int | None = None
    final_deadline: Duration | None = None  # counted from the notification
    one_metric_per_case: bool = False


@dataclass(frozen=True)
class Window:
    kind: str  # rolling | calendar_month
    days: int = 0
    lag: int = 0


@dataclass(frozen=True)
class MetricDef:
    id: str
    name: str
    name_zh: str
    numerator: str
    denominator: str
    basis: str
    window: Window
    limit: float | None  # None: no published number (status no_limit; see compared_with)
    comparator: str
    min_orders: int
    enforced: bool
    source: str
    # For the fact shipped_within: how soon after the order date the shipment must be.
    within: Duration | None = None
    # Without a limit: what the marketplace compares the rate with (other merchants' ...).
    compared_with: str = ""
    compared_with_zh: str = ""

    def fact_key(self, fact: str) -> str:
        """The engine's name for ``fact`` in this metric (a timed fact carries its time)."""
        if fact == "shipped_within" and self.within is not None:
            return f"shipped_within:{self.within.as_timedelta().total_seconds():g}"
        return fact


@dataclass(frozen=True)
class BusinessHours:
    """The hours of a day that count in business time, as minutes after local
    midnight (``end`` 1440 = midnight at the day's end), on the calendar's business
    days (``days = "business"``) or on every day (``"every"``: a marketplace's
    service hours, weekends and holidays included)."""

    start: int
    end: int
    source: str = ""
    days: str = "business"  # business | every


@dataclass(frozen=True)
class MessageMetricDef:
    """Share of buyer messages answered by a human within ``reply_within``.

    ``limit`` None: the marketplace publishes no limit; the value is shown, never judged.
    """

    id: str
    name: str
    name_zh: str
    reply_within: Duration
    clock: str  # elapsed | business
    exclude: tuple[str, ...]
    window: Window
    limit: float | None
    comparator: str
    min_messages: int
    enforced: bool
    source: str
    # With clock = "business": only these hours of a business day count (None: all day).
    business_hours: BusinessHours | None = None


@dataclass(frozen=True)
class ReturnMetricDef:
    """Share of return requests with any of ``components`` (lower is better)."""

    id: str
    name: str
    name_zh: str
    components: tuple[str, ...]
    respond_within: Duration | None  # for late_response
    window: Window
    limit: float | None
    comparator: str
    min_returns: int
    enforced: bool
    source: str


@dataclass(frozen=True)
class EvidenceRequirement:
    id: str
    name: str
    name_zh: str
    description: str
    description_zh: str
    kind: str
    per_order: bool
    formats: tuple[str, ...]
    max_age_days: int | None
    example: str


@dataclass(frozen=True)
class FileRules:
    formats: tuple[str, ...]
    max_bytes: int
    evidence_name: str  # template, e.g. "{case_id}_{reason}_{evidence_type}"
    bundle: str  # pdf | zip
    bundle_name: str
    letter_name: str


@dataclass(frozen=True)
class LetterSection:
    id: str
    title: str
    title_zh: str
    word_limit: int | None = None
    # Every wording that names this section in a letter (English and Chinese), besides
    # the titles: "Root causes", "Cause of the issue", "问题原因", ...
    names: tuple[str, ...] = ()
    # Words that name this section in a heading of any wording ("prevent" names "My actions
    # to prevent this from happening again."); read only when no wording of ``names`` fits a
    # label standing alone on its line. Several sections' words in one heading: the section
    # listed later wins ("actions taken to prevent" is prevention).
    keywords: tuple[str, ...] = ()
    # Notification types that need this section; empty: every type.
    for_types: tuple[str, ...] = ()
    # Recommended, not asked for by the marketplace: a letter without it gets a warning.
    optional: bool = False
    # True only where the marketplace itself states the word limit (else it only warns).
    word_limit_blocking: bool = False
    # What the section does, for the checks that judge its content: cause, actions,
    # prevention (a part holding actions and prevention counts as prevention),
    # metrics, evidence, summary. Empty: the id.
    role: str = ""


@dataclass(frozen=True)
class LetterRules:
    language: str
    sections: tuple[LetterSection, ...]
    word_limit: int | None
    template: str  # file name in the policies folder, or ""
    word_limit_blocking: bool = False  # the marketplace states the limit (else a warning)


@dataclass(frozen=True)
class Recognition:
    keywords: tuple[str, ...]
    notification_id_patterns: tuple[str, ...]
    order_id_patterns: tuple[str, ...]


@dataclass(frozen=True)
class Policy:
    id: str
    name: str
    name_zh: str
    calendar: Calendar
    sites: tuple[Site, ...]
    recognise: Recognition
    notification_types: tuple[NotificationType, ...]
    followups: tuple[FollowUp, ...]
    appeals: Appeals
    metrics: tuple[MetricDef, ...]
    evidence: tuple[EvidenceRequirement, ...]
    files: FileRules
    letter: LetterRules
    report_columns: dict[str, tuple[str, ...]] = field(default_factory=dict)
    message_metrics: tuple[MessageMetricDef, ...] = ()
    message_columns: dict[str, tuple[str, ...]] = field(default_factory=dict)
    return_metrics: tuple[ReturnMetricDef, ...] = ()
    return_columns: dict[str, tuple[str, ...]] = field(default_factory=dict)
    report_encodings: tuple[str, ...] = ()  # [report_encodings] candidates; () = the default
    origin: str = ""  # where it was loaded from
    raw: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def notification_type(self, type_id: str) -> NotificationType | None:
        return next((t for t in self.notification_types if t.id == type_id), None)

    def metric(self, metric_id: str) -> MetricDef | None:
        return next((m for m in self.metrics if m.id == metric_id), None)

    def requirement(self, req_id: str) -> EvidenceRequirement | None:
        return next((r for r in self.evidence if r.id == req_id), None)

    def site(self, site_id: str) -> Site | None:
        return next((s for s in self.sites if s.id == site_id), None)

    def calendar_for(self, site_id: str | None) -> Calendar:
        site = self.site(site_id) if site_id else None
        return site.calendar if site else self.calendar

    def for_site(self, site_id: str | None) -> Policy:
        """The policy as one site sees it: the site's calendar (its zone places an
        order on its day, e.g. amazon.co.jp's in Tokyo); itself when that is the same."""
        calendar = self.calendar_for(site_id)
        return self if calendar == self.calendar else replace(self, calendar=calendar)
