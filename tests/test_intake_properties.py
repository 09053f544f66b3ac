"""Properties of intake: a forward never moves the received time later than the
forward's date; a threshold phrase is never read as the seller's figure."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from appealdesk.intake.detect import detect
from appealdesk.intake.figures import THRESHOLD_AFTER, THRESHOLD_BEFORE
from appealdesk.policy.loading import load_policies

POLICIES = list(load_policies())

moments = st.datetimes(min_value=datetime(2010, 1, 1), max_value=datetime(2035, 12, 31),
                       timezones=st.just(UTC)).map(lambda m: m.replace(second=0, microsecond=0))


def rfc2822(moment: datetime) -> str:
    return moment.strftime("%a, %d %b %Y %H:%M:%S +0000")


def gmail(moment: datetime) -> str:
    hour = moment.hour % 12 or 12
    half = "AM" if moment.hour < 12 else "PM"
    return f"{moment:%a}, {moment:%b} {moment.day}, {moment.year} at {hour}:{moment:%M} {half}"


FORWARD_STYLES = {
    "gmail": lambda inner: ("---------- Forwarded message ---------\n"
                            "From: Amazon <seller-performance@amazon.com>\n"
                            f"Date: {gmail(inner)}\nSubject: Your account\n"),
    "gmail_quote": lambda inner: (f"On {gmail(inner)} Amazon <seller-performance@amazon.com> "
                                  "wrote:\n"),
    "outlook": lambda inner: ("-----Original Message-----\nFrom: seller-performance@amazon.com\n"
                              f"Sent: {inner:%A}, {inner:%B} {inner.day}, {inner.year} "
                              f"{inner.hour % 12 or 12}:{inner:%M} "
                              f"{'AM' if inner.hour < 12 else 'PM'}\n"),
    "apple": lambda inner: ("Begin forwarded message:\n\nFrom: seller-performance@amazon.com\n"
                            f"Date: {inner.day} {inner:%B} {inner.year} at {inner:%H:%M:%S}\n"),
    "chinese": lambda inner: ("-------- 转发邮件信息 --------\n发件人：seller-performance@amazon.com\n"
                              f"发送时间：{inner.year}年{inner.month}月{inner.day}日 "
                              f"{inner:%H:%M}\n"),
}


@settings(max_examples=60, deadline=None)
@given(outer=moments, back=st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=400)),
       style=st.sampled_from(sorted(FORWARD_STYLES)))
def test_a_forwarded_block_never_moves_received_later_than_the_forward(outer, back, style):
    inner = outer - back
    text = (f"From: ops@example.com\nDate: {rfc2822(outer)}\nSubject: Fwd: notice\n\n"
            "see below\n\n" + FORWARD_STYLES[style](inner) +
            "\nHello Acme,\nYour Amazon.com Late Shipment Rate is 6%. Respond within 17 days.\n")
    d = detect(text, POLICIES)
    assert d.received is not None
    assert d.received <= outer
    # the forwarded block's own date is read whatever the client (naive ones in marketplace
    # time, which is never more than a day away from UTC)
    assert abs(d.received - inner) <= timedelta(hours=14)


METRIC_NAMES = ["Late Shipment Rate", "Order Defect Rate", "Valid Tracking Rate",
                "Pre-fulfillment Cancel Rate", "迟发率", "订单缺陷率", "配送前取消率"]
BEFORE = [c for c in THRESHOLD_BEFORE if c not in ("<", ">", "≤", "≥")]
percent = st.decimals(min_value="0.1", max_value="99.9", places=1).map(str)


@settings(max_examples=120, deadline=None)
@given(name=st.sampled_from(METRIC_NAMES), cue=st.sampled_from(BEFORE), limit=percent,
       figure=st.none() | percent, verb=st.sampled_from(["is", "has", "为", "now"]))
def test_a_threshold_phrase_is_never_the_sellers_figure(name, cue, limit, figure, verb):
    if figure is None:
        sentence = f"Your Amazon {name} {verb} {cue} {limit}%."
    else:
        sentence = f"Your Amazon {name} is {figure}%, {cue} {limit}%."
    d = detect(f"Amazon.com notice\n\n{sentence}\n", POLICIES)
    values = [q.value for q in d.quoted_metrics]
    if figure is None:
        assert values == []
    else:
        assert values == [round(float(figure) / 100, 6)]
    assert [q.value for q in d.thresholds] == [round(float(limit) / 100, 6)]


@settings(max_examples=60, deadline=None)
@given(name=st.sampled_from(METRIC_NAMES), cue=st.sampled_from(THRESHOLD_AFTER),
       limit=percent, figure=percent)
def test_a_percentage_followed_by_a_threshold_word_is_the_threshold(name, cue, limit, figure):
    sentence = f"Your Amazon {name} is {figure}%, against the {limit}% {cue}."
    d = detect(f"Amazon.com notice\n\n{sentence}\n", POLICIES)
    assert [q.value for q in d.quoted_metrics] == [round(float(figure) / 100, 6)]
    assert [q.value for q in d.thresholds] == [round(float(limit) / 100, 6)]
