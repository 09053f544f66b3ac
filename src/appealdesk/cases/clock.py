"""Time, made replaceable so tests and snapshots run on a frozen clock."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

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
