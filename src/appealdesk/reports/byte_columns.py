"""Byte-level column machinery shared by the fast readers (``fast_messages``, ``fast_orders``).

A large export's bytes are never decoded as a whole: numpy finds the field
boundaries, and each column is read from (starts, ends) offset arrays into the
bytes. Here: UTF-8 validity, the boundaries (and quotes) of a file, columns in
threads, the distinct values of a column as codes (``distinct``), ISO date
columns grouped by length (``iso_groups``) and many short strings decoded at once
(``strings``).
"""

from __future__ import annotations

import codecs
import os
from collections.abc import Callable
from typing import Any

from appealdesk.reports.iso_columns import iso_layout, parse_iso_rows

CHUNK = 1 << 20  # bytes scanned at a time (the masks stay in cache)
_ONE_BY_ONE = 32  # distinct values found by one comparison each; more: a sort
MAX_KEY = 64  # bytes of a value read as a key by ``distinct``
MAX_STAMP = 40  # bytes of a date-time
_MIX = 0x9E3779B97F4A7C15
_STRING_ROWS = 1 << 16  # rows decoded at a time by ``strings``

def rows_at(np: Any, buf: Any, at: Any, width: int) -> Any:
    """``buf[a:a + width]`` for each ``a`` in ``at``, as the rows of a uint8 matrix
    (every ``a + width`` within ``buf``). Gathered as fixed-size byte strings:
    three times as fast as rows of a sliding window view."""
    items = np.ndarray((len(buf) - width + 1,), dtype=f"S{width}", buffer=buf, strides=(1,))
    return items[at].view(np.uint8).reshape(len(at), width)


def run(jobs: dict[str, Callable[[], Any]], threads: int = 0) -> dict[str, Any]:
    """Each job's result, the jobs spread over ``threads`` threads (0: one per core)."""
    from concurrent.futures import ThreadPoolExecutor

    workers = min(len(jobs), threads or os.cpu_count() or 1)
    if workers <= 1:
        return {name: job() for name, job in jobs.items()}
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = {name: pool.submit(job) for name, job in jobs.items()}
        return {name: future.result() for name, future in futures.items()}


def is_utf8(raw: bytes | bytearray) -> bool:
    if raw.isascii():
        return True
    decoder = codecs.getincrementaldecoder("utf-8")()
    view = memoryview(raw)
    try:
        for start in range(0, len(raw), CHUNK):  # (a megabyte at a time: in cache)
            decoder.decode(view[start:start + CHUNK])
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def distinct(np: Any, raw: bytes | bytearray, buf: Any, starts: Any, ends: Any,
              limit: int) -> tuple[Any, list[str]] | None:
    """(code of each row, its distinct values decoded), or None for values
    longer than ``MAX_KEY`` bytes or more than ``limit`` of them."""
    n = len(starts)
    lengths = ends - starts
    top = int(lengths.max()) if n else 0
    if top > MAX_KEY:
        return None
    width = max(8, -(-top // 8) * 8)
    if len(buf) < width:
        return None
    at = np.minimum(starts, len(buf) - width)
    grid = rows_at(np, buf, at, width)
    for r in np.flatnonzero(at != starts).tolist():  # the last few bytes of the file
        value = raw[int(starts[r]):int(ends[r])]
        grid[r] = np.frombuffer(value.ljust(width, b"\x00"), dtype=np.uint8)
    # Each 8-byte word keeps the value's bytes only (no NUL in the file: the
    # zero padding is unambiguous).
    masks = np.array([(1 << (8 * k)) - 1 for k in range(9)], dtype=np.uint64)
    words = grid.view("<u8")
    for k in range(words.shape[1]):
        words[:, k] &= masks[np.clip(lengths - 8 * k, 0, 8)]
    found = _codes(np, words, limit)
    if found is None:
        return None
    codes, reps = found
    values = [raw[int(starts[r]):int(ends[r])].decode("utf-8") for r in reps.tolist()]
    return codes, values


def _codes(np: Any, words: Any, limit: int) -> tuple[Any, Any] | None:
    """(code of each row of ``words``, the first row of each code); None past ``limit``."""
    n, width = words.shape
    columns = [words[:, k] for k in range(width)]
    few = _few_codes(np, columns) if n else None
    if few is not None:
        return few
    codes = np.full(n, -1, dtype=np.int32)
    reps: list[int] = []
    row = 0
    while n and len(reps) < _ONE_BY_ONE:  # few values: one exact comparison each
        hit = columns[0] == columns[0][row]
        for column in columns[1:]:
            hit &= column == column[row]
        codes[hit] = len(reps)
        reps.append(row)
        left = codes < 0
        row = int(left.argmax())
        if not left[row]:
            return codes, np.array(reps, dtype=np.int64)
    if not n:
        return codes, np.zeros(0, dtype=np.int64)
    key = columns[0].copy()
    for column in columns[1:]:
        key *= np.uint64(_MIX)
        key ^= column
    _unique, first, inverse = np.unique(key, return_index=True, return_inverse=True)
    if len(first) > limit:
        return None
    codes = inverse.reshape(-1).astype(np.int32)
    for column in columns[1:] if width > 1 else ():
        if (column != column[first][codes]).any():
            return None  # two values, one key
    return codes, first


def _few_codes(np: Any, columns: list[Any]) -> tuple[Any, Any] | None:
    """``_codes`` for at most ``_ONE_BY_ONE`` distinct rows, found at once: each
    row's words mixed into 12 bits, the rows sorted by them (a radix sort), the
    first row of each numbered in file order; None for more values or when two
    values share 12 bits (checked word by word)."""
    key = columns[0].copy()
    for column in columns[1:]:
        key *= np.uint64(_MIX)
        key ^= column
    key *= np.uint64(_MIX)
    key >>= np.uint64(52)
    bucket = key.astype(np.uint16)
    del key
    counts = np.bincount(bucket, minlength=1 << 12)
    present = np.flatnonzero(counts)
    if len(present) > _ONE_BY_ONE:
        return None
    order = np.argsort(bucket, kind="stable")
    first = order[(np.cumsum(counts) - counts)[present]]
    del order
    by_row = np.argsort(first)
    first = first[by_row]
    number = np.zeros(1 << 12, dtype=np.int32)
    number[present[by_row]] = np.arange(len(present), dtype=np.int32)
    codes = number[bucket]
    for column in columns:
        if (column[first][codes] != column).any():
            return None  # two values in one bucket
    return codes, first


def boundaries(np: Any, buf: Any, delimiter: int, start: int = 0,
               quotes: list[Any] | None = None) -> Any:
    """Positions of every delimiter and ``\\n`` from ``start`` on, a megabyte at a
    time (int32 when they fit); the positions of ``"`` are appended to ``quotes``
    (int64 arrays, one per chunk) when it is given."""
    size = min(len(buf), CHUNK)
    hit, line = np.empty(size, dtype=bool), np.empty(size, dtype=bool)
    parts = []
    for at in range(start, len(buf), CHUNK):
        part = buf[at:at + CHUNK]
        k = len(part)
        if quotes is not None:
            np.equal(part, 34, out=hit[:k])
            if hit[:k].any():
                quotes.append(np.flatnonzero(hit[:k]) + at)
        np.equal(part, delimiter, out=hit[:k])
        np.equal(part, 10, out=line[:k])
        np.logical_or(hit[:k], line[:k], out=hit[:k])
        found = np.flatnonzero(hit[:k])
        found += at
        parts.append(found)
    # Offsets in 32 bits when they fit: half the memory, and the table keeps some.
    small = np.int32 if len(buf) < 2**31 else np.int64
    return np.concatenate(parts).astype(small, copy=False) if parts else np.zeros(0, dtype=small)


def iso_groups(np: Any, buf: Any, starts: Any, ends: Any,
               ) -> list[tuple[Any, tuple[int, int, int] | None, int, Any]] | None:
    """A date-time column read a length at a time: (rows of that length, or None
    for every row; its ``iso_layout``; kind; seconds as ``parse_iso_rows`` gives
    them) per length; for empty values layout None, kind 0 and no seconds.
    None if any value is longer than ``MAX_STAMP`` or not in a layout read here."""
    lengths = ends - starts
    if not len(starts):
        return []
    if int(lengths.max()) > MAX_STAMP:
        return None
    groups = np.flatnonzero(np.bincount(lengths)).tolist()
    out: list[tuple[Any, tuple[int, int, int] | None, int, Any]] = []
    for width in groups:
        rows = None if len(groups) == 1 else np.flatnonzero(lengths == width)
        if width == 0:
            out.append((rows, None, 0, None))
            continue
        at = starts if rows is None else starts[rows]
        # Each value and the byte after it (a delimiter or line end, made NUL).
        grid = rows_at(np, buf, at, width + 1)
        try:
            layout = iso_layout(grid[0, :width].tobytes().decode("ascii"))
        except UnicodeDecodeError:
            return None
        if layout is None:
            return None
        grid[:, width] = 0
        parsed = parse_iso_rows(grid, len(at), layout)
        if parsed is None:
            return None
        kind, seconds = parsed
        out.append((rows, layout, kind, np.frombuffer(seconds, dtype=np.float64)))
    return out


def strings(np: Any, buf: Any, starts: Any, ends: Any) -> list[str]:
    """Every value decoded as UTF-8 and stripped (no value may hold a ``\\n``): a
    block of rows at a time laid out as a byte matrix, padded with spaces (which
    the strip removes), a line end after each, decoded once and split."""
    out: list[str] = []
    for first in range(0, len(starts), _STRING_ROWS):
        s = starts[first:first + _STRING_ROWS]
        lengths = ends[first:first + _STRING_ROWS] - s
        width = int(lengths.max()) if len(s) else 0
        if width == 0:
            out.extend([""] * len(s))
            continue
        if len(buf) <= width:
            buf = np.concatenate((buf, np.zeros(width + 1, dtype=np.uint8)))
        at = np.minimum(s, len(buf) - width - 1)
        grid = rows_at(np, buf, at, width + 1)
        for r in np.flatnonzero(at != s).tolist():  # the last few bytes of the file
            grid[r] = np.roll(grid[r], int(at[r]) - int(s[r]))
        grid[:, width] = 10
        edges = grid[:, [0, width - 1]]
        if int(lengths.min()) == width and bool(((edges > 32) & (edges < 128)).all()):
            # All as wide, none with white space at either end: no padding, no strip.
            out.extend(grid.tobytes().decode("utf-8").split("\n")[:-1])
            continue
        grid[np.arange(width + 1) >= lengths[:, None]] = 32
        grid[:, width] = 10
        out.extend(map(str.strip, grid.tobytes().decode("utf-8").split("\n")[:-1]))
    return out

__all__ = ["boundaries", "distinct", "is_utf8", "iso_groups", "run", "strings"]
