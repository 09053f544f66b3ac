"""Time, made replaceable so tests and snapshots run on a frozen clock."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    """Now, as an aware datetime in UTC."""
    return datetime.now(UTC)


def frozen_clock(at: datetime) -> Clock:
    if at.tzinfo is None:
        raise ValueError("a frozen clock needs an aware datetime")
    return lambda: at


# Dates a notice, an order report or a case can hold. A year 9999 or 0001 is a typo or a
# placeholder, and adding a response window to it overflows: refused where it comes in.
SANE_FIRST_YEAR = 2000
SANE_LAST_YEAR = 2100


def sane_year(year: int) -> bool:
    return SANE_FIRST_YEAR <= year <= SANE_LAST_YEAR


def insane_date_reason(year: int) -> str:
    """One line saying why a date with this year is refused (English; callers translate
    their own sentence around it)."""
    return f"year {year} is outside {SANE_FIRST_YEAR}-{SANE_LAST_YEAR}"


def far_date(value: Any, where: str = "") -> tuple[str, int] | None:
    """(key, year) of the first date in parsed TOML (dicts, lists) outside the sane years."""
    if isinstance(value, date):
        return None if sane_year(value.year) else (where, value.year)
    if isinstance(value, dict):
        items = ((f"{where}.{k}" if where else str(k), v) for k, v in value.items())
    elif isinstance(value, list):
        items = ((f"{where}[{i}]", v) for i, v in enumerate(value))
    else:
        return None
    for key, item in items:
        found = far_date(item, key)
        if found:
            return found
    return None
