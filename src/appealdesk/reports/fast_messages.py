"""The fast path for a large messages export: its bytes split into columns by numpy.

``plain_messages`` splits the decoded text with ``str.split`` (a Python string
per cell); for a large file that costs more than reading it. Here the file's
bytes are never decoded as a whole: numpy finds every delimiter and line end
in one pass, and each column is then a pair of offset arrays into the bytes.

* date-times: the values of a column are grouped by length (a column may mix
  ``2026-10-01``, ``2026-10-01 09:30`` and ``...T09:30:00+08:00``), each group
  laid out as a byte matrix and read by ``iso_columns.parse_iso_rows``;
* flags, agents and channels: the distinct byte strings of the column are
  found on numpy keys (the padded bytes, as 64-bit words) and only those are
  decoded — one string per distinct value (``text_columns.Categorical``);
* message and order ids: decoded only when a row is asked for
  (``text_columns.ByteSpans``: the late messages of a metric, a drill-down).

It takes a file only when it reads exactly as the row-by-row reader would:
valid UTF-8 (with or without BOM), no quote but around a whole field (``"a"``,
as exports that quote every field write), no NUL, no line break but
``\\n``/``\\r\\n``, every line with the header's number of fields, no blank
line, every date-time in an ISO layout ``datetime.fromisoformat`` reads,
every flag a known word, no reply before its message. Anything else returns
None and ``conversations`` reads the file the other ways, explaining every bad
row (tests/test_messages_fast.py compares both on random messy rows).

The columns are read in a thread per core (numpy lets go of the GIL). No
DuckDB here: on the 1,000,000-message benchmark its query alone took as much
CPU as the ``csv.reader`` baseline (0.75 s against 0.85 s) and its import
0.15 s more; this path takes about 0.6 s (tests/bench_messages.py).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any
from zoneinfo import ZoneInfo

from appealdesk.reports.byte_columns import boundaries, distinct, is_utf8, iso_groups, run
from appealdesk.reports.iso_columns import AWARE
from appealdesk.reports.plain_messages import FLAG, NEEDED, wall_offsets, wall_to_utc
from appealdesk.reports.text_columns import ByteSpans, Categorical

# Smaller files go the text path (plain_messages): it is slower (3 ms against
# 2 ms at 0.2 MB, 16 ms against 7 ms at 1.1 MB) but gives plain lists of strings.
MIN_BYTES = 1 << 20
_MAX_DISTINCT = 4096  # more distinct agents or channels: kept as ByteSpans
THREADS = 0  # threads for the columns; 0: one per core


def read_fast(
    raw: bytes, delimiter: str, ncols: int, columns: dict[str, int], zone: ZoneInfo, name: str
) -> dict[str, Any] | None:
    """The ``conversations._Columns`` fields of a file, or None when it is not one read here."""
    import numpy as np

    if ncols < 2 or delimiter not in (",", "\t", ";") or b"\x00" in raw:
        return None
    if not is_utf8(raw):
        return None
    if not raw.endswith(b"\n"):
        raw += b"\n"
    spans = _split(np, raw, ord(delimiter), ncols)
    if spans is None:
        return None
    buf = np.frombuffer(raw, dtype=np.uint8)
    n = len(spans[0][0])

    def span(field: str) -> tuple[Any, Any] | None:
        index = columns.get(field)
        return None if index is None else spans[index]

    # Every column on its own: numpy lets go of the GIL, so they run on every core.
    received_at = span("received_at")
    assert received_at is not None  # conversations checked the header has it
    jobs: dict[str, Callable[[], Any]] = {
        "received": partial(_moments, np, buf, *received_at, zone, blank_ok=False)}
    replied_at = span("replied_at")
    if replied_at is not None:
        jobs["replied"] = partial(_moments, np, buf, *replied_at, zone, blank_ok=True)
    for field, table in (("response_needed", NEEDED), ("automatic", FLAG), ("spam", FLAG)):
        where = span(field)
        if where is not None:
            jobs[field] = partial(_flags, np, raw, buf, *where, table)
    for field in ("channel", "agent"):
        where = span(field)
        if where is not None:
            jobs[field] = partial(distinct, np, raw, buf, *where, _MAX_DISTINCT)
    done = run(jobs, THREADS)
    received = done["received"]
    if received is None:
        return None
    replied = done.get("replied", np.full(n, np.nan))
    if replied is None or (replied < received).any():
        return None  # (NaN < x is False: no reply is never before)
    flags = {}
    for field, default in (("response_needed", True), ("automatic", False), ("spam", False)):
        flags[field] = done[field] if field in done else np.full(n, default, dtype=bool)
        if flags[field] is None:
            return None
    out: dict[str, Any] = {
        "received": received, "replied": replied, "needed": flags["response_needed"],
        "automatic": flags["automatic"], "spam": flags["spam"],
    }
    for field in ("ids", "order_id"):
        where = span("message_id" if field == "ids" else field)
        file = name if field == "ids" else None
        out[field] = _blank(np, n, file) if where is None else _spans(np, raw, where, file)
    for field in ("channel", "agent"):
        where = span(field)
        if where is None:
            out[field] = Categorical(np.zeros(n, dtype=np.uint8), [""])
            continue
        values = done[field]
        out[field] = _spans(np, raw, where, None) if values is None \
            else Categorical(values[0], [v.strip() for v in values[1]])
    return out


def _spans(np: Any, raw: bytes, where: tuple[Any, Any], file: str | None) -> ByteSpans:
    """A text column kept as offsets (copied: the boundary matrix they come from can go)."""
    return ByteSpans(raw, np.ascontiguousarray(where[0]), np.ascontiguousarray(where[1]),
                     file=file)


def _blank(np: Any, n: int, file: str | None) -> ByteSpans:
    """A column the file does not have: every value empty (ids: ``file:line``)."""
    nothing = np.zeros(n, dtype=np.int64)
    return ByteSpans(b"", nothing, nothing, file=file)


def _split(np: Any, raw: bytes, delimiter: int, ncols: int) -> list[tuple[Any, Any]] | None:
    """(starts, ends) of every column's values, or None when a line does not have
    exactly ``ncols`` fields, a line is blank or a ``\\r`` is not part of a line end."""
    buf = np.frombuffer(raw, dtype=np.uint8)
    head = raw.find(b"\n")
    bounds = boundaries(np, buf, delimiter)
    data = bounds[np.searchsorted(bounds, head, side="right"):]
    n = len(data) // ncols
    if n == 0 or len(data) != n * ncols:
        return None
    grid = data.reshape(n, ncols)
    line_ends = grid[:, -1]
    if (buf[line_ends] != 10).any() or raw.count(b"\n", head + 1) != n:
        return None  # a line with more or fewer fields (or a blank line, or a line cut
        # in two: "x" then "y,z" has as many delimiters and line ends as one row)
    last_end = line_ends
    if b"\r" in raw:
        cr = buf[line_ends - 1] == 13
        if raw.count(b"\r") != int(cr.sum()) + (raw[head - 1:head] == b"\r"):
            return None  # a "\r" that ends no line: the row reader splits lines there
        last_end = line_ends - cr
    line_starts = np.empty(n, dtype=bounds.dtype)
    line_starts[0] = head + 1
    line_starts[1:] = line_ends[:-1] + 1
    out = [(line_starts, grid[:, 0])]
    for j in range(1, ncols):
        out.append((grid[:, j - 1] + 1, last_end if j == ncols - 1 else grid[:, j]))
    quotes = raw.count(b'"', head + 1)
    if quotes:
        # Quoted fields ("a", as some exports write every one) are read inside their
        # quotes, when every quote of the file is the first or last byte of a field
        # (none doubled, no delimiter or line break quoted: those lines would split).
        paired = 0
        for j, (starts, ends) in enumerate(out):
            quoted = (ends - starts >= 2) & (buf[starts] == 34) & (buf[ends - 1] == 34)
            if quoted.any():
                paired += int(quoted.sum())
                out[j] = (starts + quoted, ends - quoted)
        if 2 * paired != quotes:
            return None
    return out


def _moments(np: Any, buf: Any, starts: Any, ends: Any, zone: ZoneInfo,
             blank_ok: bool) -> Any | None:
    """POSIX seconds of a date-time column (NaN where empty), each layout read
    as a whole; None if any value is not in a layout read here."""
    out = np.full(len(starts), np.nan)
    groups = iso_groups(np, buf, starts, ends)
    if groups is None:
        return None
    for rows, layout, kind, values in groups:
        if layout is None:  # the empty values
            if not blank_ok:
                return None
            continue
        if kind != AWARE and layout[1]:
            values = _wall_fractions(np, values, zone)
            if values is None:
                return None
        elif kind != AWARE:
            values = wall_to_utc(np, values, zone)
        if rows is None:
            out[:] = values
        else:
            out[rows] = values
    return out


def _wall_fractions(np: Any, wall: Any, zone: ZoneInfo) -> Any | None:
    """``wall_to_utc`` for wall-clock times with fractions of a second, rounded once
    as ``datetime.timestamp`` rounds: in whole microseconds, then divided. Below
    2**31 seconds a double holds the microseconds it was divided from closely
    enough for ``rint`` to give them back exactly."""
    if not len(wall) or np.abs(wall).max() >= 2.0**31:
        return None
    micros = np.rint(wall * 1e6).astype(np.int64)
    micros -= wall_offsets(np, wall, zone).astype(np.int64) * 1_000_000
    return micros / 1e6


def _flags(np: Any, raw: bytes, buf: Any, starts: Any, ends: Any,
           table: dict[str, bool]) -> Any | None:
    """A yes/no column as a bool array; None if a value is not a known word."""
    found = distinct(np, raw, buf, starts, ends, 64)
    if found is None:
        return None
    codes, values = found
    known = [table.get(v.strip().lower()) for v in values]
    if None in known:
        return None
    return np.array(known, dtype=bool)[codes]



__all__ = ["MIN_BYTES", "read_fast"]
