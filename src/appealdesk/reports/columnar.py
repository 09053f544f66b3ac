"""The columnar path: a large UTF-8 report read by DuckDB.

DuckDB (imported here, when a large report is read, never at start-up) reads
the file on every core (on one when the machine is already busy) and turns
each date, yes/no and canceller cell into small numbers in C++ (the SQL is in
``columnar_sql``); only the order ids become Python strings at once. The text
fields are read when first used, in one more pass per group (``TextColumns``):
the texts whose values metrics read, and those only shown (tracking numbers,
carriers, SKUs ...), so ``appealdesk metrics`` makes no string it does not
print. A file changed in between is refused, not mixed.

It takes a file only when it can give exactly what the per-cell reader
(``reader``) would:

* UTF-8 text, csv rules DuckDB reads strictly (a field count that differs, a
  stray quote or a blank line makes it refuse), one row per line (a quoted
  line break may be a stray quote's run of rows: ``quotes`` explains those);
* dates written in ISO 8601 as ``2026-11-03``, ``2026-11-03 10:00[:00[.fff]]``
  (or ``.ffffff``) or with ``T``, optionally with ``Z`` or ``+hh:mm`` — mixed
  freely within a column;
* yes/no and canceller cells among the words the per-cell reader knows; every
  order id present.

Anything else — a bad row, a year-last or Chinese date, another encoding —
and it returns None: the per-cell reader then reads the whole file, with its
line-numbered bad rows, ambiguity rule and GB18030 handling. So the two paths
cannot disagree on what a file says (tests/test_reports_columnar.py compares
them on random messy rows).
"""

from __future__ import annotations

import operator
import os
from array import array
from functools import partial
from pathlib import Path
from typing import Any

from appealdesk.i18n import _
from appealdesk.reports.columnar_sql import (
    BOOL_CODE,
    BOOL_WORDS,
    CANCELLER_CODE,
    CANCELLER_WORDS,
    KIND_BY_SHAPE,
    NO_VALUE,
    date_exprs,
    filled_expr,
    ordered_plan,
    quote,
    word_expr,
)
from appealdesk.reports.table import (
    BOOL_FIELDS,
    DATE_FIELDS,
    TEXT_FIELDS,
    OrderTable,
    ReportError,
)

# Smaller files are read faster than DuckDB can be imported.
MIN_BYTES = 8 << 20

# Text fields with few distinct values come back as hashes (no string per row).
_FEW = ("carrier", "sku", "return_reason", "order_status", "fulfillment_channel", "listing")
_MAX_DISTINCT = 200_000
# The texts metrics read (Evaluation.matching, the "returned" fact).
VALUE_TEXTS = ("order_status", "fulfillment_channel", "return_reason")


class _Source:
    """One CSV file as DuckDB reads it: every column as text, nothing guessed."""

    def __init__(self, path: Path, ncols: int, header_line: int, delimiter: str) -> None:
        self.path = path
        self.names = [f"c{i}" for i in range(ncols)]
        spec = "{" + ", ".join(f"'{n}': 'VARCHAR'" for n in self.names) + "}"
        self.sql = (f"read_csv({quote(str(path))}, delim={quote(delimiter)}, quote='\"', "
                    f"escape='\"', header=false, skip={header_line}, columns={spec}, "
                    f"auto_detect=false, strict_mode=true, null_padding=false, "
                    f"max_line_size={1 << 21})")
        self.stamp = _stamp(path)

    def fetch(self, select: list[str]) -> dict[str, Any] | None:
        """The columns of ``select`` for every row, in file order (numpy arrays);
        None when DuckDB will not read the file strictly."""
        import duckdb

        sql = f"SELECT {', '.join(select)} FROM {self.sql}"
        # No progress bar: DuckDB would draw one on standard output (and break --json).
        con = duckdb.connect(config={"threads": _threads()})
        try:
            con.execute("SET enable_progress_bar = false")
            con.execute("SET TimeZone = 'UTC'")
            if not ordered_plan(con, sql):
                con.execute("SET threads = 1")  # one thread keeps file order
            return con.execute(sql).fetchnumpy()
        except duckdb.Error:
            return None  # what DuckDB will not read strictly, the per-cell reader explains
        finally:
            con.close()

    def distinct(self, columns: list[int]) -> list[list[str]] | None:
        import duckdb

        con = duckdb.connect()
        try:
            con.execute("SET enable_progress_bar = false")
            row = con.execute("SELECT " + ", ".join(
                f"list(DISTINCT coalesce({self.names[i]}, ''))" for i in columns)
                + f" FROM {self.sql}").fetchone()
            return list(row) if row else None
        except duckdb.Error:
            return None
        finally:
            con.close()


def read_columnar(
    path: Path, columns: dict[str, int], ncols: int, header_line: int, delimiter: str,
    encoding: str,
) -> tuple[OrderTable, int, bool] | None:
    """(table, data rows, whether its order ids are known to be distinct) when
    DuckDB can read the file exactly; None otherwise.
    Text fields are read later, when first used (``TextColumns``)."""
    if encoding not in ("utf-8", "utf-8-sig") or ncols < 2:
        return None
    try:
        import duckdb  # noqa: F401 — only to know it is there
    except ImportError:
        return None
    src = _Source(path, ncols, header_line, delimiter)
    col = {f: src.names[i] for f, i in columns.items()}
    select = [f"coalesce({col['order_id']}, '') AS order_id",
              f"hash(coalesce({col['order_id']}, '')) AS h_order_id"]
    for name in DATE_FIELDS:
        if name in columns:
            select += date_exprs(col[name], name)
    for name in BOOL_FIELDS:
        if name in columns:
            select.append(word_expr(col[name], BOOL_WORDS, f"b_{name}"))
        elif name == "tracking_valid" and "tracking_number" in columns:
            select.append(filled_expr(col["tracking_number"], f"b_{name}"))
    if "cancelled_by" in columns:
        select.append(word_expr(col["cancelled_by"], CANCELLER_WORDS, "cancelled_by"))
    data = src.fetch(select)
    if data is None:
        return None
    made = _table(data, columns)
    if made is None:
        return None
    table, n, distinct = made
    if n != _data_lines(path, header_line):
        return None  # a quoted line break: maybe a stray quote's run (``quotes``)
    blank = [""] * n  # one list for every field without a column (never changed in place)
    for name in TEXT_FIELDS:
        table.text[name] = [] if name in columns else blank
    # Two groups, each read in one more pass when first used: the texts whose
    # values metrics read, and those only shown (tracking numbers, SKUs ...).
    for group in (VALUE_TEXTS, tuple(f for f in TEXT_FIELDS if f not in VALUE_TEXTS)):
        texts = [f for f in group if f in columns]
        if texts:
            table.text.defer(texts, partial(_texts, src, columns, texts, n))
    return table, n, distinct


def _table(data: dict, columns: dict[str, int]) -> tuple[OrderTable, int, bool] | None:
    import numpy as np

    raw = data.pop("order_id").tolist()
    ids = list(map(str.strip, raw))
    n = len(ids)
    if n == 0 or "" in ids:
        return None
    # Distinct ids, as ``merge._dedupe`` asks, told by DuckDB's hashes (sorted
    # in C) when no id had spaces to strip; unsure is "not known".
    hashes = np.sort(np.asarray(data.pop("h_order_id"), dtype=np.uint64))
    distinct = all(map(operator.is_, ids, raw)) and not (hashes[1:] == hashes[:-1]).any()
    del raw, hashes
    t = OrderTable()
    t.order_id = ids
    kind_of = np.frombuffer(KIND_BY_SHAPE, dtype=np.uint8)
    for name in DATE_FIELDS:
        col = t.dates[name]
        if name not in columns:
            col.kinds = bytearray(n)
            col.seconds = array("d", bytes(8 * n))
            continue
        kinds = kind_of[np.asarray(data.pop(f"k_{name}"), dtype=np.uint8)]
        micros = np.asarray(data.pop(f"us_{name}"), dtype=np.int64)
        empty = kinds == 0
        if (kinds == 255).any() or (micros[~empty] == NO_VALUE).any():
            return None
        micros[empty] = 0
        seconds = micros / 1e6  # int64 -> double is exact below 2**53: one rounding
        del micros
        col.kinds = bytearray(kinds.data)
        col.seconds = array("d")
        col.seconds.frombytes(seconds.data.cast("B"))
    bool_code = np.frombuffer(BOOL_CODE, dtype=np.uint8)
    for name in BOOL_FIELDS:
        key = f"b_{name}"
        if key not in data:
            t.flags[name] = bytearray(n)
            continue
        raw = np.asarray(data.pop(key), dtype=np.uint8)
        flags = raw if name not in columns else bool_code[raw]
        if (flags == 255).any():
            return None
        t.flags[name] = bytearray(flags.data)
    if "cancelled_by" in columns:
        codes = np.frombuffer(CANCELLER_CODE, dtype=np.uint8)[
            np.asarray(data.pop("cancelled_by"), dtype=np.uint8)]
        if (codes == 255).any():
            return None
        t.cancelled_by = bytearray(codes.data)
    else:
        t.cancelled_by = bytearray(n)
    return t, n, distinct


def _texts(src: _Source, columns: dict[str, int], names: list[str], n: int,
           ) -> dict[str, list[str]]:
    """Text fields, read when first used: one shared, stripped string per
    distinct value (DuckDB gives a hash per row), tracking numbers one by one."""
    changed = ReportError(_("{name} changed while it was being read; read it again").format(
        name=src.path.name))
    if not src.path.exists() or src.stamp != _stamp(src.path):
        raise changed
    few = [f for f in names if f in _FEW]
    found = src.distinct([columns[f] for f in few]) if few else []
    if found is None:
        raise changed
    distinct = {f: v for f, v in zip(few, found, strict=True) if len(v) <= _MAX_DISTINCT}
    select = [f"hash(coalesce({src.names[columns[f]]}, '')) AS h_{f}" if f in distinct
              else f"coalesce({src.names[columns[f]]}, '') AS t_{f}" for f in names]
    data = src.fetch(select)
    if data is None:
        raise changed
    out: dict[str, list[str]] = {}
    shared: dict[str, str] = {}
    for name in names:
        if name in distinct:
            values = distinct[name]
            stripped = [shared.setdefault(v.strip(), v.strip()) for v in values]
            by_hash = dict(zip(_hashes(values), stripped, strict=True))
            if len(by_hash) == len(values):
                try:
                    out[name] = list(map(by_hash.__getitem__, data.pop(f"h_{name}").tolist()))
                except KeyError:  # a value the first pass did not see: the file was replaced
                    raise changed from None
                continue
            # two texts, one hash: read them one by one
            got = src.fetch([f"coalesce({src.names[columns[name]]}, '') AS t_{name}"])
            if got is None:
                raise changed
            data.update(got)
        texts = data.pop(f"t_{name}").tolist()
        strip = str.strip if name == "tracking_number" else (
            lambda v: shared.setdefault(v.strip(), v.strip()))
        out[name] = list(map(strip, texts))
    if any(len(v) != n for v in out.values()):
        raise changed
    return out


def _threads() -> int:
    """Every core on an idle machine; one when the machine is already busy
    (measured: two DuckDB threads on two busy cores took 1.7x the wall time
    of one, waiting on each other)."""
    cores = os.cpu_count() or 1
    try:
        busy = os.getloadavg()[0] >= cores
    except (AttributeError, OSError):  # no load average on this system
        busy = False
    return 1 if busy else cores


def _data_lines(path: Path, header_line: int) -> int:
    """The lines after the header (a last one without a line break counts)."""
    lines, last = 0, b"\n"
    with path.open("rb") as f:
        while block := f.read(1 << 24):
            lines += block.count(b"\n")
            last = block[-1:]
    return lines + (last != b"\n") - header_line


def _stamp(path: Path) -> tuple[int, int]:
    stat = path.stat()
    return stat.st_size, stat.st_mtime_ns


def _hashes(values: list[str]) -> list[int]:
    import duckdb

    if not values:
        return []
    con = duckdb.connect()
    try:
        row = con.execute("SELECT list(hash(v)) FROM unnest(?::VARCHAR[]) AS t(v)",
                          [values]).fetchone()
    finally:
        con.close()
    assert row is not None  # an aggregate without GROUP BY gives one row
    return list(row[0])


__all__ = ["MIN_BYTES", "read_columnar"]
