"""The numpy path for large order reports (fast_orders) reads a file exactly as
DuckDB (columnar) and the per-cell reader do, or not at all."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import astuple
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from appealdesk.reports import byte_lines, columnar, fast_orders, forked_half, orders
from appealdesk.reports.orders import GENERIC_COLUMNS

from .test_reports_columnar import DATES, FLAGS, IDS, TEXT, WHO

# The messy generator's spellings (tests/bench_metrics.py), beside the damaged ones.
STAMPS = st.sampled_from(["2026-11-02T05:07:48+00:00", "2026-09-13 08:23:32", "2026-10-22",
                          "2026-11-03T10:00:00.123456-05:30", "2026-11-03T23:59Z", ""])
MESSY_TEXT = st.sampled_from(["UPS", "顺丰速运", "DHL, Express", "Phone case, clear",
                              'Cable 1m, "braided"', "收纳盒, 大号", "", " padded ", '"', '""',
                              "SKU-0001", "a;b", "tab\there"])
MESSY_FLAGS = st.sampled_from(["", "yes", "Y", "true", "1", "是", "TRUE", "no", "N", "false",
                               "0", "否"])


def _field(field: str, messy: bool) -> st.SearchStrategy[str]:
    if field == "order_id":
        return IDS if not messy else st.sampled_from(["A1", "A2", "114-0000001-0000001",
                                                      "C,4", "订单5", 'q"1'])
    if field == "cancelled_by":
        return WHO if not messy else st.sampled_from(["", "seller", "Buyer", "卖家"])
    if field in orders.DATE_FIELDS:
        return st.one_of(STAMPS, DATES) if not messy else STAMPS
    if field in orders.BOOL_FIELDS:
        return FLAGS if not messy else MESSY_FLAGS
    return st.one_of(TEXT, MESSY_TEXT) if not messy else MESSY_TEXT


ANY_ROW = st.fixed_dictionaries({f: _field(f, False) for f in GENERIC_COLUMNS})
MESSY_ROW = st.fixed_dictionaries({f: _field(f, True) for f in GENERIC_COLUMNS})


def _write(path, rows, delimiter=",", header=GENERIC_COLUMNS, newline="\n", bom=False,
           quoting=csv.QUOTE_MINIMAL):
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator=newline, quoting=quoting)
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(f, "") for f in header])
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + out.getvalue().encode("utf-8"))


def _read(path, monkeypatch, way: str):
    """The import through one path: "fast", "duckdb" or "cells" (the per-cell reader)."""
    with monkeypatch.context() as patch:
        patch.setattr(fast_orders, "MIN_BYTES", 0 if way == "fast" else 1 << 62)
        patch.setattr(columnar, "MIN_BYTES", 0 if way == "duckdb" else 1 << 62)
        try:
            r = orders.import_report(path)
        except orders.ReportError as exc:
            return ("error", str(exc))
        return ([astuple(o) for o in r.orders], r.bad_rows, r.rows, r.merged)


def _columns(header=GENERIC_COLUMNS):
    return {f: i for i, f in enumerate(header)}


def _taken(path, header=GENERIC_COLUMNS, delimiter=","):
    return fast_orders.read_fast(path, _columns(header), len(header), 1, delimiter, "utf-8")


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(ANY_ROW, min_size=1, max_size=8), delimiter=st.sampled_from([",", "\t", ";"]),
       newline=st.sampled_from(["\n", "\r\n"]), bom=st.booleans())
def test_the_fast_path_agrees_with_the_per_cell_reader_on_any_rows(
        tmp_path, monkeypatch, rows, delimiter, newline, bom):
    path = tmp_path / "orders.csv"
    _write(path, rows, delimiter, newline=newline, bom=bom)
    assert _read(path, monkeypatch, "fast") == _read(path, monkeypatch, "cells")


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(MESSY_ROW, min_size=1, max_size=10),
       quoting=st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_NONNUMERIC]))
def test_on_messy_rows_the_fast_path_is_taken_and_all_three_paths_agree(
        tmp_path, monkeypatch, rows, quoting):
    """Rows like the benchmark's messy export: quoted commas and quotes, mixed
    date layouts and yes/no spellings, Chinese text."""
    path = tmp_path / "orders.csv"
    _write(path, rows, quoting=quoting)
    # Every field quoted (QUOTE_NONNUMERIC) quotes the dates too: left to the others.
    assert (_taken(path) is not None) == (quoting == csv.QUOTE_MINIMAL)
    fast = _read(path, monkeypatch, "fast")
    assert fast == _read(path, monkeypatch, "cells")
    if _has_duckdb():
        assert fast == _read(path, monkeypatch, "duckdb")


def _has_duckdb() -> bool:
    try:
        import duckdb  # noqa: F401
    except ImportError:
        return False
    return True


def test_the_metrics_json_is_the_same_through_every_path(tmp_path, monkeypatch):
    import random

    from appealdesk.metrics.engine import compute_metrics
    from appealdesk.policy.loading import load_policies

    rng = random.Random(12)
    rows = []
    for i in range(400):
        stamp = rng.choice(["2026-10-02T05:07:48+00:00", "2026-10-13 08:23:32", "2026-10-22"])
        rows.append({"order_id": f"{100 + i}-{i:07d}", "order_date": stamp, "ship_by": "2026-10-14",
                     "shipped_at": rng.choice([stamp, "2026-10-20", ""]),
                     "promised_delivery": "2026-10-25",
                     "delivered_at": rng.choice(["2026-10-24 10:00:00", "2026-10-27", ""]),
                     "cancelled_by": rng.choice(["", "", "", "Seller", "卖家", "buyer"]),
                     "tracking_number": rng.choice(["1Z1", "", " "]),
                     "tracking_valid": rng.choice(["yes", "N", "是", ""]),
                     "carrier": rng.choice(["DHL, Express", "UPS", 'a "b"']),
                     "sku": rng.choice(["收纳盒, 大号", "SKU-1"]),
                     "negative_feedback": rng.choice(["", "", "", "", "Y"]),
                     "claim": rng.choice(["", "TRUE"]), "return_reason": rng.choice(["", "", "x"])})
    path = tmp_path / "orders.csv"
    _write(path, rows)
    policy = load_policies().get("amazon")

    def metrics(way: str) -> str:
        with monkeypatch.context() as patch:
            patch.setattr(fast_orders, "MIN_BYTES", 0 if way == "fast" else 1 << 62)
            patch.setattr(columnar, "MIN_BYTES", 0 if way == "duckdb" else 1 << 62)
            result = orders.import_report(path)
            found = compute_metrics(result.orders, policy, date(2026, 11, 1), known=result.known)
            return json.dumps([m.to_dict() for m in found], sort_keys=True)

    assert _taken(path) is not None
    fast = metrics("fast")
    assert fast == metrics("cells")
    if _has_duckdb():
        assert fast == metrics("duckdb")


GOOD = {**{f: "" for f in GENERIC_COLUMNS}, "order_id": "A1", "order_date": "2026-11-03",
        "carrier": "DHL, Express", "tracking_valid": "yes"}


@pytest.mark.parametrize("damage", [
    lambda b: b.replace(b"DHL, Express", b'DHL\n Express'),  # a quoted line break
    lambda b: b.replace(b'"DHL, Express"', b'"DHL, Express'),  # a quote never closed
    lambda b: b.replace(b'"DHL, Express"', b'x"DHL, Express"'),  # a quote inside a field
    lambda b: b.replace(b'"DHL, Express"', b'"DHL, Express"x'),  # text after a closing quote
    lambda b: b.replace(b"2026-11-03", b'"2026-11-03"'),  # a quoted date
    lambda b: b.replace(b",yes,", b',"yes",'),  # a quoted yes/no
    lambda b: b.replace(b"2026-11-03", b"2026-02-30"),  # no such day
    lambda b: b.replace(b"2026-11-03", b"2026-11-03T10:00:00+0800"),  # an offset DuckDB reads otherwise
    lambda b: b.replace(b"2026-11-03", b"03/11/2026"),  # year last
    lambda b: b.replace(b"2026-11-03", b" 2026-11-03"),
    lambda b: b.replace(b",yes,", b",maybe,"),
    lambda b: b + b"\n",  # a blank line
    lambda b: b + b"A9\n",  # a line with one field
    lambda b: b.replace(b"A1", b"A1,extra"),  # one field too many
    lambda b: b.replace(b"A1", b""),  # no order id
    lambda b: b.replace(b"A1", b"A\x001"),  # NUL
    lambda b: b.replace(b"A1", b"A\xff1"),  # not UTF-8
    lambda b: b.replace(b"A1", b"A\r1"),  # a carriage return inside a line
    lambda b: b.replace(b"DHL", b"D" * (2 << 20)),  # a field longer than csv.reader takes
])
def test_a_file_the_fast_path_cannot_read_exactly_goes_to_the_other_readers(
        tmp_path, monkeypatch, damage):
    path = tmp_path / "orders.csv"
    _write(path, [GOOD, {**GOOD, "order_id": "A2"}])
    assert _taken(path) is not None
    path.write_bytes(damage(path.read_bytes()))
    assert _taken(path) is None
    assert _read(path, monkeypatch, "fast") == _read(path, monkeypatch, "cells")


def test_a_quote_pair_over_the_edge_of_a_scanned_megabyte_is_read(tmp_path, monkeypatch):
    monkeypatch.setattr(byte_lines, "CHUNK", 64)
    rows = [{**GOOD, "order_id": f"A{i}", "carrier": "DHL, " * (i % 7) + '"x"',
             "sku": "手机壳, 大号"} for i in range(60)]
    path = tmp_path / "orders.csv"
    _write(path, rows)
    table, n, _distinct = _taken(path)
    assert n == 60 and table.text["carrier"][3] == 'DHL, DHL, DHL, "x"'
    assert _read(path, monkeypatch, "fast") == _read(path, monkeypatch, "cells")


def _forks(monkeypatch, fork: bool) -> list[int]:
    """Whether the second half of a file is read by a forked process; the list
    of cuts where it was."""
    cuts: list[int] = []
    monkeypatch.setattr(forked_half, "MIN_BYTES", 0 if fork else 1 << 62)
    if fork:
        monkeypatch.setattr(fast_orders, "can_fork", lambda workers: True)

        def spy(path, start, cut, *rest):
            cuts.append(cut)
            return forked_half.read_halves(path, start, cut, *rest)

        monkeypatch.setattr(fast_orders, "read_halves", spy)
    return cuts


@pytest.mark.parametrize("threads", [1, 2, "fork"])
def test_a_file_read_in_many_pieces_keeps_its_rows_in_order(tmp_path, monkeypatch, threads):
    monkeypatch.setattr(byte_lines, "BLOCK", 300)
    monkeypatch.setattr(fast_orders, "THREADS", 2 if threads == "fork" else threads)
    cuts = _forks(monkeypatch, threads == "fork")
    rows = [{**GOOD, "order_id": f"A{i}", "carrier": ["UPS", "DHL, Express"][i % 2],
             "tracking_number": f"1Z{i}", "shipped_at": f"2026-11-{1 + i % 28:02d} 10:00:00"}
            for i in range(200)]
    path = tmp_path / "orders.csv"
    _write(path, rows)
    path.write_bytes(path.read_bytes()[:-1])  # the last line without a line end
    table, n, _distinct = _taken(path)
    assert n == 200 and table.order_id[:3] == ["A0", "A1", "A2"] and table.order_id[-1] == "A199"
    assert table.text["tracking_number"][150] == "1Z150"
    assert _read(path, monkeypatch, "fast") == _read(path, monkeypatch, "cells")
    if threads == "fork":  # the cut falls at a line's start near the middle
        assert cuts and all(path.read_bytes()[cut - 1:cut] == b"\n" for cut in cuts)
        assert 0.45 < cuts[0] / path.stat().st_size < 0.55
    path.write_bytes(path.read_bytes().replace(b"A150", b"A150,x"))  # in the second half
    assert _taken(path) is None
    path.write_bytes(path.read_bytes().replace(b"A150,x", b"A150").replace(b"A20,", b"A20,x,"))
    assert _taken(path) is None  # (in the first half)


@pytest.mark.parametrize("room", [None, 0, 3000, 1 << 20])
def test_parts_come_back_through_shared_memory_or_the_pipe_when_it_is_full(
        tmp_path, monkeypatch, room):
    """The child's parts lie in memory shared before the fork; those that do not
    fit (no shared memory to be had, no room at all, room for a few) come
    pickled through the pipe."""
    monkeypatch.setattr(byte_lines, "BLOCK", 300)
    monkeypatch.setattr(fast_orders, "THREADS", 2)
    monkeypatch.setattr(forked_half, "_ROOM", 0)
    monkeypatch.setattr(forked_half, "_SPARE_ROOM", room or 0)
    if room is None:
        monkeypatch.setattr(forked_half, "_shared", lambda size: None)
    cuts = _forks(monkeypatch, True)
    rows = [{**GOOD, "order_id": f"A{i}", "shipped_at": f"2026-11-{1 + i % 28:02d}T10:00:00Z",
             "carrier": ["UPS", "DHL, Express"][i % 2]} for i in range(120)]
    path = tmp_path / "orders.csv"
    _write(path, rows)
    table, n, distinct = _taken(path)
    assert cuts and n == 120 and distinct and table.order_id[-1] == "A119"
    assert _read(path, monkeypatch, "fast") == _read(path, monkeypatch, "cells")


def test_a_forked_reader_that_dies_leaves_the_file_to_the_other_readers(tmp_path, monkeypatch):
    import os

    monkeypatch.setattr(fast_orders, "THREADS", 2)
    cuts = _forks(monkeypatch, True)
    monkeypatch.setattr(forked_half, "_child", lambda *args: os._exit(3))
    path = tmp_path / "orders.csv"
    _write(path, [{**GOOD, "order_id": f"A{i}"} for i in range(100)])
    assert _taken(path) is None and cuts
    assert _read(path, monkeypatch, "fast") == _read(path, monkeypatch, "cells")


def test_without_a_tracking_valid_column_a_filled_number_is_valid_tracking(tmp_path, monkeypatch):
    header = [f for f in GENERIC_COLUMNS if f != "tracking_valid"]
    numbers = ["", " ", "\u3000", "\u3000x", "1Z 9", '"q"', "é", "\t"]
    rows = [{"order_id": f"A{i}", "shipped_at": "2026-11-03", "tracking_number": v}
            for i, v in enumerate(numbers)]
    path = tmp_path / "orders.csv"
    _write(path, rows, header=header)
    table, _n, _distinct = _taken(path, header)
    assert list(table.flags["tracking_valid"]) == [0, 0, 0, 1, 1, 1, 1, 0]
    assert _read(path, monkeypatch, "fast") == _read(path, monkeypatch, "cells")


def test_texts_are_read_when_first_used_and_a_changed_file_is_refused(tmp_path, monkeypatch):
    path = tmp_path / "orders.csv"
    rows = [{**GOOD, "order_id": f"A{i}", "tracking_number": f" 1Z{i} "} for i in range(50)]
    _write(path, rows)
    monkeypatch.setattr(fast_orders, "MIN_BYTES", 0)
    table = orders.import_report(path).orders
    assert table.text["carrier"][0] == "DHL, Express" and table.text["tracking_number"][1] == "1Z1"
    assert table.text["sku"] == [""] * 50
    changed = orders.import_report(path).orders
    _write(path, rows + [GOOD])
    with pytest.raises(orders.ReportError, match="changed while it was being read"):
        changed.text["carrier"]


def test_duckdb_is_not_imported_on_the_fast_path(tmp_path):
    import subprocess
    import sys

    path = tmp_path / "orders.csv"
    _write(path, [{**GOOD, "order_id": f"A{i}"} for i in range(20)])
    code = ("import sys\nfrom appealdesk.reports import fast_orders, orders\n"
            "fast_orders.MIN_BYTES = 0\n"
            f"orders.import_report({str(path)!r})\nprint('duckdb' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_a_preamble_line_before_the_header_is_skipped_alike(tmp_path, monkeypatch):
    path = tmp_path / "orders.csv"
    _write(path, [{**GOOD, "order_id": f"A{i}", "sku": 'x "y", z'} for i in range(30)])
    path.write_bytes(b'TemplateType=OrderFulfillment,Version=2,"odd\n' + path.read_bytes())
    fast = _read(path, monkeypatch, "fast")
    assert fast[2] == 30 and fast == _read(path, monkeypatch, "cells")
    monkeypatch.setattr(fast_orders, "MIN_BYTES", 0)
    taken = fast_orders.read_fast
    seen = []
    monkeypatch.setattr(fast_orders, "read_fast", lambda *a: seen.append(taken(*a)) or seen[-1])
    orders.import_report(path)
    assert seen and seen[0] is not None
