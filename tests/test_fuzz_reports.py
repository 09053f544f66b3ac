"""Fuzz: whatever CSV is imported into a case, ``import-report`` and ``metrics`` answer in
one line or succeed, and the folder keeps working (one ``\\xff`` byte used to give "I/O
operation on closed file")."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from appealdesk.reports.orders import GENERIC_COLUMNS
from tests.fuzz_support import (
    DATES,
    FUZZ_SLOW,
    SENTINEL,
    assert_clean,
    assert_folder_still_works,
    make_folder,
    run,
)

AMAZON_HEADER = ["amazon-order-id", "purchase-date", "order-status", "ship-service-level",
                 "latest-ship-date", "shipment-date", "tracking-number", "carrier"]


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    return make_folder(tmp_path_factory.mktemp("fuzz-reports"))


CELL = st.one_of(
    DATES,
    st.from_regex(r"NSA[0-9]{10}", fullmatch=True),
    st.sampled_from(["yes", "no", "seller", "buyer", "是", "", "0", "1", '"', '""', "\\", ",",
                     "\t", ";"]),
    st.text(st.characters(codec="utf-8"), max_size=40),
)


def _csv(header: list[str], rows: list[list[str]], delimiter: str) -> str:
    def cell(value: str) -> str:
        if any(ch in value for ch in f'"{delimiter}\r\n'):
            return '"' + value.replace('"', '""') + '"'
        return value

    lines = [delimiter.join(header)] + [delimiter.join(map(cell, row)) for row in rows]
    return "\n".join(lines) + "\n"


REPORT = st.builds(
    _csv,
    header=st.one_of(st.just(list(GENERIC_COLUMNS)), st.just(AMAZON_HEADER),
                     st.lists(st.text(max_size=15), min_size=1, max_size=8)),
    rows=st.lists(st.lists(CELL, min_size=0, max_size=20), max_size=30),
    delimiter=st.sampled_from([",", ";", "\t"]),
)


_IDS = itertools.count(200001)


def _fresh_case(data, folder) -> str:
    """A case of its own per example: metrics re-read every report of a case."""
    number = next(_IDS)
    notice = folder / "notice.txt"
    notice.write_text(f"Case ID: PERF-{number}\nYour Late Shipment Rate is 5.1%.\n", "utf-8")
    code, out, err = run(data, "intake", str(notice), "--platform", "noon",
                         "--received", "2026-11-19T08:00+03:00")
    assert code == 0, err
    return out.strip()


def _damage(data: bytes, where: int, junk: bytes) -> bytes:
    at = where % (len(data) + 1)
    return data[:at] + junk + data[at:]


@FUZZ_SLOW
@given(report=REPORT,
       encoding=st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "utf-16"]),
       junk=st.one_of(st.just(b""), st.sampled_from([b"\xff", b"\x00", b"\xfe\xff", b"\x81"]),
                      st.binary(max_size=8)),
       where=st.integers(0, 10**6))
def test_any_report_is_imported_or_refused_in_one_line(data, tmp_path_factory, report,
                                                        encoding, junk, where):
    folder = tmp_path_factory.mktemp("r")
    case_id = _fresh_case(data, folder)
    path = folder / "orders.csv"
    path.write_bytes(_damage(report.encode(encoding, "replace"), where, junk))
    code, _out, err = run(data, "import-report", case_id, str(path))
    assert_clean(code, err, (0, 1, 2))
    code, _out, err = run(data, "metrics", case_id)
    assert_clean(code, err, (0, 1, 2, 4))  # 4: nothing breached, but some metric has no data
    assert_folder_still_works(data)


def test_one_non_text_byte_in_a_row_is_one_line_naming_the_line(data, tmp_path):
    path = tmp_path / "orders.csv"
    header = ",".join(GENERIC_COLUMNS).encode()
    path.write_bytes(header + b"\nNSA1029384756,2026-11-03\nNSA1029384757,\xff,2026-11-03\n")
    code, _out, err = run(data, "import-report", SENTINEL, str(path))
    assert code == 2 and err.strip() == (
        "appealdesk: orders.csv, line 3: byte 0xff is not text in UTF-8 or GB18030; save the "
        "report as a UTF-8 CSV")
    assert_folder_still_works(data)


def test_a_field_over_1_mb_is_refused_and_metrics_still_work(data, tmp_path):
    path = tmp_path / "big.csv"
    row = ["NSA1029384756", "2026-11-03"] + [""] * (len(GENERIC_COLUMNS) - 2)
    row[GENERIC_COLUMNS.index("sku")] = "x" * 1_200_000
    path.write_text(",".join(GENERIC_COLUMNS) + "\n" + ",".join(row) + "\n")
    code, _out, err = run(data, "import-report", SENTINEL, str(path))
    assert code == 2 and "line 2" in err and err.count("\n") == 1
    code, _out, err = run(data, "metrics", SENTINEL)
    assert_clean(code, err, (0, 1, 2))
    assert_folder_still_works(data)
