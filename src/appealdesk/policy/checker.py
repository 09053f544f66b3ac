"""Reading a raw policy table with key paths: the checker that collects every problem.

``_Checker.get`` and friends read one key of a parsed TOML table, check its
type or value and record a problem as ``key.path: what is wrong`` instead of
stopping, so ``appealdesk policies check`` can list every problem at once.
"""

from __future__ import annotations

import re
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from appealdesk.policy.types import WEEKDAYS, WINDOW_KINDS, Calendar, Duration, Window
from appealdesk.policy.user_regex import PatternError, compile_user


class Checker:
    """Collects problems while reading a raw TOML dict."""

    def __init__(self, probe_patterns: bool = True) -> None:
        self.problems: list[str] = []
        self.probe_patterns = probe_patterns

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
            self.add(where, f"must be {kind_name(kinds)}, not true/false")
            return None if default is ... else default
        if not isinstance(value, kinds):
            self.add(where, f"must be {kind_name(kinds)}, got {type(value).__name__}")
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
        if not self.probe_patterns:
            return patterns
        for i, pattern in enumerate(patterns):
            try:
                compile_user(pattern)  # refuses patterns that may take exponential time
            except PatternError as exc:
                self.add(f"{path}.{key}[{i}]", str(exc))
        return patterns

    def sourced(self, table: dict, path: str) -> None:
        """Every table that states a number must say where the number comes from."""
        has_number = any(
            isinstance(v, int | float) and not isinstance(v, bool) for v in table.values()
        )
        if has_number and not str(table.get("source", "")).strip():
            self.add(path or "(top level)", "states a number but has no 'source' note")


def kind_name(kinds: tuple) -> str:
    names = {str: "a string", int: "a whole number", float: "a number", bool: "true or false",
             list: "a list", dict: "a table"}
    return " or ".join(names.get(k, k.__name__) for k in kinds)


def duration(c: Checker, table: Any, path: str) -> Duration | None:
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


def window(c: Checker, w_raw: Any, path: str) -> Window:
    """A metric's ``window = { kind = "rolling", days = N, lag = L }`` (order, message and
    return metrics alike)."""
    if not isinstance(w_raw, dict):
        c.add(path, "is required: { kind = \"rolling\", days = N, lag = L }")
        return Window("rolling", 1)
    kind = c.choice(w_raw, path, "kind", WINDOW_KINDS)
    days = c.get(w_raw, path, "days", int, 0)
    lag = c.get(w_raw, path, "lag", int, 0)
    if kind == "rolling" and (days or 0) < 1:
        c.add(f"{path}.days", "must be at least 1 for a rolling window")
    if (lag or 0) < 0:
        c.add(f"{path}.lag", "must not be negative")
    c.sourced(w_raw, path)
    return Window(kind or "rolling", days or 0, lag or 0)


def columns(c: Checker, raw: dict[str, Any], key: str, known: tuple[str, ...] | None = None,
            what: str = "a known field") -> dict[str, tuple[str, ...]]:
    """A column mapping ``[key] field = [header, ...]`` (``[report_columns]``,
    ``[message_columns]``, ``[return_columns]``); a field not in ``known`` is a problem
    (``known=None``: any field name)."""
    found: dict[str, tuple[str, ...]] = {}
    cols_raw = raw.get(key, {})
    if not isinstance(cols_raw, dict):
        c.add(key, "must be a table of field = [header, ...]")
        return found
    for name in cols_raw:
        if known is not None and name not in known:
            c.add(f"{key}.{name}", f"is not {what}; use one of {', '.join(known)}")
        found[name] = c.str_list(cols_raw, key, name)
    return found


def calendar_table(
    c: Checker, table: Any, path: str, inherit: Calendar | None = None, *, holidays: bool = True
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


def items(c: Checker, raw: dict, key: str, prefix: str = "") -> list[tuple[str, dict]]:
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
