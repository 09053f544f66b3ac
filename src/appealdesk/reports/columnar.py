"""The columnar path: a large, clean UTF-8 report read by DuckDB in one pass.

DuckDB (imported here, when a large report is read, never at start-up) splits
the file on every core and turns each date, yes/no and canceller cell into
numbers in C++; only the order ids and texts become Python strings. It takes a
file only when it can give exactly what the per-cell reader (``reader``) would:

* UTF-8 text, csv rules DuckDB reads strictly (a field count that differs, a
  stray quote or a blank line makes it refuse);
* dates written in ISO 8601 as ``2026-11-03``, ``2026-11-03 10:00[:00[.ffffff]]``
  or with ``T``, optionally with ``Z`` or ``+hh:mm`` — mixed freely within a
  column;
* yes/no and canceller cells among the words the per-cell reader knows; every
  order id present.

Anything else — a bad row, a year-last or Chinese date, another encoding —
and it returns None: the per-cell reader then reads the whole file, with its
line-numbered bad rows, ambiguity rule and GB18030 handling. So the two paths
cannot disagree on what a file says (tests/test_reports_columnar.py compares
them on random messy rows).
"""

from __future__ import annotations

from array import array
from pathlib import Path

from appealdesk.cases.clock import SANE_FIRST_YEAR, SANE_LAST_YEAR
from appealdesk.reports.cells import _CancellerCache
from appealdesk.reports.dates import AWARE, DATE, NAIVE
from appealdesk.reports.table import (
    BOOL_FIELDS,
    DATE_FIELDS,
    TEXT_FIELDS,
    OrderTable,
)

# Smaller files are read faster than DuckDB can be imported.
MIN_BYTES = 8 << 20

_TRUE = ("true", "yes", "y", "1", "是", "t", "x")
_FALSE = ("false", "no", "n", "0", "否", "f", "")
# Text fields with few distinct values come back as hashes (no string per row).
_FEW = ("carrier", "sku", "return_reason", "order_status", "fulfillment_channel", "listing")
_MAX_DISTINCT = 200_000


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _words(words) -> str:
    return ", ".join(_quote(w) for w in words)


def _kind_expr(v: str) -> str:
    """The kind of an ISO value; 255: not one this path reads exactly as the
    per-cell reader would. DuckDB's casts are lenient (a TIMESTAMP cast drops an
    offset or a trailing "UTC" and takes 24:00), so the shape is checked first
    with a few cheap character tests (each costs a pass over the column)."""
    last = f"right({v}, 1)"
    return (f"CASE WHEN {v} = '' THEN 0 "
            f"WHEN substr({v}, 1, 4) NOT BETWEEN '{SANE_FIRST_YEAR}' AND '{SANE_LAST_YEAR}' "
            f"THEN 255 "  # a year 9999 or 0001: the per-cell reader makes it a bad row
            f"WHEN length({v}) = 10 THEN CASE WHEN substr({v}, 5, 1) = '-' "
            f"AND TRY_CAST({v} AS DATE) IS NOT NULL THEN {DATE} ELSE 255 END "
            f"WHEN substr({v}, 11, 1) NOT IN ('T', ' ') OR substr({v}, 12, 2) > '23' "
            f"OR length({v}) > 32 THEN 255 "
            f"WHEN {last} = 'Z' OR substr({v}, length({v}) - 2, 3) SIMILAR TO ':[0-9][0-9]' "
            f"AND substr({v}, length({v}) - 5, 1) IN ('+', '-') THEN "
            f"CASE WHEN TRY_CAST({v} AS TIMESTAMPTZ) IS NOT NULL THEN {AWARE} ELSE 255 END "
            # An offset without a colon ("+0800") ends in a digit too; the TIMESTAMP cast
            # would drop it, so a sign after the date leaves the value to the per-cell reader.
            f"WHEN {last} BETWEEN '0' AND '9' AND length({v}) <= 26 "
            f"AND strpos(substr({v}, 12), '+') = 0 AND strpos(substr({v}, 12), '-') = 0 "
            f"AND TRY_CAST({v} AS TIMESTAMP) IS NOT NULL THEN {NAIVE} ELSE 255 END")


def _seconds_expr(v: str, k: str) -> str:
    return (f"CASE {k} WHEN {DATE} THEN epoch(TRY_CAST({v} AS DATE))::DOUBLE "
            f"WHEN {NAIVE} THEN epoch(TRY_CAST({v} AS TIMESTAMP)) "
            f"WHEN {AWARE} THEN epoch(TRY_CAST({v} AS TIMESTAMPTZ)) ELSE 0.0 END")


def _bool_expr(col: str, name: str) -> str:
    v = f"lower(trim(coalesce({col}, '')))"
    return (f"(CASE WHEN {v} IN ({_words(_TRUE)}) THEN 1 WHEN {v} IN ({_words(_FALSE)}) "
            f"THEN 0 ELSE 255 END)::UTINYINT AS b_{name}")


def _canceller_expr(col: str) -> str:
    v = f"lower(trim(coalesce({col}, '')))"
    cases = " ".join(f"WHEN {v} = {_quote(w)} THEN {c}"
                     for w, c in _CancellerCache._WORDS.items())
    return f"(CASE {cases} ELSE 255 END)::UTINYINT AS cancelled_by"


def worth_it(path: Path, header_line: int, delimiter: str, date_columns: list[int]) -> bool:
    """Whether a file is messy enough for DuckDB to pay: the per-cell reader is
    as fast on plain text (no quotes) whose date columns are each written one
    way — it splits those in C and reads the dates with numpy. Judged on the
    first megabyte."""
    with open(path, "rb") as f:
        head = f.read(1 << 20)
    if b'"' in head:
        return True  # the per-cell reader would go through csv.reader from here on
    lines = head.decode("utf-8", "ignore").splitlines()[header_line:-1]
    for idx in date_columns:
        shapes = set()
        for line in lines:
            cells = line.split(delimiter)
            if idx < len(cells) and cells[idx]:
                value = cells[idx]
                shapes.add((len(value), value[10:11]))
                if len(shapes) > 1:
                    return True  # layouts mixed within a column
    return False


def read_columnar(
    path: Path, columns: dict[str, int], ncols: int, header_line: int, delimiter: str,
    encoding: str,
) -> tuple[OrderTable, int] | None:
    """(table, data rows) when DuckDB can read the file exactly; None otherwise."""
    if encoding not in ("utf-8", "utf-8-sig") or ncols < 2:
        return None
    try:
        import duckdb
    except ImportError:
        return None
    names = [f"c{i}" for i in range(ncols)]
    spec = "{" + ", ".join(f"'{n}': 'VARCHAR'" for n in names) + "}"
    src = (f"read_csv({_quote(str(path))}, delim={_quote(delimiter)}, quote='\"', "
           f"escape='\"', header=false, skip={header_line}, columns={spec}, "
           f"auto_detect=false, strict_mode=true, null_padding=false, "
           f"max_line_size={1 << 21})")
    raw = ", ".join(f"coalesce({names[i]}, '') AS v_{f}" for f, i in columns.items())
    inner = f"(SELECT {raw} FROM {src})"
    few = [f for f in _FEW if f in columns]
    mid = ["v_order_id"]
    outer = ["v_order_id AS order_id"]
    for name in DATE_FIELDS:
        if name in columns:
            mid += [f"v_{name}", f"({_kind_expr(f'v_{name}')})::UTINYINT AS k_{name}"]
            outer += [f"k_{name}", f"({_seconds_expr(f'v_{name}', f'k_{name}')})::DOUBLE "
                                   f"AS s_{name}"]
    for name in BOOL_FIELDS:
        if name in columns:
            mid.append(_bool_expr(f"v_{name}", name))
            outer.append(f"b_{name}")
    if "cancelled_by" in columns:
        mid.append(_canceller_expr("v_cancelled_by"))
        outer.append("cancelled_by")
    for name in TEXT_FIELDS:
        if name in columns:
            mid.append(f"v_{name}")
            outer.append(f"hash(v_{name}) AS h_{name}" if name in few
                         else f"v_{name} AS t_{name}")
    sql = f"SELECT {', '.join(outer)} FROM (SELECT {', '.join(mid)} FROM {inner})"
    # One thread: with more, DuckDB 2.0 returned the rows of this query out of
    # file order (seen on a 100,000-row file), and file order is part of the result.
    # No progress bar: DuckDB would draw one on standard output (and break --json).
    con = duckdb.connect(config={"threads": 1})
    try:
        con.execute("SET enable_progress_bar = false")
        distinct: dict[str, tuple[list[str], list[int]]] = {}
        if few:
            lists = con.execute("SELECT " + ", ".join(
                f"list(DISTINCT coalesce({names[columns[f]]}, ''))" for f in few)
                + f" FROM {src}").fetchone()
            for name, values in zip(few, lists or [[] for _ in few], strict=True):
                if len(values) > _MAX_DISTINCT:
                    return None
                hashes: list[int] = []
                if values:
                    row = con.execute("SELECT list(hash(v)) FROM unnest(?::VARCHAR[]) AS t(v)",
                                      [values]).fetchone()
                    assert row is not None  # an aggregate without GROUP BY gives one row
                    hashes = row[0]
                distinct[name] = (values, hashes)
        data = con.execute(sql).fetchnumpy()
    except duckdb.Error:
        return None  # what DuckDB will not read strictly, the per-cell reader explains
    finally:
        con.close()
    return _table(data, columns, distinct)


def _table(data: dict, columns: dict[str, int],
           distinct: dict[str, tuple[list[str], list[int]]]) -> tuple[OrderTable, int] | None:
    import numpy as np

    ids = list(map(str.strip, data.pop("order_id").tolist()))
    n = len(ids)
    if n == 0 or "" in ids:
        return None
    t = OrderTable()
    t.order_id = ids
    for name in DATE_FIELDS:
        col = t.dates[name]
        if name not in columns:
            col.kinds = bytearray(n)
            col.seconds = array("d", bytes(8 * n))
            continue
        kinds = np.asarray(data.pop(f"k_{name}"), dtype=np.uint8)
        if (kinds == 255).any():
            return None
        col.kinds = bytearray(kinds.tobytes())
        col.seconds = array("d", np.asarray(data.pop(f"s_{name}"), dtype=np.float64).tobytes())
    for name in BOOL_FIELDS:
        if name in columns:
            flags = np.asarray(data[f"b_{name}"], dtype=np.uint8)
            if (flags == 255).any():
                return None
            t.flags[name] = bytearray(flags.tobytes())
        elif name == "tracking_valid" and "tracking_number" in columns:
            t.flags[name] = bytearray(map(bool, map(str.strip, data["t_tracking_number"])))
            # (tracking numbers are read as text, never hashed: they are all distinct)
        else:
            t.flags[name] = bytearray(n)
    if "cancelled_by" in columns:
        codes = np.asarray(data["cancelled_by"], dtype=np.uint8)
        if (codes == 255).any():
            return None
        t.cancelled_by = bytearray(codes.tobytes())
    else:
        t.cancelled_by = bytearray(n)
    shared: dict[str, str] = {}
    for name in TEXT_FIELDS:
        if name not in columns:
            t.text[name] = [""] * n
        elif name in distinct:  # one shared, stripped string per distinct value
            values, hashes = distinct[name]
            if len(set(hashes)) != len(values):
                return None  # two texts, one hash: read them the slow way
            stripped = [shared.setdefault(v.strip(), v.strip()) for v in values]
            by_hash = dict(zip(hashes, stripped, strict=True))
            try:
                t.text[name] = list(map(by_hash.__getitem__, data.pop(f"h_{name}").tolist()))
            except KeyError:
                return None
        else:
            t.text[name] = list(map(str.strip, data.pop(f"t_{name}").tolist()))
    return t, n


__all__ = ["MIN_BYTES", "read_columnar", "worth_it"]
