"""Order reports: read a seller's exported orders into one normalised table.

Three kinds of file are understood, told apart by their header row:

* the **generic orders CSV** (headers exactly ``GENERIC_COLUMNS``);
* a **mapped export** — Amazon flat files, Chinese ERP exports, anything —
  through a column mapping ``field = [header, ...]``: the policy's
  ``[report_columns]`` (format name = the policy id) or the user's
  ``config.toml`` ``[report_columns.<name>]`` (format ``mapped:<name>``);
* several files of one store, merged by order id (``import_reports``).

Reading rules (also in the README):

* encoding: UTF-16 / UTF-8 when a byte-order mark says so, else UTF-8, else the
  policy's ``[report_encodings]`` (``reports.encodings``; default GB18030);
  delimiter: whichever of ``,`` tab ``;`` the header line has most of;
* dates: ISO 8601 dates and date-times (``2026-11-03``, ``2026-11-03 10:00``,
  ``2026-11-03T10:00:00+00:00``, ``...Z``), ``2026/11/3``, ``2026.11.03``,
  ``20261103`` (a bare date), ``2026年11月3日 10:00``, 12-hour clocks as Excel
  writes them (``10:04 PM``, ``下午1:04``), and year-last ``03/11/2026`` (``11/3/26``:
  Excel's two-digit year, 20-29 = 20yy; others, or more than two in a column,
  refused). Year-last dates are
  read day-first when the first number is above 12 and month-first when the
  second is; when both could be the month, the rest of the same column in the
  same file decides (if it showed only one order); otherwise the row is a bad
  row ("ambiguous date"), never a guess;
* a date column its format writes with a UTC offset (``zoned``) holding a value
  without one (a spreadsheet rewrote it): the file is refused, its zone is lost;
* tracking numbers a spreadsheet turned into numbers (``9.4001E+21``), like such
  order ids: the file is refused;
* a row short of only unread last columns (Excel leaves a row's empty last
  columns out) is whole, those cells empty; a row of empty cells (``,,,,``) is a
  blank line;
* booleans: true/false, yes/no, y/n, 1/0, 是/否 (any case); empty is false;
* ``cancelled_by``: seller, buyer, platform (any case) or empty;
* a report without a ``tracking_valid`` column counts a shipped order with a
  tracking number as having valid tracking (the export cannot show scans);
* a report with a ``return_reason`` but no ``returned_at`` leaves returns
  undated.

Rows that cannot be read are returned in ``bad_rows`` with their line number
and reason and are left out of the orders; nothing is silently dropped or
accepted. A stray quote that ran lines together is such a bad row, and the
lines it took are read again on their own (``quotes``). A file that is not an order
report raises ``ReportError`` (one line).

Speed: a report can have a million rows. A UTF-8 file of 1 MB or more is
first split on its bytes by numpy (``fast_orders``), then, from 8 MB, offered
to DuckDB (``columnar``); each takes it only when it can give exactly what
this reader would; otherwise, and for smaller files, the table is
kept column-wise (``OrderTable``) and each block is converted a column at a time with C-level
``map``/``translate``/caches (ISO date columns written alike with numpy, see
``iso_columns``); ``Order`` records are made only on demand. Plain
text (no quotes, one row per line, the common case) is split straight into
columns with ``str.split``; anything else goes through ``csv.reader``, with the
same rows and line numbers (tests/test_reports_fastpath.py checks both agree).
"""

from __future__ import annotations

import csv
import gc
import io
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path

from appealdesk.i18n import _, ngettext
from appealdesk.reports import columnar, fast_orders
from appealdesk.reports.dates import (  # noqa: F401 — re-exported
    AWARE,
    DATE,
    EPOCH_ORDINAL,
    NAIVE,
    NONE,
    When,
    _DateCache,
    _fast_iso,
    decode_when,
)
from appealdesk.reports.encodings import DEFAULT_ENCODINGS, choose_encoding
from appealdesk.reports.encodings import names as encoding_names
from appealdesk.reports.files import _detect_delimiter, _open_text
from appealdesk.reports.formats import (  # noqa: F401 — mappings_for re-exported
    PREAMBLE_LINES,
    Choice,
    Mapping,
    ReportFormat,
    as_formats,
    choose_format,
    mappings_for,
    no_order_id,
)
from appealdesk.reports.merge import _dedupe, merge_results
from appealdesk.reports.order_ids import excel_numbers
from appealdesk.reports.reader import MAX_FIELD, _read_rows, _Reader
from appealdesk.reports.table import (  # noqa: F401 — re-exported
    BOOL_FIELDS,
    CANCELLERS,
    DATE_FIELDS,
    GENERIC_COLUMNS,
    TEXT_FIELDS,
    DateColumn,
    ImportResult,
    Order,
    OrderTable,
    ReportError,
)

Progress = Callable[[float], None]


def import_report(
    path: Path | str,
    mappings: Sequence[ReportFormat | tuple[str, Mapping]] = (),
    *,
    progress: Progress | None = None,
    encodings: Sequence[str] = DEFAULT_ENCODINGS,
) -> ImportResult:
    """Read one report file. ``mappings``: formats (``mappings_for``) or
    (format name, field -> headers) pairs; ``encodings``: the policy's
    (``reports.encodings.encodings_for``)."""
    path = Path(path)
    if not path.is_file():
        raise ReportError(_("no such file: {path}").format(path=path))
    formats = as_formats(mappings)
    # Millions of short-lived row lists would make the cyclic collector rescan
    # everything again and again (quadratic); nothing here makes cycles.
    collecting = gc.isenabled()
    gc.disable()
    try:
        try:
            return _import(path, formats, progress, None, encodings)
        except UnicodeDecodeError:
            # The first megabyte read in one encoding but the rest does not: the whole file decides.
            whole = choose_encoding(path.read_bytes(), encodings)
            if whole is None:
                raise
            return _import(path, formats, progress, whole, encodings)
    except UnicodeDecodeError:
        raise ReportError(_not_text(path, encodings)) from None
    finally:
        if collecting:
            gc.enable()


def _header(text: io.TextIOBase, formats: Sequence[ReportFormat], name: str,
            ) -> tuple[Choice, list[str], str, int, int]:
    """(choice, headers, delimiter, header line number, preamble lines skipped)."""
    line_no = 0
    first: tuple[list[str], str] | None = None
    tried = 0
    while tried < PREAMBLE_LINES:
        line = text.readline()
        if not line:
            break
        line_no += 1
        if not line.strip():
            continue
        if tried == 0 and line.lstrip("\ufeff \t").startswith(("{", "[")):
            raise ReportError(_("{name} is JSON, not an order report").format(name=name))
        tried += 1
        delimiter = _detect_delimiter(line)
        headers = next(csv.reader([line], delimiter=delimiter), [])
        first = first or (headers, delimiter)
        choice = choose_format(headers, formats)
        if choice is not None:
            return choice, headers, delimiter, line_no, tried - 1
    if first is None:
        raise ReportError(_("{name} is empty").format(name=name))
    raise no_order_id(first[0])


def _not_text(path: Path, encodings: Sequence[str]) -> str:
    """Where a report stops being UTF-8 text, as one line."""
    try:
        data = path.read_bytes()
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return _("{name}, line {line}: byte 0x{byte:02x} is not text in {encodings}; save "
                 "the report as a UTF-8 CSV").format(
            name=path.name, line=data.count(b"\n", 0, exc.start) + 1, byte=data[exc.start],
            encodings=encoding_names(encodings))
    except OSError:
        pass
    return _("{name} is not text in {encodings}: save it as a UTF-8 CSV").format(
        name=path.name, encodings=encoding_names(encodings))


def _import(
    path: Path, formats: Sequence[ReportFormat], progress: Progress | None,
    force_encoding: str | None, encodings: Sequence[str],
) -> ImportResult:
    raw, text, encoding = _open_text(path, encodings)
    if force_encoding:
        text.detach()  # dropping the first wrapper would close ``raw`` under the second
        text = io.TextIOWrapper(raw, encoding=force_encoding, newline="")
    size = max(1, path.stat().st_size)
    try:
        choice, headers, delimiter, header_line, skipped = _header(text, formats, path.name)
        fast = None
        if size >= fast_orders.MIN_BYTES and not force_encoding:
            fast = fast_orders.read_fast(path, choice.columns, len(headers), header_line,
                                         delimiter, encoding)
        ids_checked = fast is not None  # (the fast path refuses a file with Excel numbers)
        if fast is None and size >= columnar.MIN_BYTES and not force_encoding:
            fast = columnar.read_columnar(path, choice.columns, len(headers), header_line,
                                          delimiter, encoding)
        distinct = False
        if fast is not None:
            table, rows, distinct = fast
            bad: list[tuple[int, str]] = []
        else:
            csv.field_size_limit(MAX_FIELD)
            reader_state = _Reader(choice.columns, len(headers), header_line)

            def tick() -> None:
                if progress:
                    progress(min(1.0, raw.tell() / size))

            _read_rows(text, delimiter, reader_state, tick, path.name)
            table, bad = reader_state.finish()
            rows = reader_state.rows
    finally:
        text.close()
    if progress:
        progress(1.0)
    if not ids_checked:
        _refuse_excel_numbers(table.order_id, path.name)
    _refuse_lost_zones(table, choice, path.name)
    if fast is None and "tracking_number" in choice.columns \
            and "tracking_valid" not in choice.columns:  # (the fast paths leave such files)
        _refuse_excel_tracking(table.text["tracking_number"], path.name)
    merged = 0 if distinct else _dedupe(table)
    fmt = choice.format
    return ImportResult(
        table, bad, fmt.id, rows, [path.name], merged,
        columns=dict(choice.headers),
        guessed=[f"{path.name}: {fmt.id}"] if choice.guessed else [],
        skipped_lines=skipped,
        format_names=[f"{path.name}: {fmt.name or fmt.id}"],
        encoding=force_encoding or encoding,
        entered=frozenset(fmt.entered) & frozenset(choice.columns),
    )


def _refuse_excel_numbers(ids: Sequence[str], name: str) -> None:
    found = excel_numbers(ids)
    if found:
        raise ReportError(ngettext(
            "{name}: {count} order id ({example}) was turned into a number by a "
            "spreadsheet (scientific notation), so its digits are lost and different "
            "orders look alike; export the report again and, if you open it in Excel, "
            "import the order id column as Text",
            "{name}: {count} order ids such as {example} were turned into numbers by a "
            "spreadsheet (scientific notation), so their digits are lost and different "
            "orders look alike; export the report again and, if you open it in Excel, "
            "import the order id column as Text", len(found)).format(
            name=name, count=len(found), example=found[0]))


def _refuse_excel_tracking(numbers: Sequence[str], name: str) -> None:
    """Tracking numbers Excel turned into numbers ("9.4001E+21"): their digits are lost,
    and a confirmation file uploaded like that gave the marketplace no valid tracking,
    which a report without a tracking_valid column would count as valid."""
    found = excel_numbers(numbers)
    if found:
        raise ReportError(ngettext(
            "{name}: {count} tracking number ({example}) was turned into a number by a "
            "spreadsheet (scientific notation), so its digits are lost and it cannot count "
            "as valid tracking; take the file as it was before a spreadsheet saved it and, "
            "if you open it in Excel, import the tracking number column as Text",
            "{name}: {count} tracking numbers such as {example} were turned into numbers by "
            "a spreadsheet (scientific notation), so their digits are lost and they cannot "
            "count as valid tracking; take the file as it was before a spreadsheet saved it "
            "and, if you open it in Excel, import the tracking number column as Text",
            len(found)).format(
            name=name, count=len(found), example=found[0]))


def _refuse_lost_zones(table: OrderTable, choice: Choice, name: str) -> None:
    """A date column its format always writes with a UTC offset (``zoned``) that holds a
    value without one: a spreadsheet rewrote it and the zone is lost (the local day may
    be off by one, "on time" may be late), so the file is refused, not misread."""
    for field_name in choice.format.zoned:
        if field_name not in choice.columns:
            continue
        kinds = table.dates[field_name].kinds
        at = max(kinds.find(bytes([NAIVE])), kinds.find(bytes([DATE])))
        if at < 0:
            continue
        when = decode_when(kinds[at], table.dates[field_name].seconds[at])
        raise ReportError(_(
            "{name}: {header} has dates without their time zone (such as {value}): the "
            "report writes them with a UTC offset (2026-11-03T10:04:31+00:00), so a "
            "spreadsheet rewrote them and the day may be off by one; import the report as "
            "downloaded, or open it in the spreadsheet with that column as Text").format(
            name=name, header=choice.headers.get(field_name, field_name),
            value=when.isoformat(sep=" ", timespec="minutes")
            if isinstance(when, datetime) else str(when)))


def import_reports(
    paths: Sequence[Path | str],
    mappings: Sequence[ReportFormat | tuple[str, Mapping]] = (),
    *,
    progress: Progress | None = None,
    encodings: Sequence[str] = DEFAULT_ENCODINGS,
) -> ImportResult:
    """Read and merge several reports; raises ReportError on the first unreadable file."""
    results = []
    for n, path in enumerate(paths):
        def part(fraction: float, n: int = n) -> None:
            if progress:
                progress((n + fraction) / len(paths))

        results.append(import_report(path, mappings, progress=part, encodings=encodings))
    if not results:
        raise ReportError(_("no report given"))
    return merge_results(results)



__all__ = [
    "AWARE", "BOOL_FIELDS", "CANCELLERS", "DATE", "DATE_FIELDS", "EPOCH_ORDINAL",
    "GENERIC_COLUMNS", "NAIVE", "NONE", "TEXT_FIELDS", "DateColumn", "ImportResult", "Order",
    "OrderTable", "ReportError", "ReportFormat", "When", "decode_when", "import_report",
    "import_reports", "mappings_for", "merge_results",
]
