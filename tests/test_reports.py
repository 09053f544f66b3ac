"""Importers: encodings, delimiters, mappings, Amazon merges, bad rows."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from appealdesk.reports.orders import (
    GENERIC_COLUMNS,
    Order,
    OrderTable,
    ReportError,
    import_report,
    mappings_for,
)

HEADER = ",".join(GENERIC_COLUMNS)


def _row(**values: str) -> str:
    return ",".join(values.get(c, "") for c in GENERIC_COLUMNS)


def _write(tmp_path, text: str, name="orders.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "utf-16"])
def test_each_encoding_reads_the_same(tmp_path, encoding):
    text = HEADER + "\n" + _row(order_id="A1", order_date="2026-11-03", sku="灯-01") + "\n"
    result = import_report(_write(tmp_path, text, encoding=encoding))
    assert [o.order_id for o in result.orders] == ["A1"]
    assert result.orders[0].sku == "灯-01"
    assert result.orders[0].order_date == date(2026, 11, 3)
    assert result.format == "generic" and result.rows == 1 and not result.bad_rows


@pytest.mark.parametrize("delimiter", [",", "\t", ";"])
def test_each_delimiter(tmp_path, delimiter):
    text = (HEADER + "\n" + _row(order_id="A1", shipped_at="2026-11-03 10:00:00") + "\n")
    text = text.replace(",", delimiter)
    result = import_report(_write(tmp_path, text))
    assert result.orders[0].shipped_at == datetime(2026, 11, 3, 10, 0)


@pytest.mark.parametrize("raw, expected", [
    ("2026-11-03", date(2026, 11, 3)),
    ("2026/11/3", date(2026, 11, 3)),
    ("2026.11.03", date(2026, 11, 3)),
    ("2026年11月3日", date(2026, 11, 3)),
    ("2026年11月3日 10:05", datetime(2026, 11, 3, 10, 5)),
    ("2026-11-03 10:00:00", datetime(2026, 11, 3, 10, 0)),
    ("2026-11-03T10:00:00+00:00", datetime(2026, 11, 3, 10, 0, tzinfo=UTC)),
    ("2026-11-03T10:00:00Z", datetime(2026, 11, 3, 10, 0, tzinfo=UTC)),
    ("2026-11-03T18:00:00+08:00", datetime(2026, 11, 3, 10, 0, tzinfo=UTC)),
    ("2026/11/03 18:00 +0800", datetime(2026, 11, 3, 10, 0, tzinfo=UTC)),
    ("25/11/2026", date(2026, 11, 25)),
    ("11/25/2026", date(2026, 11, 25)),
    ("20261103", date(2026, 11, 3)),  # compact: still a bare date, compared as a day
    ("2026-11-03 10:04:31.0", datetime(2026, 11, 3, 10, 4, 31)),  # Java time stamps
    ("11/25/2026 10:04 PM", datetime(2026, 11, 25, 22, 4)),  # Excel, US locale
    ("11/25/2026 12:04:05 am", datetime(2026, 11, 25, 0, 4, 5)),
    ("2026/11/3 下午1:04", datetime(2026, 11, 3, 13, 4)),  # Excel, Chinese locale
    ("2026/11/3 上午12:30", datetime(2026, 11, 3, 0, 30)),
])
def test_date_formats(tmp_path, raw, expected):
    text = HEADER + "\n" + _row(order_id="A1", order_date=f'"{raw}"') + "\n"
    result = import_report(_write(tmp_path, text))
    assert not result.bad_rows
    value = result.orders[0].order_date
    assert value == expected
    assert type(value) is type(expected)


@pytest.mark.parametrize("raw, expected", [
    # Amazon's order flat files: ISO 8601 with the offset, UTC or the site's own
    # (US reports across the DST change, amazon.co.jp in JST)
    ("2026-11-01T01:30:00-07:00", datetime(2026, 11, 1, 8, 30, tzinfo=UTC)),
    ("2026-11-01T01:30:00-08:00", datetime(2026, 11, 1, 9, 30, tzinfo=UTC)),
    ("2026-11-03T10:00:00+09:00", datetime(2026, 11, 3, 1, 0, tzinfo=UTC)),
    ("2026-11-03T10:00:00.000Z", datetime(2026, 11, 3, 10, 0, tzinfo=UTC)),
    ("2026-11-03 10:00:00 UTC", datetime(2026, 11, 3, 10, 0, tzinfo=UTC)),
])
def test_amazon_report_date_times_read_as_instants(tmp_path, raw, expected):
    text = HEADER + "\n" + _row(order_id="A1", order_date=raw) + "\n"
    result = import_report(_write(tmp_path, text))
    assert not result.bad_rows and result.orders[0].order_date == expected


@pytest.mark.parametrize("raw", [
    "2026-11-03 10:00:00 PST",  # Amazon's payments (transaction) reports, US
    "2026/11/03 10:00:00JST",
    "2026-11-03T10:00:00 CST",  # US Central or China Standard Time
    "03/11/2026 10:00 CET",
])
def test_a_time_zone_written_as_a_name_is_a_bad_row_that_says_why(tmp_path, raw):
    text = "\n".join([HEADER, _row(order_id="A1", order_date=raw),
                      _row(order_id="A2", order_date="2026-11-13")]) + "\n"
    result = import_report(_write(tmp_path, text))
    assert [o.order_id for o in result.orders] == ["A2"]
    (line, reason), = result.bad_rows
    assert line == 2 and "time zone is written as a name" in reason
    assert "write the offset" in reason


def test_an_hour_past_twelve_on_a_12_hour_clock_is_a_bad_row(tmp_path):
    text = HEADER + "\n" + _row(order_id="A1", order_date="2026/11/3 下午13:04") + "\n"
    result = import_report(_write(tmp_path, text))
    assert len(result.orders) == 0
    assert "12-hour clock" in result.bad_rows[0][1]


def test_ambiguous_year_last_date_is_a_bad_row_unless_the_column_decides(tmp_path):
    text = "\n".join([HEADER, _row(order_id="A1", order_date="03/04/2026")]) + "\n"
    result = import_report(_write(tmp_path, text))
    assert len(result.orders) == 0
    assert result.bad_rows[0][0] == 2 and "ambiguous" in result.bad_rows[0][1]
    text = "\n".join([HEADER, _row(order_id="A1", order_date="03/04/2026"),
                      _row(order_id="A2", order_date="25/04/2026")]) + "\n"
    result = import_report(_write(tmp_path, text, "b.csv"))
    assert not result.bad_rows
    assert result.orders[0].order_date == date(2026, 4, 3)  # day-first, as 25/04 showed


def test_booleans_and_canceller_in_any_case(tmp_path):
    rows = [_row(order_id=f"A{i}", claim=v, cancelled_by=c)
            for i, (v, c) in enumerate([("Yes", "SELLER"), ("y", "buyer"), ("1", "Platform"),
                                        ("TRUE", ""), ("no", ""), ("", "")])]
    result = import_report(_write(tmp_path, "\n".join([HEADER, *rows]) + "\n"))
    assert [o.claim for o in result.orders] == [True, True, True, True, False, False]
    assert [o.cancelled_by for o in result.orders][:3] == ["seller", "buyer", "platform"]


def test_bad_rows_have_line_numbers_and_reasons(tmp_path):
    lines = [
        HEADER,
        _row(order_id="A1", order_date="2026-11-03"),
        _row(order_id="A2", order_date="not a date"),
        _row(order_id="", order_date="2026-11-03"),
        "A4,2026-11-03",
        _row(order_id="A5", claim="maybe"),
        _row(order_id="A6", cancelled_by="warehouse"),
        "",
        _row(order_id="A8", order_date="2026-02-30"),
    ]
    result = import_report(_write(tmp_path, "\n".join(lines) + "\n"))
    assert [o.order_id for o in result.orders] == ["A1"]
    bad = dict(result.bad_rows)
    assert sorted(bad) == [3, 4, 5, 6, 7, 9]
    assert "order_date" in bad[3] and "not a date" in bad[3]
    assert "order id" in bad[4]
    assert "fields" in bad[5]
    assert "claim" in bad[6]
    assert "cancelled_by" in bad[7]
    assert "order_date" in bad[9]
    assert result.rows == 7  # the blank line is not a row


def test_line_numbers_count_quoted_line_breaks(tmp_path):
    lines = [HEADER, _row(order_id="A1", return_reason='"two\nlines"'),
             _row(order_id="A2", order_date="nope")]
    result = import_report(_write(tmp_path, "\n".join(lines) + "\n"))
    assert result.bad_rows[0][0] == 4
    assert result.orders[0].return_reason == "two\nlines"


@pytest.mark.parametrize(
    "content", [b"", b"\x89PNG\r\n\x1a\n\x00\x00\x00", b"name,price\nlamp,3\n"])
def test_not_a_report_is_one_line_error(tmp_path, content):
    path = tmp_path / "x.csv"
    path.write_bytes(content)
    with pytest.raises(ReportError) as err:
        import_report(path)
    assert "\n" not in str(err.value)


@pytest.mark.parametrize("name", ["orders.xlsx", "orders.xls"])
def test_an_excel_workbook_is_told_to_be_saved_as_csv(tmp_path, name):
    """ERP "exports" are often workbooks: say what to do, in one line."""
    import zipfile

    path = tmp_path / name
    if name.endswith(".xlsx"):
        with zipfile.ZipFile(path, "w") as book:
            book.writestr("xl/workbook.xml", "<workbook/>")
    else:
        path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    with pytest.raises(ReportError) as err:
        import_report(path)
    assert "Excel workbook" in str(err.value) and "save it as CSV" in str(err.value)
    assert "\n" not in str(err.value)


@pytest.mark.parametrize("kind", ["gzip", "zip"])
def test_a_compressed_report_is_told_to_be_unpacked_first(tmp_path, kind):
    """SP-API report documents may come gzip-compressed; reports are mailed zipped."""
    import gzip
    import zipfile

    text = HEADER + "\n" + _row(order_id="A1", order_date="2026-11-03") + "\n"
    path = tmp_path / f"orders.txt.{'gz' if kind == 'gzip' else 'zip'}"
    if kind == "gzip":
        path.write_bytes(gzip.compress(text.encode("utf-8")))
    else:
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("orders.txt", text)
    with pytest.raises(ReportError) as err:
        import_report(path)
    message = str(err.value)
    assert ("gzip-compressed" if kind == "gzip" else "ZIP archive") in message
    assert "Excel" not in message and "binary" not in message and "\n" not in message


def test_missing_file_is_a_report_error(tmp_path):
    with pytest.raises(ReportError):
        import_report(tmp_path / "nope.csv")


def test_chinese_headers_through_a_config_mapping(tmp_path):
    config = {"report_columns": {"erp": {
        "order_id": ["订单号"], "order_date": ["下单时间"], "shipped_at": ["发货时间"],
        "ship_by": ["最晚发货时间"], "carrier": ["物流公司"], "tracking_number": ["运单号"]}}}
    text = ("订单号,下单时间,最晚发货时间,发货时间,物流公司,运单号,备注\n"
            "JD1,2026年11月1日 10:00,2026年11月3日,2026年11月4日 09:00,顺丰,SF123,x\n")
    path = _write(tmp_path, text, encoding="gb18030")
    result = import_report(path, mappings_for(None, config))
    assert result.format == "mapped:erp"
    order = result.orders[0]
    assert order.order_id == "JD1" and order.carrier == "顺丰"
    assert order.shipped_at == datetime(2026, 11, 4, 9, 0)
    assert order.tracking_valid  # no tracking_valid column: a tracking number counts


def test_table_round_trips_orders():
    orders = [
        Order("A", order_date=date(2026, 1, 2), shipped_at=datetime(2026, 1, 3, 4, 5),
              delivered_at=datetime(2026, 1, 4, tzinfo=timezone(timedelta(hours=8))),
              claim=True, cancelled_by="buyer", sku="S"),
        Order("B"),
    ]
    table = OrderTable.from_orders(orders)
    back = list(table)
    assert back[0].order_date == orders[0].order_date
    assert back[0].shipped_at == orders[0].shipped_at
    assert back[0].delivered_at == orders[0].delivered_at
    assert back[0].claim and back[0].cancelled_by == "buyer" and back[1] == Order("B")


def test_large_unique_time_stamps_take_the_fast_path_and_keep_values(tmp_path):
    start = datetime(2026, 9, 1, tzinfo=UTC)
    lines = [HEADER]
    for i in range(3000):
        moment = start + timedelta(seconds=37 * i)
        shipped = "" if i % 7 == 0 else (moment + timedelta(hours=30)).isoformat()
        lines.append(_row(order_id=f"A{i}", order_date=moment.isoformat(), shipped_at=shipped))
    result = import_report(_write(tmp_path, "\n".join(lines) + "\n"))
    assert len(result.orders) == 3000 and not result.bad_rows
    assert result.orders[2999].order_date == start + timedelta(seconds=37 * 2999)
    assert result.orders[7].shipped_at is None
    assert result.orders[8].shipped_at == start + timedelta(seconds=37 * 8, hours=30)


def test_progress_is_reported(tmp_path):
    seen = []
    text = HEADER + "\n" + _row(order_id="A1") + "\n"
    import_report(_write(tmp_path, text), progress=seen.append)
    assert seen and seen[-1] == 1.0


def test_demo_reports_read_cleanly(demo_workspace):
    store = demo_workspace.store
    for case_id in store.case_ids():
        for path in store.list_files(case_id, "reports"):
            result = import_report(path)
            assert result.format == "generic"
            assert not result.bad_rows, (case_id, result.bad_rows[:3])
            assert len(result.orders) > 0


@pytest.mark.parametrize("reader", ["cells", "columnar", "fast"])
def test_order_ids_a_spreadsheet_turned_into_numbers_refuse_the_file(tmp_path, monkeypatch,
                                                                      reader):
    """JD order ids are 12 digits; a CSV opened and saved in Excel writes 2.31235E+11,
    and different orders would merge into one: refused in one line, never merged."""
    from appealdesk.policy.loading import load_policies
    from appealdesk.reports import columnar, fast_orders
    from appealdesk.reports.encodings import encodings_for

    if reader == "columnar":
        monkeypatch.setattr(columnar, "MIN_BYTES", 0)
    if reader == "fast":  # (UTF-8 only: the GB18030 files below go to the other readers)
        monkeypatch.setattr(fast_orders, "MIN_BYTES", 0)
        monkeypatch.setattr(columnar, "MIN_BYTES", 1 << 62)
        text = ("订单号,下单时间,承诺发货时间,发货时间,快递公司,物流单号\n"
                "231234567891,2026-11-20T10:00,2026-11-21T18:00,2026-11-22T09:00,京东物流,JD1\n")
        path = _write(tmp_path, text, "jd-fast.csv", "utf-8")
        assert fast_orders.read_fast(path, {"order_id": 0}, 6, 1, ",", "utf-8") is not None
        path = _write(tmp_path, text.replace("231234567891", "2.31235E+11"), "jd-fast.csv",
                      "utf-8")
        assert fast_orders.read_fast(path, {"order_id": 0}, 6, 1, ",", "utf-8") is None
    jd = load_policies().get("jd")
    text = ("订单号,下单时间,承诺发货时间,发货时间,快递公司,物流单号\n"
            "2.31235E+11,2026-11-20 10:00,2026-11-21 18:00,2026-11-22 09:00,京东物流,JD1\n"
            "2.31235E+11,2026-11-20 11:00,2026-11-21 18:00,2026-11-21 09:00,京东物流,JD2\n"
            "231234567893,2026-11-20 12:00,2026-11-21 18:00,2026-11-21 10:00,京东物流,JD3\n")
    path = _write(tmp_path, text, "jd.csv", "gb18030")
    with pytest.raises(ReportError) as err:
        import_report(path, mappings_for(jd), encodings=encodings_for(jd))
    message = str(err.value)
    assert "2 order ids such as 2.31235E+11" in message and "\n" not in message
    fine = text.replace("2.31235E+11", "ORDE+11", 1).replace("2.31235E+11", "231234567892")
    result = import_report(_write(tmp_path, fine, "jd2.csv", "gb18030"), mappings_for(jd),
                           encodings=encodings_for(jd))
    assert [o.order_id for o in result.orders] == ["ORDE+11", "231234567892", "231234567893"]
