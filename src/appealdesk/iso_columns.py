"""Whole columns of ISO 8601 dates and date-times, read at once with numpy.

Exports write every time stamp of a column alike (``2026-11-03T10:04:31+00:00``,
``2026-11-03 10:04:31``, ``2026-11-03T10:04:31.000Z``, ``2026-11-03``), so
the characters of a column line up: the column is laid out as a byte matrix,
one row per value, checked against the first value's layout in a few vector
operations, and its digits turned into numbers with one matrix product. That
reads a million time stamps in tens of milliseconds, where
``datetime.fromisoformat`` and ``timestamp`` take a third of a second.

Only layouts ``datetime.fromisoformat`` reads are taken, and only when every
value is valid; anything else returns None and the caller's per-value parser
decides (and explains bad values). The seconds are exactly what
``reports._encode`` gives for the same text (tests/test_reports_fastpath.py).
"""

from __future__ import annotations

from array import array
from collections.abc import Sequence
from functools import cache
from typing import Any

# Kinds, as in reports (kept here so this module needs nothing from it).
DATE, NAIVE, AWARE = 1, 2, 3

_DATE_LEN = 10  # YYYY-MM-DD
_FRACTIONS = (0, 4, 7)  # none, ".fff", ".ffffff"
_ZONES = (0, 1, 5, 6)  # none, "Z", "+HHMM", "+HH:MM"
_MAX_MICROS = 2**53  # below this an int64 count of microseconds is exact as a double
# Largest value of each field (year, month, day, hour, minute, second, fraction,
# offset hours, offset minutes); days are checked against their month.
_FIELDS = ("year", "month", "day", "hour", "minute", "second", "fraction", "oh", "om")
_HIGHEST = (9999, 12, 31, 23, 59, 59, 999999, 23, 59)


def _layout(sample: str) -> tuple[int, int, int] | None:
    """(clock length, fraction length, zone length) of the first value; None for
    a layout not read here. The other values are checked against it."""
    if len(sample) == _DATE_LEN:
        return (0, 0, 0)
    if len(sample) < 16 or sample[13:14] != ":":
        return None
    clock = 8 if sample[16:17] == ":" else 5  # HH:MM:SS or HH:MM
    at = _DATE_LEN + 1 + clock
    fraction = 0
    if sample[at:at + 1] == ".":
        fraction = len(sample) - at - len(sample[at + 1:].lstrip("0123456789"))
        if clock != 8 or fraction not in _FRACTIONS:
            return None
    zone = len(sample) - at - fraction
    if zone not in _ZONES or (zone and sample[at + fraction] not in "Z+-"):
        return None
    return (clock, fraction, zone)


@cache
def _plan(layout: tuple[int, int, int]) -> tuple[Any, ...]:
    """For a layout: digit positions, the weights turning them into fields,
    the fixed characters and the places where one of two is allowed."""
    import numpy as np

    clock, fraction, zone = layout
    spans = {"year": (0, 4), "month": (5, 2), "day": (8, 2)}
    fixed = {4: "-", 7: "-"}
    either: dict[int, str] = {}
    if clock:
        spans |= {"hour": (11, 2), "minute": (14, 2)}
        either[10] = "T "
        fixed[13] = ":"
        if clock == 8:
            spans["second"] = (17, 2)
            fixed[16] = ":"
    at = _DATE_LEN + 1 + clock if clock else _DATE_LEN
    if fraction:
        fixed[at] = "."
        spans["fraction"] = (at + 1, fraction - 1)
        at += fraction
    if zone == 1:
        fixed[at] = "Z"
    elif zone:
        either[at] = "+-"
        spans["oh"] = (at + 1, 2)
        spans["om"] = (at + 3 + (zone == 6), 2)
        if zone == 6:
            fixed[at + 3] = ":"
    positions = [p for start, length in spans.values() for p in range(start, start + length)]
    weights = np.zeros((len(positions), len(_FIELDS)), dtype=np.float32)
    row = 0
    for name, (_start, length) in spans.items():
        for k in range(length):
            weights[row, _FIELDS.index(name)] = 10 ** (length - 1 - k)
            row += 1
    if fraction:  # ".fff" is thousandths: scale to microseconds
        weights[:, _FIELDS.index("fraction")] *= 10 ** (7 - fraction)
    sign_at = at if zone > 1 else None
    return (np.array(positions), weights, np.array(list(fixed)),
            np.frombuffer("".join(fixed.values()).encode(), dtype=np.uint8),
            {p: chars.encode() for p, chars in either.items()}, sign_at)


def parse_iso_column(values: Sequence[str]) -> tuple[int, array] | None:
    """(kind, seconds) for a column of non-empty ISO values all written alike.

    Seconds are UTC epoch seconds for values with an offset, wall-clock epoch
    seconds otherwise (as ``reports.DateColumn`` keeps them)."""
    if not values:
        return None
    layout = _layout(values[0])
    if layout is None:
        return None
    import numpy as np

    width, n = len(values[0]), len(values)
    # One row per value; a NUL after each one shows that all have the same
    # length (every other byte of a row is checked against the layout below).
    encoded = "\x00".join(values).encode("ascii", "replace") + b"\x00"
    if len(encoded) != (width + 1) * n:
        return None
    grid = np.frombuffer(encoded, dtype=np.uint8).reshape(n, width + 1)
    positions, weights, fixed_at, fixed, either, sign_at = _plan(layout)
    if grid[:, width].any() or (grid[:, fixed_at] != fixed).any():
        return None
    for position, (a, b) in either.items():
        column = grid[:, position]
        if not ((column == a) | (column == b)).all():
            return None
    digits = grid[:, positions] - np.uint8(48)  # other bytes wrap round above 9
    if (digits > 9).any():
        return None
    # float32 is exact here: every product and sum is an integer below 2**24.
    fields = (digits.astype(np.float32) @ weights).astype(np.int64)
    if (fields > _HIGHEST).any():
        return None
    year, month, day, hour, minute, second, micros, oh, om = fields.T
    if (year < 1).any() or (month < 1).any() or (day < 1).any():
        return None
    months = (year - 1970) * 12 + (month - 1)
    low = int(months.min())
    starts = _month_starts(np, low, int(months.max()) - low + 2)
    first = starts[months - low]
    if (day > starts[months - low + 1] - first).any():
        return None
    seconds = (first + day - 1) * 86400
    if not layout[0]:
        return DATE, _doubles(np, seconds)
    seconds += hour * 3600 + minute * 60 + second
    kind = AWARE if layout[2] else NAIVE
    if sign_at is not None:
        sign = np.where(grid[:, sign_at] == ord("-"), -1, 1)
        seconds -= sign * (oh * 3600 + om * 60)
    if not layout[1]:
        return kind, _doubles(np, seconds)
    total = seconds * 1_000_000 + micros
    if np.abs(total).max() >= _MAX_MICROS:
        return None  # the division below would not round as Python's does
    return kind, _doubles(np, total / 1e6)


def _month_starts(np: Any, low: int, count: int) -> Any:
    """Day numbers (from 1970-01-01) of the first day of ``count`` months from
    month ``low`` (months from January 1970)."""
    months = np.arange(low, low + count)
    return months.astype("datetime64[M]").astype("datetime64[D]").astype(np.int64)


def _doubles(np: Any, values: Any) -> array:
    out = array("d")
    out.frombytes(np.ascontiguousarray(values, dtype=np.float64).tobytes())
    return out
