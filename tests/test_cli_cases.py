"""`appealdesk list` / `show` and the CLI's error contract."""

from __future__ import annotations

import json

import pytest

from appealdesk.cli import main


def run(capsys, *argv):
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_list_json_on_demo(capsys, demo_workspace):
    code, out, _ = run(capsys, "--data-dir", str(demo_workspace.store.root), "list", "--json")
    assert code == 0
    data = json.loads(out)
    ids = {c["id"] for c in data["cases"]}
    assert "amazon-5839201744" in ids
    assert "amazon-5790114420" not in ids  # closed: only with --all
    code, out, _ = run(capsys, "--data-dir", str(demo_workspace.store.root), "list", "--all",
                       "--json")
    assert "amazon-5790114420" in {c["id"] for c in json.loads(out)["cases"]}


@pytest.mark.parametrize("extra", [[], ["--all"], ["--due-within", "3d"]])
def test_list_json_from_sqlite_equals_the_rows_written_in_python(capsys, demo_workspace,
                                                                 monkeypatch, extra):
    """``list --json`` has SQLite write each case's JSON object; where SQLite has no JSON
    functions the rows are written in Python: the same data either way."""
    import sqlite3

    from appealdesk.index.case_index import CaseIndex

    root = str(demo_workspace.store.root)
    code, fast, _ = run(capsys, "--data-dir", root, "list", "--json", *extra)
    assert code == 0

    def no_json(self, hide=()):
        raise sqlite3.OperationalError("no such function: json_object")

    monkeypatch.setattr(CaseIndex, "list_json", no_json)
    code, slow, _ = run(capsys, "--data-dir", root, "list", "--json", *extra)
    assert code == 0
    assert json.loads(fast) == json.loads(slow)
    assert json.loads(fast)["cases"]  # the demo has cases due within 3 days


def test_show_json_round_trips_the_case(capsys, demo_workspace):
    root = str(demo_workspace.store.root)
    code, out, _ = run(capsys, "--data-dir", root, "show", "noon-perf-483920", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["marketplace"] == "noon" and data["notification"]["external_id"] == "PERF-483920"


@pytest.mark.parametrize("case_id", ["nope", "../etc", "a/b", ""])
def test_unknown_or_unsafe_case_is_one_line_error(capsys, demo_workspace, case_id):
    code, out, err = run(capsys, "--data-dir", str(demo_workspace.store.root), "show", case_id)
    assert code == 2
    assert err.count("\n") == 1 and err.startswith("appealdesk: ")
    assert "Traceback" not in err


def test_broken_case_file_is_reported_and_others_still_list(capsys, demo_workspace):
    path = demo_workspace.store.case_file("noon-perf-483920")
    path.write_text("schema = 1\nid = [broken\n", encoding="utf-8")
    code, out, err = run(capsys, "--data-dir", str(demo_workspace.store.root), "list", "--json")
    assert code == 0
    data = json.loads(out)
    assert "noon-perf-483920" not in {c["id"] for c in data["cases"]}
    assert "amazon-5839201744" in {c["id"] for c in data["cases"]}
    assert "case.toml:2" in data["errors"][0]
    assert "case.toml:2" in err


def test_bad_option_exits_non_zero(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["list", "--no-such-option"])
    assert exc.value.code == 2
