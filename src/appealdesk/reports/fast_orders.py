"""The fast path for a large order report: its bytes split into columns by numpy.

As ``fast_messages`` does for buyer-message exports (with the same machinery,
``byte_columns``), no Python string is made per cell. The file is read in
pieces of whole lines (``byte_lines``: a few megabytes each, each piece's
columns added to the table and let go), so neither the file nor its
boundaries are ever held whole; in a piece, numpy finds every delimiter and
line end, and each column is a pair of offset arrays. With a core free, the
second half of the lines is read by a forked process (``forked_half``; in the
app, which has threads, by a second thread); the ids are hashed and checked
for Excel's scientific notation where they are read.

* Quoted fields (``"DHL, Express"``, ``"a ""b"" c"``) are found
  from the positions of the quotes: they pair up, each pair opens a field (or
  continues one, ``""``) and closes before a delimiter or line end, and the
  delimiters between a pair are no boundaries. Only text cells are unquoted,
  when read.
* Dates: the values of a column grouped by length, each group read as a byte
  matrix (``iso_columns.parse_iso_rows``) — exactly the ISO layouts the DuckDB
  path (``columnar_sql.ISO``) reads: a date, ``hh:mm[:ss[.fff|.ffffff]]`` after
  ``T`` or a space, optionally ``Z`` or ``+hh:mm``. Naive values and bare
  dates keep their wall-clock seconds, aware ones UTC (as ``DateColumn``).
* Yes/no and canceller cells: the distinct byte strings of the column (a word
  of 8 bytes hashed, else ``byte_columns.distinct``), each decoded once and
  read by the per-cell reader's own caches (``cells``).
* Order ids: gathered into one buffer, decoded once and split
  (``byte_columns.strings``). Text fields are read when first used
  (``table.text.defer``), from the file again; a file changed in between is refused.

It takes a file only when it reads exactly as the per-cell reader would:
UTF-8, no NUL, no ``\\r`` but in ``\\r\\n``, every line with the header's number
of fields, no blank line, no quote but around a whole field, no quoted line
break, no quoted date, yes/no or canceller cell, every date in the layouts
above, every yes/no and canceller word known, every order id present. Anything
else returns None: DuckDB (``columnar``) or the per-cell reader (``reader``),
with its line-numbered bad rows, then reads the file
(tests/test_reports_fast_orders.py compares the three on random messy rows).

Measured on the 1,000,000-row messy benchmark (tests/bench_metrics.py --messy),
one thread, CPU: about 1.6 s against DuckDB's 1.9 s, most of it the ISO date
columns (0.5 s for seven), the boundaries (0.3), UTF-8 validation (0.1),
yes/no words (0.2) and the ids (0.15); numpy's own import comes on top. The
forked half takes the read from ~1.6 s to ~1.2 s of wall time on two idle
cores (each half runs slower than alone: the two share caches and memory).
"""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Any, Literal

from appealdesk.i18n import _
from appealdesk.reports.byte_columns import (
    distinct,
    is_utf8,
    iso_groups,
    rows_at,
    strings,
)
from appealdesk.reports.byte_lines import data_start, in_threads, pieces, split
from appealdesk.reports.cells import _BoolCache, _CancellerCache
from appealdesk.reports.columnar import _threads
from appealdesk.reports.dates import _BAD
from appealdesk.reports.fast_table import TableBuilder
from appealdesk.reports.forked_half import can_fork, middle_line, read_halves
from appealdesk.reports.glibc_memory import give_back, keep_freed
from appealdesk.reports.order_ids import distinct_hashes, excel_numbers, id_hashes
from appealdesk.reports.table import BOOL_FIELDS, DATE_FIELDS, TEXT_FIELDS, OrderTable, ReportError

# Smaller files: the per-cell reader (no numpy work to set up).
MIN_BYTES = 1 << 20
THREADS = 0  # threads for the pieces; 0: one per core, one on a busy machine (as DuckDB's)
_ZONES = (0, 1, 6)  # no offset, "Z", "+hh:mm" (not "+hhmm": DuckDB reads that otherwise)
_MAX_WORDS = 256  # distinct yes/no or canceller spellings
_SPARSE = 8  # a yes/no column with fewer than 1 in this many cells filled is read sparsely
_MAX_FEW = 100_000  # distinct values of a text field read as codes; more: one by one
_MIX = 0x9E3779B97F4A7C15

Spans = tuple[Any, Any]


def read_fast(
    path: Path, columns: dict[str, int], ncols: int, header_line: int, delimiter: str,
    encoding: str,
) -> tuple[OrderTable, int, bool] | None:
    """(table, data rows, whether no order id repeats) as ``columnar.read_columnar``
    gives them, when the file reads here exactly; None otherwise (also when an
    order id is in scientific notation: the other readers say so). The ids are
    hashed piece by piece, where they are read; a repeated hash leaves the
    question to ``merge._dedupe``."""
    if encoding not in ("utf-8", "utf-8-sig") or ncols < 2 or delimiter not in (",", "\t", ";"):
        return None
    import numpy as np

    stamp = _stamp(path)
    caches: dict[str, dict[str, int]] = {f: _BoolCache() for f in BOOL_FIELDS}
    caches["cancelled_by"] = _CancellerCache()
    spans = np.int32 if stamp[0] < 2**31 else np.int64
    read = partial(_block, np, columns, ncols, ord(delimiter), caches, spans)
    table = TableBuilder(np, columns, spans, stamp[0])
    with path.open("rb") as f:
        head = f.read(1 << 20)
        start = data_start(head, header_line)
        if start is None or b"\x00" in head[:start] or (
                head.count(b"\r", 0, start) != head.count(b"\r\n", 0, start)):
            return None  # (a lone "\r" would have ended a line before the header)
        workers = THREADS or _threads()
        cut = middle_line(f, start, stamp[0]) if can_fork(workers) else None
        if cut is not None:
            keep_freed()
            if not read_halves(path, start, cut, pieces, read, table.add):
                return None
        elif workers <= 1:
            for piece in pieces(f, start):
                part = read(piece)
                if part is None:
                    return None
                table.add(part)
        elif not in_threads(read, pieces(f, start), workers, table.add):
            return None
    give_back()
    if not table.n or _stamp(path) != stamp:
        return None
    distinct = distinct_hashes(np, np.concatenate(table.hashes), runs=True)
    return table.finish(partial(_texts, path, stamp)), table.n, distinct


def _block(np: Any, columns: dict[str, int], ncols: int, delimiter: int,
           caches: dict[str, dict[str, int]], spans: Any, piece: tuple[int, bytearray],
           ) -> dict[str, Any] | None:
    """Every mapped column of a piece's lines (its bytes stay in the CPU caches
    while each column is read); None if one cannot be read here."""
    base, raw = piece
    if b"\x00" in raw or not is_utf8(raw):
        return None
    crlf = b"\r" in raw
    if crlf and raw.count(b"\r") != raw.count(b"\r\n"):
        return None  # a "\r" that ends no line: csv.reader splits lines there
    buf = np.frombuffer(raw, dtype=np.uint8)
    grid = split(np, buf, 1, len(raw), delimiter, ncols)
    if grid is None:
        return None
    cell = _Cells(np, buf, grid, 1, columns, crlf)
    ids = _ids(np, buf, cell, "order_id")
    if ids is None or excel_numbers(ids):
        return None  # (the other readers refuse ids a spreadsheet turned into numbers)
    out: dict[str, Any] = {"n": len(grid), "bytes": len(raw), "order_id": ids,
                           "hashes": id_hashes(np, ids, ordered=True)}
    for name in DATE_FIELDS:
        if name in columns:
            out[name] = _dates(np, buf, cell, name)
    for name in (*BOOL_FIELDS, "cancelled_by"):
        if name in columns:
            out[name] = _words(np, raw, buf, cell, name, caches[name])
        elif name == "tracking_valid" and "tracking_number" in columns:
            out[name] = _filled(np, raw, buf, cell, "tracking_number")
    for name in TEXT_FIELDS:
        if name in columns:  # where in the file, to be read when first used
            out["text:" + name] = tuple(v.astype(spans) + spans(base) for v in cell(name))
    return None if any(v is None for v in out.values()) else out


class _Cells:
    """(starts, ends) of a field's cells, made when its job asks (the threads
    keep their own)."""

    def __init__(self, np: Any, buf: Any, grid: Any, start: int, columns: dict[str, int],
                 crlf: bool) -> None:
        self.np, self.grid, self.start, self.columns = np, grid, start, columns
        self.line_ends = grid[:, -1]
        self.last_end = self.line_ends - (buf[self.line_ends - 1] == 13) if crlf \
            else self.line_ends

    def __call__(self, field: str) -> Spans:
        np, grid, j = self.np, self.grid, self.columns[field]
        starts = np.empty(len(grid), dtype=grid.dtype)
        if j == 0:
            starts[0] = self.start
            starts[1:] = self.line_ends[:-1] + 1
        else:
            np.add(grid[:, j - 1], 1, out=starts)
        return starts, (self.last_end if j == grid.shape[1] - 1 else grid[:, j])


def _stamp(path: Path) -> tuple[int, int]:
    stat = path.stat()
    return stat.st_size, stat.st_mtime_ns


def _ids(np: Any, buf: Any, cell: Any, field: str) -> list[str] | None:
    starts, ends, quoted = _unquoted(np, buf, *cell(field))
    ids = _decoded(np, buf, starts, ends, quoted)
    return None if "" in ids else ids


def _unquoted(np: Any, buf: Any, starts: Any, ends: Any) -> tuple[Any, Any, Any]:
    """(starts, ends) inside the quotes, and the rows that were quoted."""
    quoted = buf[starts] == 34
    rows = np.flatnonzero(quoted)
    if not len(rows):
        return np.ascontiguousarray(starts), np.ascontiguousarray(ends), rows
    return starts + quoted, ends - quoted, rows


def _decoded(np: Any, buf: Any, starts: Any, ends: Any, quoted: Any) -> list[str]:
    values = strings(np, buf, starts, ends)
    for r in quoted.tolist():  # a quote inside a quoted field is written twice
        values[r] = values[r].replace('""', '"')
    return values


def _dates(np: Any, buf: Any, cell: Any, field: str) -> tuple[Any, Any] | None:
    """(kinds, seconds) of a date column. (A quoted date has no layout: its
    first byte is a quote.)"""
    starts, ends = cell(field)
    n = len(starts)
    kinds, seconds = np.zeros(n, dtype=np.uint8), np.zeros(n)
    groups = iso_groups(np, buf, starts, ends)
    if groups is None:
        return None
    for rows, layout, kind, values in groups:
        if layout is None:
            continue  # empty: kind 0, no seconds
        if layout[2] not in _ZONES:
            return None
        at = slice(None) if rows is None else rows
        kinds[at] = kind
        seconds[at] = values
    return kinds, seconds


def _words(np: Any, raw: bytes | bytearray, buf: Any, cell: Any, field: str,
           cache: dict[str, int]) -> bytes | None:
    """A yes/no or canceller column, each distinct spelling read by the per-cell
    cache (a quoted one, ``"yes"``, is no word it knows)."""
    starts, ends = cell(field)
    filled = np.flatnonzero(ends - starts)
    if len(filled) * _SPARSE < len(starts):  # mostly empty (claims, chargebacks): the
        blank = cache[""]  # filled cells read alone (a column of 26,000: 0.1 ms, was 0.6)
        if blank == _BAD:
            return None
        out = np.full(len(starts), blank, dtype=np.uint8)
        if len(filled):
            some = _spelled(np, raw, buf, starts[filled], ends[filled], cache)
            if some is None:
                return None
            out[filled] = np.frombuffer(some, dtype=np.uint8)
        return out.tobytes()
    return _spelled(np, raw, buf, starts, ends, cache)


def _spelled(np: Any, raw: bytes | bytearray, buf: Any, starts: Any, ends: Any,
             cache: dict[str, int]) -> bytes | None:
    """``_words`` of the cells at ``starts``..``ends``."""
    short = _short_words(np, raw, buf, starts, ends, cache)
    if short is not False:
        return short
    found = distinct(np, raw, buf, starts, ends, _MAX_WORDS)
    if found is None:
        return None
    codes, values = found
    table = bytes(cache[v] for v in values)
    if _BAD in table:
        return None
    return np.frombuffer(table, dtype=np.uint8)[codes].tobytes()


def _short_words(np: Any, raw: bytes | bytearray, buf: Any, starts: Any, ends: Any,
                 cache: dict[str, int]) -> bytes | Literal[False] | None:
    """``_words`` for cells of at most 8 bytes, without sorting: each cell's bytes
    as one word, hashed to 16 bits; one cell of each hash read by ``cache``,
    every cell checked equal to it. False when that does not settle it (longer
    cells, two words with one hash): ``distinct`` then."""
    lengths = ends - starts
    if not len(starts) or int(lengths.max()) > 8 or len(buf) < 8:
        return False
    at = np.minimum(starts, len(buf) - 8)
    words = rows_at(np, buf, at, 8).view("<u8").reshape(-1)
    words &= _masks(np)[lengths]
    for r in np.flatnonzero(at != starts).tolist():  # the last few bytes of the file
        words[r] = int.from_bytes(raw[int(starts[r]):int(ends[r])], "little")
    mixed = words * np.uint64(_MIX)
    mixed ^= mixed >> np.uint64(29)
    mixed *= np.uint64(_MIX)
    mixed >>= np.uint64(48)
    bucket = mixed.astype(np.uint16)
    del mixed
    row = np.full(1 << 16, -1, dtype=np.int64)
    row[bucket] = np.arange(len(bucket))
    key = np.zeros(1 << 16, dtype=np.uint64)
    value = np.zeros(1 << 16, dtype=np.uint8)
    for b in np.flatnonzero(row >= 0).tolist():
        r = int(row[b])
        try:
            code = cache[raw[int(starts[r]):int(ends[r])].decode("utf-8")]
        except UnicodeDecodeError:
            return None
        if code == _BAD:
            return None
        key[b], value[b] = words[r], code
    if (key[bucket] != words).any():
        return False
    return value[bucket].tobytes()


def _masks(np: Any) -> Any:
    """The low k bytes of a word, k = 0..8."""
    return np.array([(1 << (8 * k)) - 1 for k in range(9)], dtype=np.uint64)


def _filled(np: Any, raw: bytes | bytearray, buf: Any, cell: Any, field: str,
            ) -> bytearray | None:
    """1 where a cell holds more than white space (no tracking_valid column: a
    tracking number counts as valid tracking). A first byte that is printable
    ASCII settles it; other cells are decoded and stripped. None when a cell ends
    like Excel's number for a long one ("9.4001E+21"): the per-cell reader refuses it."""
    starts, ends, quoted = _unquoted(np, buf, *cell(field))
    lengths = ends - starts
    plus = buf[np.maximum(ends - 3, 0)] == 43  # "E+dd", "e+dd"; one gather when none
    if plus.any() and (plus & (lengths >= 4)
                       & ((buf[np.maximum(ends - 4, 0)] | 32) == 101)).any():
        return None
    first = buf[np.minimum(starts, len(buf) - 1)]
    sure = (lengths > 0) & (first > 32) & (first < 128)
    out = bytearray(sure.astype(np.uint8).tobytes())
    for r in np.flatnonzero((lengths > 0) & ~sure).tolist():
        out[r] = bool(raw[int(starts[r]):int(ends[r])].decode("utf-8").strip())
    return out


def _texts(path: Path, stamp: tuple[int, int], field: str, spans: tuple[Any, Any],
           n: int) -> dict[str, list[str]]:
    """A text field read when first used, from the file again: one shared,
    stripped string per distinct value (tracking numbers one by one)."""
    import numpy as np

    changed = ReportError(_("{name} changed while it was being read; read it again").format(
        name=path.name))
    if not path.exists() or _stamp(path) != stamp:
        raise changed
    if not (spans[1] - spans[0]).any():
        return {field: [""] * n}
    raw = path.read_bytes()
    if _stamp(path) != stamp:
        raise changed
    if not raw.endswith(b"\n"):
        raw += b"\n"
    buf = np.frombuffer(raw, dtype=np.uint8)
    starts, ends, quoted = _unquoted(np, buf, *spans)
    found = None if field == "tracking_number" else distinct(np, raw, buf, starts, ends, _MAX_FEW)
    if found is None:
        return {field: _decoded(np, buf, starts, ends, quoted)}
    codes, values = found
    shared = [v.replace('""', '"').strip() for v in values]
    return {field: list(map(shared.__getitem__, codes.tolist()))}


__all__ = ["MIN_BYTES", "read_fast"]
