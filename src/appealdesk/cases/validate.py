"""Typed reading of data files: a parsed TOML dict -> typed objects, or one clear problem.

``case.toml`` and ``config.toml`` are validated with msgspec against the
annotations of their dataclasses (``cases.model``, ``cases.config``): strict
types (a string is not a number, a quoted timestamp is not a date-time),
date-times must carry a time zone, years outside ``SANE_YEARS`` and deeply
nested values are refused. A problem is a ``DataError`` whose ``key`` is the
key path (``submissions[0].at``), the form ``appealdesk policies check`` uses.
(msgspec was chosen by measuring: ``tests/bench_case_load.py``.)
"""

from __future__ import annotations

import re
from datetime import date, datetime, time
from typing import Any, TypeVar

import msgspec

from appealdesk.cases.clock import SANE_FIRST_YEAR, SANE_LAST_YEAR, insane_date_reason

T = TypeVar("T")

# Dates a case can hold: the one range of the whole program (cases.clock.sane_year, also
# used by intake and report import). Outside it deadline arithmetic overflows (year 9999
# + 17 days) or the value is a typo; either way it is not a real notice.
SANE_YEARS = range(SANE_FIRST_YEAR, SANE_LAST_YEAR + 1)
MAX_DEPTH = 16  # a case nests 4 deep; a deeper value is a broken or hostile file

_AT = re.compile(r"^(?P<msg>.*?)(?: - at `\$(?P<path>[^`]*)`)?$", re.S)
_TYPE_NAMES = {
    "str": "a string", "int": "a whole number", "float": "a number", "bool": "true or false",
    "array": "a list", "object": "a table", "datetime": "a date-time", "date": "a date",
    "time": "a time", "null": "nothing", "bytes": "bytes",
}


class DataError(ValueError):
    """One problem in a data file: ``key`` is its key path ("" for the whole file)."""

    def __init__(self, key: str, message: str):
        self.key = key
        self.message = message
        super().__init__(f"{key}: {message}" if key else message)


def _type_name(name: str) -> str:
    names = [_TYPE_NAMES.get(part.strip(), part.strip()) for part in name.split("|")]
    return " or ".join(n for n in names if n != "nothing") or "nothing"


def _friendly(message: str) -> str:
    found = re.match(r"Expected `datetime( \| null)?` with a timezone component", message)
    if found:
        return ("is a date-time without a time zone; add one, "
                "e.g. 2026-11-17T21:00:00Z or 2026-11-17T21:00:00+08:00")
    found = re.match(r"Expected `([^`]*)`, got `([^`]*)`", message)
    if found:
        want, got = found.groups()
        hint = " (write it without quotes)" if "datetime" in want and got == "str" else ""
        return f"must be {_type_name(want)}, got {_type_name(got)}{hint}"
    found = re.match(r"Invalid enum value (.*)", message)
    if found:
        return f"is {found.group(1)}, which is not a known value"
    return message[:1].lower() + message[1:]


_SEGMENT = re.compile(r"\.([^.\[]+)|\[(\d+|\.\.\.)\]")
_GOT = {"str": str, "int": int, "float": float, "bool": bool, "array": list, "object": dict}


def _resolve(data: Any, path: str, got: str | None) -> str:
    """msgspec writes a table key it does not name as ``[...]``: find the real key.

    The first concrete path matching the pattern whose value has the type
    msgspec ``got`` (or any, when unknown) is taken; the pattern itself otherwise.
    """
    segments = [(m.group(1), m.group(2)) for m in _SEGMENT.finditer(path)]
    want = _GOT.get(got or "")

    def walk(value: Any, i: int, where: str) -> str | None:
        if i == len(segments):
            if want is None or (type(value) is want):
                return where
            return None
        name, index = segments[i]
        if name is not None and isinstance(value, dict) and name in value:
            return walk(value[name], i + 1, f"{where}.{name}" if where else name)
        if index == "..." and isinstance(value, dict):
            for key, item in value.items():
                found = walk(item, i + 1, f"{where}.{key}" if where else str(key))
                if found:
                    return found
        elif index is not None and index.isdigit() and isinstance(value, list):
            if int(index) < len(value):
                return walk(value[int(index)], i + 1, f"{where}[{index}]")
        return None

    return walk(data, 0, "") or path.lstrip(".")


def describe(exc: msgspec.ValidationError, data: Any = None) -> DataError:
    """msgspec's ``Expected `int`, got `str` - at `$.a[0].b``` -> ``a[0].b: must be ...``."""
    found = _AT.match(str(exc))
    message = found.group("msg") if found else str(exc)
    path = (found.group("path") or "") if found else ""
    if "[...]" in path:
        got = re.search(r", got `([^`|]*)`", message)
        path = _resolve(data, path, got.group(1) if got else None)
    path = path.lstrip(".")
    missing = re.match(r"Object missing required field `([^`]*)`", message)
    if missing:
        key = f"{path}.{missing.group(1)}" if path else missing.group(1)
        return DataError(key, "is required")
    return DataError(path, _friendly(message))


def _plausible(root: Any) -> bool:
    """True when nothing is nested too deep and every date is in SANE_YEARS.

    The quick pass over every loaded file (no key paths built); ``scan`` then finds
    where the problem is in the rare file that fails it.
    """
    low, high = SANE_YEARS.start, SANE_YEARS.stop
    stack = [(root, 0)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_DEPTH:
            return False
        for item in value.values() if type(value) is dict else value:
            kind = type(item)
            if kind is dict or kind is list:
                stack.append((item, depth + 1))
            elif (kind is datetime or kind is date) and not low <= item.year < high:
                return False
    return True


def scan(value: Any, path: str = "", depth: int = 0) -> None:
    """Refuse values nested more than MAX_DEPTH deep and dates outside SANE_YEARS."""
    if depth == 0 and isinstance(value, dict | list) and _plausible(value):
        return
    if depth > MAX_DEPTH:
        raise DataError(path, f"is nested more than {MAX_DEPTH} levels deep")
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, dict | list | date):
                scan(item, f"{path}.{key}" if path else str(key), depth + 1)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            if isinstance(item, dict | list | date):
                scan(item, f"{path}[{i}]", depth + 1)
    elif isinstance(value, date) and value.year not in SANE_YEARS:  # datetime is a date
        raise DataError(path, insane_date_reason(value.year))


def convert(data: Any, kind: type[T]) -> T:
    """``data`` (parsed TOML) as a ``kind``, strictly typed; raise DataError."""
    scan(data)
    try:
        return msgspec.convert(data, kind, strict=True, builtin_types=(datetime, date, time))
    except msgspec.ValidationError as exc:
        raise describe(exc, data) from None
