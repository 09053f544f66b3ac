"""`appealdesk intake`, `status`, `followups` and `list --due-within`: exit codes and JSON."""

from __future__ import annotations

import io
import json
import sys
from datetime import UTC, datetime

import pytest

from appealdesk.cases.clock import frozen_clock
from appealdesk.cli import main

NOW = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)

NOON = """\
Subject: [noon Partners] Performance alert - Late Shipment Rate
Case ID: PERF-123456
Store: Desert Bloom Trading (noon.sa)
Your Late Shipment Rate for the last 7 days is 5.1%.
Orders: NSA1029384756, NSA5647382910
Please respond within 72 hours.
"""

JOOM = """\
Joom Seller Center - Performance notification
Notification ID: JN-7731-0452
Store: Maple Craft Store
Your store's cancellation rate is 3.4%. Orders: 5f1a2b3c4d5e6f7a8b9c0d1e
Please respond within 72 hours.
"""


@pytest.fixture
def cli(tmp_path, monkeypatch, capsys):
    """Run the CLI on a temporary data folder with a frozen clock."""
    import appealdesk.cases.workspace as workspace_module

    real_open = workspace_module.Workspace.open.__func__

    def frozen_open(cls, data_dir=None, *, clock=None, operator=None):
        return real_open(cls, data_dir, clock=frozen_clock(NOW), operator=operator or "tester")

    monkeypatch.setattr(workspace_module.Workspace, "open", classmethod(frozen_open))
    data = tmp_path / "data"

    def run(*args: str, stdin: bytes | None = None):
        if stdin is not None:
            monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin)))
        code = main(["--data-dir", str(data), *args])
        out, err = capsys.readouterr()
        return code, out, err

    run.tmp = tmp_path
    return run


def write(cli, name: str, text: str | bytes):
    path = cli.tmp / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return str(path)


def test_intake_prints_the_case_id_and_duplicate_exits_3(cli):
    path = write(cli, "noon.txt", NOON)
    code, out, err = cli("intake", path)
    assert (code, out.strip()) == (0, "noon-perf-123456")
    code, out, err = cli("intake", path)
    assert code == 3
    assert "noon-perf-123456" in err and "Traceback" not in err
    code, out, _err = cli("intake", path, "--json")
    assert code == 3 and json.loads(out)["duplicate"] == "noon-perf-123456"


def test_intake_json_is_the_case(cli):
    code, out, _err = cli("intake", write(cli, "joom.txt", JOOM), "--json",
                          "--received", "2026-11-19T10:00:00+00:00")
    assert code == 0
    case = json.loads(out)
    assert case["id"] == "joom-jn-7731-0452"
    assert case["marketplace"] == "joom" and case["store"] == "Maple Craft Store"
    assert case["notification"]["received"] == "2026-11-19T10:00:00+00:00"
    assert case["notification"]["cited_orders"] == ["5f1a2b3c4d5e6f7a8b9c0d1e"]
    assert case["history"][0]["event"] == "created"


def test_intake_from_stdin_with_platform_and_store(cli):
    code, out, err = cli("intake", "-", "--platform", "noon", "--store", "X Shop",
                         "--json", stdin=b"Hello, your shop was flagged.")
    assert code == 0
    case = json.loads(out)
    assert case["marketplace"] == "noon" and case["store"] == "X Shop"


def test_intake_unknown_marketplace_names_what_to_fill_in(cli):
    code, out, err = cli("intake", write(cli, "x.txt", "Dear partner, your shop was flagged."))
    assert code == 0 and out.startswith("unknown-")
    assert "marketplace" in err


def test_intake_dry_run_creates_nothing(cli):
    code, out, _err = cli("intake", write(cli, "noon.txt", NOON), "--dry-run", "--json")
    assert code == 0 and json.loads(out)["external_id"] == "PERF-123456"
    code, out, _err = cli("list", "--json")
    assert json.loads(out)["cases"] == []


@pytest.mark.parametrize(
    ("content", "args", "message"),
    [
        ("", (), "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00", (), "binary"),
        ("text", ("--received", "yesterday"), "not a time"),
        ("text", ("--platform", "ebay"), "unknown marketplace"),
    ],
)
def test_intake_bad_input_is_one_line_exit_2(cli, content, args, message):
    code, out, err = cli("intake", write(cli, "in.txt", content), *args)
    assert code == 2
    assert message in err and len(err.strip().splitlines()) == 1


def test_intake_missing_file(cli):
    code, _out, err = cli("intake", str(cli.tmp / "nope.txt"))
    assert code == 2 and "cannot read" in err


def test_status_changes_and_refusals(cli):
    cli("intake", write(cli, "noon.txt", NOON))
    code, out, _err = cli("status", "noon-perf-123456", "ready", "--note", "letter done")
    assert (code, out.strip()) == (0, "noon-perf-123456: ready")
    code, _out, err = cli("status", "noon-perf-123456", "approved")
    assert code == 1 and "possible: in_progress, submitted, closed, archived" in err
    code, _out, err = cli("status", "noon-perf-123456", "flying")
    assert code == 1 and "possible" in err
    code, _out, err = cli("status", "nope-1", "ready")
    assert code == 2 and "no such case" in err
    code, out, _err = cli("show", "noon-perf-123456", "--json")
    history = json.loads(out)["history"]
    assert history[-1]["to_status"] == "ready" and history[-1]["note"] == "letter done"


def test_followups_lists_deadlines_and_timers_sorted(cli):
    cli("intake", write(cli, "noon.txt", NOON), "--received", "2026-11-19T08:00:00+00:00")
    cli("intake", write(cli, "joom.txt", JOOM), "--received", "2026-11-17T08:00:00+00:00")
    cli("status", "joom-jn-7731-0452", "ready")
    cli("status", "joom-jn-7731-0452", "submitted")
    code, out, _err = cli("followups", "--json")
    assert code == 0
    items = json.loads(out)["items"]
    assert [(i["case"], i["id"]) for i in items] == [
        ("joom-jn-7731-0452", "urgent_ticket"),
        ("noon-perf-123456", "response"),
        ("joom-jn-7731-0452", "chase_ticket"),
    ]
    assert items[0]["title"] == "URGENT: Appeal Submitted for JN-7731-0452"
    assert items[1]["time_left"] == "1d 23h" and items[1]["state"] == "ok"
    code, out, _err = cli("followups", "--within", "25h")
    assert code == 0 and "chase_ticket" not in out and "noon-perf-123456" not in out
    assert "URGENT: Appeal Submitted" in out
    code, _out, err = cli("followups", "--within", "soon")
    assert code == 2 and "not a time span" in err


def test_followup_done_marks_the_first_open_one_and_explains_the_rest(cli):
    cli("intake", write(cli, "joom.txt", JOOM), "--received", "2026-11-17T08:00:00+00:00")
    cli("intake", write(cli, "noon.txt", NOON), "--received", "2026-11-19T08:00:00+00:00")
    cli("status", "joom-jn-7731-0452", "ready")
    cli("status", "joom-jn-7731-0452", "submitted")
    code, out, _err = cli("followups")
    assert code == 0 and "joom-jn-7731-0452  urgent_ticket  Open a Support Ticket" in out
    code, out, _err = cli("followup-done", "joom-jn-7731-0452")
    assert (code, out.strip()) == (0, "joom-jn-7731-0452: urgent_ticket done")
    code, out, _err = cli("followups", "--json")
    assert [i["id"] for i in json.loads(out)["items"]
            if i["case"] == "joom-jn-7731-0452"] == ["chase_ticket"]
    code, out, _err = cli("followup-done", "joom-jn-7731-0452", "urgent_ticket")
    assert code == 0 and "already done" in out
    code, _out, err = cli("followup-done", "joom-jn-7731-0452", "nope")
    assert code == 1 and "open ones: chase_ticket" in err and len(err.strip().splitlines()) == 1
    code, _out, err = cli("followup-done", "noon-perf-123456")
    assert code == 1 and "no open follow-up" in err
    code, out, _err = cli("followup-done", "joom-jn-7731-0452", "chase_ticket", "--json")
    assert code == 0 and json.loads(out)["state"] == "done"
    code, out, _err = cli("show", "joom-jn-7731-0452", "--json")
    done = [h["note"] for h in json.loads(out)["history"] if h["event"] == "followup_done"]
    assert done == ["urgent_ticket", "chase_ticket"]


def test_followups_when_nothing_is_due(cli):
    code, out, _err = cli("followups")
    assert code == 0 and out.strip() == "Nothing is due."


def test_list_shows_time_left_and_filters_by_due_within(cli):
    cli("intake", write(cli, "noon.txt", NOON), "--received", "2026-11-19T08:00:00+00:00")
    cli("intake", write(cli, "joom.txt", JOOM), "--received", "2026-11-17T08:00:00+00:00")
    code, out, _err = cli("list", "--json")
    rows = {r["id"]: r for r in json.loads(out)["cases"]}
    assert rows["noon-perf-123456"]["time_left"] == "1d 23h"
    assert rows["joom-jn-7731-0452"]["time_left"] == "overdue 1h"
    assert rows["joom-jn-7731-0452"]["urgency"] == "overdue"
    code, out, _err = cli("list", "--due-within", "24h")
    assert code == 0 and "joom-jn-7731-0452" in out and "noon-perf-123456" not in out
    assert "overdue 1h" in out
    code, out, _err = cli("list", "--due-within", "3d", "--json")
    assert len(json.loads(out)["cases"]) == 2
    code, _out, err = cli("list", "--due-within", "tomorrow")
    assert code == 2 and "not a time span" in err


NOTICES = __import__("pathlib").Path(__file__).parent / "notices"


def _submit_case(data_dir, case_id: str) -> None:
    from appealdesk.cases.model import Status, Submission
    from appealdesk.cases.workspace import Workspace

    ws = Workspace.open(data_dir, clock=frozen_clock(NOW), operator="tester")
    with ws.store.editing(case_id, "tester") as case:
        case.change_status(Status.READY, operator="tester", at=NOW)
        case.change_status(Status.SUBMITTED, operator="tester", at=NOW)
        case.submissions.append(Submission(at=NOW, operator="tester", pdf="a.pdf"))


def test_intake_says_where_the_deadline_comes_from_and_asks_for_a_missing_date(cli):
    code, out, err = cli("intake", str(NOTICES / "amazon_uk_deactivation.txt"))
    assert code == 0 and "(stated in the notice: “within 17 days”)" in err
    assert "no received time" not in err
    code, out, err = cli("intake", str(NOTICES / "amazon_zh_deactivation.txt"))
    assert code == 0 and "gives no received time" in err and "--received" in err
    assert "received" in err.split("fill in:")[1]


def test_intake_joins_a_rejection_reply_to_its_case(cli):
    code, out, _err = cli("intake", str(NOTICES / "amazon_uk_deactivation.txt"))
    case_id = out.strip()
    _submit_case(cli.tmp / "data", case_id)
    code, out, _err = cli("intake", str(NOTICES / "amazon_rejection_en.txt"))
    assert code == 0 and out.splitlines()[0] == f"joined {case_id}: rejected"
    assert "unable to reinstate" in out and "new deadline: 2026-11-26 14:02 UTC" in out
    code, out, _err = cli("show", case_id, "--json")
    case = json.loads(out)
    assert case["status"] == "rejected" and case["submissions"][-1]["outcome"] == "rejected"
    code, out, err = cli("intake", str(NOTICES / "amazon_rejection_en.txt"))
    assert code == 3 and case_id in err  # the same reply again
    code, out, _err = cli("list", "--json")
    assert len(json.loads(out)["cases"]) == 1


def test_show_names_the_deadline_source_and_listings(cli):
    code, out, _err = cli("intake", str(NOTICES / "amazon_apple_forward.txt"))
    code, out, _err = cli("show", out.strip())
    assert "Cited listings: B00K7B9X5S" in out
    assert "Deadline: 2014-08-30 06:29 UTC (stated in the notice: “You have 90 days”)" in out
