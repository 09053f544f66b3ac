"""Typed data on disk: a broken case or config file is one line naming the file and key,
and everything else keeps working (issue 11 item 4; issue 16 item 1)."""

from __future__ import annotations

import tomllib

import pytest

from appealdesk.cases.config import (
    OperatorConfig,
    TeamConfig,
    config_schema,
    load_settings,
    operator_config_path,
    remember,
)
from appealdesk.cases.errors import CaseFileError
from appealdesk.cli import language_for, main
from appealdesk.policy.loading import parse_policy_text
from appealdesk.policy.types import PolicyError
from tests.conftest import settle

AMAZON = "amazon-5839201744"  # a demo case with a received date and submissions


def case_path(ws, case_id):
    return ws.store.case_file(case_id)


def other_ids(ws, broken):
    return [c for c in ws.store.case_ids() if c != broken]


def edit(ws, case_id, old, new):
    path = case_path(ws, case_id)
    text = path.read_text("utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), "utf-8")
    return path


def received_line(ws, case_id):
    text = case_path(ws, case_id).read_text("utf-8")
    return next(line for line in text.splitlines() if line.startswith("received = "))


# -- what is refused, with its key -----------------------------------------------

def naive(ws):
    line = received_line(ws, AMAZON)  # received = 2026-11-17T21:00:00Z (or +00:00)
    return edit(ws, AMAZON, line, line.split("+")[0].rstrip("Z"))


BROKEN = {
    "naive date-time": (naive, "notification.received", "time zone"),
    "quoted timestamp": (
        lambda ws: edit(ws, AMAZON, received_line(ws, AMAZON),
                        'received = "' + received_line(ws, AMAZON)[11:] + '"'),
        "notification.received", "without quotes"),
    "wrong type": (lambda ws: edit(ws, AMAZON, 'marketplace = "amazon"', "marketplace = 7"),
                   "marketplace", "must be a string, got a whole number"),
    "year 9999": (lambda ws: edit(ws, AMAZON, received_line(ws, AMAZON),
                                  received_line(ws, AMAZON).replace("2026-", "9999-")),
                  "notification.received", "year 9999"),
    "unknown status": (lambda ws: edit(ws, AMAZON, 'status = "', 'status = "lost'),
                       "status", "not a known value"),
    "table for a list": (lambda ws: edit(ws, AMAZON, "waivers = []", "waivers = { x = 1 }"),
                         "waivers", "must be a list, got a table"),
    "missing key in a list item": (
        lambda ws: edit(ws, AMAZON, "submissions = []", 'submissions = [{ operator = "me" }]'),
        "submissions[0].at", "is required"),
}


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_a_broken_case_is_one_error_naming_file_and_key(demo_workspace, name):
    change, key, words = BROKEN[name]
    change(demo_workspace)
    path = case_path(demo_workspace, AMAZON)
    with pytest.raises(CaseFileError) as info:
        demo_workspace.store.load(AMAZON)
    message = str(info.value)
    assert message.startswith(f"{path}: {key}: "), message
    assert words in message and "\n" not in message
    loaded = demo_workspace.store.load_all()
    assert [str(e) for e in loaded.errors] == [message]
    assert sorted(c.id for c in loaded.cases) == other_ids(demo_workspace, AMAZON)


def test_deep_nesting_is_refused_with_its_key(demo_workspace):
    deep = "[" * 40 + "1" + "]" * 40
    path = edit(demo_workspace, AMAZON, 'marketplace = "amazon"',
                f'marketplace = "amazon"\nodd = {deep}')
    with pytest.raises(CaseFileError) as info:
        demo_workspace.store.load(AMAZON)
    assert str(info.value).startswith(f"{path}: odd[0]") and "nested more than" in str(info.value)


def test_nesting_beyond_the_parser_is_refused_too(demo_workspace):
    deep = "[" * 5000 + "]" * 5000
    path = edit(demo_workspace, AMAZON, 'marketplace = "amazon"',
                f'marketplace = "amazon"\nodd = {deep}')
    with pytest.raises(CaseFileError) as info:
        demo_workspace.store.load(AMAZON)
    assert str(info.value).startswith(f"{path}: not valid TOML")


def test_a_deeply_nested_user_policy_is_only_itself_broken():
    with pytest.raises(PolicyError) as info:
        parse_policy_text("a = " + "[" * 5000 + "]" * 5000, "deep.toml")
    assert str(info.value).startswith("deep.toml: ")


def test_unknown_evidence_keys_are_kept(demo_workspace):
    with demo_workspace.store.editing(AMAZON, "tester") as case:
        assert case.evidence, "the demo case has evidence"
        case.evidence[0].extra["checked_by"] = "lead"
    again = demo_workspace.store.load(AMAZON)
    assert again.evidence[0].extra == {"checked_by": "lead"}
    assert again.notification.received.tzinfo is not None


# -- the commands and the app go on ------------------------------------------------

def test_list_and_check_work_beside_a_naive_date_time(demo_workspace, capsys):
    path = naive(demo_workspace)
    data = ["--data-dir", str(demo_workspace.store.root)]
    assert main([*data, "list", "--all"]) == 0
    captured = capsys.readouterr()
    errors = captured.err.strip().splitlines()
    assert errors == [f"appealdesk: {path}: notification.received: is a date-time without a "
                      "time zone; add one, e.g. 2026-11-17T21:00:00Z or 2026-11-17T21:00:00+08:00"]
    for case_id in other_ids(demo_workspace, AMAZON):
        assert case_id in captured.out
    assert "internal error" not in captured.err
    other = other_ids(demo_workspace, AMAZON)[0]
    assert main([*data, "check", other]) in (0, 1)
    assert "internal error" not in capsys.readouterr().err
    assert main([*data, "check", AMAZON]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and str(path) in err[0] and "notification.received" in err[0]


async def test_the_app_opens_beside_a_broken_case(demo_workspace):
    from appealdesk.app import AppealDeskApp

    path = naive(demo_workspace)
    app = AppealDeskApp(demo_workspace)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert app.is_running
        assert sorted(s.id for s in app.summaries) == other_ids(demo_workspace, AMAZON)
        shown = [str(n.message) for n in app._notifications]
        assert any(str(path) in m and "notification.received" in m for m in shown), shown


# -- config files ----------------------------------------------------------------

def test_a_broken_config_is_one_warning_line_for_every_command(demo_workspace, capsys):
    config = demo_workspace.store.config_path
    config.write_text('stores = ["A"]\n[report_columns.erp]\norder_id = [\n', "utf-8")
    assert main(["--data-dir", str(demo_workspace.store.root), "list"]) == 0
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith(f"appealdesk: warning: {config}:3: not valid TOML")
    config.write_text('stores = "Shop A"\n', "utf-8")
    assert main(["--data-dir", str(demo_workspace.store.root), "policies", "list"]) == 0
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [f"appealdesk: warning: {config}: stores: must be a list, got a string "
                   "(its settings are not used)"]


def test_a_wrong_type_deep_in_the_config_names_the_real_key(tmp_path):
    (tmp_path / "config.toml").write_text(
        '[report_columns.erp]\norder_id = ["a"]\n[report_columns.wms]\nsku = ["a", 3]\n', "utf-8")
    settings = load_settings(tmp_path)
    assert [e.reason for e in settings.errors] == [
        "report_columns.wms.sku[1]: must be a string, got a whole number"]
    assert settings.team == TeamConfig()  # defaults, not half a file


def test_language_is_the_operators_own_and_the_old_team_value_is_a_fallback(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    (data / "config.toml").write_text('language = "zh"\nstores = ["Shop A"]\n', "utf-8")
    assert language_for(["--data-dir", str(data), "list"]) == "zh"  # nothing lost
    remember(language="en")
    assert language_for(["--data-dir", str(data), "list"]) == "en"  # mine wins
    assert tomllib.loads((data / "config.toml").read_text("utf-8"))["language"] == "zh"
    assert tomllib.loads(operator_config_path().read_text("utf-8")) == {"language": "en"}
    assert not str(operator_config_path()).startswith(str(data))


def test_remember_keeps_the_operators_comments(tmp_path):
    path = operator_config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('# my settings\ntheme = "textual-light"  # easier on the eyes\n', "utf-8")
    remember(language="zh")
    text = path.read_text("utf-8")
    assert "# my settings" in text and "# easier on the eyes" in text
    assert load_settings(None).operator == OperatorConfig(language="zh", theme="textual-light")


def test_the_config_fields_are_documented_as_json_schema():
    schema = config_schema()
    team = schema["$defs"]["TeamConfig"]["properties"]
    mine = schema["$defs"]["OperatorConfig"]["properties"]
    assert {"stores", "report_columns"} <= set(team)
    assert {"language", "theme", "keymap", "operator"} <= set(mine)
    assert schema["$defs"]["OperatorConfig"]["description"]


def test_a_case_that_would_not_load_again_is_never_written(demo_workspace):
    from datetime import datetime

    from appealdesk.cases.errors import StoreError

    path = case_path(demo_workspace, AMAZON)
    before = path.read_bytes()
    with pytest.raises(StoreError) as info:
        with demo_workspace.store.editing(AMAZON, "tester") as case:
            case.log("note", operator="tester", at=datetime(2026, 11, 20, 9, 0))  # naive
    assert "history[" in str(info.value) and "time zone" in str(info.value)
    assert path.read_bytes() == before
    demo_workspace.store.load(AMAZON)
