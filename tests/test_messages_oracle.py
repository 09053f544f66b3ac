"""An independent oracle for the message metrics: a plain reference implementation
computes each metric from generated rows and must agree exactly with the engine.

The rows cross the end of daylight saving time in Los Angeles (1 Nov 2026),
weekends and US holidays (Veterans Day, Thanksgiving); dates are written with
an offset or as local wall time; metrics are drawn with either clock, any
exclusions, rolling or calendar-month windows and windows of minutes to days;
a business clock with or without business hours, on business days or on every day
(service hours), and then perhaps with messages outside the hours left out.
"""

from __future__ import annotations

import copy
import tomllib
from datetime import UTC, date, datetime, time, timedelta, timezone
from unittest.mock import patch
from zoneinfo import ZoneInfo

import holidays
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from appealdesk.metrics.conversations import compute_message_metrics
from appealdesk.policy.loading import shipped_policy_texts
from appealdesk.policy.validation import validate
from appealdesk.reports.conversations import read_messages

ZONE = ZoneInfo("America/Los_Angeles")
BASE = datetime(2026, 10, 10, tzinfo=UTC)
HEADER = "message-id,received-date,first-response-date,response-needed,auto-reply,spam"
EXCLUSIONS = ("no_response_needed", "automatic", "spam")
OUTSIDE = "outside_hours"

row_strategy = st.tuples(
    st.integers(0, 60 * 24 * 50),  # received: minutes after BASE
    st.one_of(st.none(), st.integers(0, 60 * 24 * 6)),  # reply delay in minutes, or none
    st.booleans(), st.booleans(), st.booleans(),  # needed, automatic, spam
)
metric_strategy = st.fixed_dictionaries({
    "clock": st.sampled_from(["elapsed", "business"]),
    "exclude": st.lists(st.sampled_from(EXCLUSIONS), unique=True),
    "within": st.sampled_from([{"hours": 0.05}, {"hours": 1}, {"hours": 24}, {"hours": 48},
                               {"business_days": 1}, {"calendar_days": 2}]),
    "window": st.one_of(
        st.builds(lambda d, lag: {"kind": "rolling", "days": d, "lag": lag},
                  st.integers(1, 40), st.integers(0, 5)),
        st.just({"kind": "calendar_month"})),
    "limit": st.sampled_from([None, 0.5, 0.9]),
    "comparator": st.sampled_from([">", ">="]),
    "min_messages": st.integers(0, 5),
    # business hours (minutes after midnight), for a business clock only
    "hours": st.one_of(st.none(), st.tuples(
        st.integers(0, 22 * 60), st.integers(30, 16 * 60),
        st.sampled_from(["business", "every"]), st.booleans())),
})


def _hours(metric: dict) -> tuple[int, int, str, bool] | None:
    """(start, end, days, exclude outside_hours) when the metric states hours."""
    if metric["clock"] != "business" or metric["hours"] is None:
        return None
    start, length, days, outside = metric["hours"]
    return start, min(start + length, 1440), days, outside


def _policy(metric: dict):
    raw = tomllib.loads(shipped_policy_texts()["amazon"][1])
    raw = copy.deepcopy(raw)
    entry = {"id": "m", "name": "m", "reply_within": {**metric["within"], "source": "test"},
             "clock": metric["clock"], "exclude": metric["exclude"],
             "window": {**metric["window"], "source": "test"}, "comparator": metric["comparator"],
             "min_messages": metric["min_messages"], "source": "test"}
    if metric["limit"] is not None:
        entry["limit"] = metric["limit"]
    hours = _hours(metric)
    if hours is not None:
        start, end, days, outside = hours
        entry["business_hours"] = {"start": f"{start // 60:02d}:{start % 60:02d}",
                                   "end": f"{end // 60:02d}:{end % 60:02d}", "days": days,
                                   "source": "test"}
        if outside:
            entry["exclude"] = [*metric["exclude"], OUTSIDE]
    dropped = {m["id"] for m in raw["message_metrics"]}
    raw["message_metrics"] = [entry]
    for ntype in raw["notification_types"]:  # the notices named the shipped ones
        ntype["metrics"] = [m for m in ntype.get("metrics", []) if m not in dropped]
    policy, problems = validate(raw, origin="oracle", check_holidays=False)
    assert policy is not None, problems
    return policy


def _text(moment: datetime, with_offset: bool) -> str:
    if with_offset:
        return moment.astimezone(timezone(timedelta(hours=8))).isoformat()
    return moment.astimezone(ZONE).strftime("%Y-%m-%d %H:%M")


def _parse(text: str) -> datetime:
    if "+" in text:
        return datetime.fromisoformat(text)
    return datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=ZONE)


US = holidays.country_holidays("US", years=range(2026, 2028))


def _wall(day: date, minutes: int) -> datetime:
    if minutes == 1440:
        return datetime.combine(day + timedelta(days=1), time(0), tzinfo=ZONE)
    return datetime.combine(day, time(minutes // 60, minutes % 60), tzinfo=ZONE)


def _counts(day: date, hours: tuple | None) -> bool:
    return (hours is not None and hours[2] == "every") or (day.weekday() < 5
                                                           and day not in US)


def _business_seconds(a: datetime, b: datetime, hours: tuple | None) -> float:
    total = 0.0
    day = a.astimezone(ZONE).date()
    opens, closes = (hours[0], hours[1]) if hours else (0, 1440)
    while day <= b.astimezone(ZONE).date():
        if _counts(day, hours):
            lo, hi = _wall(day, opens), _wall(day, closes)
            overlap = (min(b, hi).timestamp() - max(a, lo).timestamp())
            total += max(overlap, 0.0)
        day += timedelta(days=1)
    return total


def _outside(moment: datetime, hours: tuple) -> bool:
    day = moment.astimezone(ZONE).date()
    return not (_counts(day, hours)
                and _wall(day, hours[0]) <= moment < _wall(day, hours[1]))


def _oracle(lines: list[str], metric: dict, as_of: date) -> dict:
    w = metric["window"]
    end = as_of - timedelta(days=w.get("lag", 0))
    if w["kind"] == "rolling":
        start = end - timedelta(days=w["days"] - 1)
    else:
        if (end + timedelta(days=1)).month == end.month:
            end = end.replace(day=1) - timedelta(days=1)
        start = end.replace(day=1)
    unit, amount = next(iter(metric["within"].items()))
    hours = _hours(metric)
    seconds = amount * (3600 if unit == "hours" else
                        (hours[1] - hours[0]) * 60 if unit == "business_days" and hours
                        else 86400)
    business = metric["clock"] == "business" or unit == "business_days"
    horizon = datetime.combine(as_of + timedelta(days=1), time(0), tzinfo=ZONE)
    out = {"num": 0, "den": 0, "pending": 0, "unanswered": 0, "late": [], "excluded": {},
           "good_days": [], "late_days": [], "start": start, "end": end}
    for line in lines:
        mid, rec_text, rep_text, needed, auto, spam = line.split(",")
        rec = _parse(rec_text)
        rep = _parse(rep_text) if rep_text else None
        if rep is not None and rep < rec:
            continue  # a bad row
        if not start <= rec.astimezone(ZONE).date() <= end:
            continue
        flags = {"no_response_needed": needed == "no", "automatic": auto == "yes",
                 "spam": spam == "yes", OUTSIDE: hours is not None and _outside(rec, hours)}
        leave_out = [*metric["exclude"], *([OUTSIDE] if hours and hours[3] else [])]
        hit = next((e for e in (*EXCLUSIONS, OUTSIDE) if e in leave_out and flags[e]), None)
        if hit:
            out["excluded"][hit] = out["excluded"].get(hit, 0) + 1
            continue
        answered = rep is not None and rep <= horizon
        until = rep if answered else horizon
        taken = (_business_seconds(rec, until, hours) if business
                 else until.timestamp() - rec.timestamp())
        if answered and taken <= round(seconds, 6):
            out["num"] += 1
            out["good_days"].append(rec.astimezone(ZONE).date())
        elif not answered and taken <= round(seconds, 6):
            out["pending"] += 1
            continue
        else:
            out["late"].append(mid)
            out["late_days"].append(rec.astimezone(ZONE).date())
            out["unanswered"] += not answered
        out["den"] += 1
    return out


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(rows=st.lists(row_strategy, max_size=40), metric=metric_strategy,
       as_of_day=st.integers(0, 55), style=st.sampled_from(["offset", "naive", "mixed"]))
def test_the_engine_agrees_with_the_oracle(tmp_path, rows, metric, as_of_day, style):
    """Both readers (the plain-text fast path and row by row) agree with the oracle."""
    _agree(tmp_path, rows, metric, as_of_day, style)


# Replies within hours of the message and reply windows of minutes, so that where the
# hours begin and end decides whether a reply was in time.
service_rows = st.tuples(st.integers(0, 60 * 24 * 50), st.one_of(st.none(), st.integers(0, 900)),
                         st.just(True), st.booleans(), st.booleans())
service_metric = st.fixed_dictionaries({
    "clock": st.just("business"), "exclude": st.just([]),
    "within": st.sampled_from([{"hours": 0.05}, {"hours": 1}, {"hours": 2.5}]),
    "window": st.just({"kind": "rolling", "days": 60, "lag": 0}), "limit": st.just(None),
    "comparator": st.just(">"), "min_messages": st.just(0),
    "hours": st.tuples(st.integers(0, 22 * 60), st.integers(30, 16 * 60),
                       st.sampled_from(["business", "every"]), st.booleans()),
})


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(rows=st.lists(service_rows, min_size=5, max_size=40), metric=service_metric,
       style=st.sampled_from(["offset", "naive", "mixed"]))
def test_service_hours_agree_with_the_oracle(tmp_path, rows, metric, style):
    _agree(tmp_path, rows, metric, 55, style)


def _agree(tmp_path, rows, metric, as_of_day, style) -> None:
    lines = []
    for i, (minutes, delay, needed, auto, spam) in enumerate(rows):
        offset = style == "offset" or (style == "mixed" and i % 2 == 0)
        rec = BASE + timedelta(minutes=minutes)
        rep = "" if delay is None else _text(rec + timedelta(minutes=delay), offset)
        lines.append(",".join([f"M{i}", _text(rec, offset), rep, "yes" if needed else "no",
                               "yes" if auto else "no", "yes" if spam else "no"]))
    path = tmp_path / "oracle.csv"
    path.write_text("\n".join([HEADER, *lines]) + "\n", encoding="utf-8")
    policy = _policy(metric)
    as_of = (BASE + timedelta(days=as_of_day)).date()
    want = _oracle(lines, metric, as_of)
    (r,) = compute_message_metrics(read_messages([path], policy), policy, as_of)
    with patch("appealdesk.reports.conversations.read_plain", return_value=None):
        (slow,) = compute_message_metrics(read_messages([path], policy), policy, as_of)
    assert slow.to_dict() == r.to_dict()
    assert (r.numerator, r.denominator, r.pending, r.unanswered) == (
        want["num"], want["den"], want["pending"], want["unanswered"])
    assert r.messages == want["late"]
    assert r.excluded == want["excluded"]
    value = want["num"] / want["den"] if want["den"] else None
    assert r.value == value
    if not want["den"] or want["den"] < metric["min_messages"]:
        assert r.status == "insufficient_data"
    elif metric["limit"] is None:
        assert r.status == "no_limit"
    else:
        healthy = value > metric["limit"] if metric["comparator"] == ">" else (
            value >= metric["limit"])
        assert r.status == ("ok" if healthy else "breach")
    assert (r.clears.day if r.clears else None) == _clear_day(want, metric, as_of)


def _clear_day(want: dict, metric: dict, as_of: date) -> date | None:
    """The first day whose window passes if each day to come brings the window's daily
    average of counted messages, all answered in time (None: not in breach, not a
    rolling window without a lag)."""
    w = metric["window"]
    if w["kind"] != "rolling" or w["lag"] or metric["limit"] is None or not want["den"] \
            or want["den"] < metric["min_messages"]:
        return None
    value = want["num"] / want["den"]
    limit = metric["limit"]

    def passes(v: float) -> bool:
        return v > limit if metric["comparator"] == ">" else v >= limit

    if passes(value):
        return None
    rate = want["den"] / w["days"]
    for ahead in range(1, w["days"] + 2):
        first = want["start"] + timedelta(days=ahead)
        good = sum(1 for d in want["good_days"] if d >= first) + rate * ahead
        den = good + sum(1 for d in want["late_days"] if d >= first)
        if passes(good / den):
            return as_of + timedelta(days=ahead)
    return None


# Breaches of rolling windows without a lag: the day they clear is projected.
clearing_rows = st.tuples(st.integers(0, 60 * 24 * 50), st.one_of(st.none(), st.integers(0, 180)),
                          st.just(True), st.just(False), st.just(False))
clearing_metric = st.fixed_dictionaries({
    "clock": st.just("elapsed"), "exclude": st.just([]), "within": st.just({"hours": 1}),
    "window": st.builds(lambda d: {"kind": "rolling", "days": d, "lag": 0},
                        st.integers(1, 40)),
    "limit": st.sampled_from([0.5, 0.9, 0.95]), "comparator": st.sampled_from([">", ">="]),
    "min_messages": st.just(0), "hours": st.none(),
})


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(rows=st.lists(clearing_rows, min_size=3, max_size=40), metric=clearing_metric,
       as_of_day=st.integers(20, 52))
def test_the_clear_day_agrees_with_the_oracle(tmp_path, rows, metric, as_of_day):
    _agree(tmp_path, rows, metric, as_of_day, "naive")
