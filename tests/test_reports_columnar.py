"""The columnar path (DuckDB) reads a file exactly as the per-cell reader does, or not at all."""

from __future__ import annotations

import csv
import io
from dataclasses import astuple

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from appealdesk.reports import columnar, fast_orders, orders
from appealdesk.reports.orders import GENERIC_COLUMNS

pytest.importorskip("duckdb")

DATES = st.sampled_from([
    "", "2026-11-03", "2026-11-03 10:00:00", "2026-11-03T10:00:00", "2026-11-03T10:00",
    "2026-11-03T10:00:00+08:00", "2026-11-03T10:00:00Z", "2026-11-03 10:00:00.250",
    "2026-11-03T23:59:59-05:30", "2026-11-03 24:00:00", "2026-02-30", "2026-11-03 10:00:00 UTC",
    "03/11/2026", "13/11/2026", "20261103", " 2026-11-03", "2026/11/3", "2026年11月3日 10:00",
    "2026-11-03T10:00:00+0800", "2026-11-3 9:00:00", "0000-01-01", "nope",
    "2026-11-03T10:00Z", "2026-11-03T10:00:00.123456+05:30", "2026-11-03 10:00:00.25",
    "2100-12-31T23:59:59-23:59", "2101-01-01", "1999-12-31T23:59:59Z", "2026-11-03t10:00:00",
    "2026-11-03T10:00:00.1234567", "2026-11-03T10:00:00+24:00", "2026-11-03T10:60",
])
FLAGS = st.sampled_from(["", "yes", "Y", "true", "1", "是", "否", "no", "FALSE", "x", " yes",
                         "maybe", "\tno"])
WHO = st.sampled_from(["", "seller", "Buyer", "平台", "customer", "nobody", " seller "])
TEXT = st.sampled_from(["", "UPS", "顺丰速运", "DHL, Express", 'say "hi"', " padded ", "a\tb",
                        "SKU-1", "手机壳-3", "line\nbreak"])
IDS = st.sampled_from(["A1", "A2", "114-0000001-0000001", " B3 ", "", "C,4", "订单5"])
KINDS = {"order_id": IDS, "cancelled_by": WHO}
KINDS.update({f: DATES for f in orders.DATE_FIELDS})
KINDS.update({f: FLAGS for f in orders.BOOL_FIELDS})
ROW = st.fixed_dictionaries({f: KINDS.get(f, TEXT) for f in GENERIC_COLUMNS})


def _write(path, rows, delimiter=","):
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    writer.writerow(GENERIC_COLUMNS)
    for row in rows:
        writer.writerow([row[f] for f in GENERIC_COLUMNS])
    path.write_text(out.getvalue(), encoding="utf-8")


def _read(path, monkeypatch, columnar_on: bool):
    monkeypatch.setattr(fast_orders, "MIN_BYTES", 1 << 62)  # DuckDB's turn (or the per-cell reader's)
    monkeypatch.setattr(columnar, "MIN_BYTES", 0 if columnar_on else 1 << 62)
    try:
        r = orders.import_report(path)
    except orders.ReportError as exc:
        return ("error", str(exc))
    return ([astuple(o) for o in r.orders], r.bad_rows, r.rows, r.merged)


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(ROW, min_size=1, max_size=8), delimiter=st.sampled_from([",", "\t", ";"]))
def test_columnar_and_per_cell_paths_agree(tmp_path, monkeypatch, rows, delimiter):
    path = tmp_path / "orders.csv"
    _write(path, rows, delimiter)
    assert _read(path, monkeypatch, True) == _read(path, monkeypatch, False)


@pytest.mark.parametrize("stamp", ["2026-11-03T10:00:00+0800", "2026-11-03 10:00:00-0530",
                                   "2026-11-03T10:00:00+08:00", "2026-11-03 10:00:00"])
def test_an_offset_with_or_without_a_colon_reads_the_same_on_both_paths(
        tmp_path, monkeypatch, stamp):
    """DuckDB's TIMESTAMP cast drops "+0800" (found by the property test above, once)."""
    row = {f: "" for f in GENERIC_COLUMNS} | {"order_id": "A1", "returned_at": stamp}
    path = tmp_path / "orders.csv"
    _write(path, [row], ",")
    assert _read(path, monkeypatch, True) == _read(path, monkeypatch, False)


CLEAN_DATES = st.sampled_from(["", "2026-11-03", "2026-11-03 10:00:00", "2026-11-03T10:00",
                               "2026-11-03T10:00:00+08:00", "2026-11-03T10:00:00Z",
                               "2026-11-03 10:00:00.250", "2026-11-03T23:59:59-05:30"])
CLEAN_FLAGS = st.sampled_from(["", "yes", "Y", "true", "1", "是", "否", "no", "FALSE", "x"])


def _clean(field: str):
    if field == "order_id":
        return st.sampled_from(["A1", "A2", " B3 ", "C,4", "订单5"])
    if field == "cancelled_by":
        return st.sampled_from(["", "seller", "Buyer", "平台", "customer"])
    if field in orders.DATE_FIELDS:
        return CLEAN_DATES
    return CLEAN_FLAGS if field in orders.BOOL_FIELDS else TEXT


CLEAN = st.fixed_dictionaries({f: _clean(f) for f in GENERIC_COLUMNS})


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(CLEAN, min_size=1, max_size=8))
def test_on_clean_rows_the_columnar_path_is_taken_and_agrees(tmp_path, monkeypatch, rows):
    path = tmp_path / "orders.csv"
    _write(path, rows)
    columns = {f: i for i, f in enumerate(GENERIC_COLUMNS)}
    taken = columnar.read_columnar(path, columns, len(GENERIC_COLUMNS), 1, ",", "utf-8")
    # A quoted line break (which a stray quote's run also makes) is left to the per-cell reader.
    assert (taken is not None) == (not any("\n" in v for row in rows for v in row.values()))
    assert _read(path, monkeypatch, True) == _read(path, monkeypatch, False)


def test_a_clean_messy_file_takes_the_columnar_path(tmp_path):
    rows = []
    for i, stamp in enumerate(["2026-11-03T10:00:00+00:00", "2026-11-03 10:00:00", "2026-11-03"]
                              * 20):
        rows.append({**{f: "" for f in GENERIC_COLUMNS}, "order_id": f"O{i}",
                     "order_date": stamp, "ship_by": "2026-11-05", "shipped_at": stamp,
                     "tracking_valid": ["yes", "Y", "是", "0"][i % 4], "carrier": "DHL, Express",
                     "sku": 'Cable "1m"', "cancelled_by": ["", "Seller"][i % 2]})
    path = tmp_path / "messy.csv"
    _write(path, rows)
    columns = {f: i for i, f in enumerate(GENERIC_COLUMNS)}
    table, n, distinct = columnar.read_columnar(path, columns, len(GENERIC_COLUMNS), 1, ",",
                                                "utf-8")
    assert distinct
    assert n == 60 and table.order_id[:2] == ["O0", "O1"]
    assert table[0].carrier == "DHL, Express" and table[1].cancelled_by == "seller"


def test_duckdb_is_not_loaded_at_start_up():
    import subprocess
    import sys

    code = ("import sys, appealdesk.cli, appealdesk.reports.orders\n"
            "print('duckdb' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def _rows(n: int, seed: int = 3) -> list[dict[str, str]]:
    import random

    rng = random.Random(seed)
    stamps = ["2026-11-03T10:00:00+00:00", "2026-11-03 10:00:00", "2026-11-03",
              "2026-11-03T10:00:00.123456-05:30", "2026-11-03T23:59Z", ""]
    return [{**{f: "" for f in GENERIC_COLUMNS}, "order_id": f"O{i}",
             "order_date": rng.choice(stamps[:5]), "shipped_at": rng.choice(stamps),
             "ship_by": "2026-11-05", "tracking_valid": rng.choice(["yes", "Y", "是", "0", ""]),
             "carrier": rng.choice(["UPS", "DHL, Express", " 顺丰 "]),
             "tracking_number": f"1Z{i}", "cancelled_by": rng.choice(["", "Seller", "buyer"])}
            for i in range(n)]


def test_on_several_threads_the_rows_stay_in_file_order(tmp_path, monkeypatch):
    """Many chunks of 2,048 rows on two threads: DuckDB must hand them back in file order."""
    path = tmp_path / "big.csv"
    _write(path, _rows(30_000))
    monkeypatch.setattr(columnar, "_threads", lambda: 2)
    assert _read(path, monkeypatch, True) == _read(path, monkeypatch, False)


def test_only_a_plain_projection_of_the_csv_counts_as_keeping_file_order(tmp_path):
    """An IN list becomes a hash join in DuckDB's plan (which lost file order on two
    threads); such a plan runs on one thread."""
    import duckdb

    from appealdesk.reports.columnar_sql import ordered_plan

    path = tmp_path / "o.csv"
    path.write_text("a\nx\n", encoding="utf-8")
    src = (f"read_csv('{path}', header=true, columns={{'a': 'VARCHAR'}}, "
           "auto_detect=false)")
    con = duckdb.connect()
    assert ordered_plan(con, f"SELECT upper(a), list_position(['x', 'y'], a) FROM {src}")
    assert not ordered_plan(
        con, f"SELECT a IN ('a','b','c','d','e','f','g','h','i','j','k') FROM {src}")
    assert not ordered_plan(con, f"SELECT count(*) FROM {src}")


def test_python_white_space_is_what_the_sql_strips():
    import re

    from appealdesk.reports import columnar_sql

    listed: set[str] = set()
    escapes = {"t": "\t", "n": "\n", "r": "\r"}
    for lo, hi in re.findall(r"\\x\{?([0-9a-f]+)\}?(?:-\\x\{?([0-9a-f]+)\}?)?",
                             columnar_sql._SPACE):
        listed.update(chr(c) for c in range(int(lo, 16), int(hi or lo, 16) + 1))
    listed.update(escapes[c] for c in re.findall(r"\\([tnr])", columnar_sql._SPACE))
    listed.update(" " if " " in columnar_sql._SPACE else "")
    assert listed == {chr(c) for c in range(0x110000) if chr(c).isspace()}


@pytest.mark.parametrize("number", ["", " ", "\u3000", "\t", "1Z 9", " x "])
def test_without_a_tracking_valid_column_a_blank_number_is_no_tracking(
        tmp_path, monkeypatch, number):
    header = [f for f in GENERIC_COLUMNS if f != "tracking_valid"]
    path = tmp_path / "orders.csv"
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerow([{"order_id": "A1", "shipped_at": "2026-11-03",
                      "tracking_number": number}.get(f, "") for f in header])
    path.write_text(out.getvalue(), encoding="utf-8")
    assert _read(path, monkeypatch, True) == _read(path, monkeypatch, False)


def test_texts_are_read_when_first_used_and_a_changed_file_is_refused(tmp_path, monkeypatch):
    path = tmp_path / "orders.csv"
    _write(path, _rows(50))
    monkeypatch.setattr(fast_orders, "MIN_BYTES", 1 << 62)
    monkeypatch.setattr(columnar, "MIN_BYTES", 0)
    table = orders.import_report(path).orders
    assert table.text["carrier"][:1] and table.text["tracking_number"][0] == "1Z0"
    assert set(table.text["carrier"]) <= {"UPS", "DHL, Express", "顺丰"}
    changed = orders.import_report(path).orders
    _write(path, _rows(51))
    with pytest.raises(orders.ReportError, match="changed while it was being read"):
        changed.text["sku"]


def test_local_days_floor_exactly_as_python_does():
    import numpy as np

    from appealdesk.reports.local_days import _floor_days

    edges = [0.0, -0.000001, 86399.999999, 86400.0, -86400.0, 1793663999.999999,
             1793664000.0, 4133980799.999999, -1e-300, 2.0**31 - 0.5]
    got = _floor_days(np, np.array(edges)).tolist()
    assert got == [int(v // 86400) for v in edges]
