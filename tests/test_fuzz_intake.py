"""Fuzz: whatever is pasted into intake, the answer is a case or one line, and the folder
keeps working for everyone (a notice dated 9999 used to stop ``list`` for every operator)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.fuzz_support import (
    DATES,
    FUZZ,
    LINE_TEXT,
    WILD_TEXT,
    assert_clean,
    assert_folder_still_works,
    make_folder,
    run,
)


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    return make_folder(tmp_path_factory.mktemp("fuzz-intake"))


NOTICE = st.builds(
    lambda subject, date, case_id, store, rate, orders, stated, noise: (
        f"Subject: {subject}\nDate: {date}\nCase ID: {case_id}\nStore: {store}\n"
        f"Your Late Shipment Rate for the last 7 days is {rate}%.\n"
        f"Orders: {', '.join(orders)}\n{stated}\n{noise}\n"),
    subject=LINE_TEXT,
    date=DATES,
    case_id=st.one_of(st.from_regex(r"PERF-[0-9A-Z]{6,10}", fullmatch=True), LINE_TEXT),
    store=LINE_TEXT,
    rate=st.one_of(st.floats(allow_nan=True, allow_infinity=True).map(str), LINE_TEXT),
    orders=st.lists(st.one_of(st.from_regex(r"NSA[0-9]{10}", fullmatch=True), LINE_TEXT),
                    max_size=5),
    stated=st.one_of(
        st.builds("Please respond by {}.".format, DATES),
        st.builds("Please respond within {} days.".format, st.integers(-10, 10**12)),
        st.builds("请在{}小时内申诉".format, st.integers(0, 10**9)),
        LINE_TEXT),
    noise=WILD_TEXT,
)


@FUZZ
@given(notice=st.one_of(NOTICE.map(lambda t: t.encode("utf-8", "surrogatepass")),
                        NOTICE.map(lambda t: t.encode("gb18030", "replace")),
                        st.binary(max_size=2000)),
       platform=st.sampled_from([None, "noon", "amazon", "jd", "unknown", "nope"]),
       received=st.one_of(st.none(), DATES),
       dry_run=st.booleans())
def test_any_notice_is_a_case_or_one_line(data, tmp_path_factory, notice, platform, received,
                                          dry_run):
    path = tmp_path_factory.mktemp("n") / "notice.txt"
    path.write_bytes(notice)
    args = ["intake", str(path)]
    if platform:
        args += ["--platform", platform]
    if received is not None:
        args += ["--received", received]
    if dry_run:
        args.append("--dry-run")
    code, _out, err = run(data, *args)
    assert_clean(code, err)
    assert_folder_still_works(data)


def test_a_notice_dated_9999_is_refused_and_list_still_works(data, tmp_path):
    path = tmp_path / "far.txt"
    path.write_text("Subject: alert\nDate: 9999-12-31T23:00:00+00:00\nCase ID: PERF-999999\n"
                    "Your Late Shipment Rate is 5.1%.\nPlease respond within 72 hours.\n")
    code, _out, err = run(data, "intake", str(path))
    assert code == 2 and "outside the years 2000-2100" in err and err.count("\n") == 1
    code, _out, err = run(data, "intake", str(path), "--received", "2026-11-19T08:00+03:00")
    assert code == 0, err  # the operator gives the real date: the case is made
    assert_folder_still_works(data)


def test_a_stated_deadline_in_9999_is_not_taken(data, tmp_path):
    path = tmp_path / "placeholder.txt"
    path.write_text("Subject: alert\nDate: 2026-11-19T08:00:00+03:00\nCase ID: PERF-888888\n"
                    "Your Late Shipment Rate is 5.1%.\nPlease respond by 9999-12-31.\n")
    code, out, err = run(data, "intake", str(path), "--json")
    assert code == 0, err
    assert '"stated_deadline"' not in out
    assert_folder_still_works(data)
