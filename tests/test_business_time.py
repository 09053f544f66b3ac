"""Reply windows in business time: the calendar's weekends and holidays, and the
business hours a message metric states (``business_hours``), against elapsed time."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from appealdesk.deadlines.business_time import business_seconds, in_hours
from appealdesk.metrics.case_messages import _no_messages
from appealdesk.metrics.conversations import MessageEvaluation, compute_message_metrics
from appealdesk.policy.loading import load_policies, parse_policy_text, shipped_policy_texts
from appealdesk.policy.types import BusinessHours, PolicyError
from appealdesk.reports.conversations import read_messages

LA = ZoneInfo("America/Los_Angeles")
NINE_TO_SIX = BusinessHours(9 * 60, 18 * 60)
HEADER = ("message-id,amazon-order-id,received-date,first-response-date,response-needed,"
          "auto-reply,channel,agent")
HOURS = 'business_hours = { start = "09:00", end = "18:00", source = "test: 09:00-18:00" }'


def _s(*args: int) -> float:
    return datetime(*args, tzinfo=LA).timestamp()


@pytest.fixture(scope="module")
def calendar():
    return load_policies().get("amazon").calendar


def test_a_weekend_counts_nothing_and_only_business_hours_count(calendar):
    # Friday 17:00 -> Monday 10:00: one hour on Friday, one on Monday.
    friday, monday = _s(2026, 11, 6, 17, 0), _s(2026, 11, 9, 10, 0)
    assert business_seconds(friday, monday, calendar, NINE_TO_SIX) == 2 * 3600
    assert business_seconds(friday, monday, calendar) == (7 + 10) * 3600  # whole days


def test_a_holiday_counts_nothing(calendar):
    # Wednesday 20:00 -> Friday 15:00 over Thanksgiving (Thursday 26 November 2026).
    wed, fri = _s(2026, 11, 25, 20, 0), _s(2026, 11, 27, 15, 0)
    assert business_seconds(wed, fri, calendar, NINE_TO_SIX) == 6 * 3600
    assert business_seconds(wed, fri, calendar) == (4 + 15) * 3600


def test_a_night_counts_nothing_in_business_hours(calendar):
    assert business_seconds(_s(2026, 11, 16, 19, 0), _s(2026, 11, 17, 8, 0), calendar,
                            NINE_TO_SIX) == 0


def _policy(clock_lines: str):
    _origin, text = shipped_policy_texts()["amazon"]
    return parse_policy_text(text.replace('clock = "elapsed"', clock_lines), "test",
                             check_holidays=False)


ROWS = [
    "W1,1,2026-11-06T17:00:00-08:00,2026-11-09T10:00:00-08:00,yes,no,bsm,lily",  # weekend
    "H1,2,2026-11-25T20:00:00-08:00,2026-11-27T15:00:00-08:00,yes,no,bsm,lily",  # holiday
    "N1,3,2026-11-16T19:00:00-08:00,2026-11-17T08:00:00-08:00,yes,no,bsm,lily",  # night
    "L1,4,2026-11-16T09:00:00-08:00,2026-11-19T10:00:00-08:00,yes,no,bsm,lily",  # 28 h of hours
]


def _late(policy, tmp_path) -> list[str]:
    path = tmp_path / "m.csv"
    path.write_text("\n".join([HEADER, *ROWS]) + "\n", encoding="utf-8")
    results = compute_message_metrics(read_messages([path], policy), policy, date(2026, 11, 30))
    return next(r for r in results if r.id == "contact_response_24h_30d").messages


def test_the_policy_says_how_the_reply_window_is_counted(tmp_path):
    assert _late(_policy('clock = "elapsed"'), tmp_path) == ["W1", "H1", "L1"]
    assert _late(_policy('clock = "business"'), tmp_path) == ["L1"]  # whole business days
    with_hours = _policy(f'clock = "business"\n{HOURS}')
    metric = with_hours.message_metrics[0]
    assert metric.business_hours == BusinessHours(540, 1080, "test: 09:00-18:00")
    assert _late(with_hours, tmp_path) == ["L1"]  # Mon, Tue, Wed 9 h each + 1 h Thursday


def test_a_business_day_in_business_hours_is_those_hours_long(tmp_path):
    policy = _policy(f'clock = "business"\n{HOURS}')
    text_policy = policy.raw
    assert text_policy is not None
    _origin, text = shipped_policy_texts()["amazon"]
    text = text.replace('clock = "elapsed"', f'clock = "business"\n{HOURS}').replace(
        'reply_within = { hours = 24,', 'reply_within = { business_days = 1,')
    one_day = parse_policy_text(text, "test", check_holidays=False)
    # Friday 17:00 -> Monday 10:00 is 2 h of a 9 h business day: in time; Monday 09:00 ->
    # Tuesday 10:00 is 10 h: late.
    assert _late(one_day, tmp_path) == ["L1"]
    path = tmp_path / "d.csv"
    path.write_text("\n".join([HEADER, "D1,5,2026-11-16T09:00:00-08:00,"
                               "2026-11-17T10:00:00-08:00,yes,no,bsm,lily"]) + "\n")
    (r, *_rest) = [r for r in compute_message_metrics(read_messages([path], one_day), one_day,
                                                      date(2026, 11, 30))
                   if r.id == "contact_response_24h_30d"]
    assert r.messages == ["D1"]


@pytest.mark.parametrize("lines,problem", [
    ('clock = "elapsed"\n' + HOURS, 'counts only with clock = "business"'),
    ('clock = "business"\nbusiness_hours = { start = "09:00", end = "25:00", source = "x" }',
     "must be a time of day"),
    ('clock = "business"\nbusiness_hours = { start = "18:00", end = "09:00", source = "x" }',
     "must be later than start"),
    ('clock = "business"\nbusiness_hours = { start = "09:00", end = "18:00" }',
     "no 'source' note"),
])
def test_the_policy_checks_business_hours(lines, problem):
    with pytest.raises(PolicyError) as err:
        _policy(lines)
    assert any(problem in p for p in err.value.problems), err.value.problems


# --------------------------------------------------------------------------
# Service hours on every day (JD: 09:00-23:00, weekends and holidays included)
# --------------------------------------------------------------------------

SHANGHAI = ZoneInfo("Asia/Shanghai")
EVERY_DAY = BusinessHours(9 * 60, 23 * 60, "test", days="every")
JD_HEADER = "会话ID,咨询时间,首次人工回复时间,是否机器人回复,是否骚扰会话"


def _cn(*args: int) -> float:
    return datetime(*args, tzinfo=SHANGHAI).timestamp()


@pytest.fixture(scope="module")
def jd():
    return load_policies().get("jd")


def test_service_hours_count_on_a_weekend_and_a_holiday(jd):
    # Saturday 3 October 2026 is in China's National Day holiday: the hours still count.
    assert business_seconds(_cn(2026, 10, 3, 10, 0), _cn(2026, 10, 3, 10, 2), jd.calendar,
                            EVERY_DAY) == 120
    on_business_days = BusinessHours(9 * 60, 23 * 60, "test")
    assert business_seconds(_cn(2026, 10, 3, 10, 0), _cn(2026, 10, 3, 10, 2), jd.calendar,
                            on_business_days) == 0


def test_a_message_at_23_30_answered_at_09_02_waited_2_minutes_of_service_time(jd):
    night, morning = _cn(2026, 10, 10, 23, 30), _cn(2026, 10, 11, 9, 2)  # Sat -> Sun
    assert business_seconds(night, morning, jd.calendar, EVERY_DAY) == 120
    assert not in_hours(night, jd.calendar, EVERY_DAY)
    assert in_hours(_cn(2026, 10, 10, 22, 59), jd.calendar, EVERY_DAY)
    assert not in_hours(_cn(2026, 10, 10, 23, 0), jd.calendar, EVERY_DAY)  # end excluded


def _jd_run(policy, tmp_path, rows: list[str]):
    path = tmp_path / "dd.csv"
    path.write_text("\n".join([JD_HEADER, *rows]) + "\n", encoding="utf-8")
    (r,) = compute_message_metrics(read_messages([path], policy), policy, date(2026, 11, 5))
    return r


JD_ROWS = [
    "A,2026-10-10 23:30:00,2026-10-11 09:02:00,否,否",  # after hours: a 留言
    "B,2026-10-10 22:59:00,2026-10-11 09:01:00,否,否",  # 1 min + 1 min of service time
    "C,2026-10-04 15:00:00,2026-10-04 15:04:00,否,否",  # a holiday Sunday: 4 minutes, late
    "D,2026-10-05 09:00:00,2026-10-05 09:03:00,否,否",  # 3 minutes: in time
    "E,2026-10-12 23:00:00,2026-10-12 23:05:00,否,否",  # at closing time: after hours
]


def test_jd_counts_3_minutes_in_its_service_hours_and_leaves_night_messages_out(
        jd, tmp_path):
    metric = jd.message_metrics[0]
    assert metric.business_hours is not None and metric.business_hours.days == "every"
    assert metric.business_hours.source.startswith("H:")
    r = _jd_run(jd, tmp_path, JD_ROWS)
    assert r.excluded == {"outside_hours": 2}
    assert (r.numerator, r.denominator, r.messages) == (2, 3, ["C"])


def test_without_the_exclusion_a_night_message_waits_for_the_opening(jd, tmp_path):
    _origin, text = shipped_policy_texts()["jd"]
    text = text.replace('exclude = ["automatic", "spam", "outside_hours"]',
                        'exclude = ["automatic", "spam"]')
    policy = parse_policy_text(text, "test", check_holidays=False)
    r = _jd_run(policy, tmp_path, JD_ROWS)
    # E waits for 09:00: its 23:05 reply took no service time
    assert r.excluded == {} and (r.numerator, r.denominator, r.messages) == (4, 5, ["C"])


@pytest.mark.parametrize("change,problem", [
    ('days = "every"', 'days = "weekdays"'),
    ('end = "23:00", days', 'end = "08:00", days'),
])
def test_bad_service_hours_are_refused(change, problem):
    _origin, text = shipped_policy_texts()["jd"]
    assert change in text
    with pytest.raises(PolicyError, match="business_hours"):
        parse_policy_text(text.replace(change, problem), "test", check_holidays=False)


def test_outside_hours_needs_business_hours():
    _origin, text = shipped_policy_texts()["jd"]
    start = text.index("business_hours = {")
    text = text[:start] + text[text.index("\n", start) + 1:]
    with pytest.raises(PolicyError, match="outside_hours"):
        parse_policy_text(text, "test", check_holidays=False)


@settings(max_examples=150, deadline=None)
@given(pairs=st.lists(st.tuples(st.integers(0, 400 * 24 * 60), st.integers(0, 4 * 24 * 60)),
                      min_size=1, max_size=30),
       opens=st.integers(0, 23 * 60), length=st.integers(1, 24 * 60))
def test_the_vector_count_of_every_day_hours_agrees_with_the_day_by_day_one(
        pairs, opens, length):
    """Over 400 days of Los Angeles time (two clock changes a year) and any hours."""
    policy = load_policies().get("amazon")
    hours = BusinessHours(opens, min(opens + length, 1440), "test", days="every")
    metric = replace(policy.message_metrics[0], clock="business", business_hours=hours)
    ev = MessageEvaluation(_no_messages(), policy)
    base = _s(2026, 1, 1, 0, 0)
    start = np.array([base + a * 60.0 for a, _d in pairs])
    end = np.array([base + (a + d) * 60.0 for a, d in pairs])
    got = ev.business_taken(metric, start, end)
    want = [business_seconds(a, b, policy.calendar, hours)
            for a, b in zip(start.tolist(), end.tolist(), strict=True)]
    assert got.tolist() == pytest.approx(want, abs=1e-6)
