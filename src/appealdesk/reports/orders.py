"""Order reports: read a seller's exported orders into one normalised table.

Three kinds of file are understood, told apart by their header row:

* the **generic orders CSV** (headers exactly ``GENERIC_COLUMNS``);
* a **mapped export** — Amazon flat files, Chinese ERP exports, anything —
  through a column mapping ``field = [header, ...]``: the policy's
  ``[report_columns]`` (format name = the policy id) or the user's
  ``config.toml`` ``[report_columns.<name>]`` (format ``mapped:<name>``);
* several files of one store, merged by order id (``import_reports``).

Reading rules (also in the README):

* encoding: UTF-16 / UTF-8 when a byte-order mark says so, else UTF-8, else
  GB18030; delimiter: whichever of ``,`` tab ``;`` the header line has most of;
* dates: ISO 8601 dates and date-times (``2026-11-03``, ``2026-11-03 10:00``,
  ``2026-11-03T10:00:00+00:00``, ``...Z``), ``2026/11/3``, ``2026.11.03``,
  ``20261103`` (a bare date), ``2026年11月3日 10:00``, 12-hour clocks as Excel
  writes them (``10:04 PM``, ``下午1:04``), and year-last ``03/11/2026``. Year-last dates are
  read day-first when the first number is above 12 and month-first when the
  second is; when both could be the month, the rest of the same column in the
  same file decides (if it showed only one order); otherwise the row is a bad
  row ("ambiguous date"), never a guess;
* booleans: true/false, yes/no, y/n, 1/0, 是/否 (any case); empty is false;
* ``cancelled_by``: seller, buyer, platform (any case) or empty;
* a report without a ``tracking_valid`` column counts a shipped order with a
  tracking number as having valid tracking (the export cannot show scans);
* a report with a ``return_reason`` but no ``returned_at`` leaves returns
  undated.

Rows that cannot be read are returned in ``bad_rows`` with their line number
and reason and are left out of the orders; nothing is silently dropped or
accepted. A file that is not an order report raises ``ReportError`` (one line).

Speed: a report can have a million rows, so the table is kept column-wise
(``OrderTable``) and each block is converted a column at a time with C-level
``map``/``translate``/caches (ISO date columns written alike with numpy, see
``iso_columns``); ``Order`` records are made only on demand. Plain
text (no quotes, one row per line, the common case) is split straight into
columns with ``str.split``; anything else goes through ``csv.reader``, with the
same rows and line numbers (tests/test_reports_fastpath.py checks both agree).
"""

from __future__ import annotations

import codecs
import csv
import gc
import io
import re
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, fields
from datetime import UTC, date, datetime, timedelta, timezone
from itertools import chain, compress, islice, repeat
from operator import sub
from pathlib import Path
from typing import Any, overload

from appealdesk.i18n import _
from appealdesk.reports.iso_columns import parse_iso_column

GENERIC_COLUMNS = (
    "order_id", "order_date", "ship_by", "shipped_at", "promised_delivery", "delivered_at",
    "cancelled_at", "cancelled_by", "tracking_number", "tracking_valid", "carrier", "sku",
    "negative_feedback", "claim", "chargeback", "returned_at", "return_reason",
)
DATE_FIELDS = (
    "order_date", "ship_by", "shipped_at", "promised_delivery", "delivered_at",
    "cancelled_at", "returned_at",
)
BOOL_FIELDS = ("tracking_valid", "negative_feedback", "claim", "chargeback")
TEXT_FIELDS = ("tracking_number", "carrier", "sku", "return_reason")
CANCELLERS = ("", "seller", "buyer", "platform")  # code = index

# Kinds of a date value in a DateColumn.
NONE, DATE, NAIVE, AWARE = 0, 1, 2, 3
_BAD, _AMBIGUOUS = 255, 254

EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
_EPOCH_NAIVE = datetime(1970, 1, 1)
_EPOCH_AWARE = datetime(1970, 1, 1, tzinfo=UTC)
CHUNK_ROWS = 50_000
MAX_FIELD = 1 << 20
# A plain block cannot hide an over-long field. (Larger blocks are slower:
# the strings of a small block stay in the CPU caches.)
BLOCK_CHARS = MAX_FIELD // 2

When = date | datetime | None


class ReportError(Exception):
    """A file that cannot be read as an order report at all (one line)."""


@dataclass(slots=True)
class Order:
    """One order, normalised. Dates are ``date`` (a bare date), naive ``datetime``
    (taken as written, in the policy's time zone) or aware ``datetime``."""

    order_id: str
    order_date: When = None
    ship_by: When = None
    shipped_at: When = None
    promised_delivery: When = None
    delivered_at: When = None
    cancelled_at: When = None
    cancelled_by: str = ""  # seller | buyer | platform | ""
    tracking_number: str = ""
    tracking_valid: bool = False
    carrier: str = ""
    sku: str = ""
    negative_feedback: bool = False
    claim: bool = False
    chargeback: bool = False
    returned_at: When = None
    return_reason: str = ""


# --------------------------------------------------------------------------
# Dates
# --------------------------------------------------------------------------

# A 12-hour clock: "上午/下午" before the hour (Chinese Excel) or "AM/PM" after it.
_TIME = (r"(?:[ T]+(上午|下午)?(\d{1,2})[:时](\d{2})(?:[:分](\d{2})(?:[.,](\d{1,6}))?)?秒?"
         r"(?:\s*([AaPp][Mm]))?)?")
_ZONE = r"\s*(Z|UTC|GMT|[+-]\d{2}:?\d{2})?"
_YEAR_FIRST = re.compile(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?" + _TIME + _ZONE)
_YEAR_LAST = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})" + _TIME + _ZONE)


def _zone(text: str | None) -> timezone | None:
    if not text:
        return None
    if text in ("Z", "UTC", "GMT"):
        return UTC
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    return timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))


def _build(y: int, mo: int, d: int, groups: Sequence[str | None]) -> tuple[int, float]:
    half_zh, hh, mm, ss, frac, half, zone_text = groups
    if hh is None:
        day = date(y, mo, d)
        return DATE, float((day.toordinal() - EPOCH_ORDINAL) * 86400)
    hour = int(hh)
    if half_zh or half:
        if not 1 <= hour <= 12:
            raise ValueError(f"hour {hour} on a 12-hour clock")
        hour %= 12
        if half_zh == "下午" or (half or "").lower() == "pm":
            hour += 12
    assert mm is not None  # the patterns give minutes whenever they give an hour
    micro = int((frac or "0").ljust(6, "0")[:6])
    moment = datetime(y, mo, d, hour, int(mm), int(ss or 0), micro, tzinfo=_zone(zone_text))
    return _encode(moment)


def _encode(value: date | datetime) -> tuple[int, float]:
    """(kind, seconds): aware -> UTC epoch; naive and dates -> wall-clock epoch."""
    if isinstance(value, datetime):
        if value.tzinfo is not None and value.utcoffset() is not None:
            return AWARE, value.timestamp()
        return NAIVE, (value - _EPOCH_NAIVE).total_seconds()
    return DATE, float((value.toordinal() - EPOCH_ORDINAL) * 86400)


def decode_when(kind: int, seconds: float) -> When:
    if kind == DATE:
        return date.fromordinal(int(seconds // 86400) + EPOCH_ORDINAL)
    if kind == NAIVE:
        return _EPOCH_NAIVE + timedelta(seconds=seconds)
    if kind == AWARE:
        return _EPOCH_AWARE + timedelta(seconds=seconds)
    return None


class _Kinds(dict):
    """raw text -> kind, filled by the _DateCache that owns it."""

    def __init__(self, owner: _DateCache):
        super().__init__()
        self.owner = owner

    def __missing__(self, raw: str) -> int:
        return self.owner.learn(raw)[0]


class _DateCache(dict):
    """raw text -> seconds, and ``kinds``: raw text -> kind; misses are parsed
    once. Two plain dicts so a column converts with two C-level ``map``s.
    Records which order year-last dates showed, for the ambiguity rule."""

    def __init__(self) -> None:
        super().__init__()
        self.kinds = _Kinds(self)
        self[""] = 0.0
        self.kinds[""] = NONE
        self.day_first = False
        self.month_first = False
        self.reasons: dict[str, str] = {}

    def learn(self, raw: str) -> tuple[int, float]:
        value = self.parse(raw)
        if len(self) < 500_000:  # unique time stamps would only fill memory
            self.kinds[raw], self[raw] = value
        return value

    def __missing__(self, raw: str) -> float:
        return self.learn(raw)[1]

    def parse(self, raw: str, day_first: bool | None = None) -> tuple[int, float]:
        text = raw.strip()
        if not text:
            return NONE, 0.0
        try:
            if len(text) <= 10 and (text[4:5] == "-" or text.isdigit()):
                return _encode(date.fromisoformat(text))  # 2026-11-03, 20261103
            return _encode(datetime.fromisoformat(text))
        except ValueError:
            pass
        try:
            match = _YEAR_FIRST.fullmatch(text)
            if match:
                y, mo, d = (int(g) for g in match.groups()[:3])
                return _build(y, mo, d, match.groups()[3:])
            match = _YEAR_LAST.fullmatch(text)
            if match:
                a, b, y = (int(g) for g in match.groups()[:3])
                if day_first is None:
                    if a > 12 >= b:
                        self.day_first = True
                        day_first = True
                    elif b > 12 >= a:
                        self.month_first = True
                        day_first = False
                    elif a == b:
                        day_first = True
                    else:
                        return _AMBIGUOUS, 0.0
                d, mo = (a, b) if day_first else (b, a)
                return _build(y, mo, d, match.groups()[3:])
        except ValueError as exc:
            self.reasons[raw] = str(exc)
            return _BAD, 0.0
        return _BAD, 0.0


class _Numbering(dict):
    """value -> 0, 1, 2 ... in order of first sight."""

    def __missing__(self, value: str) -> int:
        self[value] = number = len(self)
        return number


def _few_dates(col: Sequence[str], cache: _DateCache) -> tuple[bytes, bytes] | None:
    """(kinds, seconds as native doubles) for a column of at most 256 distinct
    values (bare dates: order days repeat), with one C-level ``map``: each row
    gets a one-byte number, and ``translate`` turns the numbers into kinds and
    into each of the 8 bytes of the seconds. None for more distinct values."""
    numbering = _Numbering()
    try:
        numbers = bytes(map(numbering.__getitem__, col))
    except ValueError:  # a 257th distinct value
        return None
    distinct = list(numbering)
    pad = bytes(256 - len(distinct))
    kinds = numbers.translate(bytes(map(cache.kinds.__getitem__, distinct)) + pad)
    doubles = array("d", map(cache.__getitem__, distinct)).tobytes()
    seconds = bytearray(8 * len(numbers))
    for k in range(8):
        seconds[k::8] = numbers.translate(doubles[k::8] + pad)
    return kinds, bytes(seconds)


def _fast_iso(col: Sequence[str], datetimes: bool = True) -> tuple[bytes, array] | None:
    """The whole column at once when it holds only ISO values (and blanks).

    Values all written alike are read with numpy (``iso_columns``); otherwise,
    if ``datetimes``, with one C-level ``map`` of ``datetime.fromisoformat``.
    Returns None when any value is not a plain ISO value of one kind; the
    caller then uses the per-value parser, which also explains bad values.
    Empty cells get kind NONE and 0.0 seconds.
    """
    n = len(col)
    blanks = col.count("")
    if blanks == n:
        return None
    holes: list[int] = []
    present = b""
    if blanks * 4 <= n:
        # Mostly filled: the blanks borrow a value so the column parses in one
        # go, and are zeroed after (found with list.index: no pass per cell).
        values: Sequence[str] = col
        at = -1
        for _ in range(blanks):
            at = col.index("", at + 1)
            holes.append(at)
        if holes:
            filled = list(col)
            filler = next(filter(None, col))
            for at in holes:
                filled[at] = filler
            values = filled
    else:  # mostly empty: parse only the values, then place them
        present = bytes(map(bool, col))
        values = list(compress(col, present))
    parsed = parse_iso_column(values) or (_parse_datetimes(values) if datetimes else None)
    if parsed is None:
        return None
    kind, seconds = parsed
    if present:
        spread = array("d", bytes(8 * n))
        for i, value in zip(compress(range(n), present), seconds, strict=True):
            spread[i] = value
        return present.translate(bytes([0, kind]) + bytes(254)), spread
    kinds = bytearray([kind]) * n
    for at in holes:
        kinds[at] = NONE
        seconds[at] = 0.0
    return bytes(kinds), seconds


def _parse_datetimes(values: Sequence[str]) -> tuple[int, array] | None:
    """(kind, seconds) of ISO date-times of one kind, written in any way Python reads."""
    try:
        moments = list(map(datetime.fromisoformat, values))
    except ValueError:
        return None
    if moments[0].utcoffset() is not None:
        kind, epoch = AWARE, _EPOCH_AWARE
    elif min(map(len, values)) > 10:
        kind, epoch = NAIVE, _EPOCH_NAIVE
    else:  # the general parser reads 10 characters or fewer as a bare date
        return None
    try:
        # Subtracting the epoch refuses a column that mixes naive and aware values.
        return kind, array("d", map(timedelta.total_seconds, map(sub, moments, repeat(epoch))))
    except TypeError:
        return None  # the per-value parser sorts the mix out


# --------------------------------------------------------------------------
# Other values
# --------------------------------------------------------------------------

_TRUE = {"true", "yes", "y", "1", "是", "t", "x"}
_FALSE = {"false", "no", "n", "0", "否", "f", ""}


class _BoolCache(dict):
    def __missing__(self, raw: str) -> int:
        text = raw.strip().lower()
        value = 1 if text in _TRUE else 0 if text in _FALSE else _BAD
        self[raw] = value
        return value


class _Intern(dict):
    """raw text -> one shared copy of it stripped (up to 100,000 distinct texts)."""

    def __missing__(self, raw: str) -> str:
        text = raw.strip()
        if len(self) < 100_000:
            self[raw] = self.setdefault(text, text)
        return self.get(raw, text)


class _CancellerCache(dict):
    _WORDS = {"seller": 1, "buyer": 2, "platform": 3, "卖家": 1, "买家": 2, "平台": 3,
              "customer": 2, "marketplace": 3, "": 0}

    def __missing__(self, raw: str) -> int:
        value = self._WORDS.get(raw.strip().lower(), _BAD)
        self[raw] = value
        return value


# --------------------------------------------------------------------------
# The table
# --------------------------------------------------------------------------


@dataclass
class DateColumn:
    """One date field for every order: ``kinds`` (NONE/DATE/NAIVE/AWARE per order)
    and ``seconds`` (UTC epoch for AWARE, wall-clock epoch for the others)."""

    kinds: bytearray = field(default_factory=bytearray)
    seconds: array = field(default_factory=lambda: array("d"))

    def value(self, i: int) -> When:
        return decode_when(self.kinds[i], self.seconds[i])


class OrderTable(Sequence[Order]):
    """Orders kept column-wise; indexing or iterating gives ``Order`` records."""

    def __init__(self, n: int = 0) -> None:
        self.order_id: list[str] = []
        self.dates: dict[str, DateColumn] = {f: DateColumn() for f in DATE_FIELDS}
        self.text: dict[str, list[str]] = {f: [] for f in TEXT_FIELDS}
        self.flags: dict[str, bytearray] = {f: bytearray() for f in BOOL_FIELDS}
        self.cancelled_by = bytearray()

    def __len__(self) -> int:
        return len(self.order_id)

    @overload
    def __getitem__(self, i: int) -> Order: ...

    @overload
    def __getitem__(self, i: slice) -> list[Order]: ...

    def __getitem__(self, i: int | slice) -> Order | list[Order]:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        if i < 0:
            i += len(self)
        values: dict[str, Any] = {"order_id": self.order_id[i]}
        for name, dates in self.dates.items():
            values[name] = dates.value(i)
        for name, texts in self.text.items():
            values[name] = texts[i]
        for name, flags in self.flags.items():
            values[name] = bool(flags[i])
        values["cancelled_by"] = CANCELLERS[self.cancelled_by[i]]
        return Order(**values)

    def __iter__(self) -> Iterator[Order]:
        return (self[i] for i in range(len(self)))

    def index_of(self) -> dict[str, int]:
        return {oid: i for i, oid in enumerate(self.order_id)}

    def keep(self, mask: bytes) -> None:
        """Keep only the rows whose byte in ``mask`` is non-zero."""
        self.order_id = list(compress(self.order_id, mask))
        for col in self.dates.values():
            col.kinds = bytearray(compress(col.kinds, mask))
            col.seconds = array("d", compress(col.seconds, mask))
        for name in TEXT_FIELDS:
            self.text[name] = list(compress(self.text[name], mask))
        for name in BOOL_FIELDS:
            self.flags[name] = bytearray(compress(self.flags[name], mask))
        self.cancelled_by = bytearray(compress(self.cancelled_by, mask))

    @classmethod
    def from_orders(cls, orders: Iterable[Order]) -> OrderTable:
        table = cls()
        for order in orders:
            table.append(order)
        return table

    def append(self, order: Order) -> None:
        self.order_id.append(order.order_id)
        for name, col in self.dates.items():
            value = getattr(order, name)
            kind, seconds = _encode(value) if value is not None else (NONE, 0.0)
            col.kinds.append(kind)
            col.seconds.append(seconds)
        for name in TEXT_FIELDS:
            self.text[name].append(getattr(order, name) or "")
        for name in BOOL_FIELDS:
            self.flags[name].append(1 if getattr(order, name) else 0)
        self.cancelled_by.append(CANCELLERS.index((order.cancelled_by or "").lower()))


@dataclass
class ImportResult:
    orders: OrderTable
    bad_rows: list[tuple[int, str]]
    format: str  # generic | <policy id> | mapped:<name>
    rows: int  # data rows read (good + bad)
    files: list[str] = field(default_factory=list)
    merged: int = 0  # rows that were another line of an order already seen


# --------------------------------------------------------------------------
# Reading a file
# --------------------------------------------------------------------------


Mapping = dict[str, tuple[str, ...]]
Progress = Callable[[float], None]


def _norm_header(text: str) -> str:
    return text.strip().strip("\ufeff").strip('"').strip().lower()


def _detect_encoding(head: bytes) -> str:
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        decoder.decode(head, final=False)
        return "utf-8"
    except UnicodeDecodeError:
        return "gb18030"


def _detect_delimiter(header_line: str) -> str:
    counts = {d: header_line.count(d) for d in (",", "\t", ";")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _choose_columns(
    headers: list[str], mappings: Sequence[tuple[str, Mapping]]
) -> tuple[str, dict[str, int]]:
    """Which format the header row is, and the column index feeding each field."""
    normal = [_norm_header(h) for h in headers]
    position: dict[str, int] = {}
    for i, h in enumerate(normal):
        position.setdefault(h, i)
    if "order_id" in position and sum(f in position for f in GENERIC_COLUMNS) >= 2:
        return "generic", {f: position[f] for f in GENERIC_COLUMNS if f in position}
    best: tuple[str, dict[str, int]] | None = None
    for name, mapping in mappings:
        chosen = {}
        for fld, aliases in mapping.items():
            if fld not in GENERIC_COLUMNS:
                continue
            for alias in aliases:
                idx = position.get(_norm_header(alias))
                if idx is not None:
                    chosen[fld] = idx
                    break
        better = best is None or len(chosen) > len(best[1])
        if "order_id" in chosen and len(chosen) >= 2 and better:
            best = (name, chosen)
    if best is None:
        shown = ", ".join(h for h in headers[:6] if h.strip()) or _("none")
        raise ReportError(
            _("not an order report: no order id column among its headers ({headers}); "
              "use the generic CSV headers or add a [report_columns] mapping").format(headers=shown)
        )
    return best


class _Reader:
    """Turns one file into an OrderTable, chunk by chunk, column by column."""

    def __init__(self, columns: dict[str, int], ncols: int, header_line: int):
        self.columns = columns
        self.ncols = ncols
        self.table = OrderTable()
        self.bad: dict[int, tuple[int, str]] = {}  # row index -> (line, reason)
        self.blank: list[int] = []
        self.pending: list[tuple[int, int, str, str]] = []  # row, line, field, raw
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
                if not oid and base + i not in blank:
                    self._mark(base + i, line_of(i), _("has no order id"))
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
        t = self.table
        drop = set(self.bad) | set(self.blank)
        if drop:
            mask = bytearray(b"\x01") * len(t.order_id)
            for i in drop:
                mask[i] = 0
            t.keep(bytes(mask))
        return t, sorted(self.bad.values())

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
    start = state.line
    reader = csv.reader(chain(io.StringIO(rest, newline=""), text), delimiter=delimiter)
    try:
        while True:
            rows = list(islice(reader, CHUNK_ROWS))
            if not rows:
                break
            state.add_chunk(rows, start + reader.line_num)
            tick()
    except csv.Error as exc:
        raise ReportError(_("{name}, line {line}: {error}").format(
            name=name, line=start + reader.line_num, error=exc)) from None


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
    """The ``wanted`` columns of ``body`` (the others empty) when every line has
    exactly ``ncols`` fields, else None.

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


# .xlsx (a ZIP) and .xls (an OLE compound file): what ERP "exports" often are.
_SPREADSHEET_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")


def _open_text(path: Path) -> tuple[io.BufferedReader, io.TextIOWrapper, str]:
    raw = open(path, "rb")  # noqa: SIM115 — closed by the caller
    head = raw.read(1 << 20)
    raw.seek(0)
    if head.startswith(_SPREADSHEET_MAGIC):
        raw.close()
        raise ReportError(_(
            "{name} is an Excel workbook, not a CSV: open it in Excel or WPS and save it as "
            "CSV (UTF-8 or GB18030), then import the CSV").format(name=path.name))
    if b"\x00" in head and not head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raw.close()
        raise ReportError(_("{name} is not a text report (it holds binary data)").format(
            name=path.name))
    encoding = _detect_encoding(head)
    return raw, io.TextIOWrapper(raw, encoding=encoding, newline=""), encoding


def import_report(
    path: Path | str,
    mappings: Sequence[tuple[str, Mapping]] = (),
    *,
    progress: Progress | None = None,
) -> ImportResult:
    """Read one report file. ``mappings`` are (format name, field -> headers)."""
    path = Path(path)
    if not path.is_file():
        raise ReportError(_("no such file: {path}").format(path=path))
    # Millions of short-lived row lists would make the cyclic collector rescan
    # everything again and again (quadratic); nothing here makes cycles.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _import(path, mappings, progress, None)
    except UnicodeDecodeError:
        # The first megabyte looked like UTF-8 but the rest is not: GB18030.
        return _import(path, mappings, progress, "gb18030")
    finally:
        if collecting:
            gc.enable()


def _import(
    path: Path, mappings: Sequence[tuple[str, Mapping]], progress: Progress | None,
    force_encoding: str | None,
) -> ImportResult:
    raw, text, encoding = _open_text(path)
    if force_encoding:
        text = io.TextIOWrapper(raw, encoding=force_encoding, newline="")
    size = max(1, path.stat().st_size)
    try:
        first = text.readline()
        while first and not first.strip():
            first = text.readline()
        if not first.strip():
            raise ReportError(_("{name} is empty").format(name=path.name))
        header_line = 1
        delimiter = _detect_delimiter(first)
        headers = next(csv.reader([first], delimiter=delimiter))
        fmt, columns = _choose_columns(headers, mappings)
        csv.field_size_limit(MAX_FIELD)
        reader_state = _Reader(columns, len(headers), header_line)

        def tick() -> None:
            if progress:
                progress(min(1.0, raw.tell() / size))

        _read_rows(text, delimiter, reader_state, tick, path.name)
        table, bad = reader_state.finish()
    finally:
        text.close()
    if progress:
        progress(1.0)
    merged = _dedupe(table)
    return ImportResult(table, bad, fmt, reader_state.rows, [path.name], merged)


# --------------------------------------------------------------------------
# Several lines of one order, several files of one store
# --------------------------------------------------------------------------


def _merge_into(target: Order, other: Order) -> None:
    """Fill what ``target`` lacks from ``other``; flags are true if any line says so."""
    for f in fields(Order):
        mine, theirs = getattr(target, f.name), getattr(other, f.name)
        if isinstance(mine, bool):
            setattr(target, f.name, mine or theirs)
        elif mine in (None, "") and theirs not in (None, ""):
            setattr(target, f.name, theirs)


def _all_distinct(values: Sequence[str]) -> bool:
    """Whether no value repeats. Distinct hashes prove it, and sorting a million
    hashes is twice as fast as filling a million-entry set; a repeated hash
    (a repeated value, or rarely a collision) is settled with the set."""
    import numpy as np

    hashes = np.fromiter(map(hash, values), dtype=np.int64, count=len(values))
    hashes.sort()
    if not (hashes[1:] == hashes[:-1]).any():
        return True
    return len(set(values)) == len(values)


def _dedupe(table: OrderTable) -> int:
    """Merge rows sharing an order id (an order with several items); returns rows merged."""
    if _all_distinct(table.order_id):
        return 0
    merged: dict[str, Order] = {}
    for order in table:
        seen = merged.get(order.order_id)
        if seen is None:
            merged[order.order_id] = order
        else:
            _merge_into(seen, order)
    rebuilt = OrderTable.from_orders(merged.values())
    count = len(table) - len(rebuilt)
    table.__dict__.update(rebuilt.__dict__)
    return count


def merge_results(results: Sequence[ImportResult]) -> ImportResult:
    """Several reports of one store as one: orders merged by order id, in file order."""
    if len(results) == 1:
        return results[0]
    merged: dict[str, Order] = {}
    bad: list[tuple[int, str]] = []
    for result in results:
        for order in result.orders:
            seen = merged.get(order.order_id)
            if seen is None:
                merged[order.order_id] = order
            else:
                _merge_into(seen, order)
        name = result.files[0] if result.files else ""
        bad.extend((line, f"{name}: {reason}") for line, reason in result.bad_rows)
    formats = sorted({r.format for r in results})
    return ImportResult(
        OrderTable.from_orders(merged.values()), bad, "+".join(formats),
        sum(r.rows for r in results), [f for r in results for f in r.files],
        sum(r.merged for r in results),
    )


def import_reports(
    paths: Sequence[Path | str],
    mappings: Sequence[tuple[str, Mapping]] = (),
    *,
    progress: Progress | None = None,
) -> ImportResult:
    """Read and merge several reports; raises ReportError on the first unreadable file."""
    results = []
    for n, path in enumerate(paths):
        def part(fraction: float, n: int = n) -> None:
            if progress:
                progress((n + fraction) / len(paths))

        results.append(import_report(path, mappings, progress=part))
    if not results:
        raise ReportError(_("no report given"))
    return merge_results(results)


def mappings_for(policy: Any = None, config: dict[str, Any] | None = None,
                 others: Iterable[Any] = ()) -> list[tuple[str, Mapping]]:
    """The column mappings to try: the policy's, the user's named ones, then other policies'."""
    out: list[tuple[str, Mapping]] = []
    if policy is not None and policy.report_columns:
        out.append((policy.id, dict(policy.report_columns)))
    user = (config or {}).get("report_columns", {})
    if isinstance(user, dict):
        for name, table in user.items():
            if isinstance(table, dict):
                mapping = {k: tuple(v) if isinstance(v, list) else (str(v),)
                           for k, v in table.items()}
                out.append((f"mapped:{name}", mapping))
    for other in others:
        if other is not policy and other.report_columns:
            out.append((other.id, dict(other.report_columns)))
    return out
