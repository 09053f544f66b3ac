"""Marketplace policies: load, validate and look up ``policies/*.toml``.

A policy is data. The shipped ones live in the ``appealdesk.policies`` package;
a user adds or overrides one by dropping ``<id>.toml`` into ``<data>/policies``.
Validation collects *every* problem with its key path (``metrics[2].window.days``)
instead of stopping at the first, so ``appealdesk policies check`` can list them.

The schema is documented in ``policies/SCHEMA.md``.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from datetime import timedelta
from importlib import resources
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

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


# --------------------------------------------------------------------------
# The policy as typed objects
# --------------------------------------------------------------------------


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
    limit: float
    comparator: str
    min_orders: int
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
    # Notification types that need this section; empty: every type.
    for_types: tuple[str, ...] = ()
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


# --------------------------------------------------------------------------
# Validation
# --------------------------------------------------------------------------


class _Checker:
    """Collects problems while reading a raw TOML dict."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def add(self, path: str, message: str) -> None:
        self.problems.append(f"{path}: {message}" if path else message)

    def get(self, table: dict, path: str, key: str, kind: type | tuple, default: Any = ...) -> Any:
        where = f"{path}.{key}" if path else key
        if key not in table:
            if default is ...:
                self.add(where, "is required")
                return None
            return default
        value = table[key]
        kinds = kind if isinstance(kind, tuple) else (kind,)
        if isinstance(value, bool) and bool not in kinds:
            self.add(where, f"must be {_kind_name(kinds)}, not true/false")
            return None if default is ... else default
        if not isinstance(value, kinds):
            self.add(where, f"must be {_kind_name(kinds)}, got {type(value).__name__}")
            return None if default is ... else default
        return value

    def str_list(self, table: dict, path: str, key: str, default: Any = ...) -> tuple[str, ...]:
        value = self.get(table, path, key, list, default)
        if value is None:
            return ()
        where = f"{path}.{key}" if path else key
        bad = [i for i, v in enumerate(value) if not isinstance(v, str)]
        for i in bad:
            self.add(f"{where}[{i}]", "must be a string")
        return tuple(v for v in value if isinstance(v, str))

    def choice(self, table: dict, path: str, key: str, choices: tuple, default: Any = ...) -> Any:
        value = self.get(table, path, key, str, default)
        if value is not None and value not in choices:
            where = f"{path}.{key}" if path else key
            self.add(where, f"is {value!r}; must be one of {', '.join(choices)}")
            return None
        return value

    def regexes(self, table: dict, path: str, key: str) -> tuple[str, ...]:
        patterns = self.str_list(table, path, key, [])
        for i, pattern in enumerate(patterns):
            try:
                re.compile(pattern)
            except re.error as exc:
                self.add(f"{path}.{key}[{i}]", f"is not a valid regular expression ({exc})")
        return patterns

    def sourced(self, table: dict, path: str) -> None:
        """Every table that states a number must say where the number comes from."""
        has_number = any(
            isinstance(v, int | float) and not isinstance(v, bool) for v in table.values()
        )
        if has_number and not str(table.get("source", "")).strip():
            self.add(path or "(top level)", "states a number but has no 'source' note")


def _kind_name(kinds: tuple) -> str:
    names = {str: "a string", int: "a whole number", float: "a number", bool: "true or false",
             list: "a list", dict: "a table"}
    return " or ".join(names.get(k, k.__name__) for k in kinds)


def _duration(c: _Checker, table: Any, path: str) -> Duration | None:
    if not isinstance(table, dict):
        c.add(path, "must be a table like { hours = 72, source = \"...\" }")
        return None
    units = [u for u in ("hours", "calendar_days", "business_days") if u in table]
    if len(units) != 1:
        c.add(path, "must give exactly one of hours, calendar_days, business_days")
        return None
    amount = c.get(table, path, units[0], (int, float))
    if amount is not None and amount <= 0:
        c.add(f"{path}.{units[0]}", "must be greater than 0")
    c.sourced(table, path)
    if amount is None:
        return None
    return Duration(float(amount), units[0], str(table.get("source", "")))


def _calendar(
    c: _Checker, table: Any, path: str, inherit: Calendar | None = None, *, holidays: bool = True
) -> Calendar:
    if not isinstance(table, dict):
        c.add(path, "must be a table")
        table = {}
    tz = c.get(table, path, "timezone", str, inherit.timezone if inherit else ...)
    if tz:
        try:
            ZoneInfo(tz)
        except (ZoneInfoNotFoundError, ValueError):
            c.add(f"{path}.timezone", f"{tz!r} is not a known time zone")
            tz = "UTC"
    weekend = c.str_list(table, path, "weekend", list(inherit.weekend) if inherit else ...)
    for day in weekend:
        if day not in WEEKDAYS:
            c.add(f"{path}.weekend", f"{day!r} is not one of {', '.join(WEEKDAYS)}")
    weekend = tuple(d for d in weekend if d in WEEKDAYS)
    country = c.get(table, path, "holidays", str, inherit.holiday_country if inherit else "")
    subdiv = c.get(table, path, "holidays_subdiv", str, inherit.holiday_subdiv if inherit else "")
    if country and holidays:
        from holidays import list_supported_countries  # 50+ ms: skipped for shipped files

        if country not in list_supported_countries():
            c.add(f"{path}.holidays", f"{country!r} is not a country the holidays library knows")
    return Calendar(tz or "UTC", weekend, country or None, subdiv or None)


def _items(c: _Checker, raw: dict, key: str, prefix: str = "") -> list[tuple[str, dict]]:
    """The array of tables ``raw[key]``; ``prefix`` is the key path of ``raw`` (e.g. "letter.")."""
    value = raw.get(key, [])
    if not isinstance(value, list):
        c.add(prefix + key, "must be an array of tables ([[%s]])" % (prefix + key))
        return []
    out = []
    seen: set[str] = set()
    for i, item in enumerate(value):
        path = f"{prefix}{key}[{i}]"
        if not isinstance(item, dict):
            c.add(path, "must be a table")
            continue
        item_id = item.get("id")
        if not isinstance(item_id, str) or not re.fullmatch(r"[a-z0-9][a-z0-9_.-]{0,63}", item_id):
            c.add(f"{path}.id", "is required: lower-case letters, digits, '_', '.' and '-'")
        elif item_id in seen:
            c.add(f"{path}.id", f"{item_id!r} is used twice")
        else:
            seen.add(item_id)
        out.append((path, item))
    return out


def validate(
    raw: dict[str, Any], *, origin: str = "", check_holidays: bool = True
) -> tuple[Policy | None, list[str]]:
    """Check a parsed policy; return the policy (or None) and every problem found.

    ``check_holidays=False`` skips asking the holidays library whether a country
    exists (slow to import); used for the shipped files, which the tests check.
    """
    c = _Checker()
    if raw.get("schema", POLICY_SCHEMA_VERSION) != POLICY_SCHEMA_VERSION:
        c.add("schema", f"must be {POLICY_SCHEMA_VERSION}")
    pid = c.get(raw, "", "id", str)
    if pid is not None and not re.fullmatch(r"[a-z][a-z0-9_]{0,31}", pid):
        c.add("id", "must be lower-case letters, digits and _, starting with a letter")
    name = c.get(raw, "", "name", str)
    name_zh = c.get(raw, "", "name_zh", str, name or "")
    calendar = _calendar(c, raw.get("calendar", {}), "calendar", holidays=check_holidays)

    sites = []
    for path, item in _items(c, raw, "sites"):
        site_cal = _calendar(c, item.get("calendar", {}), f"{path}.calendar", inherit=calendar,
                             holidays=check_holidays)
        sites.append(Site(item.get("id", ""), c.get(item, path, "name", str, ""), site_cal))

    rec_raw = raw.get("recognise", {})
    if not isinstance(rec_raw, dict):
        c.add("recognise", "must be a table")
        rec_raw = {}
    recognise = Recognition(
        c.str_list(rec_raw, "recognise", "keywords", []),
        c.regexes(rec_raw, "recognise", "notification_id_patterns"),
        c.regexes(rec_raw, "recognise", "order_id_patterns"),
    )

    metrics = []
    for path, m in _items(c, raw, "metrics"):
        c.sourced(m, path)
        w_raw = m.get("window")
        window = Window("rolling")
        if not isinstance(w_raw, dict):
            c.add(f"{path}.window", "is required: { kind = \"rolling\", days = N, lag = L }")
        else:
            kind = c.choice(w_raw, f"{path}.window", "kind", WINDOW_KINDS)
            days = c.get(w_raw, f"{path}.window", "days", int, 0)
            lag = c.get(w_raw, f"{path}.window", "lag", int, 0)
            if kind == "rolling" and (days or 0) < 1:
                c.add(f"{path}.window.days", "must be at least 1 for a rolling window")
            if (lag or 0) < 0:
                c.add(f"{path}.window.lag", "must not be negative")
            c.sourced(w_raw, f"{path}.window")
            window = Window(kind or "rolling", days or 0, lag or 0)
        limit = c.get(m, path, "limit", (int, float))
        if limit is not None and not 0 <= limit <= 1:
            c.add(f"{path}.limit", "must be a fraction between 0 and 1 (0.04 for 4%)")
        min_orders = c.get(m, path, "min_orders", int, 0)
        if min_orders is not None and min_orders < 0:
            c.add(f"{path}.min_orders", "must not be negative")
        metrics.append(
            MetricDef(
                id=m.get("id", ""),
                name=c.get(m, path, "name", str) or "",
                name_zh=c.get(m, path, "name_zh", str, "") or "",
                numerator=c.choice(m, path, "numerator", ORDER_FACTS) or "",
                denominator=c.choice(m, path, "denominator", ORDER_FACTS) or "",
                basis=c.choice(m, path, "basis", DATE_BASES) or "",
                window=window,
                limit=float(limit or 0),
                comparator=c.choice(m, path, "comparator", COMPARATORS) or "<",
                min_orders=min_orders or 0,
                enforced=c.get(m, path, "enforced", bool, True),
                source=str(m.get("source", "")),
            )
        )
    metric_ids = {m.id for m in metrics}

    evidence = []
    for path, e in _items(c, raw, "evidence"):
        c.sourced(e, path)
        max_age = c.get(e, path, "max_age_days", int, None)
        if max_age is not None and max_age < 1:
            c.add(f"{path}.max_age_days", "must be at least 1")
        evidence.append(
            EvidenceRequirement(
                id=e.get("id", ""),
                name=c.get(e, path, "name", str) or "",
                name_zh=c.get(e, path, "name_zh", str, "") or "",
                description=c.get(e, path, "description", str, "") or "",
                description_zh=c.get(e, path, "description_zh", str, "") or "",
                kind=c.choice(e, path, "kind", EVIDENCE_KINDS, "other") or "other",
                per_order=c.get(e, path, "per_order", bool, False),
                formats=c.str_list(e, path, "formats", []),
                max_age_days=max_age,
                example=c.get(e, path, "example", str, "") or "",
            )
        )
    evidence_ids = {e.id for e in evidence}

    types = []
    for path, t in _items(c, raw, "notification_types"):
        for key, known, what in (("metrics", metric_ids, "metric"),
                                 ("evidence", evidence_ids, "evidence requirement")):
            for ref in c.str_list(t, path, key, []):
                if ref not in known:
                    c.add(f"{path}.{key}",
                          f"names {what} {ref!r}, which this policy does not define")
        resp_raw = t.get("response")
        window = _duration(c, resp_raw, f"{path}.response") if resp_raw is not None else None
        if resp_raw is None:
            c.add(f"{path}.response", "is required: { hours = 72, source = \"...\" }")
        target = None
        if isinstance(resp_raw, dict):
            if "holidays_extend" in resp_raw and not isinstance(resp_raw["holidays_extend"], bool):
                c.add(f"{path}.response.holidays_extend", "must be true or false")
            if "target" in resp_raw:
                target = _duration(c, resp_raw["target"], f"{path}.response.target")
        types.append(
            NotificationType(
                id=t.get("id", ""),
                name=c.get(t, path, "name", str) or "",
                name_zh=c.get(t, path, "name_zh", str, "") or "",
                keywords=c.str_list(t, path, "keywords", []),
                metrics=c.str_list(t, path, "metrics", []),
                evidence=c.str_list(t, path, "evidence", []),
                response=ResponseRule(
                    window or Duration(72, "hours"),
                    bool(resp_raw.get("holidays_extend", True)) if isinstance(resp_raw, dict)
                    else True,
                    target,
                ),
            )
        )
    if not types:
        c.add("notification_types", "at least one [[notification_types]] is required")

    followups = []
    for path, f in _items(c, raw, "followups"):
        wait = _duration(c, f.get("wait"), f"{path}.wait")
        followups.append(
            FollowUp(
                id=f.get("id", ""),
                after=c.choice(f, path, "after", FOLLOWUP_EVENTS) or "submitted",
                wait=wait or Duration(1, "hours"),
                until_outcome=c.get(f, path, "until_outcome", bool, False),
                action=c.get(f, path, "action", str) or "",
                action_zh=c.get(f, path, "action_zh", str, "") or "",
                title=c.get(f, path, "title", str, "") or "",
            )
        )

    ap_raw = raw.get("appeals", {})
    if not isinstance(ap_raw, dict):
        c.add("appeals", "must be a table")
        ap_raw = {}
    c.sourced(ap_raw, "appeals")
    final = ap_raw.get("final_deadline")
    appeals = Appeals(
        max_unsuccessful=c.get(ap_raw, "appeals", "max_unsuccessful", int, None),
        final_deadline=_duration(c, final, "appeals.final_deadline") if final else None,
        one_metric_per_case=c.get(ap_raw, "appeals", "one_metric_per_case", bool, False),
    )

    f_raw = raw.get("files")
    if not isinstance(f_raw, dict):
        c.add("files", "is required: [files] with formats, max_bytes and names")
        f_raw = {}
    c.sourced(f_raw, "files")
    max_bytes = c.get(f_raw, "files", "max_bytes", int)
    if max_bytes is not None and max_bytes < 1024:
        c.add("files.max_bytes", "must be at least 1024")
    files = FileRules(
        formats=c.str_list(f_raw, "files", "formats"),
        max_bytes=max_bytes or 10 * 1024 * 1024,
        evidence_name=c.get(f_raw, "files", "evidence_name", str, "") or "",
        bundle=c.choice(f_raw, "files", "bundle", BUNDLE_KINDS, "pdf") or "pdf",
        bundle_name=c.get(f_raw, "files", "bundle_name", str, "") or "",
        letter_name=c.get(f_raw, "files", "letter_name", str, "") or "",
    )

    l_raw = raw.get("letter")
    if not isinstance(l_raw, dict):
        c.add("letter", "is required: [letter] with language and sections")
        l_raw = {}
    c.sourced(l_raw, "letter")
    sections = []
    for path, s in _items(c, l_raw, "sections", "letter."):
        c.sourced(s, path)
        sections.append(
            LetterSection(
                id=s.get("id", ""),
                title=c.get(s, path, "title", str) or "",
                title_zh=c.get(s, path, "title_zh", str, "") or "",
                word_limit=c.get(s, path, "word_limit", int, None),
                names=c.str_list(s, path, "names", ()),
                for_types=c.str_list(s, path, "for_types", ()),
                word_limit_blocking=c.get(s, path, "word_limit_blocking", bool, False),
                role=c.get(s, path, "role", str, "") or "",
            )
        )
    language = c.get(l_raw, "letter", "language", str) or "en"
    if language not in ("en", "zh"):
        c.add("letter.language", "must be en or zh")
    letter = LetterRules(
        language=language,
        sections=tuple(sections),
        word_limit=c.get(l_raw, "letter", "word_limit", int, None),
        template=c.get(l_raw, "letter", "template", str, "") or "",
        word_limit_blocking=c.get(l_raw, "letter", "word_limit_blocking", bool, False),
    )

    columns: dict[str, tuple[str, ...]] = {}
    cols_raw = raw.get("report_columns", {})
    if not isinstance(cols_raw, dict):
        c.add("report_columns", "must be a table of field = [header, ...]")
    else:
        for key in cols_raw:
            columns[key] = c.str_list(cols_raw, "report_columns", key)

    if c.problems:
        # A key read twice (e.g. a type-checked list) must not be reported twice.
        return None, list(dict.fromkeys(c.problems))
    policy = Policy(
        id=pid or "",
        name=name or "",
        name_zh=name_zh or "",
        calendar=calendar,
        sites=tuple(sites),
        recognise=recognise,
        notification_types=tuple(types),
        followups=tuple(followups),
        appeals=appeals,
        metrics=tuple(metrics),
        evidence=tuple(evidence),
        files=files,
        letter=letter,
        report_columns=columns,
        origin=origin,
        raw=raw,
    )
    return policy, []


# --------------------------------------------------------------------------
# Loading
# --------------------------------------------------------------------------


def parse_policy_text(text: str, origin: str, *, check_holidays: bool = True) -> Policy:
    """Parse and validate one policy; raise PolicyError listing every problem."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise PolicyError(origin, [f"not valid TOML: {exc}"]) from None
    policy, problems = validate(raw, origin=origin, check_holidays=check_holidays)
    if policy is None:
        raise PolicyError(origin, problems)
    return policy


def load_policy_file(path: Path) -> Policy:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise PolicyError(str(path), [f"cannot read: {exc}"]) from None
    return parse_policy_text(text, str(path))


# TOML files in a policies folder that are not marketplace policies.
COMPANION_FILES = frozenset({"phrasebook.toml", "template_phrases.toml"})


def is_policy_file_name(name: str) -> bool:
    hidden = name.startswith(("_", "."))
    return name.endswith(".toml") and not hidden and name not in COMPANION_FILES


def shipped_policy_texts() -> dict[str, tuple[str, str]]:
    """``{file stem: (origin, text)}`` for every policy bundled with the package."""
    out = {}
    for entry in resources.files("appealdesk.policies").iterdir():
        if is_policy_file_name(entry.name):
            out[entry.name[:-5]] = (f"appealdesk/policies/{entry.name}", entry.read_text("utf-8"))
    return out


@dataclass
class PolicySet:
    """All usable policies, plus the files that failed to load."""

    policies: dict[str, Policy]
    errors: list[PolicyError]

    def get(self, policy_id: str) -> Policy | None:
        return self.policies.get(policy_id)

    def __iter__(self):
        return iter(sorted(self.policies.values(), key=lambda p: p.id))


def load_policies(user_dir: Path | None = None) -> PolicySet:
    """Shipped policies, overridden or extended by ``user_dir/*.toml``.

    A broken user file is reported in ``errors`` and never hides the others.
    """
    policies: dict[str, Policy] = {}
    errors: list[PolicyError] = []
    for origin, text in shipped_policy_texts().values():
        try:
            policy = parse_policy_text(text, origin, check_holidays=False)
        except PolicyError as exc:
            errors.append(exc)
            continue
        policies[policy.id] = policy
    if user_dir and user_dir.is_dir():
        for path in sorted(p for p in user_dir.glob("*.toml") if is_policy_file_name(p.name)):
            try:
                policy = load_policy_file(path)
            except PolicyError as exc:
                errors.append(exc)
                continue
            policies[policy.id] = policy
    return PolicySet(policies, errors)


def policy_resource_text(name: str, user_dir: Path | None = None) -> str | None:
    """A companion file (letter template, phrasebook) from the user's or shipped policies."""
    if user_dir and (user_dir / name).is_file():
        return (user_dir / name).read_text("utf-8")
    entry = resources.files("appealdesk.policies").joinpath(name)
    return entry.read_text("utf-8") if entry.is_file() else None
