"""`appealdesk letter|render|submit|outcome` end to end on the demo data."""

from __future__ import annotations

import json

import pytest

from appealdesk.cli import main
from tests.letter_fixtures import GOOD_AMAZON

CASE = "noon-perf-483920"


@pytest.fixture
def run(demo_workspace, capsys, monkeypatch):
    import appealdesk.cli.common as common
    from appealdesk.cases.clock import frozen_clock
    from tests.conftest import FROZEN_NOW

    real = common.workspace

    def fixed(args):
        ws = real(args)
        ws.clock = frozen_clock(FROZEN_NOW)
        ws.operator = "tester"
        return ws

    monkeypatch.setattr(common, "workspace", fixed)
    import appealdesk.cli.letter_cmd as letter_cmd

    monkeypatch.setattr(letter_cmd, "workspace", fixed)
    import appealdesk.cli.check_cmd as check_cmd

    monkeypatch.setattr(check_cmd, "workspace", fixed)
    data = str(demo_workspace.store.root)

    def go(*argv):
        code = main(["--data-dir", data, *argv])
        out, err = capsys.readouterr()
        return code, out, err

    return go


def test_draft_show_versions(run):
    code, out, _ = run("letter", "draft", CASE)
    assert code == 0 and "version 1" in out
    code, out, _ = run("letter", "show", CASE)
    assert code == 0 and "## Reason" in out and "PERF-483920" in out
    code, out, _ = run("letter", "versions", CASE, "--json")
    data = json.loads(out)
    assert data["current"] == 1 and data["versions"][0]["origin"] == "drafted"


def test_set_then_draft_needs_new_version(run, tmp_path):
    letter = tmp_path / "l.md"
    letter.write_text("## Reason\n\nOur text.\n", "utf-8")
    assert run("letter", "set", CASE, str(letter))[0] == 0
    code, _, err = run("letter", "draft", CASE)
    assert code == 1 and "--new-version" in err
    code, out, _ = run("letter", "draft", CASE, "--new-version", "--json")
    assert code == 0 and json.loads(out)["version"] == 2
    code, out, _ = run("letter", "show", CASE, "--version", "1")
    assert out == "## Reason\n\nOur text.\n"


def test_bad_input_is_one_line(run, tmp_path):
    code, _, err = run("letter", "set", CASE, str(tmp_path / "missing.md"))
    assert code == 2 and err.count("\n") == 1 and "Traceback" not in err
    bad = tmp_path / "bad.md"
    bad.write_bytes(b"\xff\xfe\x00")
    code, _, err = run("letter", "set", CASE, str(bad))
    assert code == 2 and "UTF-8" in err
    code, _, err = run("letter", "show", "no-such-case")
    assert code == 2 and "no such case" in err
    code, _, err = run("letter", "show", CASE, "--version", "9")
    assert code == 2


def test_render_submit_outcome_cycle(run, tmp_path):
    case = "amazon-5839201744"
    letter = tmp_path / "l.md"
    letter.write_text(GOOD_AMAZON, "utf-8")
    assert run("letter", "set", case, str(letter))[0] == 0
    code, _, err = run("submit", case)
    assert code == 1 and "render" in err
    # the demo case still misses evidence: no final PDF without --force
    code, out, err = run("render", case, "--json")
    assert code == 1 and "not rendered" in err and not json.loads(out)["rendered"]
    code, out, _ = run("render", case, "--force", "--json")
    data = json.loads(out)
    assert code == 0 and data["draft"] and data["name"].startswith("DRAFT_")
    code, _, err = run("submit", case)
    assert code == 1 and "DRAFT" in err
    for requirement in ("dispatch_records", "carrier_tracking"):
        assert run("evidence", "waive", case, requirement, "--reason", "kept by the carrier")[0] == 0
    # -o names a folder that does not exist yet: it is made, as cp -r would
    code, out, _ = run("render", case, "-o", str(tmp_path / "sent" / "dec"), "--json")
    data = json.loads(out)
    assert code == 0 and data["pages"] == 1 and (tmp_path / "sent" / "dec" / data["name"]).is_file()
    code, _, err = run("render", case, "-o", str(letter))
    assert code == 2 and "is not a folder" in err
    assert not data["draft"] and not data["name"].startswith("DRAFT_")
    code, out, _ = run("submit", case, "--ticket", "T-9", "--json")
    assert code == 0 and json.loads(out)["submission"]["ticket"] == "T-9"
    code, _, err = run("submit", case)
    assert code == 3  # duplicate
    code, out, _ = run("outcome", case, "rejected", "--reason", "documents invalid",
                       "--code", "R-1")
    assert code == 0 and "new version" in out
    code, out, _ = run("letter", "draft", case, "--json")
    data = json.loads(out)
    assert data["origin"] == "after_rejection" and "documents invalid" in data["text"]
    code, out, _ = run("check", case, "--json")
    found = {f["code"] for f in json.loads(out)["findings"]}
    assert "repeated_appeal" in found and "placeholder_left" in found


def test_render_refuses_unsafe_link(run, tmp_path):
    case = "amazon-5839201744"
    letter = tmp_path / "l.md"
    letter.write_text(GOOD_AMAZON + "\n![x](/etc/passwd)\n", "utf-8")
    run("letter", "set", case, str(letter))
    code, out, err = run("render", case)
    assert code == 1 and "unsafe_link" in out and "[x]" in out  # says what the PDF shows
    assert err.count("\n") == 1 and "not rendered" in err  # the refusal: one line


def test_phrases(run):
    code, out, _ = run("letter", "phrases", "--topic", "absence", "--json")
    assert code == 0 and len(json.loads(out)["phrases"]) >= 3


def test_check_explains_why_and_how_to_fix(run):
    code, out, _ = run("check", "amazon-5839201744")
    assert code == 1
    blocks = [ln for ln in out.splitlines() if ln.startswith("BLOCKS")]
    assert blocks and out.count("       why: ") >= len(blocks)
    assert "       fix: " in out


def test_bundle_with_blocking_findings_needs_force(run):
    case = "amazon-5839201744"
    code, _, err = run("evidence", "bundle", case)
    assert code == 1 and "not bundled" in err
    code, out, _ = run("evidence", "bundle", case, "--force", "--json")
    data = json.loads(out)
    assert code == 0 and data["name"].startswith("DRAFT_")
