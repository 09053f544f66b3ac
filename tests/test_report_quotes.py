"""An unterminated quote: the rows it ran together are reported and read again,
on every path (orders: per-cell reader, DuckDB refuses; messages: row reader,
the plain and numpy paths refuse)."""

from __future__ import annotations

import pytest

from appealdesk.policy.loading import load_policies
from appealdesk.reports import columnar, fast_messages
from appealdesk.reports.conversations import read_messages
from appealdesk.reports.orders import GENERIC_COLUMNS, import_report

HEADER = ",".join(GENERIC_COLUMNS)


def _orders(n: int, broken: int | None = None, closing: int | None = None) -> str:
    """``n`` rows (lines 2..n+1); a quote opened in the SKU of line ``broken``,
    closed in the SKU of line ``closing`` when given."""
    lines = [HEADER]
    for k in range(n):
        line = k + 2
        sku = "SKU"
        if line == broken:
            sku = '"SKU'
        elif line == closing:
            sku = 'SKU"'
        lines.append(",".join({"order_id": f"A{k}", "order_date": "2026-10-01",
                               "sku": sku}.get(c, "") for c in GENERIC_COLUMNS))
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("columnar_on", [False, True])
def test_an_unclosed_quote_is_reported_and_the_rows_after_it_are_read(
        tmp_path, monkeypatch, columnar_on):
    monkeypatch.setattr(columnar, "MIN_BYTES", 0 if columnar_on else 1 << 62)
    path = tmp_path / "o.csv"
    path.write_text(_orders(60, broken=9), encoding="utf-8")
    result = import_report(path)
    assert result.bad_rows == [(9, (
        "a quote opened on this line is never closed, so lines 9–61 ran into one row; "
        "the lines after this one are read again on their own"))]
    assert result.rows == 60 and len(result.orders) == 59
    assert result.orders[-1].order_id == "A59"


@pytest.mark.parametrize("columnar_on", [False, True])
def test_a_quote_closed_lines_later_with_the_right_field_count_is_still_caught(
        tmp_path, monkeypatch, columnar_on):
    monkeypatch.setattr(columnar, "MIN_BYTES", 0 if columnar_on else 1 << 62)
    path = tmp_path / "o.csv"
    path.write_text(_orders(60, broken=9, closing=20), encoding="utf-8")
    result = import_report(path)
    assert [line for line, _reason in result.bad_rows] == [9]
    assert "closed only on line 20: " not in result.bad_rows[0][1]
    assert "is closed only on line 20, so lines 9–20 ran into one row" in result.bad_rows[0][1]
    assert result.rows == 60 and len(result.orders) == 59
    ids = {o.order_id for o in result.orders}
    assert {"A8", "A9", "A18", "A19", "A59"} <= ids  # lines 10, 11, 20, 21, 61


def test_a_quoted_line_break_in_a_good_row_is_not_a_run(tmp_path):
    lines = [HEADER, ",".join({"order_id": "A1", "return_reason": '"two\nlines"'}.get(c, "")
                              for c in GENERIC_COLUMNS)]
    path = tmp_path / "o.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = import_report(path)
    assert result.bad_rows == [] and result.orders[0].return_reason == "two\nlines"


MESSAGES = ("message-id,amazon-order-id,received-date,first-response-date,response-needed,"
            "auto-reply,channel,agent")


@pytest.mark.parametrize("fast_on", [False, True])
def test_messages_an_unclosed_quote_is_reported_and_the_rows_after_it_are_read(
        tmp_path, monkeypatch, fast_on):
    monkeypatch.setattr(fast_messages, "MIN_BYTES", 0 if fast_on else 1 << 62)
    rows = [f"M{k},O{k},2026-10-01 10:00,2026-10-01 11:00,yes,no,bsm,lily" for k in range(30)]
    rows[7] = 'M7,O7,2026-10-01 10:00,2026-10-01 11:00,yes,no,"bsm,lily'
    path = tmp_path / "m.csv"
    path.write_text("\n".join([MESSAGES, *rows]) + "\n", encoding="utf-8")
    table = read_messages([path], load_policies().get("amazon"))
    assert table.bad_rows == [(9, (
        "a quote opened on this line is never closed, so lines 9–31 ran into one row; "
        "the lines after this one are read again on their own"))]
    assert len(table.ids) == 29 and table.ids[-1] == "M29"
