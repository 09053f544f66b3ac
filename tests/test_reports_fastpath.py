"""The importer's and the metric engine's fast paths agree with their general paths."""

from __future__ import annotations

import math
from dataclasses import astuple
from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from appealdesk.metrics.engine import Evaluation
from appealdesk.policy.loading import load_policies
from appealdesk.reports import orders as reports
from appealdesk.reports import reader
from appealdesk.reports.iso_columns import parse_iso_column
from appealdesk.reports.local_days import ZoneClock
from appealdesk.reports.orders import (
    GENERIC_COLUMNS,
    NONE,
    Order,
    OrderTable,
    _DateCache,
    _fast_iso,
    import_report,
)

HEADER = ",".join(GENERIC_COLUMNS)
# Fields drawn from a small alphabet holding everything csv.reader treats specially.
CELL = st.text(alphabet=",;\t\n\r\" aZ1-:T", max_size=6)
LINE = st.lists(st.sampled_from(["A1", "2026-11-03", "yes", "seller", "", " x "]) | CELL,
                min_size=0, max_size=20)


def _result(path):
    try:
        r = import_report(path)
    except reports.ReportError as exc:
        return ("error", str(exc))
    return ([astuple(o) for o in r.orders], r.bad_rows, r.rows, r.merged)


@settings(max_examples=150, deadline=None)
@given(lines=st.lists(LINE, max_size=12), ending=st.sampled_from(["\n", "\r\n", ""]),
       delimiter=st.sampled_from([",", ";", "\t"]), block=st.sampled_from([16, 64, 1 << 19]))
def test_plain_blocks_read_exactly_as_csv_reader(tmp_path_factory, lines, ending, delimiter,
                                                  block):
    text = HEADER.replace(",", delimiter) + "\n" + "\n".join(
        delimiter.join(cells) for cells in lines) + ending
    path = tmp_path_factory.mktemp("plain") / "orders.csv"
    path.write_bytes(text.encode("utf-8"))
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(reader, "BLOCK_CHARS", block)  # block edges inside small files
        fast = _result(path)
        mp.setattr(reader, "_add_plain", lambda body, delimiter, state: False)
        general = _result(path)  # everything through csv.reader
    assert fast == general


def test_plain_and_csv_paths_mix_in_one_file(tmp_path, monkeypatch):
    """Plain blocks first, then a quoted field with a line break: line numbers carry on."""
    monkeypatch.setattr(reader, "BLOCK_CHARS", 64)
    rows = [f"A{i},2026-11-03" + "," * (len(GENERIC_COLUMNS) - 2) for i in range(20)]
    rows.append('A20,2026-11-03' + "," * 15 + '"two\nlines"')
    rows.append("A21,nope" + "," * (len(GENERIC_COLUMNS) - 2))
    path = tmp_path / "orders.csv"
    path.write_text(HEADER + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    result = import_report(path)
    assert len(result.orders) == 21
    assert result.orders[20].return_reason == "two\nlines"
    assert [line for line, _ in result.bad_rows] == [24]


def test_lines_whose_widths_even_out_are_reported_not_shifted(tmp_path):
    """One line a field short and the next a field long add up to the right count."""
    n = len(GENERIC_COLUMNS)
    rows = ["A1,2026-11-03" + "," * (n - 3), "A2,2026-11-03" + "," * (n - 1),
            "A3,2026-11-03" + "," * (n - 2)]
    path = tmp_path / "orders.csv"
    path.write_text(HEADER + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    result = import_report(path)
    assert [o.order_id for o in result.orders] == ["A3"]
    assert [line for line, _ in result.bad_rows] == [2, 3]


# Years a report may hold (cases.clock.sane_year); others are bad rows, below.
MOMENTS = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 12, 31))
ZONES = st.sampled_from([None, UTC, timezone(timedelta(hours=8)),
                         timezone(timedelta(hours=-5, minutes=-30))])


# Short and odd ISO forms Python accepts: the fast path must read them the same or decline.
ODD = st.sampled_from([
    "2026-11-03", "20261103", "2026-11-03+00:00", "2026-W45-2T10:00+01:00", "20261103T10Z",
    "2026-307T10:00Z", "2026-11-03T10", "nope", " 2026-11-03T10:00"])


@settings(max_examples=150, deadline=None)
@given(values=st.lists(st.tuples(MOMENTS, st.booleans()), min_size=1, max_size=30),
       zone=ZONES, sep=st.sampled_from(["T", " "]), odd=st.lists(ODD, max_size=2))
def test_fast_iso_agrees_with_the_general_parser(values, zone, sep, odd):
    col = [m.replace(tzinfo=zone).isoformat(sep=sep) if keep else "" for m, keep in values]
    col[:len(odd)] = odd
    fast = _fast_iso(col)
    cache = _DateCache()
    expected = [cache.parse(raw) if raw else (NONE, 0.0) for raw in col]
    if fast is None:
        assert odd or all(raw == "" for raw in col)
        return
    kinds, seconds = fast
    assert list(kinds) == [k for k, _ in expected]
    assert list(seconds) == [s for _, s in expected]


AMAZON = load_policies().get("amazon")  # America/Los_Angeles: DST inside the range
# Zones with quarter- and half-hour offsets, DST changes at midnight (Santiago) and none.
CLOCK_ZONES = st.sampled_from(["America/Los_Angeles", "America/Santiago", "Asia/Kathmandu",
                               "Australia/Lord_Howe", "Europe/London", "Asia/Shanghai"])
WHEN = st.one_of(
    st.none(),
    st.dates(min_value=date(2000, 1, 1), max_value=date(2030, 12, 31)),
    st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2030, 12, 31)),
    st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2030, 12, 31)).map(
        lambda m: m.replace(tzinfo=UTC)),
)


def _local_day(value, zone):
    if isinstance(value, datetime):
        value = value.astimezone(zone).date() if value.tzinfo else value.date()
    return (value - date(1970, 1, 1)).days


def _instant(value, zone):
    if not isinstance(value, datetime):
        value = datetime.combine(value, datetime.min.time())
    # Text read from a report has no fold: an ambiguous wall time is its first occurrence.
    return value.timestamp() if value.tzinfo else value.replace(tzinfo=zone, fold=0).timestamp()


@settings(max_examples=200, deadline=None)
@given(pairs=st.lists(st.tuples(WHEN, WHEN), min_size=1, max_size=25), zone_name=CLOCK_ZONES,
       same_kind=st.booleans())
def test_local_days_instants_and_late_follow_the_rules_order_by_order(pairs, zone_name, same_kind):
    """The vectorised days, instants and "late" against the rules written out per order."""
    if same_kind:  # one kind per column, as exports have them
        pairs = [(a if isinstance(a, datetime) and a.tzinfo else None,
                  b if b is not None and not isinstance(b, datetime) else None)
                 for a, b in pairs]
    zone = ZoneInfo(zone_name)
    table = OrderTable.from_orders(
        Order(f"A{i}", shipped_at=a, ship_by=b) for i, (a, b) in enumerate(pairs))
    ev = Evaluation(table, AMAZON)
    ev.clock = ZoneClock(zone)
    for name, column in (("shipped_at", 0), ("ship_by", 1)):
        days, instants = ev.local_days(name), ev.instants(name)
        for i, pair in enumerate(pairs):
            value = pair[column]
            if value is not None:
                assert days[i] == _local_day(value, zone), (name, value)
                assert instants[i] == _instant(value, zone), (name, value)
    expected = 0
    for i, (a, b) in enumerate(pairs):
        if a is None or b is None:
            continue
        if not isinstance(a, datetime) or not isinstance(b, datetime):
            late = _local_day(a, zone) > _local_day(b, zone)
        else:
            late = _instant(a, zone) > _instant(b, zone)
        expected |= late << (8 * i)  # one byte per order
    assert ev.after("shipped_at", "ship_by") == expected


@pytest.mark.parametrize("zone_name", ["America/Los_Angeles", "America/Santiago",
                                       "Australia/Lord_Howe", "Asia/Kathmandu"])
def test_local_days_and_instants_are_exact_around_every_2026_zone_change(zone_name):
    """Every 7.5 minutes through the months holding 2026's changes, aware and naive."""
    zone = ZoneInfo(zone_name)
    start = datetime(2026, 3, 1)
    steps = [start + timedelta(minutes=7.5 * k) for k in range(0, 250 * 192)]
    for moments in (steps, [m.replace(tzinfo=UTC) for m in steps]):
        table = OrderTable.from_orders(Order(f"A{i}", order_date=m) for i, m in enumerate(moments))
        clock = ZoneClock(zone)
        days = clock.days(table.dates["order_date"])
        instants = clock.instants(table.dates["order_date"])
        assert list(days) == [_local_day(m, zone) for m in moments]
        assert list(instants) == [_instant(m, zone) for m in moments]


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), aware_share=st.sampled_from([0.3, 0.5, 0.7, 0.95, 1.0]),
       zone_name=CLOCK_ZONES)
def test_local_days_of_a_long_mixed_column_are_each_values_own(seed, aware_share, zone_name):
    """Thousands of values across a year's zone changes, aware ones among naive,
    bare dates and absent ones in any share: a column mostly aware is computed
    in place, one mostly not by gathering the aware values; both give each
    value's own day."""
    import random

    rng, zone = random.Random(seed), ZoneInfo(zone_name)
    values: list[date | datetime | None] = []
    for _ in range(3000):
        moment = datetime(2026, 1, 1) + timedelta(seconds=rng.randrange(366 * 86400))
        roll = rng.random()
        values.append(moment.replace(tzinfo=UTC) if roll < aware_share else
                      rng.choice([None, moment, moment.date()]))
    table = OrderTable.from_orders(Order(f"A{i}", order_date=v) for i, v in enumerate(values))
    days = ZoneClock(zone).days(table.dates["order_date"])
    assert days.tolist() == [_local_day(v, zone) if v is not None else 0 for v in values]


@pytest.mark.parametrize("zone_name", ["America/Los_Angeles", "Asia/Shanghai"])
def test_dates_at_the_edge_of_the_calendar_are_read(zone_name):
    """Exports write 9999-12-31 for "never"; the day after is no datetime, but it is
    only asked for its offset."""
    zone = ZoneInfo(zone_name)
    moments = [datetime(9999, 12, 31, 0, 0), datetime(9999, 12, 31, 0, 0, tzinfo=UTC),
               datetime(9999, 12, 31, 12, 0, tzinfo=UTC), datetime(1, 1, 1, 12, 0, tzinfo=UTC),
               datetime(1, 1, 1, 12, 0), datetime(2026, 11, 1, 10, 0, tzinfo=UTC)]
    for moment in moments:
        table = OrderTable.from_orders([Order("A1", order_date=moment)])
        clock = ZoneClock(zone)
        assert list(clock.days(table.dates["order_date"])) == [_local_day(moment, zone)]
        assert list(clock.instants(table.dates["order_date"])) == [_instant(moment, zone)]


def test_a_stray_far_off_date_does_not_change_the_others():
    """One typo decades away: the day table covers only the days that occur."""
    moments = [datetime(2026, 11, 1, 8, 30, tzinfo=UTC), datetime(2126, 3, 1, 8, 30, tzinfo=UTC)]
    table = OrderTable.from_orders(Order(f"A{i}", order_date=m) for i, m in enumerate(moments))
    days = ZoneClock(ZoneInfo("America/Los_Angeles")).days(table.dates["order_date"])
    assert list(days) == [_local_day(m, ZoneInfo("America/Los_Angeles")) for m in moments]


# ISO columns written alike are read by numpy (iso_columns); the general parser is the reference.
LAYOUT = st.fixed_dictionaries({
    "clock": st.sampled_from(["", "%H:%M", "%H:%M:%S"]),
    "fraction": st.sampled_from([0, 3, 6]),
    "zone": st.sampled_from(["", "Z", "+HHMM", "+HH:MM"]),
    "sep": st.sampled_from(["T", " "]),
})


def _written(moment: datetime, layout: dict, offset_minutes: int) -> str:
    if not layout["clock"]:
        return moment.strftime("%Y-%m-%d")
    text = moment.strftime(f"%Y-%m-%d{layout['sep']}{layout['clock']}")
    if layout["clock"] == "%H:%M:%S" and layout["fraction"]:
        text += "." + f"{moment.microsecond:06d}"[:layout["fraction"]]
    if layout["zone"] == "Z":
        text += "Z"
    elif layout["zone"]:
        sign = "-" if offset_minutes < 0 else "+"
        hours, minutes = divmod(abs(offset_minutes), 60)
        text += f"{sign}{hours:02d}" + (":" if ":" in layout["zone"] else "") + f"{minutes:02d}"
    return text


def _general(values):
    cache = _DateCache()
    return [cache.parse(value) for value in values]


@settings(max_examples=200, deadline=None)
@given(moments=st.lists(st.datetimes(min_value=datetime(2000, 1, 1),
                                     max_value=datetime(2100, 12, 31)), min_size=1, max_size=40),
       layout=LAYOUT, offsets=st.lists(st.integers(-23 * 60 - 59, 23 * 60 + 59), min_size=1))
def test_iso_columns_written_alike_are_read_in_bulk_exactly(moments, layout, offsets):
    values = [_written(m, layout, offsets[i % len(offsets)]) for i, m in enumerate(moments)]
    bulk = parse_iso_column(values)
    assert bulk is not None, values[:3]  # every value is valid and alike: the fast path takes it
    kind, seconds = bulk
    assert [(kind, s) for s in seconds] == _general(values)


@settings(max_examples=300, deadline=None)
@given(moments=st.lists(st.datetimes(min_value=datetime(1900, 1, 1),
                                     max_value=datetime(2200, 12, 31)), min_size=1, max_size=8),
       layout=LAYOUT, row=st.integers(0, 7), position=st.integers(0, 40),
       char=st.sampled_from("0123456789-:T +Z.x\x00é9"), cut=st.booleans())
def test_iso_columns_with_one_odd_value_are_read_exactly_or_declined(
        moments, layout, row, position, char, cut):
    values = [_written(m, layout, 330) for m in moments]
    row %= len(values)
    value = values[row]
    position %= len(value) + 1
    values[row] = value[:position] + ("" if cut else char) + value[position + 1:]
    bulk = parse_iso_column(values)
    if bulk is not None:
        kind, seconds = bulk
        assert [(kind, s) for s in seconds] == _general(values)


@pytest.mark.parametrize("far", ["9999-12-31", "0001-01-01", "1999-12-31T23:59:59",
                                 "2101-01-01T00:00:00+00:00", "9999-12-31T10:00:00Z",
                                 "31/12/9999", "9999年12月31日"])
def test_a_year_outside_the_sane_range_is_a_bad_row_with_its_reason(tmp_path, far):
    """A 9999 or 0001 in a report is a placeholder or a typo: a bad row saying so, on
    every path (numpy, fromisoformat, per value), never a date or a silent "never"."""
    pad = "," * (len(GENERIC_COLUMNS) - 2)
    rows = [f"A{i},2026-11-0{i}T10:00:00+00:00{pad}" for i in range(1, 5)]
    rows[1] = f"A2,{far}{pad}"
    path = tmp_path / "orders.csv"
    path.write_text(HEADER + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    result = import_report(path)
    assert [o.order_id for o in result.orders] == ["A1", "A3", "A4"]
    ((line, why),) = result.bad_rows
    assert line == 3 and "is outside 2000-2100" in why


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(
    st.floats(min_value=-6.3e10, max_value=2.6e11, allow_nan=False),  # years 1 to 9999
    st.integers(min_value=-730_000, max_value=3_000_000).map(lambda d: d * 86400.0),
    st.integers(min_value=-730_000, max_value=3_000_000).map(lambda d: d * 86400.0 - 1e-6)),
    min_size=1, max_size=50))
def test_a_stamp_falls_on_its_exact_day(seconds):
    """Day numbers are exact at every day's edge (a float division rounds there)."""
    from fractions import Fraction

    import numpy as np

    from appealdesk.reports.local_days import _floor_days

    got = _floor_days(np, np.array(seconds, dtype=np.float64)).tolist()
    assert got == [math.floor(Fraction(s) / 86400) for s in seconds]
