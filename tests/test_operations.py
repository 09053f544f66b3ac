"""The use-case layer: each change to a case is one operation that the CLI and the app call.

Each operation is replaced by a spy that records the call and then does the real
work; the CLI command and the app's key must both end in it.
"""

from __future__ import annotations

import ast
import json
import shutil
from pathlib import Path

import pytest

from appealdesk.cli import main
from appealdesk.evidence.outputs import is_bundle, letter_pdf
from appealdesk.operations import evidence, intake, letters, reports, status, submissions
from tests.conftest import settle, wait_until
from tests.evidence_fixtures import make_png
from tests.letter_fixtures import GOOD_AMAZON

ROOT = Path(__file__).resolve().parent.parent
LETTER_CASE = "amazon-5839201744"
SUBMITTED_CASE = "joom-jn-7729-8810"

OPERATIONS = {
    intake: ("create_case",),
    status: ("change_status",),
    letters: ("save_letter", "draft", "render"),
    submissions: ("submit", "outcome", "followup_done"),
    evidence: ("add", "set_facts", "remove", "waive", "unwaive", "bundle"),
    reports: ("import_report",),
}


@pytest.fixture
def calls(monkeypatch) -> list[str]:
    """Every operation called, as "module.function", in order (the real work still runs)."""
    seen: list[str] = []
    for module, names in OPERATIONS.items():
        short = module.__name__.rsplit(".", 1)[1]
        for name in names:
            real = getattr(module, name)

            def spy(*args, _real=real, _name=f"{short}.{name}", **kwargs):
                seen.append(_name)
                return _real(*args, **kwargs)

            monkeypatch.setattr(module, name, spy)
    return seen


def cli(ws, capsys, *argv: str) -> tuple[int, str, str]:
    code = main(["--data-dir", str(ws.store.root), *argv])
    out, err = capsys.readouterr()
    return code, out, err


# -- the bug that made this layer: a bundle recorded as the letter ----------------------------


def test_submit_after_bundle_records_the_letter_not_the_bundle(demo_workspace, capsys):
    """Reproduced in the demo: render, bundle, submit recorded the evidence bundle."""
    ws = demo_workspace
    for requirement in ("dispatch_records", "carrier_tracking"):  # nothing blocks the render
        cli(ws, capsys, "evidence", "waive", LETTER_CASE, requirement, "--reason", "test")
    code, out, _ = cli(ws, capsys, "render", LETTER_CASE, "--json")
    rendered = json.loads(out)
    assert code == 0 and not rendered["draft"]
    code, out, _ = cli(ws, capsys, "evidence", "bundle", LETTER_CASE, "--json")
    assert code == 0
    bundled = json.loads(out)
    assert bundled["name"] != rendered["name"]
    code, out, err = cli(ws, capsys, "submit", LETTER_CASE, "--json")
    assert code == 0, err
    submission = json.loads(out)["submission"]
    assert submission["pdf"] == rendered["name"]
    assert submission["sha256"] == rendered["sha256"]


def test_letter_pdf_is_never_a_bundle(demo_workspace):
    ws = demo_workspace
    letters.save_letter(ws, LETTER_CASE, GOOD_AMAZON)
    case = ws.store.load(LETTER_CASE)
    policy = ws.policy_for(case)
    rendered = letters.render(ws, LETTER_CASE)
    bundle = evidence.bundle(ws, LETTER_CASE)
    assert is_bundle(bundle) and not is_bundle(rendered.path)
    # Without a policy every PDF in out/ is a candidate: the bundle, newer, is still refused.
    assert letter_pdf(ws.store, case, None) == rendered.path
    assert letter_pdf(ws.store, case, policy) == rendered.path


def test_submit_without_a_rendered_letter_names_render_as_the_fix(demo_workspace, capsys):
    with pytest.raises(submissions.SubmissionError) as err:
        submissions.submit(demo_workspace, LETTER_CASE)
    assert err.value.fix == "render" and "appealdesk" not in str(err.value)
    code, _, stderr = cli(demo_workspace, capsys, "submit", LETTER_CASE)
    assert code == 1 and f"run: appealdesk render {LETTER_CASE}" in stderr


# -- the CLI ends in the operations ------------------------------------------------------------


def test_cli_commands_call_the_operations(demo_workspace, capsys, calls, tmp_path):
    ws = demo_workspace
    letter = tmp_path / "letter.md"
    letter.write_text(GOOD_AMAZON, "utf-8")
    png = make_png(tmp_path / "proof.png")
    report = tmp_path / "orders.csv"
    shutil.copyfile(ws.store.file_path(LETTER_CASE, "reports", "orders.csv"), report)
    notice = tmp_path / "notice.txt"
    demo_notice = ROOT / "src" / "appealdesk" / "demo" / "amazon_late.txt"
    notice.write_text(demo_notice.read_text("utf-8").replace("5839201744", "5839201799"),
                      "utf-8")
    steps = [
        (("status", LETTER_CASE, "in_progress"), "status.change_status"),
        (("letter", "set", LETTER_CASE, str(letter)), "letters.save_letter"),
        (("letter", "draft", LETTER_CASE, "--new-version"), "letters.draft"),
        (("letter", "set", LETTER_CASE, str(letter)), "letters.save_letter"),
        (("render", LETTER_CASE, "--force"), "letters.render"),
        (("evidence", "add", LETTER_CASE, str(png)), "evidence.add"),
        (("evidence", "waive", LETTER_CASE, "carrier_delay", "--reason", "ours"),
         "evidence.waive"),
        (("evidence", "unwaive", LETTER_CASE, "carrier_delay"), "evidence.unwaive"),
        (("evidence", "bundle", LETTER_CASE, "--force"), "evidence.bundle"),
        (("import-report", LETTER_CASE, str(report)), "reports.import_report"),
        (("submit", LETTER_CASE, "--ticket", "T-1"), "submissions.submit"),
        (("followup-done", LETTER_CASE), "submissions.followup_done"),
        (("outcome", LETTER_CASE, "rejected", "--reason", "no"), "submissions.outcome"),
        (("intake", str(notice)), "intake.create_case"),
    ]
    for argv, operation in steps:
        calls.clear()
        code, _out, err = cli(ws, capsys, *argv)
        assert operation in calls, (argv, code, err)
    name = ws.store.load(LETTER_CASE).evidence[-1].name
    calls.clear()
    cli(ws, capsys, "evidence", "set", LETTER_CASE, name, "--orders", "1,2")
    cli(ws, capsys, "evidence", "remove", LETTER_CASE, name)
    assert calls == ["evidence.set_facts", "evidence.remove"]


# -- the app ends in the same operations -------------------------------------------------------


async def test_editor_keys_call_the_operations(demo_app, demo_workspace, calls, fast_timers):
    from tests.test_editor import open_letter, open_timeline, type_at_end

    app = demo_app()
    async with app.run_test(size=(100, 30)) as pilot:
        pane = await open_letter(pilot)
        await type_at_end(pilot, pane, "More.")
        await pilot.press("escape")
        await wait_until(pilot, lambda: "letters.save_letter" in calls)
        assert "letters.save_letter" in calls
        calls.clear()
        await pilot.press("r")
        await settle(pilot)
        await pilot.press("y")  # the demo case has blocking findings: render a DRAFT
        await settle(pilot, times=5)
        await app.workers.wait_for_complete()
        assert "letters.render" in calls
        calls.clear()
        await pilot.press("d")  # the letter was edited: drafting asks for a new version
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot, times=5)
        await app.workers.wait_for_complete()
        assert "letters.draft" in calls
        await open_letter(pilot, SUBMITTED_CASE)
        calls.clear()
        await open_timeline(pilot)
        await pilot.press("d")
        await settle(pilot)
        await app.workers.wait_for_complete()
        assert calls == ["submissions.followup_done"]


async def test_evidence_keys_call_the_operations(demo_app, demo_workspace, calls, tmp_path):
    ws = demo_workspace
    png = make_png(tmp_path / "proof.png")
    app = demo_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        app.select_case(LETTER_CASE)
        await pilot.press("3")
        await settle(pilot)
        await pilot.press("p")
        await pilot.pause()
        app.screen.query_one("#picker-path").value = str(png)
        await pilot.press("enter")
        await settle(pilot)
        await app.workers.wait_for_complete()
        assert calls == ["evidence.add"]
        calls.clear()
        await pilot.press("b")
        await settle(pilot)
        await app.workers.wait_for_complete()
        assert calls == ["evidence.bundle"]
    assert ws.store.load(LETTER_CASE).evidence[-1].original_name == "proof.png"


# -- nothing else writes a case ----------------------------------------------------------------

# Calls that change a stored case; outside the core only the operations may make them.
STORE_WRITES = {"editing", "save", "create", "write_file", "copy_in", "remove_file"}
WRITES = {"change_status", "log", "mark_done", "add_evidence", "update_evidence",
          "remove_evidence", "import_into_case", "draft_into_case", "save_edit", "apply_draft",
          "add_version", "render_letter", "record_submission", "record_outcome"}
OPERATION_MODULES = {"evidence", "letters", "submissions", "reports", "status", "intake"}


def _writes_in(path: Path) -> list[str]:
    tree = ast.parse(path.read_text("utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            owner = func.value if isinstance(func, ast.Attribute) else None
            owner_name = getattr(owner, "id", getattr(owner, "attr", ""))
            if (name in STORE_WRITES and owner_name == "store") or (
                    name in WRITES and owner_name not in OPERATION_MODULES):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno} {name}")
    return found


def test_front_ends_change_cases_only_through_operations():
    front_ends = [*(ROOT / "src" / "appealdesk" / "cli").glob("*.py"),
                  *(ROOT / "widgets").glob("*.py"), *(ROOT / "screens").rglob("*.py"),
                  ROOT / "src" / "appealdesk" / "app.py"]
    found = [w for path in front_ends for w in _writes_in(path)]
    assert found == []


async def test_timeline_keys_record_submission_and_outcome(demo_app, demo_workspace, calls):
    from tests.test_editor import open_letter, open_timeline

    ws = demo_workspace
    letters.save_letter(ws, LETTER_CASE, GOOD_AMAZON)
    rendered = letters.render(ws, LETTER_CASE)
    evidence.bundle(ws, LETTER_CASE)  # a newer PDF in out/ that is not the letter
    app = demo_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await open_letter(pilot)
        screen = await open_timeline(pilot)
        assert "s: record a submission" in str(screen.query_one("#timeline-hint").render())
        assert "appealdesk" not in str(screen.query_one("#timeline-body").render())
        calls.clear()
        await pilot.press("s")
        await settle(pilot)  # the form opens once out/ was read (a worker)
        # the newest rendered letter is offered first, not the newer bundle
        assert app.screen.query_one("#submit-pdf").highlighted_option.id == rendered.name
        app.screen.query_one("#submit-ticket").value = "T-77"
        await pilot.press("enter")
        await settle(pilot)
        await app.workers.wait_for_complete()
        assert calls == ["submissions.submit"]
        [sent] = ws.store.load(LETTER_CASE).submissions
        assert (sent.ticket, sent.pdf) == ("T-77", rendered.name)
        screen = await open_timeline(pilot)
        assert screen.check_action("submit", ()) is False  # waiting for the answer
        calls.clear()
        await pilot.press("x")
        await pilot.pause()
        app.screen.query_one("#outcome-reason").value = "invoice unreadable"
        await pilot.press("enter")
        await settle(pilot)
        await app.workers.wait_for_complete()
        assert calls == ["submissions.outcome"]
        last = ws.store.load(LETTER_CASE).submissions[-1]
        assert (last.outcome, last.reason) == ("rejected", "invoice unreadable")


# -- each front end words a fix its own way ----------------------------------------------------


def test_the_cli_words_fixes_as_commands(demo_workspace, capsys):
    from appealdesk.cli.fixes import FIX_COMMANDS, fix_command

    assert fix_command("evidence.add", "c-1", {"requirement": "invoice"}) == \
        "appealdesk evidence add c-1 FILE --requirement invoice"
    assert fix_command("evidence.add", "c-1") == \
        "appealdesk evidence add c-1 FILE --requirement REQUIREMENT"
    assert fix_command("no.such.fix", "c-1") == ""
    code, out, _ = cli(demo_workspace, capsys, "check", LETTER_CASE)
    lines = out.splitlines()
    fixes = [lines[i + 2] for i, line in enumerate(lines)
             if "(evidence_missing)" in line]  # the finding (title, code), why, fix
    assert fixes and all(f"fix: appealdesk evidence add {LETTER_CASE} FILE --requirement "
                         in line for line in fixes)
    assert "evidence.add" in FIX_COMMANDS


def test_the_app_words_fixes_as_keys():
    from appealdesk.checks.base import BLOCKING, Finding
    from appealdesk.widgets.fixes import FIX_KEYS, finding_text, key_hint

    assert key_hint("evidence.add") == "press a in Evidence (3)"
    assert key_hint("evidence.replace") == "press x in Evidence (3), then a"
    assert key_hint("outcome.record") == "press o in Letter (4)"
    assert key_hint("submit") == "press s in Letter (4)"
    finding = Finding("letter_empty", BLOCKING, "the letter is empty", fix="letter.draft")
    assert finding_text(finding) == "the letter is empty (press d in Letter (4))"
    assert all(key_hint(fix) for fix in FIX_KEYS)  # every key named is really bound
    from appealdesk.cli.fixes import FIX_COMMANDS

    assert set(FIX_KEYS) <= set(FIX_COMMANDS)


def test_core_messages_name_no_command():
    """Findings and refusals of the core carry fix ids; no core text names a CLI command."""
    core = ROOT / "src" / "appealdesk"
    offenders = []
    for path in core.rglob("*.py"):
        if "cli" in path.relative_to(core).parts:
            continue
        tree = ast.parse(path.read_text("utf-8"))
        for node in ast.walk(tree):
            if (isinstance(node, ast.Call) and getattr(node.func, "id", "") == "_"
                    and node.args and isinstance(node.args[0], ast.Constant)
                    and "appealdesk " in str(node.args[0].value)):
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert offenders == []


async def test_inbox_c_changes_the_status_through_the_operation(demo_app, demo_workspace, calls):
    ws = demo_workspace
    app = demo_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        app.select_case(LETTER_CASE)
        await pilot.press("1")
        await settle(pilot)
        before = ws.store.load(LETTER_CASE).status.value
        await pilot.press("c")
        await pilot.pause()
        options = app.screen.query_one("#status-options")
        offered = [options.get_option_at_index(i).id for i in range(options.option_count)]
        from appealdesk.cases.model import Status, allowed_transitions

        assert offered == [s.value for s in allowed_transitions(Status(before))]
        await pilot.press("enter")  # the first one offered
        await settle(pilot)
        await app.workers.wait_for_complete()
        assert calls == ["status.change_status"]
        case = ws.store.load(LETTER_CASE)
        assert case.status.value == offered[0]
        assert case.history[-1].to_status == offered[0]
