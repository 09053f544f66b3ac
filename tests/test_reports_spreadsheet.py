"""Amazon reports after a spreadsheet round-trip: opened in Excel or WPS and saved again
(tests/fixtures/reports/amazon/spreadsheet, written by its make.py). Each file must yield the
metrics of the report as downloaded, or be refused with one line, or report its unreadable
rows; never a quiet misreading.

What each fixture imitates:

* ``order_report_excel_us.csv``: US Windows, "CSV (Comma delimited)": cp1252, CRLF, commas,
  quotes only where needed; the ISO stamps (a ``T`` and an offset) are text to Excel and kept;
  SKUs lost their leading zeros; ``FALSE`` upper-case; the empty last columns left out of
  the rows after the eighth (Excel writes a block's empty last columns as nothing).
* ``order_report_excel_cn.csv``: Chinese Windows (Excel or WPS): GB18030, a ``Sheet1`` line
  and an empty row above the header, Chinese product names.
* ``order_report_csv_utf8.csv``: "CSV UTF-8": UTF-8 with a byte-order mark.
* ``order_report_unicode.txt``: "Unicode Text": UTF-16 LE with a byte-order mark, tabs.
* ``order_report_zone_lost.csv``: the stamps turned into spreadsheet dates (``11/13/2026
  7:59``: the offset dropped), below a ``Sheet1`` line and a blank line.
* ``ship_confirmation_excel_us.csv``: the confirmation file, US Excel: ``11/12/2026``,
  the preamble row padded with commas, USPS tracking numbers turned into ``9.4001E+21``.
* ``ship_confirmation_excel_us_yy.csv``: US short date with a two-digit year, ``11/12/26``
  (the tracking numbers kept, as when the column was imported as Text).
* ``ship_confirmation_excel_uk.csv``: UK Windows, ``12/11/2026``.
* ``ship_confirmation_excel_de.csv``: German Windows, "CSV (Trennzeichen-getrennt)":
  semicolons, ``12.11.2026``.
* ``ship_confirmation_excel_uk_ambiguous.csv``: UK dates whose day is never above 12.
* ``ship_confirmation_excel_cn.csv``: Chinese Windows: GB18030, ``2026/11/12``, Chinese
  carrier names.
"""

from __future__ import annotations

import codecs
import json
from datetime import date
from pathlib import Path

import pytest

from appealdesk.cli import main
from appealdesk.metrics.case_metrics import read_inputs
from appealdesk.metrics.engine import BREACH, NO_DATA, compute_metrics
from appealdesk.policy.loading import load_policies
from appealdesk.reports import columnar, fast_orders
from appealdesk.reports.dates import _DateCache, decode_when
from appealdesk.reports.orders import ReportError, import_report, mappings_for

HERE = Path(__file__).parent / "fixtures" / "reports" / "amazon"
FIX = HERE / "spreadsheet"
AMAZON = load_policies().get("amazon")
AS_OF = date(2026, 11, 30)
LATE = {f"111-{i:07d}-{i:07d}" for i in (3, 7, 11)}  # the three real breaches
ORDERS, SHIPPED = "order_report.txt", "ship_confirmation.txt"  # as downloaded
WAYS = ["cells", "fast"]  # the per-cell reader; the numpy path for large files, forced


def _metrics(monkeypatch, way: str, *names: str):
    with monkeypatch.context() as patch:
        taken: list[bool] = []
        read_fast = fast_orders.read_fast

        def spy(*args, **kwargs):
            got = read_fast(*args, **kwargs)
            taken.append(got is not None)
            return got

        patch.setattr(fast_orders, "MIN_BYTES", 0 if way == "fast" else 1 << 62)
        patch.setattr(fast_orders, "read_fast", spy)
        patch.setattr(columnar, "MIN_BYTES", 1 << 62)
        imported, _health = read_inputs([FIX / n for n in names], mappings_for(AMAZON), AMAZON)
    results = compute_metrics(imported.orders, AMAZON, AS_OF, known=imported.known)
    return imported, {r.id: r for r in results}, taken


def _late(by_id) -> tuple[int, int, str, set[str]]:
    r = by_id["late_shipment_rate_30d"]
    return r.numerator, r.denominator, r.status, set(r.against)


@pytest.mark.parametrize("way", WAYS)
def test_the_reports_as_downloaded_show_three_late_shipments(monkeypatch, way):
    imported, by_id, taken = _metrics(monkeypatch, way, ORDERS, SHIPPED)
    assert imported.bad_rows == [] and len(imported.orders) == 12
    assert _late(by_id) == (3, 12, BREACH, LATE)
    assert by_id["late_shipment_rate_10d"].status == BREACH
    assert taken == ([True, True] if way == "fast" else [])


@pytest.mark.parametrize("way", WAYS)
@pytest.mark.parametrize("orders, shipped, encoding", [
    ("order_report_excel_us.csv", SHIPPED, "cp1252+utf-8"),
    ("order_report_excel_cn.csv", SHIPPED, "gb18030+utf-8"),
    ("order_report_csv_utf8.csv", SHIPPED, "utf-8-sig+utf-8"),
    ("order_report_unicode.txt", SHIPPED, "utf-16+utf-8"),
    (ORDERS, "ship_confirmation_excel_us_yy.csv", "utf-8"),  # ASCII
    (ORDERS, "ship_confirmation_excel_uk.csv", "utf-8"),  # ASCII
    (ORDERS, "ship_confirmation_excel_de.csv", "utf-8"),  # ASCII
    (ORDERS, "ship_confirmation_excel_cn.csv", "utf-8+gb18030"),
])
def test_a_resaved_report_yields_the_metrics_of_the_original(monkeypatch, way, orders,
                                                              shipped, encoding):
    _i, original, _t = _metrics(monkeypatch, "cells", ORDERS, SHIPPED)
    imported, by_id, taken = _metrics(monkeypatch, way, orders, shipped)
    assert imported.encoding == encoding
    if way == "fast" and orders == "order_report_csv_utf8.csv":
        assert taken[0]  # UTF-8 with a byte-order mark: the numpy path reads it
    assert imported.bad_rows == [] and len(imported.orders) == 12
    assert _late(by_id) == (3, 12, BREACH, LATE)
    for metric, result in original.items():
        got = by_id[metric]
        assert (got.numerator, got.denominator, got.status, got.against) == (
            result.numerator, result.denominator, result.status, result.against), metric


def test_excel_left_out_the_empty_last_columns_and_the_rows_stay_whole():
    text = (FIX / "order_report_excel_us.csv").read_bytes().decode("cp1252")
    widths = {line.count(",") + 1 for line in text.splitlines()[1:] if '"' not in line}
    assert widths == {18, 15}  # the fixture does what Excel does
    result = import_report(FIX / "order_report_excel_us.csv", mappings_for(AMAZON),
                           encodings=("utf-8", "cp1252"))
    assert result.bad_rows == [] and result.rows == 12
    assert result.orders.text["sku"][:2] == ["1", "2"]  # the leading zeros Excel dropped


def test_a_row_short_of_a_column_that_is_read_is_still_a_bad_row(tmp_path):
    lines = (FIX / ORDERS).read_text(encoding="utf-8").splitlines()
    lines[3] = "\t".join(lines[3].split("\t")[:11])  # stops before latest-ship-date
    path = tmp_path / "cut.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = import_report(path, mappings_for(AMAZON))
    assert result.bad_rows == [(4, "has 11 fields, the header has 18")]
    assert len(result.orders) == 11


@pytest.mark.parametrize("way", WAYS)
def test_stamps_whose_offset_a_spreadsheet_dropped_are_refused(monkeypatch, way):
    # Read as Pacific wall clock, "11/15/2026 7:59" (was 2026-11-15T07:59:59+00:00, the 14th
    # in Pacific time) would make a shipment confirmed on the 15th on time: no breach.
    with pytest.raises(ReportError) as exc:
        _metrics(monkeypatch, way, "order_report_zone_lost.csv", SHIPPED)
    message = str(exc.value)
    assert "\n" not in message
    assert message.startswith("order_report_zone_lost.csv: purchase-date has dates without "
                              "their time zone (such as 2026-11-11 16:00)")
    assert "day may be off by one" in message


@pytest.mark.parametrize("way", WAYS)
@pytest.mark.parametrize("written, shown", [
    ("2026-11-15", "2026-11-15"),  # a cell formatted as a date only
    ("2026-11-15 07:59:59", "2026-11-15 07:59"),  # ISO, the offset cut off
])
def test_a_value_without_its_offset_in_an_iso_column_is_refused_too(monkeypatch, tmp_path,
                                                                     way, written, shown):
    text = (FIX / ORDERS).read_text(encoding="utf-8")
    path = tmp_path / "orders.txt"
    path.write_text(text.replace("2026-11-15T07:59:59+00:00", written), encoding="utf-8")
    with monkeypatch.context() as patch:
        patch.setattr(fast_orders, "MIN_BYTES", 0 if way == "fast" else 1 << 62)
        with pytest.raises(ReportError, match=r"orders.txt: latest-ship-date has dates "
                                              rf"without their time zone \(such as {shown}\)"):
            import_report(path, mappings_for(AMAZON))


def test_the_cli_refuses_the_zone_lost_file_in_one_line(capsys):
    code = main(["metrics", "--policy", "amazon", "--report",
                 str(FIX / "order_report_zone_lost.csv"), "--report", str(FIX / SHIPPED),
                 "--as-of", AS_OF.isoformat()])
    err = capsys.readouterr().err.strip()
    assert code != 0 and len(err.splitlines()) == 1
    assert "order_report_zone_lost.csv" in err and "time zone" in err


def test_the_cli_reads_an_excel_us_pair_and_exits_in_breach(capsys):
    code = main(["metrics", "--policy", "amazon", "--report",
                 str(FIX / "order_report_excel_us.csv"), "--report",
                 str(FIX / "ship_confirmation_excel_us_yy.csv"), "--as-of", AS_OF.isoformat(),
                 "--json"])
    out = capsys.readouterr().out
    assert code == 1, out
    assert '"late_shipment_rate_30d"' in out


def test_uk_dates_whose_day_is_never_above_12_are_reported_not_guessed():
    imported, _h = read_inputs([FIX / ORDERS, FIX / "ship_confirmation_excel_uk_ambiguous.csv"],
                               mappings_for(AMAZON), AMAZON)
    assert len(imported.bad_rows) == 12
    assert all("ambiguous date" in why for _line, why in imported.bad_rows)
    by_id = {r.id: r for r in compute_metrics(imported.orders, AMAZON, AS_OF,
                                              known=imported.known)}
    assert by_id["late_shipment_rate_30d"].status == NO_DATA  # not an "ok"


@pytest.mark.parametrize("raw, day_first, read", [
    ("11/3/26 10:04", False, "2026-11-03 10:04:00"),  # the column showed month-first
    ("11/13/26", None, "2026-11-13"),
    ("13/11/26", None, "2026-11-13"),
    ("3.11.29", True, "2029-11-03"),
])
def test_excel_two_digit_years_are_this_century_up_to_29(raw, day_first, read):
    kind, seconds = _DateCache().parse(raw, day_first=day_first)
    assert str(decode_when(kind, seconds)) == read


def test_a_two_digit_year_of_30_or_more_is_1930s_as_excel_reads_it_and_refused():
    cache = _DateCache()
    assert cache.parse("11/13/30")[0] == 255
    assert "year 1930" in cache.reasons["11/13/30"]


def test_upper_case_true_false_as_excel_writes_booleans(tmp_path):
    """Excel rewrites true/false as TRUE/FALSE: a buyer's cancellation is still the buyer's."""
    source = HERE / "all_orders_cancellations.txt"
    original = import_report(source, mappings_for(AMAZON))
    path = tmp_path / "all_orders.csv"
    text = source.read_text(encoding="utf-8").replace("\ttrue", "\tTRUE").replace(
        "\tfalse", "\tFALSE")
    path.write_bytes(codecs.BOM_UTF8 + text.encode("utf-8"))
    resaved = import_report(path, mappings_for(AMAZON))

    def cancel(result):
        r = {m.id: m for m in compute_metrics(result.orders, AMAZON, AS_OF,
                                              known=result.known)}
        return r["pre_fulfillment_cancel_rate"]

    assert "TRUE" in resaved.orders.text["buyer_cancel_request"]
    a, b = cancel(original), cancel(resaved)
    assert (a.numerator, a.denominator, a.against) == (b.numerator, b.denominator, b.against)


def test_metrics_json_lists_the_rows_it_could_not_read(capsys):
    code = main(["metrics", "--policy", "amazon", "--report", str(FIX / ORDERS), "--report",
                 str(FIX / "ship_confirmation_excel_uk_ambiguous.csv"), "--as-of",
                 AS_OF.isoformat(), "--json"])
    data = json.loads(capsys.readouterr().out)
    assert code == 4  # late shipment cannot be told: no all-clear
    assert len(data["bad_rows"]) == 12 and data["bad_rows"][0]["line"] == 3
    assert "ambiguous date '02/11/2026'" in data["bad_rows"][0]["reason"]


@pytest.mark.parametrize("way", WAYS)
def test_rows_excel_kept_empty_are_blank_lines_not_bad_rows(monkeypatch, tmp_path, way):
    """Rows whose content was deleted are written as ",,,,": nothing to read, nothing lost."""
    data = (FIX / "order_report_csv_utf8.csv").read_bytes()
    path = tmp_path / "orders.csv"
    path.write_bytes(data + b",,,,,,,,,,,,,,,,,\r\n" * 2)
    with monkeypatch.context() as patch:
        patch.setattr(fast_orders, "MIN_BYTES", 0 if way == "fast" else 1 << 62)
        result = import_report(path, mappings_for(AMAZON))
    assert (result.rows, result.bad_rows, len(result.orders)) == (12, [], 12)
    path.write_bytes(data + b",,,,SKU-X,,,,,,,,,,,,,\r\n")  # something there: reported
    assert import_report(path, mappings_for(AMAZON)).bad_rows == [(14, "has no order id")]


def test_excel_for_mac_csv_ends_lines_with_a_bare_carriage_return(tmp_path):
    path = tmp_path / "mac.csv"
    path.write_bytes((FIX / "order_report_csv_utf8.csv").read_bytes().replace(b"\r\n", b"\r"))
    result = import_report(path, mappings_for(AMAZON))
    assert (result.rows, result.bad_rows, len(result.orders)) == (12, [], 12)


def test_import_report_takes_a_resaved_file_and_refuses_a_zone_lost_one(demo_workspace,
                                                                          capsys):
    ws = demo_workspace
    case_id = next(c for c in ws.store.case_ids() if c.startswith("amazon"))
    data = str(ws.store.root)
    before = len(ws.store.load(case_id).reports)
    code = main(["--data-dir", data, "import-report", case_id,
                 str(FIX / "ship_confirmation_excel_uk.csv"), "--json"])
    info = json.loads(capsys.readouterr().out)
    assert code == 0 and info["orders"] == 12 and info["bad_rows"] == []
    code = main(["--data-dir", data, "import-report", case_id,
                 str(FIX / "order_report_zone_lost.csv")])
    err = capsys.readouterr().err.strip()
    assert code == 2 and len(err.splitlines()) == 1 and "without their time zone" in err
    assert len(ws.store.load(case_id).reports) == before + 1  # the refused file is not kept


@pytest.mark.parametrize("way", [*WAYS, "duckdb"])
def test_tracking_numbers_excel_turned_into_numbers_are_refused(monkeypatch, tmp_path, way):
    """Uploaded like that, the confirmation gave Amazon no valid tracking; counted from the
    file, they would be valid (a number is there): a false all-clear on valid tracking."""
    resaved = FIX / "ship_confirmation_excel_us.csv"
    iso = tmp_path / "ship_confirmation.txt"  # ISO dates: the numpy path takes it
    iso.write_text((FIX / SHIPPED).read_text(encoding="utf-8").replace(
        "9400100000000000000002", "9.4001E+21"), encoding="utf-8")
    for path in (resaved, iso):
        with monkeypatch.context() as patch:
            patch.setattr(fast_orders, "MIN_BYTES", 0 if way == "fast" else 1 << 62)
            patch.setattr(columnar, "MIN_BYTES", 0 if way == "duckdb" else 1 << 62)
            with pytest.raises(ReportError) as exc:
                import_report(path, mappings_for(AMAZON))
        message = str(exc.value)
        assert "\n" not in message and message.startswith(f"{path.name}: ")
        assert "9.4001E+21" in message and "cannot count as valid tracking" in message
    assert import_report(FIX / SHIPPED, mappings_for(AMAZON)).orders.text[
        "tracking_number"][1] == "9400100000000000000002"
    # The large-file paths leave the file to the per-cell reader (which refuses it) and
    # take the file as downloaded.
    columns = {"order_id": 0, "shipped_at": 3, "carrier": 5, "tracking_number": 6}
    for reader in (fast_orders.read_fast, columnar.read_columnar):
        assert reader(iso, columns, 8, 2, "\t", "utf-8") is None
        assert reader(FIX / SHIPPED, columns, 8, 2, "\t", "utf-8") is not None


def test_a_jd_export_resaved_by_chinese_excel(tmp_path):
    """JD's 12-digit order ids are numbers to Excel ("2.3E+11" in General format): refused,
    as before. Imported as Text, the ids stay and the times lose their seconds
    ("2026/11/3 10:15"): the same orders on the same days."""
    jd = load_policies().get("jd")
    source = HERE.parent / "jd" / "order_export.csv"
    original = import_report(source, mappings_for(jd), encodings=("utf-8", "gb18030"))
    lines = source.read_bytes().decode("gb18030").splitlines()

    def resave(line: str, ids_as_text: bool) -> str:
        cells = line.split(",")
        if not ids_as_text:
            cells[0] = "2.3E+11"
        for i, cell in enumerate(cells):
            if len(cell) == 19 and cell[4] == "-" and cell[13] == ":":  # 2026-11-03 10:15:20
                d = date.fromisoformat(cell[:10])
                cells[i] = f"{d.year}/{d.month}/{d.day} {int(cell[11:13])}:{cell[14:16]}"
        return ",".join(cells)

    path = tmp_path / "order_export.csv"
    for ids_as_text in (False, True):
        text = "\r\n".join([lines[0], *(resave(x, ids_as_text) for x in lines[1:])]) + "\r\n"
        path.write_bytes(text.encode("gb18030"))
        if not ids_as_text:
            with pytest.raises(ReportError, match=r"^order_export.csv: 4 order ids such as "
                                                  r"2.3E\+11 were turned into numbers"):
                import_report(path, mappings_for(jd), encodings=("utf-8", "gb18030"))
            continue
        resaved = import_report(path, mappings_for(jd), encodings=("utf-8", "gb18030"))
        assert resaved.bad_rows == [] and resaved.orders.order_id == original.orders.order_id
        days = [str(o.order_date)[:16] for o in resaved.orders]
        assert days == [str(o.order_date)[:16] for o in original.orders]


def test_a_two_digit_year_below_20_could_be_a_day_and_is_refused():
    cache = _DateCache()
    assert cache.parse("26/11/03")[0] == 255  # yy/mm/dd: 3 Nov 2026, not 26 Nov 2003
    assert "two-digit year 03 could be a day" in cache.reasons["26/11/03"]


def test_a_yy_mm_dd_column_whose_days_look_like_years_is_reported(tmp_path):
    """"26/11/20" ... "26/11/29" read day-first would be 26 Nov 2020 ... 2029, ten years; a
    report's two-digit years are one or two: those are days, every such row is bad."""
    lines = (FIX / SHIPPED).read_text(encoding="utf-8").splitlines()[:2]
    for day in range(20, 30):
        lines.append(f"111-{day:07d}-{day:07d}\t\t1\t26/11/{day}\tUPS\tUPS\t1Z{day}\tGround")
    path = tmp_path / "ship_confirmation.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = import_report(path, mappings_for(AMAZON))
    assert len(result.bad_rows) == 10 and len(result.orders) == 0
    assert result.bad_rows[0] == (3, "shipped_at: the two-digit year of '26/11/20' could be a "
                                     "day (this column's two-digit years are 10 different "
                                     "ones); write the year in full")
    # The same days as a UK file writes them: one two-digit year, read.
    path.write_text("\n".join(lines[:2] + [
        line.replace(f"26/11/{day}", f"{day}/11/26") for day, line in zip(range(20, 30),
                                                                          lines[2:],
                                                                          strict=True)])
        + "\n", encoding="utf-8")
    result = import_report(path, mappings_for(AMAZON))
    assert result.bad_rows == [] and str(result.orders[0].shipped_at) == "2026-11-20"
