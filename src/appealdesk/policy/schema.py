"""The policy file format as typed msgspec Structs: every key, its type, whether it is required.

This is the schema ``policies/SCHEMA.md`` documents (``tests/test_policy_schema_doc.py``
checks the document's key tables against these classes, so the two cannot drift)
and the last step of ``policy.validation.validate``: a file the key-path checker
accepts is converted into a ``PolicyFile`` with strict types, so a key the checker
and this schema disagree about is still reported, never used unchecked.
``policy_json_schema()`` gives the same as JSON Schema for editors.

Unknown keys are ignored (a newer file stays readable by an older AppealDesk).
"""

from typing import Annotated, Literal

import msgspec
from msgspec import Meta, Struct, field

from appealdesk.policy.types import (
    BUNDLE_KINDS,
    COMPARATORS,
    DATE_BASES,
    EVIDENCE_KINDS,
    FOLLOWUP_EVENTS,
    HOURS_DAYS,
    MESSAGE_EXCLUSIONS,
    MESSAGE_FIELDS,
    ORDER_FACTS,
    POLICY_SCHEMA_VERSION,
    REPLY_CLOCKS,
    REPORT_ENCODINGS,
    RETURN_COMPONENTS,
    RETURN_FIELDS,
    WEEKDAYS,
    WINDOW_KINDS,
)

Positive = Annotated[float, Meta(gt=0)]
Weekday = Literal[WEEKDAYS]  # type: ignore[valid-type]


class DurationTable(Struct, kw_only=True):
    """``{ hours = 72, source = "..." }``: exactly one unit (checked by the validator)."""

    hours: Positive | None = None
    calendar_days: Positive | None = None
    business_days: Positive | None = None
    source: str = ""


class CalendarTable(Struct, kw_only=True):
    timezone: str
    weekend: list[Weekday]
    holidays: str = ""
    holidays_subdiv: str = ""


class SiteCalendarTable(Struct, kw_only=True):
    """A site's calendar: keys left out are taken from the policy's ``[calendar]``."""

    timezone: str | None = None
    weekend: list[Weekday] | None = None
    holidays: str | None = None
    holidays_subdiv: str | None = None


class SiteTable(Struct, kw_only=True):
    id: str
    name: str = ""
    aliases: list[str] = field(default_factory=list)
    calendar: SiteCalendarTable | None = None


class RecogniseTable(Struct, kw_only=True):
    keywords: list[str] = field(default_factory=list)
    notification_id_patterns: list[str] = field(default_factory=list)
    order_id_patterns: list[str] = field(default_factory=list)
    listing_id_patterns: list[str] = field(default_factory=list)
    senders: list[str] = field(default_factory=list)
    rejection_keywords: list[str] = field(default_factory=list)
    rejection_code_patterns: list[str] = field(default_factory=list)
    boilerplate: list[str] = field(default_factory=list)
    notification_id_given: bool = True
    source: str = ""


class ResponseTable(DurationTable, kw_only=True):
    holidays_extend: bool = True
    target: DurationTable | None = None


class NotificationTypeTable(Struct, kw_only=True):
    id: str
    name: str
    name_zh: str = ""
    priority: int = 0
    keywords: list[str] = field(default_factory=list)
    metrics: list[str] = field(default_factory=list)
    evidence: list[str] = field(default_factory=list)
    response: ResponseTable


class FollowUpTable(Struct, kw_only=True):
    id: str
    after: Literal[FOLLOWUP_EVENTS]  # type: ignore[valid-type]
    wait: DurationTable
    until_outcome: bool = False
    action: str
    action_zh: str = ""
    title: str = ""


class AppealsTable(Struct, kw_only=True):
    max_unsuccessful: int | None = None
    final_deadline: DurationTable | None = None
    one_metric_per_case: bool = False
    source: str = ""


class WindowTable(Struct, kw_only=True):
    kind: Literal[WINDOW_KINDS]  # type: ignore[valid-type]
    days: int = 0
    lag: Annotated[int, Meta(ge=0)] = 0
    source: str = ""


class MetricTable(Struct, kw_only=True):
    id: str
    name: str
    name_zh: str = ""
    numerator: Literal[ORDER_FACTS]  # type: ignore[valid-type]
    denominator: Literal[ORDER_FACTS]  # type: ignore[valid-type]
    basis: Literal[DATE_BASES]  # type: ignore[valid-type]
    window: WindowTable
    limit: Annotated[float, Meta(ge=0, le=1)] | None = None
    compared_with: str = ""
    compared_with_zh: str = ""
    comparator: Literal[COMPARATORS]  # type: ignore[valid-type]
    min_orders: Annotated[int, Meta(ge=0)] = 0
    within: DurationTable | None = None
    aliases: list[str] = field(default_factory=list)
    enforced: bool = True
    source: str


class BusinessHoursTable(Struct, kw_only=True):
    """``{ start = "09:00", end = "18:00", days = "business", source = "..." }``
    (times checked by the validator)."""

    start: str
    end: str
    days: Literal[HOURS_DAYS] = "business"  # type: ignore[valid-type]
    source: str


class MessageMetricTable(Struct, kw_only=True):
    """``[[message_metrics]]``: a reply-time rate over buyer messages."""

    id: str
    name: str
    name_zh: str = ""
    reply_within: DurationTable
    clock: Literal[REPLY_CLOCKS] = "elapsed"  # type: ignore[valid-type]
    business_hours: BusinessHoursTable | None = None
    exclude: list[Literal[MESSAGE_EXCLUSIONS]] = field(default_factory=list)  # type: ignore[valid-type]
    window: WindowTable
    limit: Annotated[float, Meta(ge=0, le=1)] | None = None
    comparator: Literal[COMPARATORS] = ">="  # type: ignore[valid-type]
    min_messages: Annotated[int, Meta(ge=0)] = 0
    enforced: bool = True
    source: str


class ReturnMetricTable(Struct, kw_only=True):
    """``[[return_metrics]]``: a rate of dissatisfied returns."""

    id: str
    name: str
    name_zh: str = ""
    components: Annotated[list[Literal[RETURN_COMPONENTS]], Meta(min_length=1)]  # type: ignore[valid-type]
    respond_within: DurationTable | None = None
    window: WindowTable
    limit: Annotated[float, Meta(ge=0, le=1)] | None = None
    comparator: Literal[COMPARATORS] = "<"  # type: ignore[valid-type]
    min_returns: Annotated[int, Meta(ge=0)] = 0
    enforced: bool = True
    source: str


class EvidenceTable(Struct, kw_only=True):
    id: str
    name: str
    name_zh: str = ""
    description: str = ""
    description_zh: str = ""
    kind: Literal[EVIDENCE_KINDS] = "other"  # type: ignore[valid-type]
    per_order: bool = False
    per_listing: bool = False
    formats: list[str] = field(default_factory=list)
    max_age_days: Annotated[int, Meta(ge=1)] | None = None
    example: str = ""
    source: str = ""


class FilesTable(Struct, kw_only=True):
    formats: list[str]
    max_bytes: Annotated[int, Meta(ge=1024)]
    evidence_name: str = ""
    bundle: Literal[BUNDLE_KINDS] = "pdf"  # type: ignore[valid-type]
    bundle_name: str = ""
    letter_name: str = ""
    source: str


class SectionTable(Struct, kw_only=True):
    id: str
    title: str
    title_zh: str = ""
    word_limit: int | None = None
    names: list[str] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)
    for_types: list[str] = field(default_factory=list)
    optional: bool = False
    word_limit_blocking: bool = False
    role: str = ""
    source: str = ""


class LetterTable(Struct, kw_only=True):
    language: Literal["en", "zh"]
    sections: list[SectionTable] = field(default_factory=list)
    word_limit: int | None = None
    word_limit_blocking: bool = False
    template: str = ""
    source: str = ""


class ReportFormatTable(Struct, kw_only=True):
    """One published report, recognised by its headers (``[[report_formats]]``)."""

    id: str
    name: str
    report_type: str = ""
    recognise: list[str]
    columns: dict[str, list[str]]
    source: str
    suggest: bool = True
    entered: list[str] = field(default_factory=list)
    zoned: list[str] = field(default_factory=list)


class OrderExportTable(Struct, kw_only=True):
    """What the marketplace calls the order export ``[report_columns]`` reads
    (``[order_export]``): intake names it when it asks for a report."""

    name: str
    name_zh: str = ""
    source: str


class ReportValuesTable(Struct, kw_only=True):
    """What status and fulfilment-channel values mean (``[report_values]``)."""

    cancelled_status: list[str] = field(default_factory=list)
    status_cancelled_by: str = ""
    marketplace_fulfilled: list[str] = field(default_factory=list)
    buyer_requested: list[str] = field(default_factory=list)
    source: str


class ReportEncodingsTable(Struct, kw_only=True):
    """The text encodings a report file may be in, tried in this order (``[report_encodings]``)."""

    candidates: Annotated[
        list[Literal[REPORT_ENCODINGS]], Meta(min_length=1)]  # type: ignore[valid-type]
    source: str


class HealthMetricTable(Struct, kw_only=True):
    metric: str
    key: str
    numerator: str = ""
    denominator: str = ""


class AccountHealthTable(Struct, kw_only=True):
    """Where the marketplace's account health report states each metric."""

    source: str
    metrics: list[HealthMetricTable] = field(default_factory=list)


class PolicyFile(Struct, kw_only=True):
    """One ``policies/<id>.toml``."""

    schema: Literal[POLICY_SCHEMA_VERSION] = POLICY_SCHEMA_VERSION  # type: ignore[valid-type]
    id: str
    name: str
    name_zh: str = ""
    calendar: CalendarTable
    sites: list[SiteTable] = field(default_factory=list)
    recognise: RecogniseTable = field(default_factory=RecogniseTable)
    notification_types: Annotated[list[NotificationTypeTable], Meta(min_length=1)]
    followups: list[FollowUpTable] = field(default_factory=list)
    appeals: AppealsTable = field(default_factory=AppealsTable)
    metrics: list[MetricTable] = field(default_factory=list)
    evidence: list[EvidenceTable] = field(default_factory=list)
    files: FilesTable
    letter: LetterTable
    report_columns: dict[str, list[str]] = field(default_factory=dict)
    report_formats: list[ReportFormatTable] = field(default_factory=list)
    order_export: OrderExportTable | None = None
    report_values: ReportValuesTable | None = None
    report_encodings: ReportEncodingsTable | None = None
    account_health: AccountHealthTable | None = None
    message_metrics: list[MessageMetricTable] = field(default_factory=list)
    message_columns: dict[Literal[MESSAGE_FIELDS], list[str]] = field(  # type: ignore[valid-type]
        default_factory=dict)
    return_metrics: list[ReturnMetricTable] = field(default_factory=list)
    return_columns: dict[Literal[RETURN_FIELDS], list[str]] = field(  # type: ignore[valid-type]
        default_factory=dict)


def read_policy_file(raw: dict) -> PolicyFile:
    """``raw`` (parsed TOML) as a PolicyFile; raises msgspec.ValidationError."""
    return msgspec.convert(raw, PolicyFile, strict=True)


def policy_json_schema() -> dict:
    return msgspec.json.schema(PolicyFile)
