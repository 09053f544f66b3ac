"""Reply windows in business time: the calendar's weekends and holidays, and the
business hours a message metric states (``business_hours``), against elapsed time."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from appealdesk.deadlines.business_time import business_seconds
from appealdesk.metrics.conversations import compute_message_metrics
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
