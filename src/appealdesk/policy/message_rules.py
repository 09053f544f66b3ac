"""Validation of a policy's message and return metrics and their column mappings.

Kept beside ``policy.validation`` (which calls ``read_message_rules``) so the
order and message vocabularies each stay one screen long.
"""

from __future__ import annotations

import re
from typing import Any

from appealdesk.policy.checker import Checker, columns, duration, items, window
from appealdesk.policy.types import (
    COMPARATORS,
    HOURS_DAYS,
    MESSAGE_EXCLUSIONS,
    MESSAGE_FIELDS,
    REPLY_CLOCKS,
    RETURN_COMPONENTS,
    RETURN_FIELDS,
    BusinessHours,
    Duration,
    MessageMetricDef,
    ReturnMetricDef,
)

_CLOCK_TIME = re.compile(r"^([01]\d|2[0-4]):([0-5]\d)$")


def _minutes(c: Checker, raw: dict[str, Any], path: str, key: str) -> int:
    text = raw.get(key)
    found = _CLOCK_TIME.match(text) if isinstance(text, str) else None
    minutes = int(found.group(1)) * 60 + int(found.group(2)) if found else -1
    if not found or minutes > 1440:
        c.add(f"{path}.{key}", "must be a time of day \"HH:MM\" (00:00 to 24:00)")
        return 0
    return minutes


def _business_hours(c: Checker, m: dict[str, Any], path: str) -> BusinessHours | None:
    """``business_hours = { start = "09:00", end = "18:00", days = "business", source = "..." }``,
    or None."""
    raw = m.get("business_hours")
    if raw is None:
        return None
    where = f"{path}.business_hours"
    if not isinstance(raw, dict):
        c.add(where, "must be a table { start = \"09:00\", end = \"18:00\", source = \"...\" }")
        return None
    if not str(raw.get("source", "")).strip():
        c.add(where, "states business hours but has no 'source' note")
    start, end = _minutes(c, raw, where, "start"), _minutes(c, raw, where, "end")
    if start >= end:
        c.add(f"{where}.end", "must be later than start")
    if m.get("clock", "elapsed") != "business":
        c.add(where, "counts only with clock = \"business\"")
    days = c.choice(raw, where, "days", HOURS_DAYS, "business") or "business"
    return BusinessHours(start, end, str(raw.get("source", "")), days)


def read_message_rules(
    c: Checker, raw: dict[str, Any]
) -> tuple[tuple[MessageMetricDef, ...], dict[str, tuple[str, ...]]]:
    """The message metrics and the message column mapping; problems go to ``c``."""
    metrics = []
    for path, m in items(c, raw, "message_metrics"):
        c.sourced(m, path)
        within = duration(c, m.get("reply_within"), f"{path}.reply_within")
        limit = c.get(m, path, "limit", (int, float), None)
        if limit is not None and not 0 <= limit <= 1:
            c.add(f"{path}.limit", "must be a fraction between 0 and 1 (0.9 for 90%)")
        exclude = c.str_list(m, path, "exclude", [])
        for item in exclude:
            if item not in MESSAGE_EXCLUSIONS:
                c.add(f"{path}.exclude",
                      f"{item!r} is not one of {', '.join(MESSAGE_EXCLUSIONS)}")
        if "outside_hours" in exclude and not isinstance(m.get("business_hours"), dict):
            c.add(f"{path}.exclude", "'outside_hours' needs the metric's business_hours")
        min_messages = c.get(m, path, "min_messages", int, 0)
        if min_messages is not None and min_messages < 0:
            c.add(f"{path}.min_messages", "must not be negative")
        metrics.append(MessageMetricDef(
            id=m.get("id", ""),
            name=c.get(m, path, "name", str) or "",
            name_zh=c.get(m, path, "name_zh", str, "") or "",
            reply_within=within or Duration(24, "hours"),
            clock=c.choice(m, path, "clock", REPLY_CLOCKS, "elapsed") or "elapsed",
            exclude=tuple(e for e in exclude if e in MESSAGE_EXCLUSIONS),
            window=window(c, m.get("window"), f"{path}.window"),
            limit=None if limit is None else float(limit),
            comparator=c.choice(m, path, "comparator", COMPARATORS, ">=") or ">=",
            min_messages=min_messages or 0,
            enforced=c.get(m, path, "enforced", bool, True),
            source=str(m.get("source", "")),
            business_hours=_business_hours(c, m, path),
        ))
    return tuple(metrics), columns(c, raw, "message_columns", MESSAGE_FIELDS, "a message field")


def read_return_rules(
    c: Checker, raw: dict[str, Any]
) -> tuple[tuple[ReturnMetricDef, ...], dict[str, tuple[str, ...]]]:
    """The return metrics and the returns column mapping; problems go to ``c``."""
    metrics = []
    for path, m in items(c, raw, "return_metrics"):
        c.sourced(m, path)
        components = c.str_list(m, path, "components")
        for item in components:
            if item not in RETURN_COMPONENTS:
                c.add(f"{path}.components",
                      f"{item!r} is not one of {', '.join(RETURN_COMPONENTS)}")
        within = None
        if "respond_within" in m:
            within = duration(c, m["respond_within"], f"{path}.respond_within")
        elif "late_response" in components:
            c.add(f"{path}.respond_within", "is required for late_response")
        limit = c.get(m, path, "limit", (int, float), None)
        if limit is not None and not 0 <= limit <= 1:
            c.add(f"{path}.limit", "must be a fraction between 0 and 1 (0.1 for 10%)")
        min_returns = c.get(m, path, "min_returns", int, 0)
        if min_returns is not None and min_returns < 0:
            c.add(f"{path}.min_returns", "must not be negative")
        metrics.append(ReturnMetricDef(
            id=m.get("id", ""),
            name=c.get(m, path, "name", str) or "",
            name_zh=c.get(m, path, "name_zh", str, "") or "",
            components=tuple(x for x in components if x in RETURN_COMPONENTS),
            respond_within=within,
            window=window(c, m.get("window"), f"{path}.window"),
            limit=None if limit is None else float(limit),
            comparator=c.choice(m, path, "comparator", COMPARATORS, "<") or "<",
            min_returns=min_returns or 0,
            enforced=c.get(m, path, "enforced", bool, True),
            source=str(m.get("source", "")),
        ))
    return tuple(metrics), columns(c, raw, "return_columns", RETURN_FIELDS)
