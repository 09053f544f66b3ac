"""``appealdesk policies list|show|check``: output, JSON and exit codes."""

from __future__ import annotations

import json

import pytest

import appealdesk.cli as cli
from appealdesk.policy.loading import shipped_policy_texts


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    # Only this command group: the test must not depend on other groups being importable.
    monkeypatch.setattr(cli, "COMMAND_MODULES", ("appealdesk.cli.policies_cmd",))
    monkeypatch.delenv("APPEALDESK_DATA_DIR", raising=False)
    folder = tmp_path / "data"
    (folder / "policies").mkdir(parents=True)
    return folder


def run(data_dir, capsys, *argv):
    code = cli.main(["--data-dir", str(data_dir), "policies", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def user_file(data_dir, name, text):
    path = data_dir / "policies" / name
    path.write_text(text, "utf-8")
    return path


def shipped_text(policy_id):
    return shipped_policy_texts()[policy_id][1]


def test_list_shows_shipped_policies(data_dir, capsys):
    code, out, err = run(data_dir, capsys, "list")
    assert code == 0 and err == ""
    for policy_id in ("amazon", "jd", "joom", "noon"):
        assert any(line.startswith(policy_id + " ") and "[shipped]" in line
                   for line in out.splitlines()), out


def test_list_marks_user_override_new_and_broken(data_dir, capsys):
    user_file(data_dir, "noon.toml", shipped_text("noon"))
    user_file(data_dir, "souq.toml", shipped_text("noon").replace('id = "noon"', 'id = "souq"', 1))
    broken = user_file(data_dir, "broken.toml", "id = [\n")
    code, out, _err = run(data_dir, capsys, "list")
    assert code == 0
    lines = out.splitlines()
    assert any(line.startswith("noon ") and "overrides shipped" in line for line in lines)
    assert any(line.startswith("souq ") and "[user]" in line for line in lines)
    assert any(line.startswith("BROKEN") and str(broken) in line for line in lines)


def test_list_json(data_dir, capsys):
    user_file(data_dir, "noon.toml", shipped_text("noon"))
    user_file(data_dir, "broken.toml", 'schema = 1\nid = "broken"\n')
    code, out, _err = run(data_dir, capsys, "list", "--json")
    assert code == 0
    data = json.loads(out)
    by_id = {p["id"]: p for p in data["policies"]}
    assert by_id["noon"]["kind"] == "user" and by_id["noon"]["overrides_shipped"] is True
    assert by_id["amazon"]["kind"] == "shipped" and by_id["amazon"]["overrides_shipped"] is False
    assert by_id["noon"]["sites"] == ["noon.sa", "noon.ae"]
    assert "late_shipment" in by_id["noon"]["notification_types"]
    assert data["policies_dir"] == str(data_dir / "policies")
    [error] = data["errors"]
    assert error["file"].endswith("broken.toml")
    assert any(p.startswith("name:") for p in error["problems"])
    assert len(error["problems"]) > 1


def test_show_text(data_dir, capsys):
    code, out, _err = run(data_dir, capsys, "show", "noon")
    assert code == 0
    assert "noon.ae: Asia/Dubai" in out
    assert "72 hours" in out and "holidays do not extend it" in out
    assert "<= 2.5%" in out


def test_show_json_is_raw_toml_plus_origin(data_dir, capsys):
    import tomllib

    code, out, _err = run(data_dir, capsys, "show", "jd", "--json")
    assert code == 0
    data = json.loads(out)
    assert data.pop("origin") == "appealdesk/policies/jd.toml"
    assert data == tomllib.loads(shipped_text("jd"))


def test_show_json_of_user_override(data_dir, capsys):
    path = user_file(data_dir, "joom.toml", shipped_text("joom"))
    code, out, _err = run(data_dir, capsys, "show", "joom", "--json")
    assert code == 0
    assert json.loads(out)["origin"] == str(path)


def test_show_unknown_id_is_one_line_error(data_dir, capsys):
    code, out, err = run(data_dir, capsys, "show", "nope")
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "nope" in err and "amazon" in err


def test_check_valid_file(data_dir, capsys, tmp_path):
    path = tmp_path / "souq.toml"
    path.write_text(shipped_text("noon").replace('id = "noon"', 'id = "souq"', 1), "utf-8")
    code, out, _err = run(data_dir, capsys, "check", str(path))
    assert code == 0
    assert out.splitlines() == [f"{path}: valid (souq)"]


def test_check_invalid_file_lists_every_problem(data_dir, capsys, tmp_path):
    text = shipped_text("noon")
    text = text.replace('timezone = "Asia/Riyadh"\nweekend', 'timezone = "Mars/Base"\nweekend', 1)
    text = text.replace('basis = "ship_by"', 'basis = "paid_at"', 1)
    text = text.replace('source = "V: help.noon.partners — late shipment rate',
                        'note = "V: help.noon.partners — late shipment rate', 1)
    path = tmp_path / "bad.toml"
    path.write_text(text, "utf-8")
    code, out, _err = run(data_dir, capsys, "check", str(path))
    assert code == 1
    lines = out.splitlines()
    assert f"{path}: calendar.timezone: 'Mars/Base' is not a known time zone" in lines
    assert any(line.startswith(f"{path}: metrics[0].basis:") for line in lines)
    assert any(line.startswith(f"{path}: metrics[1]:") and "source" in line for line in lines)
    assert len(lines) == 3


def test_check_invalid_toml_is_exit_1(data_dir, capsys, tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text('id = "x"\nname = \n', "utf-8")
    code, out, _err = run(data_dir, capsys, "check", str(path))
    assert code == 1
    assert "not valid TOML" in out and "line 2" in out


def test_check_json(data_dir, capsys, tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text('schema = 1\nid = "x"\n', "utf-8")
    code, out, _err = run(data_dir, capsys, "check", str(path), "--json")
    assert code == 1
    data = json.loads(out)
    assert data["valid"] is False and data["file"] == str(path)
    assert "name: is required" in data["problems"]


@pytest.mark.parametrize("kind", ["missing", "directory", "binary"])
def test_check_unreadable_file_is_exit_2(data_dir, capsys, tmp_path, kind):
    path = tmp_path / "p.toml"
    if kind == "directory":
        path.mkdir()
    elif kind == "binary":
        path.write_bytes(b"\xff\xfe\x00id")
    code, out, err = run(data_dir, capsys, "check", str(path))
    assert code == 2 and out == ""
    assert err.startswith("appealdesk: ") and err.count("\n") == 1 and str(path) in err


def test_policies_without_action_is_a_one_line_usage_error(data_dir, capsys):
    code, out, err = run(data_dir, capsys)
    assert code == 2 and out == ""
    assert err == ("appealdesk: the following arguments are required: ACTION "
                   "(see appealdesk policies --help)\n")
