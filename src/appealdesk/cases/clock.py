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
