"""The deadline engine: elapsed windows, business days, holidays, zones, DST, formatting."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from appealdesk.cases.model import Case, HistoryEntry, Notification, Status, Submission
from appealdesk.deadlines.display import Urgency, between, format_time_left, parse_span, urgency
from appealdesk.deadlines.windows import (
    add_business_days,
    add_duration,
    appeal_limits,
    case_due,
    holiday_dates,
    is_business_day,
    response_deadline,
)
from appealdesk.policy.loading import load_policies
from appealdesk.policy.types import Calendar, Duration, ResponseRule

POLICIES = load_policies()
NOON = POLICIES.get("noon")
AMAZON = POLICIES.get("amazon")
JOOM = POLICIES.get("joom")
JD = POLICIES.get("jd")
# type ids are looked up: the shipped policies are data that may be renamed
NOON_TYPE = NOON.notification_types[0].id
AMAZON_TYPE = next(t.id for t in AMAZON.notification_types
                   if (t.response.window.unit, t.response.window.amount) == ("calendar_days", 17))

RIYADH = Calendar("Asia/Riyadh", ("fri", "sat"), "SA")
DUBAI = Calendar("Asia/Dubai", ("sat", "sun"), "AE")
SHANGHAI = Calendar("Asia/Shanghai", ("sat", "sun"), "CN")
LOS_ANGELES = Calendar("America/Los_Angeles", ("sat", "sun"), "US")
RIGA = Calendar("Europe/Riga", ("sat", "sun"), "LV")
CALENDARS = [RIYADH, DUBAI, SHANGHAI, LOS_ANGELES, RIGA]

ZONES = [UTC, ZoneInfo("Asia/Riyadh"), ZoneInfo("America/Los_Angeles"), ZoneInfo("Asia/Shanghai")]
moments = st.datetimes(
    min_value=datetime(2025, 1, 1), max_value=datetime(2027, 12, 31),
    timezones=st.sampled_from(ZONES), allow_imaginary=False,
)
calendars = st.sampled_from(CALENDARS)
durations = st.one_of(
    st.builds(Duration, st.integers(1, 400), st.just("hours")),
    st.builds(Duration, st.integers(1, 40), st.just("calendar_days")),
    st.builds(Duration, st.integers(1, 30), st.just("business_days")),
)


def make_case(marketplace: str, type_: str, received: datetime, **kw) -> Case:
    return Case(
        id=f"{marketplace}-x",
        marketplace=marketplace,
        created=received,
        notification=Notification(type=type_, received=received, **kw),
    )


# -- properties --------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(start=moments, duration=durations, calendar=calendars, extend=st.booleans())
def test_deadline_never_precedes_received(start, duration, calendar, extend):
    due = add_duration(start, duration, calendar, holidays_extend=extend)
    assert due > start
    assert due.tzinfo is not None


@settings(max_examples=200, deadline=None)
@given(start=moments, n=st.integers(1, 25), calendar=calendars)
def test_business_days_land_on_a_business_day_and_count_exactly(start, n, calendar):
    due = add_business_days(start, n, calendar)
    zone = calendar.zone
    start_day = start.astimezone(zone).date()
    due_day = due.astimezone(zone).date()
    assert is_business_day(due_day, calendar)
    between = sum(
        1
        for i in range(1, (due_day - start_day).days)
        if is_business_day(start_day + timedelta(days=i), calendar)
    )
    assert between == (n - 1 if is_business_day(start_day, calendar) else n)


@settings(max_examples=150, deadline=None)
@given(start=moments, n=st.integers(1, 20), calendar=calendars)
def test_business_days_keep_the_local_time_of_day(start, n, calendar):
    local = start.astimezone(calendar.zone)
    due = add_business_days(start, n, calendar).astimezone(calendar.zone)
    if is_business_day(local.date(), calendar):
        # same wall time, except when DST skips that wall time on the due day
        assert (due.hour, due.minute) == (local.hour, local.minute) or due.dst() != local.dst()
    else:
        assert (due.hour, due.minute) == (0, 0)


@settings(max_examples=200, deadline=None)
@given(start=moments, hours=st.integers(1, 400), calendar=calendars)
def test_hours_without_extension_are_exact_elapsed_time(start, hours, calendar):
    due = add_duration(start, Duration(hours, "hours"), calendar, holidays_extend=False)
    assert between(start, due) == timedelta(hours=hours)


@settings(max_examples=100, deadline=None)
@given(start=moments, days=st.integers(1, 30))
def test_holiday_extension_is_whole_days_one_per_holiday(start, days):
    base = add_duration(start, Duration(days, "calendar_days"), SHANGHAI)
    extended = add_duration(start, Duration(days, "calendar_days"), SHANGHAI, holidays_extend=True)
    extra = extended - base
    assert extra >= timedelta(0)
    assert extra % timedelta(days=1) == timedelta(0)


@settings(max_examples=100, deadline=None)
@given(start=st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2026, 12, 28),
                          timezones=st.just(ZoneInfo("Asia/Riyadh"))))
def test_noon_72_hours_are_never_extended(start):
    case = make_case("noon", NOON_TYPE, start)
    deadline = response_deadline(case, NOON)
    assert between(start, deadline.due) == timedelta(hours=72)
    assert deadline.target is None or start < deadline.target < deadline.due


# -- examples ------------------------------------------------------------------


def test_holiday_inside_noon_window_does_not_extend_it():
    # 23 September is Saudi National Day; the window 22 Sep 10:00 -> 25 Sep 10:00 spans it.
    assert date(2026, 9, 23) in holiday_dates("SA", None, 2026)
    received = datetime(2026, 9, 22, 10, 0, tzinfo=ZoneInfo("Asia/Riyadh"))
    deadline = response_deadline(make_case("noon", NOON_TYPE, received), NOON)
    assert deadline.due == datetime(2026, 9, 25, 10, 0, tzinfo=ZoneInfo("Asia/Riyadh"))
    assert deadline.source == "policy"


def test_holidays_extend_a_calendar_window_when_the_policy_says_so():
    # CN National Day 1-7 October 2026 inside a 7-day window from 30 September.
    zone = ZoneInfo("Asia/Shanghai")
    start = datetime(2026, 9, 30, 12, 0, tzinfo=zone)
    plain = add_duration(start, Duration(7, "calendar_days"), SHANGHAI)
    extended = add_duration(start, Duration(7, "calendar_days"), SHANGHAI, holidays_extend=True)
    assert plain == datetime(2026, 10, 7, 12, 0, tzinfo=zone)
    # the library lists 1, 2, 3, 5, 6, 7 October (4 October is a Sunday): six days more
    holidays_in_window = [d for d in holiday_dates("CN", None, 2026)
                          if date(2026, 10, 1) <= d <= date(2026, 10, 13)]
    assert len(holidays_in_window) == 6
    assert extended == datetime(2026, 10, 13, 12, 0, tzinfo=zone)
    # and through a policy that says so (test-local: the shipped ones may change)
    ntype = AMAZON.notification_types[0]
    local = replace(
        AMAZON,
        calendar=SHANGHAI,
        sites=(),
        notification_types=(
            replace(ntype, response=ResponseRule(Duration(7, "calendar_days"), True)),
        ),
    )
    case = make_case("local", ntype.id, start)
    assert response_deadline(case, local).due == extended


def test_weekends_never_extend_a_calendar_window():
    # No holidays between 2 and 9 March 2026 in Latvia: a weekend is not an extension.
    start = datetime(2026, 3, 2, 9, 0, tzinfo=ZoneInfo("Europe/Riga"))
    due = add_duration(start, Duration(7, "calendar_days"), RIGA, holidays_extend=True)
    assert between(start, due) == timedelta(days=7)


def test_business_day_at_a_day_boundary_depends_on_the_marketplace_zone():
    riyadh = ZoneInfo("Asia/Riyadh")
    # Thursday 23:30 in Riyadh is a business day: the deadline is Sunday 23:30 (Fri/Sat weekend).
    thursday = datetime(2026, 11, 19, 23, 30, tzinfo=riyadh)
    assert add_business_days(thursday, 1, RIYADH) == datetime(2026, 11, 22, 23, 30, tzinfo=riyadh)
    # Thursday 21:10 UTC is already Friday 00:10 in Riyadh: counting starts on Sunday.
    friday_local = datetime(2026, 11, 19, 21, 10, tzinfo=UTC)
    assert add_business_days(friday_local, 1, RIYADH) == datetime(2026, 11, 23, 0, 0, tzinfo=riyadh)


def test_dst_in_los_angeles_calendar_days_are_elapsed_time():
    la = ZoneInfo("America/Los_Angeles")
    start = datetime(2026, 3, 7, 12, 0, tzinfo=la)  # PST; DST starts 8 March 02:00
    due = add_duration(start, Duration(2, "calendar_days"), LOS_ANGELES)
    assert between(start, due) == timedelta(hours=48)
    assert due.astimezone(la).hour == 13  # wall clock moved an hour
    # and in autumn the other way
    start = datetime(2026, 10, 31, 12, 0, tzinfo=la)
    due = add_duration(start, Duration(17, "calendar_days"), LOS_ANGELES)
    assert between(start, due) == timedelta(days=17)
    assert due.astimezone(la).hour == 11


def test_dst_in_los_angeles_business_days_keep_wall_time():
    la = ZoneInfo("America/Los_Angeles")
    friday = datetime(2026, 3, 6, 12, 0, tzinfo=la)
    due = add_business_days(friday, 1, LOS_ANGELES)
    assert due.astimezone(la).replace(tzinfo=None) == datetime(2026, 3, 9, 12, 0)
    assert between(friday, due) == timedelta(hours=71)  # one hour was skipped


def test_business_day_landing_on_a_skipped_wall_time_is_normalised():
    la = ZoneInfo("America/Los_Angeles")
    no_weekend = Calendar("America/Los_Angeles", (), None)
    start = datetime(2026, 3, 7, 2, 30, tzinfo=la)
    due = add_business_days(start, 1, no_weekend)
    assert due.astimezone(UTC).astimezone(la) == due
    assert due.astimezone(la).date() == date(2026, 3, 8)
    assert due > start


def test_stated_deadline_wins_only_when_earlier():
    received = datetime(2026, 11, 17, 8, 0, tzinfo=UTC)
    early = received + timedelta(days=10)
    late = received + timedelta(days=30)
    d = response_deadline(make_case("amazon", AMAZON_TYPE, received, stated_deadline=early),
                          AMAZON)
    assert (d.due, d.source, d.stated) == (early, "notification", early)
    assert d.policy_due - received == timedelta(days=17)
    d = response_deadline(make_case("amazon", AMAZON_TYPE, received, stated_deadline=late),
                          AMAZON)
    assert d.source == "policy" and d.due - received == timedelta(days=17) and d.stated == late


def test_joom_target_is_earlier_than_the_deadline():
    received = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
    ntype = next(t for t in JOOM.notification_types if t.response.target)
    d = response_deadline(make_case("joom", ntype.id, received), JOOM)
    assert d.due - received == timedelta(hours=72)
    assert d.target - received == timedelta(hours=ntype.response.target.amount)
    assert d.target < d.due


def test_unknown_type_takes_the_shortest_window_and_unknown_marketplace_the_stated_one():
    received = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
    d = response_deadline(make_case("amazon", "unknown", received), AMAZON)
    assert d.source == "policy-shortest" and d.due - received == timedelta(hours=72)
    assert response_deadline(make_case("unknown", "unknown", received), None) is None
    stated = received + timedelta(days=2)
    d = response_deadline(make_case("unknown", "unknown", received, stated_deadline=stated), None)
    assert d.due == stated and d.source == "notification"


def test_attempts_left_and_final_deadline():
    received = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)
    case = make_case("amazon", AMAZON_TYPE, received)
    limits = appeal_limits(case, AMAZON)
    assert (limits.max_unsuccessful, limits.attempts_left) == (2, 2)
    assert limits.final_due - received == timedelta(days=17)
    case.submissions = [
        Submission(at=received + timedelta(days=1), operator="a", outcome="rejected",
                   outcome_at=received + timedelta(days=2)),
        Submission(at=received + timedelta(days=3), operator="a", outcome="rejected",
                   outcome_at=received + timedelta(days=4)),
    ]
    limits = appeal_limits(case, AMAZON)
    assert limits.attempts_left == 0 and limits.exhausted
    assert appeal_limits(case, NOON).attempts_left is None


def test_rejection_recorded_only_in_history_counts():
    received = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)
    case = make_case("amazon", AMAZON_TYPE, received)
    case.history.append(HistoryEntry(at=received, operator="a", event="status",
                                     from_status="submitted", to_status="rejected"))
    assert appeal_limits(case, AMAZON).attempts_left == 1


def test_case_due_follows_the_status():
    received = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)
    now = received + timedelta(days=1)
    case = make_case("amazon", AMAZON_TYPE, received)
    assert case_due(case, AMAZON, now).kind == "response"
    case.status = Status.REJECTED
    case.submissions = [Submission(at=received, operator="a", outcome="rejected",
                                   outcome_at=received + timedelta(hours=5))]
    due = case_due(case, AMAZON, now)
    assert due.kind == "followup" and due.due == received + timedelta(hours=5, days=3)
    case.status = Status.APPROVED
    assert case_due(case, AMAZON, now).due is None


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError):
        add_duration(datetime(2026, 1, 1), Duration(1, "hours"), RIYADH)


@pytest.mark.parametrize(
    ("left", "text"),
    [
        (timedelta(hours=5, minutes=12, seconds=30), "5h 12m"),
        (timedelta(days=2, hours=3, minutes=59), "2d 3h"),
        (timedelta(minutes=7), "7m"),
        (timedelta(seconds=20), "<1m"),
        (timedelta(hours=-4, minutes=-20), "overdue 4h"),
        (timedelta(days=-1, hours=-2), "overdue 1d 2h"),
        (timedelta(minutes=-30), "overdue 30m"),
        (timedelta(0), "overdue <1m"),
    ],
)
def test_format_time_left(left, text):
    now = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
    assert format_time_left(now + left, now) == text


def test_format_time_left_without_deadline():
    assert format_time_left(None, datetime(2026, 1, 1, tzinfo=UTC)) == ""


def test_urgency_levels():
    now = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
    assert urgency(None, now) is Urgency.NONE
    assert urgency(now - timedelta(minutes=1), now) is Urgency.OVERDUE
    assert urgency(now + timedelta(hours=23, minutes=59), now) is Urgency.DUE_SOON
    assert urgency(now + timedelta(hours=24), now) is Urgency.OK


@pytest.mark.parametrize(("text", "span"), [("24h", timedelta(hours=24)), ("3d", timedelta(days=3)),
                                            ("90m", timedelta(minutes=90)),
                                            ("2 weeks", timedelta(days=14))])
def test_parse_span(text, span):
    assert parse_span(text) == span


@pytest.mark.parametrize("bad", ["", "soon", "3x", "-1d", "24"])
def test_parse_span_refuses(bad):
    with pytest.raises(ValueError):
        parse_span(bad)


def test_every_shipped_calendar_has_holidays_for_this_year():
    for policy in POLICIES:
        for calendar in [policy.calendar, *(s.calendar for s in policy.sites)]:
            if calendar.holiday_country:
                assert holiday_dates(calendar.holiday_country, calendar.holiday_subdiv, 2026)
    assert JD is not None and NOON is not None
