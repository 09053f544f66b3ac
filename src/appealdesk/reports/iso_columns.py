"""Whole columns of ISO 8601 dates and date-times, read at once with numpy.

Exports write every time stamp of a column alike (``2026-11-03T10:04:31+00:00``,
``2026-11-03 10:04:31``, ``2026-11-03T10:04:31.000Z``, ``2026-11-03``), so
the characters of a column line up: the column is laid out as a byte matrix,
one row per value, checked against the first value's layout in a few vector
operations, and its digits turned into numbers two characters at a time
through a lookup table.

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

from appealdesk.cases.clock import SANE_FIRST_YEAR, SANE_LAST_YEAR

# Kinds, as in reports (kept here so this module needs nothing from it).
DATE, NAIVE, AWARE = 1, 2, 3

_DATE_LEN = 10  # YYYY-MM-DD
_FRACTIONS = (0, 4, 7)  # none, ".fff", ".ffffff"
_ZONES = (0, 1, 5, 6)  # none, "Z", "+HHMM", "+HH:MM"
_MAX_MICROS = 2**53  # below this an int64 count of microseconds is exact as a double
# Largest value of each field (oh, om: the offset's hours and minutes); days
# are checked against their month below.
_HIGHEST = {"year": 9999, "month": 12, "day": 31, "hour": 23, "minute": 59, "second": 59,
            "fraction": 999999, "oh": 23, "om": 59}


def iso_layout(sample: str) -> tuple[int, int, int] | None:
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
    """For a layout: where each field's digits are, the fixed characters, and
    the places where one of two characters is allowed."""
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
    sign_at = at if zone > 1 else None
    return (spans, np.array(list(fixed)), np.frombuffer("".join(fixed.values()).encode(),
                                                        dtype=np.uint8),
            {p: chars.encode() for p, chars in either.items()}, sign_at)


@cache
def _lookups() -> tuple[Any, Any]:
    """Two characters (read as one little-endian uint16) -> their number 0-99,
    and one character -> its digit; 255 for anything else."""
    import numpy as np

    pairs = np.full(1 << 16, 255, dtype=np.uint8)
    digits = np.full(256, 255, dtype=np.uint8)
    for a in range(10):
        digits[48 + a] = a
        for b in range(10):
            pairs[(48 + a) | (48 + b) << 8] = 10 * a + b
    return pairs, digits


def _number(np: Any, encoded: bytes, n: int, stride: int, start: int, length: int) -> Any:
    """The digits at ``start``..``start+length`` of every row as numbers (int32:
    no field has more than six digits; three times as fast as int64), two
    characters per table lookup; None if any of them is not a digit."""
    pairs, digits = _lookups()
    value = None
    while length:
        width = 2 if length >= 2 else 1
        column = np.ndarray((n,), dtype="<u2" if width == 2 else np.uint8, buffer=encoded,
                            offset=start, strides=(stride,))
        part = (pairs if width == 2 else digits)[column]
        if part.max() >= 10**width:  # 255: not digits
            return None
        value = part.astype(np.int32) if value is None else value * 10**width + part
        start, length = start + width, length - width
    return value


def parse_iso_column(values: Sequence[str]) -> tuple[int, array] | None:
    """(kind, seconds) for a column of non-empty ISO values all written alike.

    Seconds are UTC epoch seconds for values with an offset, wall-clock epoch
    seconds otherwise (as ``reports.DateColumn`` keeps them)."""
    if not values:
        return None
    layout = iso_layout(values[0])
    if layout is None:
        return None
    width, n = len(values[0]), len(values)
    # One row per value; a NUL after each one shows that all have the same
    # length (every other byte of a row is checked against the layout below).
    encoded = "\x00".join(values).encode("ascii", "replace") + b"\x00"
    if len(encoded) != (width + 1) * n:
        return None
    return parse_iso_rows(encoded, n, layout)


def parse_iso_rows(encoded: Any, n: int, layout: tuple[int, int, int]) -> tuple[int, array] | None:
    """``parse_iso_column`` on values already laid out as ``n`` rows of
    ``width + 1`` bytes each (the value, then a NUL), all checked against
    ``layout`` (``iso_layout`` of one of them); ``encoded``: bytes or a uint8 array."""
    import numpy as np

    grid = np.frombuffer(encoded, dtype=np.uint8).reshape(n, -1)
    width = grid.shape[1] - 1
    spans, fixed_at, fixed, either, sign_at = _plan(layout)
    if grid[:, width].any() or (grid[:, fixed_at] != fixed).any():
        return None
    for position, (a, b) in either.items():
        column = grid[:, position]
        if not ((column == a) | (column == b)).all():
            return None
    fields = {}
    for name, (start, length) in spans.items():
        value = _number(np, encoded, n, width + 1, start, length)
        if value is None or value.max() > _HIGHEST[name]:
            return None
        fields[name] = value
    year, month, day = fields["year"], fields["month"], fields["day"]
    if (month < 1).any() or (day < 1).any():
        return None
    if (year < SANE_FIRST_YEAR).any() or (year > SANE_LAST_YEAR).any():
        return None  # a year 9999 or 0001: the per-value parser makes it a bad row
    months = (year - 1970) * 12 + (month - 1)
    low = int(months.min())
    starts = _month_starts(np, low, int(months.max()) - low + 2)
    first = starts[months - low]
    if (day > starts[months - low + 1] - first).any():
        return None
    days = first + day - 1  # (int32: day numbers of years 1-9999 fit)
    if not layout[0]:
        return DATE, _doubles(np, days * 86400.0)
    # The time of day, less the offset, in seconds (int32), added to the day's
    # start as a double: whole numbers far below 2**53, exact.
    clock = fields["hour"] * 3600 + fields["minute"] * 60
    if "second" in fields:
        clock += fields["second"]
    kind = AWARE if layout[2] else NAIVE
    if sign_at is not None:
        offset = fields["oh"] * 3600 + fields["om"] * 60
        clock -= np.where(grid[:, sign_at] == ord("-"), -offset, offset)
    if "fraction" not in fields:
        return kind, _doubles(np, days * 86400.0 + clock)
    micros = fields["fraction"] * 10 ** (7 - layout[1])  # ".fff" is thousandths
    total = (days.astype(np.int64) * 86400 + clock) * 1_000_000 + micros
    if np.abs(total).max() >= _MAX_MICROS:
        return None  # the division below would not round as Python's does
    return kind, _doubles(np, total / 1e6)


def _month_starts(np: Any, low: int, count: int) -> Any:
    """Day numbers (from 1970-01-01) of the first day of ``count`` months from
    month ``low`` (months from January 1970)."""
    months = np.arange(low, low + count)
    return months.astype("datetime64[M]").astype("datetime64[D]").astype(np.int32)


def _doubles(np: Any, values: Any) -> array:
    out = array("d")
    out.frombytes(np.ascontiguousarray(values, dtype=np.float64).tobytes())
    return out
