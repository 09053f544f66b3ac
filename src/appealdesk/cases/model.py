"""The case: what one notification and its appeal hold.

Plain dataclasses with ``to_dict`` / ``from_dict`` so the store can write them
as TOML and the CLI can print them as JSON. TOML has no null, so ``None``
fields are simply left out of the dict.

The annotations are the schema of ``case.toml``: ``Case.from_dict`` validates a
parsed file against them (msgspec, strict types, see ``cases.validate``), so a
wrong type or a date-time without a time zone is one error naming its key.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Annotated, Any

from msgspec import Meta

# The lifecycle and the case id rule live in cases.status (no msgspec: ``appealdesk list``
# and the index read them without loading the schema); re-exported here.
from appealdesk.cases.status import (  # noqa: F401
    INACTIVE,
    TRANSITIONS,
    Status,
    TransitionError,
    allowed_transitions,
    is_safe_case_id,
)

# A date-time that carries its time zone (TOML ``2026-11-17T21:00:00Z``); a TOML
# local date-time (no offset) is refused when a case is loaded.
AwareDatetime = Annotated[datetime, Meta(tz=True)]

SCHEMA_VERSION = 1


def slugify(text: str, limit: int = 40) -> str:
    """Reduce any text to ``[a-z0-9-]``; never empty, never a path."""
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    slug = slug[:limit].strip("-")
    return slug or "x"


def make_case_id(marketplace: str, external_id: str | None, received: datetime) -> str:
    """A readable, filesystem-safe id: ``<marketplace>-<external id or date>``."""
    head = slugify(marketplace, 16)
    tail = slugify(external_id, 48) if external_id else received.strftime("%Y%m%d-%H%M")
    return f"{head}-{tail}"


def _clean(value: Any) -> Any:
    """Drop None recursively so the result can be written as TOML."""
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_clean(v) for v in value if v is not None]
    return value


class _Record:
    """to_dict / from_dict for flat dataclasses; unknown keys are kept."""

    def to_dict(self) -> dict[str, Any]:
        data = {}
        for f in dataclasses.fields(self):  # type: ignore[arg-type]
            if f.name == "extra":
                continue
            data[f.name] = getattr(self, f.name)
        data.update(getattr(self, "extra", {}) or {})
        return _clean(data)

    @classmethod
    def from_dict(cls, data: dict[str, Any]):
        names = {f.name for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
        known = {k: v for k, v in data.items() if k in names and k != "extra"}
        obj = cls(**known)
        if "extra" in names:
            obj.extra = {k: v for k, v in data.items() if k not in names}  # type: ignore[attr-defined]
        return obj


@dataclass
class QuotedMetric(_Record):
    """A figure the notification itself states, e.g. "late shipment rate 6.8%"."""

    metric: str
    value: float
    text: str = ""


@dataclass
class Notification:
    type: str = "unknown"
    external_id: str | None = None
    received: AwareDatetime | None = None
    text: str = ""
    cited_orders: list[str] = field(default_factory=list)
    quoted_metrics: list[QuotedMetric] = field(default_factory=list)
    stated_deadline: AwareDatetime | None = None
    subject: str | None = None
    # listing ids the notice cites (Amazon ASINs), as cited_orders for orders
    cited_listings: list[str] = field(default_factory=list)
    # thresholds the notice states ("our target of 4%"): never the seller's figure
    stated_thresholds: list[QuotedMetric] = field(default_factory=list)
    stated_text: str = ""  # the words of the stated deadline ("within 17 days")
    # the stated deadline is stated for the response itself: it is used even when
    # it is later than the policy's window ("You have 90 days to provide a valid appeal")
    stated_for_action: bool = False
    # where `received` came from: header | forwarded | operator | intake (not in the
    # text: the time of intake, which the case says and asks to correct) | "" (older cases)
    received_source: str = ""

    def to_dict(self) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        data["quoted_metrics"] = [q.to_dict() for q in self.quoted_metrics]
        data["stated_thresholds"] = [q.to_dict() for q in self.stated_thresholds]
        for key, empty in (("cited_listings", []), ("stated_thresholds", []), ("stated_text", ""),
                           ("stated_for_action", False), ("received_source", "")):
            if data[key] == empty:
                del data[key]  # older readers see the same file as before
        return _clean(data)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Notification:
        data = dict(data)
        quoted = [QuotedMetric.from_dict(q) for q in data.pop("quoted_metrics", [])]
        thresholds = [QuotedMetric.from_dict(q) for q in data.pop("stated_thresholds", [])]
        names = {f.name for f in dataclasses.fields(cls)}
        return cls(quoted_metrics=quoted, stated_thresholds=thresholds,
                   **{k: v for k, v in data.items() if k in names})

    @property
    def received_known(self) -> bool:
        """False when the received time is only the time of intake (the text gave none)."""
        return self.received_source != "intake"


@dataclass
class HistoryEntry(_Record):
    at: AwareDatetime
    operator: str
    event: str  # "created", "status", "note", "evidence", "waiver", "letter", ...
    from_status: str | None = None
    to_status: str | None = None
    note: str | None = None


@dataclass
class EvidenceItem(_Record):
    name: str  # file name inside the case's evidence/ folder
    original_name: str = ""
    requirement: str | None = None
    orders: list[str] = field(default_factory=list)
    sha256: str = ""
    size: int = 0
    kind: str = ""  # detected content type: pdf, png, jpeg, gif, zip, ...
    pages: int | None = None
    width: int | None = None
    height: int | None = None
    encrypted: bool = False
    document_date: str | None = None  # ISO date the document itself carries
    added: AwareDatetime | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class Waiver(_Record):
    requirement: str
    reason: str
    operator: str
    at: AwareDatetime


@dataclass
class ReportFile(_Record):
    name: str  # file name inside the case's reports/ folder
    # generic, <policy>[:<report>], mapped:<name>, account_health, messages, returns
    format: str = ""
    rows: int = 0
    bad_rows: int = 0
    imported: AwareDatetime | None = None


@dataclass
class LetterVersion(_Record):
    version: int
    text: str
    saved: AwareDatetime
    operator: str = ""
    origin: str = "edited"  # drafted, edited, imported, after_rejection


@dataclass
class Letter:
    draft: str = ""
    version: int = 0
    edited: bool = False  # the operator changed the draft since it was generated
    versions: list[LetterVersion] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return _clean(
            {
                "draft": self.draft,
                "version": self.version,
                "edited": self.edited,
                "versions": [v.to_dict() for v in self.versions],
            }
        )

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Letter:
        return cls(
            draft=data.get("draft", ""),
            version=data.get("version", 0),
            edited=data.get("edited", False),
            versions=[LetterVersion.from_dict(v) for v in data.get("versions", [])],
        )


@dataclass
class Submission(_Record):
    at: AwareDatetime
    operator: str
    pdf: str = ""
    sha256: str = ""
    ticket: str | None = None
    note: str | None = None
    outcome: str | None = None  # approved | rejected
    outcome_at: AwareDatetime | None = None
    reason: str | None = None
    code: str | None = None
    letter_version: int | None = None  # the LetterVersion that went out (repeated_appeal)
    deadline: datetime | None = None  # a new deadline the rejection states
    reply: str | None = None  # the marketplace's reply as pasted (intake joins it here)


@dataclass
class Case:
    id: str
    marketplace: str
    store: str = ""
    site: str = ""
    status: Status = Status.NEW
    created: AwareDatetime | None = None
    notification: Notification = field(default_factory=Notification)
    history: list[HistoryEntry] = field(default_factory=list)
    evidence: list[EvidenceItem] = field(default_factory=list)
    waivers: list[Waiver] = field(default_factory=list)
    reports: list[ReportFile] = field(default_factory=list)
    letter: Letter = field(default_factory=Letter)
    submissions: list[Submission] = field(default_factory=list)
    schema: int = SCHEMA_VERSION

    # -- lifecycle -------------------------------------------------------
    def change_status(
        self, new: Status | str, *, operator: str, at: datetime, note: str | None = None
    ) -> None:
        new = Status(new)
        if new not in allowed_transitions(self.status):
            possible = ", ".join(s.value for s in allowed_transitions(self.status))
            raise TransitionError(
                f"cannot go from {self.status.value} to {new.value}; possible: {possible}"
            )
        self.history.append(
            HistoryEntry(
                at=at,
                operator=operator,
                event="status",
                from_status=self.status.value,
                to_status=new.value,
                note=note,
            )
        )
        self.status = new

    def log(self, event: str, *, operator: str, at: datetime, note: str | None = None) -> None:
        self.history.append(HistoryEntry(at=at, operator=operator, event=event, note=note))

    @property
    def active(self) -> bool:
        return self.status not in INACTIVE

    # -- serialisation ---------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        return _clean(
            {
                "schema": self.schema,
                "id": self.id,
                "marketplace": self.marketplace,
                "store": self.store,
                "site": self.site,
                "status": self.status.value,
                "created": self.created,
                "notification": self.notification.to_dict(),
                "history": [h.to_dict() for h in self.history],
                "evidence": [e.to_dict() for e in self.evidence],
                "waivers": [w.to_dict() for w in self.waivers],
                "reports": [r.to_dict() for r in self.reports],
                "letter": self.letter.to_dict(),
                "submissions": [s.to_dict() for s in self.submissions],
            }
        )

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Case:
        """Build a case from parsed TOML, validated against this module's annotations.

        Raises ``cases.validate.DataError`` (a ValueError) naming the key path of the
        first problem. Unknown keys are ignored, except in ``[[evidence]]`` items, where
        they are kept in ``extra``.
        """
        from appealdesk.cases.validate import convert

        if isinstance(data.get("evidence"), list):
            known = {f.name for f in dataclasses.fields(EvidenceItem)} - {"extra"}
            data = dict(data)
            data["evidence"] = [
                {**{k: v for k, v in item.items() if k in known},
                 "extra": {k: v for k, v in item.items() if k not in known}}
                if isinstance(item, dict) else item
                for item in data["evidence"]
            ]
        return convert(data, cls)
