"""A CSV file's bytes for the fast readers: pieces of whole lines, and the
field boundaries in each, quotes paired.

``pieces`` reads a file a few megabytes at a time, each piece ending at a line
end (no piece is held longer than it is read); ``in_threads`` reads them on
several threads, in order; ``split`` finds every delimiter and line end of a
piece outside quoted fields, one row of boundaries per line (numpy: the quote
positions of each megabyte pair up, and the delimiters between a pair are no
boundaries), or None when a line is not one ``csv.reader`` would split alike.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator
from typing import Any

from appealdesk.reports.reader import MAX_FIELD

CHUNK = 1 << 20  # bytes scanned at a time (the masks stay in cache)
BLOCK = 1 << 22  # bytes of lines in a piece: every column of it is read while in the CPU caches


def data_start(raw: bytes, header_line: int) -> int | None:
    """Where the line after the header begins; None when no data line follows."""
    at = 0
    for _line in range(header_line):
        at = raw.find(b"\n", at) + 1
        if at == 0:
            return None
    return at if at < len(raw) else None


Piece = tuple[int, bytearray]


def in_threads(read: Callable[[Piece], Any], pieces: Iterator[Piece], workers: int,
               add: Callable[[Any], None]) -> bool:
    """``read`` of every piece, in order, to ``add`` on ``workers`` threads
    (a few pieces read ahead, not the whole file); False when one is None."""
    from concurrent.futures import Future, ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=workers) as pool:
        pending: deque[Future] = deque()
        for piece in pieces:
            pending.append(pool.submit(read, piece))
            while len(pending) > workers or (pending and pending[0].done()):
                part = pending.popleft().result()
                if part is None:
                    for future in pending:
                        future.cancel()
                    return False
                add(part)
        for future in pending:
            part = future.result()
            if part is None:
                return False
            add(part)
    return True


def pieces(f: Any, start: int, end: int | None = None) -> Iterator[Piece]:
    """(file offset - 1, a line end and then whole lines of about ``BLOCK``
    bytes) from ``start`` to ``end`` (a line's start) or the file's end; the last
    line gets a line end if it has none. Each piece is read into its own buffer
    behind the leading line end and the lines carried over (no copy of a block).
    (A quote open over a piece's end would be a quoted line break: refused anyway.)"""
    carry = b""
    at = start  # the file offset of the carried lines' first byte
    f.seek(start)
    while True:
        want = BLOCK if end is None else max(0, min(BLOCK, end - at - len(carry)))
        head = 1 + len(carry)
        piece = bytearray(head + want)
        piece[0] = 10
        piece[1:head] = carry
        got = f.readinto(memoryview(piece)[head:]) if want else 0
        if not got:
            if carry:
                piece[head:] = b"\n"
                yield at - 1, piece
            return
        filled = head + got
        cut = piece.rfind(b"\n", 1, filled)  # the last line end read (0: none yet)
        if cut <= 0:
            carry = bytes(piece[1:filled])
            continue
        carry = bytes(piece[cut + 1:filled])
        del piece[cut + 1:]
        yield at - 1, piece
        at += cut


def split(np: Any, buf: Any, start: int, end: int, delimiter: int, ncols: int) -> Any | None:
    """The boundary of every field in ``start``..``end`` (a delimiter or the line end),
    one row of ``ncols`` per line; None when a line has another number of fields,
    is blank, is longer than a field may be, or a quote is not around a whole field."""
    found = _boundaries(np, buf, start, end, delimiter)
    if found is None:
        return None
    bounds, lines = found
    n = len(bounds) // ncols
    # As many line ends as rows, each the last boundary of its row: every line has ncols fields.
    if n == 0 or len(bounds) != n * ncols or lines != n:
        return None
    grid = bounds.reshape(n, ncols)
    line_ends = grid[:, -1]
    if (buf[line_ends] != 10).any():
        return None
    if int(line_ends[0]) - start > MAX_FIELD or (n > 1 and int(np.diff(line_ends).max())
                                                 > MAX_FIELD):
        return None  # csv.reader refuses a field this long: the per-cell reader says so
    return grid


def _boundaries(np: Any, buf: Any, start: int, end: int, delimiter: int,
                ) -> tuple[Any, int] | None:
    """(every delimiter and line end outside quotes in ``start``..``end``, the number
    of line ends), a megabyte at a time: in each, the delimiters between a pair
    of quotes (the quotes pair up in order, a pair may run over the edge) are
    dropped. None if a line end is quoted or a quote is not around a whole field."""
    size = min(end - start, CHUNK)
    hit, line = np.empty(size, dtype=bool), np.empty(size, dtype=bool)
    small = np.int32 if len(buf) < 2**31 else np.int64
    parts, quotes = [], []
    lines = 0
    inside = False  # a quote opened before this megabyte is still open
    for at in range(start, end, CHUNK):
        part = buf[at:min(at + CHUNK, end)]
        k = len(part)
        np.equal(part, 10, out=line[:k])
        lines += int(np.count_nonzero(line[:k]))
        np.equal(part, 34, out=hit[:k])
        marks = np.flatnonzero(hit[:k]).astype(small) if hit[:k].any() else None
        np.equal(part, delimiter, out=hit[:k])
        np.logical_or(hit[:k], line[:k], out=hit[:k])
        found = np.flatnonzero(hit[:k]).astype(small)
        if marks is not None or inside:
            if marks is None:
                marks = np.zeros(0, dtype=small)
            quotes.append(marks + at)
            if inside:
                marks = np.concatenate(([-1], marks)).astype(small)
            inside = len(marks) % 2 == 1
            if inside:
                marks = np.concatenate((marks, [k])).astype(small)
            lo = np.searchsorted(found, marks[0::2], side="right")
            counts = np.searchsorted(found, marks[1::2], side="left") - lo
            if counts.any():
                keep = counts > 0
                counts, lo = counts[keep], lo[keep]
                index = np.repeat(lo - (np.cumsum(counts) - counts), counts)
                index += np.arange(len(index))
                if (part[found[index]] == 10).any():
                    return None  # a quoted line break (or a stray quote's run of lines)
                found = np.delete(found, index)
        found += at
        parts.append(found)
    if inside or (quotes and not _quoted_fields(np, buf, np.concatenate(quotes), delimiter)):
        return None
    return np.concatenate(parts), lines


def _quoted_fields(np: Any, buf: Any, quotes: Any, delimiter: int) -> bool:
    """Whether each pair of quotes opens a field (or follows the last pair at
    once: ``""``) and closes before a delimiter, a line end or the next pair."""
    opens, closes = quotes[0::2], quotes[1::2]
    glued = np.zeros(len(opens), dtype=bool)
    glued[1:] = opens[1:] == closes[:-1] + 1
    before = buf[opens - 1]  # (the header line ends before the first open)
    after = buf[closes + 1]  # (the file ends with a line end, never a quote)
    opened = (before == delimiter) | (before == 10) | glued
    closed = (after == delimiter) | (after == 10) | (after == 13)
    closed[:-1] |= glued[1:]
    return bool(opened.all() and closed.all())


__all__ = ["BLOCK", "CHUNK", "data_start", "in_threads", "pieces", "split"]
