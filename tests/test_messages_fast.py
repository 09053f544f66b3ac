"""The fast messages path (numpy on bytes) reads a file as the row reader does, or not at all."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta, timezone

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from appealdesk.metrics.conversations import compute_message_metrics
from appealdesk.policy.loading import load_policies
from appealdesk.reports import conversations as conv
from appealdesk.reports import fast_messages
from appealdesk.reports.text_columns import ByteSpans, Categorical

HEADER = ["message-id", "amazon-order-id", "received-date", "first-response-date",
          "response-needed", "auto-reply", "spam", "channel", "agent"]
POLICIES = load_policies()


def _stamp(moment: datetime, layout: str, offset: str) -> str:
    """One date-time written as exports write it (some of them unreadable)."""
    if layout == "date":
        return moment.date().isoformat()
    sep = "T" if layout.startswith("T") else " "
    text = moment.strftime(f"%Y-%m-%d{sep}%H:%M:%S")
    if layout.endswith("minutes"):
        text = text[:-3]
    elif layout.endswith("millis"):
        text += f".{moment.microsecond // 1000:03d}"
    elif layout.endswith("micros"):
        text += f".{moment.microsecond:06d}"
    elif layout == "slash":
        text = f"{moment.year}/{moment.month}/{moment.day} {moment.hour}:{moment.minute:02d}"
    elif layout == "padded":
        text = f" {text} "
    return text + offset if layout not in ("slash", "padded") else text


# Each with a clean variant (what the fast path reads) and a messy one (anything).
CLEAN_LAYOUTS = ["T", "space", "date", "Tminutes", "spacemillis", "Tmicros"]
LAYOUTS = {True: st.sampled_from(CLEAN_LAYOUTS),
           False: st.sampled_from([*CLEAN_LAYOUTS, "slash", "padded"])}
OFFSETS = st.sampled_from(["", "", "Z", "+08:00", "+0800", "-07:00", "-0530", "+00:00", "+05:45"])
MOMENTS = st.datetimes(min_value=datetime(2026, 3, 1), max_value=datetime(2026, 12, 1))
CLEAN_NEEDED = ["yes", "YES", "no", "No", "", "no response needed", "无需回复", "是", " yes", "n"]
NEEDED = {True: st.sampled_from(CLEAN_NEEDED),
          False: st.sampled_from([*CLEAN_NEEDED, "maybe"])}
CLEAN_FLAGS = ["no", "no", "yes", "Y", "true", "0", "1", "否", "是", "", "FALSE", "x"]
FLAGS = {True: st.sampled_from(CLEAN_FLAGS), False: st.sampled_from([*CLEAN_FLAGS, "spam?"])}
CLEAN_AGENTS = ["lily", "wang", "王小明", "客服01", "", " padded ", "night shift",
                "a-very-long-agent-name-that-goes-on-past-sixty-four-bytes-of-text-yes"]
AGENTS = {True: st.sampled_from(CLEAN_AGENTS),
          False: st.sampled_from([*CLEAN_AGENTS, "Lily, support"])}
CHANNELS = st.sampled_from(["buyer-seller messaging", "咚咚App", "", "email"])
IDS = st.sampled_from(["M1", "M2", "", " M3 ", "消息4", "114-0000001-0000001"])


@st.composite
def rows(draw, clean):
    received = draw(MOMENTS)
    offset = draw(OFFSETS)
    # A clean row's reply has its message's offset, so it is rarely before it.
    reply_offset = offset if clean else draw(OFFSETS)
    wait = draw(st.integers(0 if clean else -3600, 5 * 86400))
    replied = "" if draw(st.integers(0, 9)) == 0 else _stamp(
        received + timedelta(seconds=wait, microseconds=draw(st.integers(0, 999999))),
        draw(LAYOUTS[clean]), reply_offset)
    return [draw(IDS), draw(IDS), _stamp(received, draw(LAYOUTS[clean]), offset), replied,
            draw(NEEDED[clean]), draw(FLAGS[clean]), draw(FLAGS[clean]), draw(CHANNELS),
            draw(AGENTS[clean])]


@st.composite
def bodies(draw):
    clean = draw(st.booleans())
    return draw(st.lists(rows(clean), min_size=1, max_size=12))


def _write(path, header, body, delimiter=",", newline="\n", bom=False, quoting=csv.QUOTE_MINIMAL):
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator=newline, quoting=quoting)
    writer.writerow(header)
    writer.writerows(body)
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + out.getvalue().encode("utf-8"))


def _read(path, policy, monkeypatch, fast: bool):
    """Through the fast path when it takes the file, else (``fast`` False) row by row."""
    with monkeypatch.context() as patch:
        patch.setattr(fast_messages, "MIN_BYTES", 0 if fast else 1 << 62)
        if not fast:
            patch.setattr(conv, "read_plain", lambda *a: None)
        try:
            return conv.read_messages([path], policy)
        except conv.MessagesError as exc:
            return str(exc)


def _same(a, b):
    if isinstance(a, str) or isinstance(b, str):
        assert a == b
        return
    for name in ("ids", "channel", "order_id", "agent"):
        assert list(getattr(a, name)) == list(getattr(b, name)), name
    for name in ("received", "replied", "needed", "automatic", "spam"):
        x, y = getattr(a, name), getattr(b, name)
        assert x.dtype == y.dtype, name
        np.testing.assert_array_equal(x, y, err_msg=name)
    assert (a.present, a.bad_rows, a.files) == (b.present, b.bad_rows, b.files)


def _metrics(table, policy):
    return [r.to_dict() for r in compute_message_metrics(table, policy, date(2026, 10, 8))]


@settings(max_examples=120, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=bodies(), delimiter=st.sampled_from([",", "\t", ";"]),
       newline=st.sampled_from(["\n", "\r\n"]), bom=st.booleans(),
       quoting=st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_MINIMAL, csv.QUOTE_ALL]),
       drop=st.sets(st.sampled_from(HEADER[:2] + HEADER[3:]), max_size=2))
def test_the_fast_path_and_the_other_readers_agree_on_messy_rows(
        tmp_path, monkeypatch, body, delimiter, newline, bom, quoting, drop):
    keep = [i for i, h in enumerate(HEADER) if h not in drop]
    path = tmp_path / "messages.csv"
    _write(path, [HEADER[i] for i in keep], [[r[i] for i in keep] for r in body], delimiter,
           newline, bom, quoting)
    policy = POLICIES.get("amazon")
    fast, slow = (_read(path, policy, monkeypatch, on) for on in (True, False))
    _same(fast, slow)
    if not isinstance(fast, str):
        assert _metrics(fast, policy) == _metrics(slow, policy)


def _clean(n: int) -> list[list[str]]:
    start = datetime(2026, 9, 1, tzinfo=UTC)
    out = []
    for i in range(n):
        received = start + timedelta(minutes=97 * i)
        zone = timezone(timedelta(hours=8)) if i % 3 else UTC
        replied = "" if i % 7 == 0 else (received + timedelta(hours=i % 30)).astimezone(
            zone).isoformat()
        out.append([f"M{i}" if i % 11 else "", f"114-{i:07d}", received.isoformat(), replied,
                    ["yes", "no response needed", ""][i % 3], ["no", "yes"][i % 5 == 0], "no",
                    "buyer-seller messaging", ["lily", "王小明", "chen"][i % 3]])
    return out


def test_a_clean_file_takes_the_fast_path_and_agrees(tmp_path, monkeypatch):
    path = tmp_path / "messages.csv"
    _write(path, HEADER, _clean(500), newline="\r\n", bom=True)
    policy = POLICIES.get("amazon")
    taken = []
    real = fast_messages.read_fast
    monkeypatch.setattr(fast_messages, "read_fast",
                        lambda *a: taken.append(real(*a)) or taken[-1])
    fast = _read(path, policy, monkeypatch, True)
    assert taken and taken[0] is not None  # the fast path read it
    assert isinstance(fast.ids, ByteSpans) and isinstance(fast.agent, Categorical)
    assert fast.ids[0] == "messages.csv:2" and fast.ids[-1] == "M499"
    for column in (fast.ids, fast.order_id, fast.agent):  # one by one as all at once
        assert [column[i] for i in range(len(column))] == list(column) == column[:]
    slow = _read(path, policy, monkeypatch, False)
    assert isinstance(slow.ids, list)
    _same(fast, slow)
    assert _metrics(fast, policy) == _metrics(slow, policy)


def test_a_file_with_every_field_quoted_takes_the_fast_path(tmp_path, monkeypatch):
    path = tmp_path / "messages.csv"
    _write(path, HEADER, _clean(200), quoting=csv.QUOTE_ALL)
    raw = path.read_bytes()
    assert raw.startswith(b'"message-id","amazon-order-id"')
    policy = POLICIES.get("amazon")
    columns = conv.header_map(HEADER, policy)
    assert fast_messages.read_fast(raw, ",", len(HEADER), columns, policy.calendar.zone,
                                   path.name) is not None
    _same(_read(path, policy, monkeypatch, True), _read(path, policy, monkeypatch, False))


@pytest.mark.parametrize("damage", [
    lambda text: text.replace("M10,", '"M10",', 1),  # a quoted field: read inside the quotes
    lambda text: text.replace("M10,", 'M"10,', 1),  # a quote inside a field
    lambda text: text.replace("M10,", '"M""10",', 1),  # a doubled quote
    lambda text: text.replace("M10,", '"M,10",', 1),  # a quoted delimiter
    lambda text: text.replace("M10,", '"M10\n",', 1),  # a quoted line break
    lambda text: text.replace("M10,", ' "M10",', 1),  # a space before the quote
    lambda text: text.replace("\n", "\n\n", 3),  # a blank line
    lambda text: text.replace(",lily", ",lily,extra", 1),  # a field too many
    # a line cut in two: one field, then the others (as many delimiters and line ends)
    lambda text: text.replace("M10,", "M10\n", 1),
    lambda text: text.replace("2026-09-01T05:05:00+00:00", "2026-09-01T05:05:00+0800", 1),
    lambda text: text.replace("2026-09-01T05:05:00+00:00", "2026-09-01 05:05:00 UTC", 1),
    lambda text: text.replace(",yes,", ",maybe,", 1),  # not yes/no: a bad row
])
def test_a_file_the_fast_path_cannot_read_exactly_goes_to_the_other_readers(
        tmp_path, monkeypatch, damage):
    path = tmp_path / "messages.csv"
    _write(path, HEADER, _clean(100))
    path.write_text(damage(path.read_text(encoding="utf-8")), encoding="utf-8")
    policy = POLICIES.get("amazon")
    _same(_read(path, policy, monkeypatch, True), _read(path, policy, monkeypatch, False))


def test_a_gb18030_file_is_read_by_the_other_readers(tmp_path, monkeypatch):
    path = tmp_path / "messages.csv"
    _write(path, HEADER, _clean(50))
    path.write_bytes(path.read_text(encoding="utf-8").encode("gb18030"))
    policy = POLICIES.get("amazon")
    monkeypatch.setattr(fast_messages, "MIN_BYTES", 0)
    assert fast_messages.read_fast(path.read_bytes(), ",", len(HEADER), {"received_at": 2},
                                   policy.calendar.zone, "messages.csv") is None
    table = _read(path, policy, monkeypatch, True)
    assert "王小明" in list(table.agent)
    _same(table, _read(path, policy, monkeypatch, False))


def test_the_columns_of_several_files_are_joined(tmp_path, monkeypatch):
    paths = [tmp_path / "a.csv", tmp_path / "b.csv"]
    _write(paths[0], HEADER, _clean(30))
    _write(paths[1], HEADER, _clean(20))
    policy = POLICIES.get("amazon")
    monkeypatch.setattr(fast_messages, "MIN_BYTES", 0)
    fast = conv.read_messages(paths, policy)
    monkeypatch.setattr(fast_messages, "MIN_BYTES", 1 << 62)
    monkeypatch.setattr(conv, "read_plain", lambda *a: None)
    slow = conv.read_messages(paths, policy)
    _same(fast, slow)
    assert fast.ids[30] == "b.csv:2" and fast.agent[-1] == slow.agent[-1]


@pytest.mark.parametrize("most", [4096, 10])
def test_many_agents_are_codes_or_byte_spans_and_read_the_same(tmp_path, monkeypatch, most):
    body = _clean(400)
    for i, row in enumerate(body):
        row[-1] = f"客服{i % 150}" if i % 2 else f" agent-{i} "
    path = tmp_path / "messages.csv"
    _write(path, HEADER, body)
    monkeypatch.setattr(fast_messages, "_MAX_DISTINCT", most)
    policy = POLICIES.get("amazon")
    fast = _read(path, policy, monkeypatch, True)
    assert isinstance(fast.agent, Categorical if most > 400 else ByteSpans)
    _same(fast, _read(path, policy, monkeypatch, False))
