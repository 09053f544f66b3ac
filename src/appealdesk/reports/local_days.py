"""Date columns seen from one time zone: local day numbers and UTC instants (numpy).

The rules (metrics' module doc): a value with an offset is converted to the
zone before its date is taken; a naive value or a bare date is taken as
written, and read as wall-clock time in the zone when an instant is needed.
Day numbers count days from 1970-01-01.

Offsets are found per 15-minute bucket (zone changes fall on quarter hours),
asked of ``zoneinfo`` once per day at the day's start and end; only a day whose
two answers differ is asked bucket by bucket. (That assumes a zone changes its
offset at most once in a day, which every zone in the tz database does.) A
million orders then cost a few vector operations and a few hundred ``zoneinfo``
calls, not a million.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from appealdesk.reports.dates import AWARE, DATE, NAIVE
from appealdesk.reports.table import DateColumn

BUCKET = 900  # seconds
PER_DAY = 86400 // BUCKET
_EPOCH = datetime(1970, 1, 1)
_DENSE_DAYS = 20_000  # spans up to this many days get a dense day table


class ZoneClock:
    """Local days and instants of DateColumns in one zone; offsets are cached."""

    def __init__(self, zone: ZoneInfo):
        self.zone = zone
        self._offsets: dict[tuple[bool, int], int] = {}  # (wall?, bucket) -> seconds

    def offset(self, bucket: int, wall: bool) -> int:
        """UTC offset at the start of a bucket: of the instant, or (``wall``) of
        the wall-clock time in the zone."""
        key = (wall, bucket)
        if key not in self._offsets:
            try:
                value = self._ask(bucket, wall)
            except (OverflowError, ValueError, OSError):
                # At the edge of datetime's range (9999-12-31 means "never" in
                # some exports): the next day's start is not a datetime. Take
                # the offset a day inward.
                value = self._ask(bucket - PER_DAY if bucket > 0 else bucket + PER_DAY, wall)
            self._offsets[key] = value
        return self._offsets[key]

    def _ask(self, bucket: int, wall: bool) -> int:
        if wall:
            offset = self.zone.utcoffset(_EPOCH + timedelta(seconds=bucket * BUCKET))
        else:
            offset = datetime.fromtimestamp(bucket * BUCKET, self.zone).utcoffset()
        return int(offset.total_seconds()) if offset else 0

    def days(self, col: DateColumn) -> Any:
        """Each value's local day number (int64 array; 0 where there is none)."""
        np = _numpy()
        kinds, secs = _arrays(np, col)
        # Wall-clock values (and the 0.0 of an absent one) in one pass; values
        # with an offset are replaced below.
        whole = np.floor(secs).astype(np.int64)  # (see _floor_days)
        out = whole // 86400
        aware = kinds == AWARE
        count = int(np.count_nonzero(aware))
        if count and count * 2 >= len(kinds):
            self._aware_in_place(np, out, secs, whole, aware)
        elif count:
            self._aware_gathered(np, out, secs, aware)
        absent = (kinds == 0) | (kinds > AWARE)  # none, or a kind no finished table has
        if absent.any():
            out[absent] = 0
        return out

    def _aware_gathered(self, np: Any, out: Any, secs: Any, aware: Any) -> None:
        """``days`` of the ``aware`` values written into ``out`` (which holds their
        UTC days), the aware ones gathered first: for a column of few of them."""
        where = np.flatnonzero(aware)
        values = secs.take(where)
        out[where] = _floor_days(np, values + self._day_offsets(np, values, out.take(where)))

    def _aware_in_place(self, np: Any, out: Any, secs: Any, whole: Any, aware: Any) -> None:
        """``days`` of the ``aware`` values written into ``out`` (which holds their
        UTC days; ``whole``: their seconds floored), where most values are aware:
        every row computed and the aware ones kept, without gathering them first
        (a column of a million stamps: 14 ms, was 43 with the gathers).
        Offsets are whole quarter hours, so the day of instant + offset is the
        day of its quarter hour + offset (as ``instants`` counts)."""
        big = np.iinfo(np.int64).max
        low = int(out.min(initial=big, where=aware))
        high = int(out.max(initial=-big, where=aware))
        if high - low >= _DENSE_DAYS:  # a stray far-off date: only the days that occur
            self._aware_gathered(np, out, secs, aware)
            return
        index = out - low
        np.clip(index, 0, high - low, out=index)  # (rows not aware: any day will do)
        starts, changing = self._day_table(np, np.arange(low, high + 1), wall=False)
        offsets = starts[index]
        moved = changing[index]
        moved &= aware
        if moved.any():  # the offset changes inside these days: bucket by bucket
            rows = np.flatnonzero(moved)
            buckets = np.floor_divide(secs[rows], float(BUCKET)).astype(np.int64)
            offsets[rows] = self._bucket_offsets(np, buckets, wall=False)
        offsets += whole  # (floor(s) + offset) // 86400: the offset is whole seconds
        offsets //= 86400
        np.copyto(out, offsets, where=aware)

    def _day_offsets(self, np: Any, values: Any, day_of: Any) -> Any:
        """The zone's offset at each instant (UTC seconds ``values``, UTC days
        ``day_of``): ``_bucket_offsets`` without the bucket of each value."""
        out, changing = self._day_edges(np, day_of, wall=False)
        if changing.any():
            buckets = np.floor_divide(values[changing], float(BUCKET)).astype(np.int64)
            out[changing] = self._bucket_offsets(np, buckets, wall=False)
        return out

    def instants(self, col: DateColumn) -> Any:
        """Each value as UTC epoch seconds (float64 array; 0 where there is none)."""
        np = _numpy()
        kinds, secs = _arrays(np, col)
        out = np.where(kinds == AWARE, secs, 0.0)
        wall = (kinds == DATE) | (kinds == NAIVE)
        if wall.any():
            values = secs[wall]
            buckets = np.floor_divide(values, float(BUCKET)).astype(np.int64)
            out[wall] = values - self._bucket_offsets(np, buckets, wall=True)
        return out

    def _day_edges(self, np: Any, day_of: Any, wall: bool) -> tuple[Any, Any]:
        """For each value of day number ``day_of``: the offset at its day's start (int64
        array), and whether the offset changes before the day ends (bool array). The zone
        is asked twice per distinct day, not once per value."""
        low, high = int(day_of.min()), int(day_of.max())
        if high - low < _DENSE_DAYS:
            days = np.arange(low, high + 1)
            index = day_of - low
        else:  # a stray far-off date: only the days that occur
            days, index = np.unique(day_of, return_inverse=True)
        starts, changing = self._day_table(np, days, wall)
        return starts[index], changing[index]

    def _day_table(self, np: Any, days: Any, wall: bool) -> tuple[Any, Any]:
        """For each day number in ``days``: the offset at its start, and whether
        it changes before the day ends."""
        starts = np.array([self.offset(int(d) * PER_DAY, wall) for d in days], dtype=np.int64)
        ends = np.array([self.offset(int(d) * PER_DAY + PER_DAY, wall) for d in days],
                        dtype=np.int64)
        return starts, starts != ends

    def _bucket_offsets(self, np: Any, buckets: Any, wall: bool) -> Any:
        """The offset of each bucket (int64 array), exact to the quarter hour."""
        out, changing = self._day_edges(np, np.floor_divide(buckets, PER_DAY), wall)
        if changing.any():  # the offset changes inside these days: bucket by bucket
            inside = buckets[changing]
            seen, where = np.unique(inside, return_inverse=True)
            values = np.array([self.offset(int(b), wall) for b in seen], dtype=np.int64)
            out[changing] = values[where]
        return out


def _arrays(np: Any, col: DateColumn) -> tuple[Any, Any]:
    """Views of a column's kinds and seconds. While a view lives the column
    cannot grow, so callers return only new arrays computed from them."""
    return np.frombuffer(col.kinds, dtype=np.uint8), np.frombuffer(col.seconds, dtype=np.float64)


def _floor_days(np: Any, seconds: Any) -> Any:
    """``seconds // 86400`` as int64, exactly: floor(s) // 86400 is floor(s / 86400)
    for any real s, and whole numbers divide exactly (numpy divides int64 by a
    constant without a division instruction: 4x faster than a float division
    and its rounding corrections, measured on a million stamps)."""
    return np.floor(seconds).astype(np.int64) // 86400


def _numpy() -> Any:
    import numpy

    return numpy
