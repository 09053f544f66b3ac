"""Rows of one file into an OrderTable, chunk by chunk, column by column.

Plain text (no quotes, one row per line) is split straight into columns with
``str.split``; anything else goes through ``csv.reader``, with the same rows and
line numbers (tests/test_reports_fastpath.py checks both agree)."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Sequence
from itertools import chain, islice, repeat

from appealdesk.i18n import _
from appealdesk.reports.cells import _BoolCache, _CancellerCache, _Intern
from appealdesk.reports.dates import _AMBIGUOUS, _BAD, _DateCache, _fast_iso, _few_dates
from appealdesk.reports.quotes import MAX_DEPTH, reason, swallows, tap
from appealdesk.reports.table import (
    BOOL_FIELDS,
    DATE_FIELDS,
    TEXT_FIELDS,
    OrderTable,
    ReportError,
)

CHUNK_ROWS = 50_000
MAX_FIELD = 1 << 20
# A plain block cannot hide an over-long field. (Larger blocks are slower:
# the strings of a small block stay in the CPU caches.)
BLOCK_CHARS = MAX_FIELD // 2


class _Reader:
    """Turns one file into an OrderTable, chunk by chunk, column by column."""

    def __init__(self, columns: dict[str, int], ncols: int, header_line: int):
        self.columns = columns
        self.ncols = ncols
        # Excel's CSV leaves out a row's empty last columns (block by block): a row that
        # still has every column read is whole, the missing cells empty.
        self.last_read = max(columns.values(), default=ncols)
        self.table = OrderTable()
        self.bad: dict[int, tuple[int, str]] = {}  # row index -> (line, reason)
        self.blank: list[int] = []
        self.pending: list[tuple[int, int, str, str]] = []  # row, line, field, raw
        self.short_rows: list[tuple[int, int, str, str]] = []  # with a two-digit year
        self.date_caches = {f: _DateCache() for f in DATE_FIELDS}
        self.bool_cache = _BoolCache()
        self.canceller_cache = _CancellerCache()
        self.intern = _Intern()
        self.rows = 0
        self.line = header_line

    def _lines(self, rows: list[list[str]], start: int, end: int) -> list[int]:
        if end - start == len(rows):
            return list(range(start + 1, end + 1))
        lines, at = [], start
        for row in rows:  # quoted fields with line breaks: count them
            at += 1
            lines.append(at)
            at += sum(f.count("\n") for f in row)
        return lines

    def _coded(self, raw: Sequence[str], cache: dict[str, int], base: int,
               line_of: Callable[[int], int], message: str, field: str) -> bytes:
        """One byte per cell from ``cache``; cells it calls bad are marked with ``message``."""
        codes = bytes(map(cache.__getitem__, raw))
        if b"\xff" in codes:
            for i, k in enumerate(codes):
                if k == _BAD:
                    self._mark(base + i, line_of(i), message.format(field=field, value=raw[i]))
            codes = codes.replace(b"\xff", b"\x00")
        return codes

    def _mark(self, idx: int, line: int, reason: str) -> None:
        self.bad.setdefault(idx, (line, reason))

    def add_chunk(self, rows: list[list[str]], end_line: int) -> None:
        """Rows as csv.reader gives them (any field count, any line breaks)."""
        base = len(self.table.order_id)
        n = len(rows)
        start_line, self.line = self.line, end_line
        self.rows += n
        lines: list[int] | None = None

        def line_of(i: int) -> int:
            nonlocal lines
            if lines is None:
                lines = self._lines(rows, start_line, end_line)
            return lines[i]

        ncols = self.ncols
        if min(map(len, rows)) != ncols or max(map(len, rows)) != ncols:
            fixed = []
            for i, row in enumerate(rows):
                if len(row) != ncols:
                    if not row or not any(c.strip() for c in row):
                        self.blank.append(base + i)
                        self.rows -= 1
                    elif self.last_read < len(row) < ncols:
                        pass  # only unread last columns missing: Excel left them out, empty
                    else:
                        self._mark(base + i, line_of(i), _(
                            "has {found} fields, the header has {expected}").format(
                            found=len(row), expected=ncols))
                    row = (row + [""] * ncols)[:ncols]
                fixed.append(row)
            rows = fixed
        self._add_columns(list(zip(*rows, strict=True)), n, base, line_of)

    def add_columns(self, cols: list[list[str]], n: int) -> None:
        """``n`` well-formed rows, one per line, already split into columns."""
        base = len(self.table.order_id)
        start_line = self.line
        self.line += n
        self.rows += n
        self._add_columns(cols, n, base, lambda i: start_line + 1 + i)

    def _add_columns(
        self, cols: Sequence[Sequence[str]], n: int, base: int, line_of: Callable[[int], int],
    ) -> None:
        t = self.table
        ids = list(map(str.strip, cols[self.columns["order_id"]]))
        if "" in ids:
            blank = set(self.blank)
            for i, oid in enumerate(ids):
                if oid or base + i in blank:
                    continue
                if any(col[i].strip() for col in cols):
                    self._mark(base + i, line_of(i), _("has no order id"))
                else:  # every cell empty (",,,,": a row Excel kept after its content went)
                    self.blank.append(base + i)
                    self.rows -= 1
        t.order_id.extend(ids)

        for name in DATE_FIELDS:
            col = t.dates[name]
            idx = self.columns.get(name)
            if idx is None or not any(cols[idx]):
                col.kinds.extend(bytes(n))
                col.seconds.frombytes(bytes(8 * n))  # n zeros as doubles
                continue
            raw = cols[idx]
            # ISO values written alike: in bulk. Mostly distinct date-times in
            # other ISO forms: in bulk through datetime. Else memoised per value.
            sample = [value for value in islice(raw, 0, 200) if value]
            distinct = len(set(sample)) > len(sample) // 2 and min(map(len, sample)) > 10
            fast = _fast_iso(raw, datetimes=distinct)
            if fast is not None:
                col.kinds.extend(fast[0])
                col.seconds.extend(fast[1])
                continue
            cache = self.date_caches[name]
            coded = _few_dates(raw, cache)
            kinds = coded[0] if coded else bytes(map(cache.kinds.__getitem__, raw))
            if b"\xff" in kinds or b"\xfe" in kinds:
                for i, k in enumerate(kinds):
                    if k == _BAD:
                        why = cache.reasons.get(raw[i], "")
                        self._mark(base + i, line_of(i), _(
                            "{field}: cannot read the date {value!r}{why}").format(
                            field=name, value=raw[i], why=f" ({why})" if why else ""))
                    elif k == _AMBIGUOUS:
                        self.pending.append((base + i, line_of(i), name, raw[i]))
            if cache.short:  # two-digit years: checked at the end (``_check_short_years``)
                self.short_rows.extend((base + i, line_of(i), name, value)
                                       for i, value in enumerate(raw) if value in cache.short)
            col.kinds.extend(kinds)
            if coded:
                col.seconds.frombytes(coded[1])
            else:
                col.seconds.extend(map(cache.__getitem__, raw))

        for name in BOOL_FIELDS:
            idx = self.columns.get(name)
            if idx is None:
                if name == "tracking_valid" and "tracking_number" in self.columns:
                    flags = bytes(map(bool, map(str.strip, cols[self.columns["tracking_number"]])))
                else:
                    flags = bytes(n)
            else:
                flags = self._coded(cols[idx], self.bool_cache, base, line_of,
                                    _("{field}: {value!r} is not yes/no"), name)
            t.flags[name].extend(flags)

        idx = self.columns.get("cancelled_by")
        if idx is None:
            t.cancelled_by.extend(bytes(n))
        else:
            t.cancelled_by.extend(self._coded(
                cols[idx], self.canceller_cache, base, line_of,
                _("{field}: {value!r} is not seller, buyer or platform"), "cancelled_by"))

        intern = self.intern
        for name in TEXT_FIELDS:
            idx = self.columns.get(name)
            if idx is None or not any(cols[idx]):
                t.text[name].extend(repeat("", n))
                continue
            if name == "tracking_number":
                t.text[name].extend(map(str.strip, cols[idx]))
            else:  # few distinct values: one shared, stripped string each
                t.text[name].extend(map(intern.__getitem__, cols[idx]))

    def finish(self) -> tuple[OrderTable, list[tuple[int, str]]]:
        self._resolve_ambiguous()
        self._check_short_years()
        t = self.table
        drop = set(self.bad) | set(self.blank)
        if drop:
            mask = bytearray(b"\x01") * len(t.order_id)
            for i in drop:
                mask[i] = 0
            t.keep(bytes(mask))
        return t, sorted(self.bad.values())

    def _check_short_years(self) -> None:
        """A column whose two-digit years are more than two different ones holds days
        there (yy/mm/dd): its rows with one are bad rows, not dates decades apart."""
        if not self.short_rows and not self.pending:
            return
        rows = self.short_rows + [p for p in self.pending
                                  if p[3] in self.date_caches[p[2]].short]
        for name, cache in self.date_caches.items():
            years = {cache.short[raw] for _r, _l, field, raw in rows if field == name}
            if len(years) <= 2:
                continue
            for row, line, field, raw in rows:
                if field == name:
                    self._mark(row, line, _(
                        "{field}: the two-digit year of {value!r} could be a day (this column's "
                        "two-digit years are {count} different ones); write the year in "
                        "full").format(field=name, value=raw, count=len(years)))

    def _resolve_ambiguous(self) -> None:
        for row, line, name, raw in self.pending:
            cache = self.date_caches[name]
            if cache.day_first != cache.month_first:  # exactly one order seen
                kind, seconds = cache.parse(raw, day_first=cache.day_first)
                col = self.table.dates[name]
                col.kinds[row], col.seconds[row] = kind, seconds
            else:
                self._mark(row, line, _(
                    "{field}: ambiguous date {value!r} (day and month could be swapped); "
                    "write it as YYYY-MM-DD").format(field=name, value=raw))


def _read_rows(
    text: io.TextIOBase, delimiter: str, state: _Reader, tick: Callable[[], None], name: str,
) -> None:
    """Every data row into ``state``. Plain blocks (no quotes, one row per line)
    are split in C straight into columns; from the first block that is not
    plain on, the rest of the file goes through ``csv.reader``. Both give the
    same rows and line numbers: the plain path only takes text on which
    ``csv.reader`` would do nothing but split."""
    carry = ""
    while True:
        block = text.read(BLOCK_CHARS)
        if not block:
            rest = carry  # a last line without a line break
            break
        if carry:
            block = carry + block
        cut = block.rfind("\n")
        if cut < 0 or not _add_plain(block[:cut], delimiter, state):
            rest = block + text.readline()  # csv.reader must see whole lines
            break
        carry = block[cut + 1:]
        tick()
    if not rest:
        return
    _read_csv(chain(io.StringIO(rest, newline=""), text), delimiter, state, tick, name)


def _read_csv(lines: Iterable[str], delimiter: str, state: _Reader, tick: Callable[[], None],
              name: str, depth: int = 0) -> None:
    """The rows of ``lines`` through ``csv.reader``, a chunk at a time. A row a
    stray quote ran together (``quotes``) is a bad row and its lines after the
    first are read again on their own."""
    kept: list[str] = []
    reader = csv.reader(tap(lines, kept), delimiter=delimiter)
    start = state.line
    try:
        rows = list(islice(reader, CHUNK_ROWS))
        while rows:
            own = kept.copy()
            kept.clear()
            end = start + reader.line_num
            following = list(islice(reader, CHUNK_ROWS))
            _add_csv_chunk(rows, own, end, not following, delimiter, state, tick, name, depth)
            tick()
            rows = following
    except csv.Error as exc:
        raise ReportError(_("{name}, line {line}: {error}").format(
            name=name, line=start + reader.line_num, error=exc)) from None


def _add_csv_chunk(rows: list[list[str]], own: list[str], end: int, last_chunk: bool,
                   delimiter: str, state: _Reader, tick: Callable[[], None], name: str,
                   depth: int) -> None:
    chunk_start = state.line
    if end - chunk_start == len(rows):  # no row spans lines
        state.add_chunk(rows, end)
        return
    ncols = state.ncols
    starts = state._lines(rows, chunk_start, end)
    starts.append(end + 1)
    runs = [i for i, row in enumerate(rows)
            if starts[i + 1] - 1 > starts[i] and swallows(row, ncols, delimiter)]
    if not runs:
        state.add_chunk(rows, end)
        return
    done = 0
    for i in runs:
        first, last = starts[i], starts[i + 1] - 1
        state._mark(len(state.table.order_id) + i - done, first, reason(
            first, last, closed=not (last_chunk and i == len(rows) - 1)))
        state.add_chunk(rows[done:i + 1], last)
        if depth < MAX_DEPTH:
            state.line = first
            _read_csv(own[first - chunk_start:last - chunk_start], delimiter, state, tick, name,
                      depth + 1)
            state.line = last
        done = i + 1
    if done < len(rows):
        state.add_chunk(rows[done:], end)


def _add_plain(body: str, delimiter: str, state: _Reader) -> bool:
    """Add the lines of ``body`` (complete lines, the last one's break cut off)
    unless csv.reader would read them as more than split lines: False then,
    and nothing was added."""
    if '"' in body or "\x00" in body:
        return False
    if "\r" in body:
        body = (body + "\n").replace("\r\n", "\n")[:-1]
        if "\r" in body:  # a bare carriage return ends a line for csv.reader
            return False
    if len(body) > MAX_FIELD and max(map(len, body.replace("\n", delimiter).split(
            delimiter))) > MAX_FIELD:
        return False  # csv.reader reports the over-long field
    cols = _split_plain(body, delimiter, state.ncols, set(state.columns.values()))
    if cols is not None:
        state.add_columns(cols, len(cols[state.columns["order_id"]]))
    else:  # blank lines or rows of another width: the general path explains them
        rows = [line.split(delimiter) if line else [] for line in body.split("\n")]
        state.add_chunk(rows, state.line + len(rows))
    return True


def _split_plain(
    body: str, delimiter: str, ncols: int, wanted: set[int],
) -> list[list[str]] | None:
    """The ``wanted`` columns of ``body`` when every line has exactly ``ncols``
    fields (the others left empty: nobody reads them), else None.

    Each line break becomes a delimiter followed by the break, so one ``split``
    gives every field and column k is every ncols-th piece from k. A break can
    only begin a piece; if the first column's pieces hold all the breaks, every
    line began at a multiple of ncols, so every line has ncols fields."""
    pieces = body.replace("\n", delimiter + "\n").split(delimiter)
    lines = body.count("\n") + 1
    if ncols < 2 or len(pieces) != lines * ncols:
        return None
    cols = [pieces[k::ncols] if k in wanted else [] for k in range(ncols)]
    first = pieces[0::ncols]
    if "".join(first).count("\n") != lines - 1:
        return None
    if 0 in wanted:
        cols[0] = list(map(str.lstrip, first, repeat("\n")))
    return cols

