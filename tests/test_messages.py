"""Buyer messages: the reader, the reply-time metrics, the breakdown and ``metrics --messages``.

Fixtures in ``messages_fixtures/``: seed 002's week away (Amazon, six late
replies received 1-7 October, a "no response needed" note, a weekend reply
inside 24 hours, an automatic reply Amazon still counts) and a JD 咚咚 export
(robot replies and a spam session left out, replies at 179 s, 180 s, 300 s).
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import numpy as np
import pytest

from appealdesk.cli import main
from appealdesk.metrics.conversations import compute_message_metrics
from appealdesk.policy.loading import load_policies, parse_policy_text, shipped_policy_texts
from appealdesk.policy.types import PolicyError
from appealdesk.reports.conversations import MessagesError, read_messages

FIXTURES = Path(__file__).parent / "messages_fixtures"
AMAZON_CSV = FIXTURES / "amazon_holiday_gap.csv"
JD_CSV = FIXTURES / "jd_dongdong.csv"
HEADER = ("message-id,amazon-order-id,received-date,first-response-date,response-needed,"
          "auto-reply,channel,agent")


@pytest.fixture(scope="module")
def policies():
    return load_policies()


def _by_id(results):
    return {r.id: r for r in results}


def _amazon(policies, path=AMAZON_CSV, as_of=date(2026, 10, 15), policy=None):
    policy = policy or policies.get("amazon")
    return _by_id(compute_message_metrics(read_messages([path], policy), policy, as_of))


def _write(tmp_path, rows, header=HEADER, name="m.csv"):
    path = tmp_path / name
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def test_seed_002_week_away_breaches_the_24_hour_rate(policies):
    r = _amazon(policies)["contact_response_24h_30d"]
    assert (r.numerator, r.denominator, r.status) == (16, 22, "breach")
    assert r.value == pytest.approx(16 / 22)
    assert (r.window_start, r.window_end) == (date(2026, 9, 16), date(2026, 10, 15))
    assert r.excluded == {"no_response_needed": 1}  # M13, a thank-you note
    assert r.messages == ["M11", "M12", "M14", "M15", "M16", "M17"]
    assert "M06" not in r.messages  # Saturday 10:00 -> Sunday 09:30: 23.5 h, weekends count
    assert "M19" not in r.messages  # an automatic reply is not excluded by Amazon's rule


def test_the_holiday_gap_shows_in_the_breakdown(policies):
    r = _amazon(policies)["contact_response_24h_30d"]
    assert "all 6 late replies fell between 1 and 7 October" in r.sentences
    assert "no reply was sent between 1 and 7 October" in r.sentences
    assert "the late messages waited 28 to 167 hours" in r.sentences
    days = [c.value for c in r.clusters if c.dimension == "day"]
    assert days == ["2026-10-01", "2026-10-02", "2026-10-03"]


def test_the_7_day_window_after_the_gap_is_healthy(policies):
    r = _amazon(policies)["contact_response_24h_7d"]
    assert (r.numerator, r.denominator, r.status) == (5, 5, "ok")
    assert r.messages == [] and r.sentences == []


def test_jd_leaves_out_robot_replies_and_spam(policies):
    policy = policies.get("jd")
    table = read_messages([JD_CSV], policy)
    (r,) = compute_message_metrics(table, policy, date(2026, 10, 5))
    assert (r.window_start, r.window_end) == (date(2026, 9, 1), date(2026, 9, 30))
    # S04 came at 08:00, before JD's service hours (09:00-23:00): a 留言, not counted
    assert r.excluded == {"automatic": 2, "spam": 1, "outside_hours": 1}
    assert (r.numerator, r.denominator) == (4, 6)  # 90 s and 180 s are in time, 300 s is not
    assert r.messages == ["S03", "S08"]
    assert r.status == "no_limit" and r.limit is None and not r.enforced
    assert "the late messages waited 5 to 8 minutes" in r.sentences


def test_a_file_without_a_needed_field_is_no_data(policies, tmp_path):
    policy = policies.get("jd")
    lines = JD_CSV.read_text("utf-8").splitlines()
    cut = [",".join(c for k, c in enumerate(line.split(",")) if k != 5) for line in lines]
    path = tmp_path / "no_spam.csv"
    path.write_text("\n".join(cut) + "\n", encoding="utf-8")
    (r,) = compute_message_metrics(read_messages([path], policy), policy, date(2026, 10, 5))
    assert (r.status, r.missing, r.value) == ("no_data", ["spam"], None)

    no_needed = _write(tmp_path, ["A,1,2026-10-01 10:00,2026-10-01 11:00,no,lily"],
                       header="message-id,amazon-order-id,received-date,first-response-date,"
                              "auto-reply,agent")
    r = _amazon(policies, no_needed)["contact_response_24h_30d"]
    assert (r.status, r.missing) == ("no_data", ["response_needed"])


def _business_amazon() -> object:
    _origin, text = shipped_policy_texts()["amazon"]
    return parse_policy_text(text.replace('clock = "elapsed"', 'clock = "business"'), "test",
                             check_holidays=False)


def test_weekends_and_holidays_count_in_elapsed_time_but_not_in_business_time(
        policies, tmp_path):
    rows = [
        # Friday 18:00 -> Monday 10:00: 64 h elapsed, 16 h of business days.
        "W1,1,2026-11-06T18:00:00-08:00,2026-11-09T10:00:00-08:00,yes,no,bsm,lily",
        # Wednesday 20:00 -> Friday 15:00 over Thanksgiving (26 Nov): 43 h; 19 h of business days.
        "H1,2,2026-11-25T20:00:00-08:00,2026-11-27T15:00:00-08:00,yes,no,bsm,lily",
        # Monday 09:00 -> Tuesday 10:00: 25 h either way.
        "L1,3,2026-11-16T09:00:00-08:00,2026-11-17T10:00:00-08:00,yes,no,bsm,lily",
    ]
    path = _write(tmp_path, rows)
    elapsed = _amazon(policies, path, date(2026, 11, 30))["contact_response_24h_30d"]
    business = _amazon(policies, path, date(2026, 11, 30),
                       policy=_business_amazon())["contact_response_24h_30d"]
    assert elapsed.messages == ["W1", "H1", "L1"]
    assert business.messages == ["L1"]
    assert (business.numerator, business.denominator) == (2, 3)


def test_an_unanswered_message_is_pending_until_its_time_is_up(policies, tmp_path):
    rows = [
        "P1,1,2026-10-15T20:00:00-07:00,,yes,no,bsm,",  # 4 h before the end of the day
        "U1,2,2026-10-13T09:00:00-07:00,,yes,no,bsm,",  # 2.6 days without a reply
        "R1,3,2026-10-15T08:00:00-07:00,2026-10-15T09:00:00-07:00,yes,no,bsm,lily",
    ]
    r = _amazon(policies, _write(tmp_path, rows))["contact_response_24h_7d"]
    assert (r.pending, r.unanswered, r.numerator, r.denominator) == (1, 1, 1, 2)
    assert r.messages == ["U1"]


def test_bad_rows_are_listed_and_not_counted(policies, tmp_path):
    rows = [
        "B1,1,yesterday,2026-10-01 10:00,yes,no,bsm,lily",
        "B2,2,2026-10-02 10:00,2026-10-01 10:00,yes,no,bsm,lily",
        "B3,3,2026-10-03 10:00,2026-10-03 11:00,maybe,no,bsm,lily",
        "G1,4,2026/10/4 9:30,2026/10/4 10:00,No response needed,no,bsm,lily",
    ]
    table = read_messages([_write(tmp_path, rows)], policies.get("amazon"))
    assert [line for line, _reason in table.bad_rows] == [2, 3, 4]
    assert table.ids == ["G1"] and table.needed == [False]


def test_a_file_that_is_not_a_messages_export_is_one_clear_error(policies, tmp_path):
    path = _write(tmp_path, ["1,2"], header="order-id,sku")
    with pytest.raises(MessagesError, match="no column for received_at"):
        read_messages([path], policies.get("amazon"))


@pytest.mark.parametrize("change,problem", [
    ('exclude = ["no_response_needed"]', 'exclude = ["robots"]'),
    ("[message_columns]\n", "[message_columns]\nsubject = [\"subject\"]\n"),
    ("limit = 0.9\n", "limit = 90\n"),
])
def test_policy_checks_the_message_keys(change, problem):
    _origin, text = shipped_policy_texts()["amazon"]
    assert change in text
    with pytest.raises(PolicyError):
        parse_policy_text(text.replace(change, problem, 1), "test", check_holidays=False)


def _run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_json_has_the_order_metrics_shape_and_a_status(tmp_path, capsys):
    code, out, _err = _run(capsys, "--data-dir", str(tmp_path / "d"), "metrics", "--policy",
                           "amazon", "--messages", str(AMAZON_CSV), "--as-of", "2026-10-15",
                           "--json")
    data = json.loads(out)
    assert code == 1  # an enforced message metric is in breach
    assert data["metrics"] == [] and data["messages"] == 23
    order_keys = {"id", "name", "numerator", "denominator", "value", "limit", "comparator",
                  "status", "enforced", "window_start", "window_end"}
    by_id = {m["id"]: m for m in data["message_metrics"]}
    assert all(order_keys <= set(m) for m in by_id.values())
    r = by_id["contact_response_24h_30d"]
    assert (r["status"], r["numerator"], r["denominator"]) == ("breach", 16, 22)
    assert "all 6 late replies fell between 1 and 7 October" in r["sentences"]


def test_cli_text_shows_the_late_messages(tmp_path, capsys):
    code, out, _err = _run(capsys, "--data-dir", str(tmp_path / "d"), "metrics", "--policy",
                           "jd", "--messages", str(JD_CSV), "--as-of", "2026-10-05")
    assert code == 0  # JD's rate has no stated limit: shown, never a breach
    assert "human_reply_3min" in out and "no_limit" in out and "S03, S08" in out


def test_cli_an_enforced_message_metric_without_data_is_exit_4_not_0(tmp_path, capsys):
    """A messages export without its reply column cannot tell the response rate:
    the exit code says "no data" (4), never the all-clear 0."""
    path = _write(tmp_path, ["M1,111-1,2026-10-01 09:00,yes", "M2,111-2,2026-10-02 09:00,yes"],
                  header="message-id,amazon-order-id,received-date,response-needed")
    code, out, _err = _run(capsys, "--data-dir", str(tmp_path / "d"), "metrics", "--policy",
                           "amazon", "--messages", str(path), "--as-of", "2026-10-15",
                           "--json")
    statuses = {m["status"] for m in json.loads(out)["message_metrics"] if m["enforced"]}
    assert statuses == {"no_data"}
    assert code == 4


def test_cli_unreadable_messages_file_is_exit_2(tmp_path, capsys):
    code, _out, err = _run(capsys, "--data-dir", str(tmp_path / "d"), "metrics", "--policy",
                           "amazon", "--messages", str(JD_CSV))
    assert code == 2 and "received_at" in err and "Traceback" not in err


@pytest.mark.parametrize("path,policy_id", [(AMAZON_CSV, "amazon"), (JD_CSV, "jd")])
def test_the_fast_reader_takes_plain_files_and_agrees_with_the_row_reader(
        policies, path, policy_id, monkeypatch):
    import appealdesk.reports.conversations as conv

    policy = policies.get(policy_id)
    taken = []
    real = conv.read_plain
    monkeypatch.setattr(conv, "read_plain", lambda *a: taken.append(real(*a)) or taken[-1])
    fast = conv.read_messages([path], policy)
    assert taken and taken[0] is not None  # the plain-text path read it
    monkeypatch.setattr(conv, "read_plain", lambda *a: None)
    slow = conv.read_messages([path], policy)
    for name in ("ids", "channel", "order_id", "agent", "bad_rows"):
        assert getattr(fast, name) == getattr(slow, name)
    for name in ("received", "replied", "needed", "automatic", "spam"):
        np.testing.assert_array_equal(getattr(fast, name), getattr(slow, name))


def test_cli_case_shows_message_metrics_next_to_the_order_metrics(demo_workspace, capsys):
    ws = demo_workspace
    case_id = next(c for c in ws.store.case_ids() if c.startswith("amazon"))
    code, out, _err = _run(capsys, "--data-dir", str(ws.store.root), "metrics", case_id,
                           "--messages", str(AMAZON_CSV), "--as-of", "2026-10-15", "--json")
    data = json.loads(out)
    assert data["metrics"] and {m["id"] for m in data["message_metrics"]} == {
        "contact_response_24h_7d", "contact_response_24h_30d", "contact_response_24h_90d"}
    assert code == 1
