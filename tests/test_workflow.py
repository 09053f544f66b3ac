"""The whole workflow in the app, keyboard only: a case goes new → submitted → rejected →
resubmitted → approved → closed without a shell, each step checked in the case file on
disk. The forms: which PDF is recorded, the reviewer's reason and code, a status note."""

from __future__ import annotations

from textual import events

from appealdesk.cases.model import Status
from appealdesk.operations import evidence, letters
from appealdesk.screens.dialogs.status import StatusScreen
from appealdesk.screens.dialogs.workflow import OutcomeScreen, SubmitScreen
from tests.conftest import settle, wait_until
from tests.letter_fixtures import GOOD_AMAZON
from tests.test_editor import open_letter

CASE = "amazon-5839201744"
REVISED = GOOD_AMAZON.replace(
    "Our carrier UPS missed its scheduled pick-ups between 2026-10-28 and 2026-11-02; 14 of the\n"
    "18 late orders were handed over after the expected ship date because of this.",
    "Our warehouse printed shipping labels in one batch at 17:00, after the carrier's last\n"
    "collection; orders paid in the afternoon waited a day. The invoices we sent were scans of\n"
    "low quality, which the reviewer could not read.").replace(
    "We shipped and confirmed every pending order by 2026-11-03 and sent each buyer the tracking\n"
    "number. We signed an agreement with a second carrier, DHL, which collects daily at 16:00; the\n"
    "contract is attached.",
    "Labels are now printed every two hours from 08:00, and the last batch leaves at 15:30. We\n"
    "replaced the scanned invoices with the original PDF invoices from our accounting system.").replace(
    "Every day at 15:00 a named team member checks that every order due that day has been\n"
    "confirmed as shipped and escalates any exception to the manager.",
    "A shift lead reviews the label queue at noon and at 15:00, and a weekly report of the\n"
    "handover times goes to the owner; a late batch is raised with the carrier the same day.")


def ready_to_render(ws) -> None:
    """A new case whose letter is written and whose missing evidence is waived: nothing
    blocks the render (the demo case was already being worked on)."""
    with ws.store.editing(CASE, "tester") as case:
        case.status = Status.NEW
    letters.save_letter(ws, CASE, GOOD_AMAZON)
    for requirement in ("dispatch_records", "carrier_tracking"):
        evidence.waive(ws, CASE, requirement, "test")


def on_disk(ws):
    return ws.store.load(CASE)


async def render(pilot) -> None:
    await pilot.press("r")
    await settle(pilot, times=5)
    await pilot.app.workers.wait_for_complete()
    await settle(pilot)


async def submit(pilot, ticket: str) -> SubmitScreen:
    await pilot.press("s")
    await settle(pilot)  # out/ is read in a worker, then the form opens
    screen = pilot.app.screen
    assert isinstance(screen, SubmitScreen)
    assert screen.focused is screen.query_one("#submit-ticket")  # a bordered input, focused
    await pilot.press(*ticket)
    await pilot.press("enter")
    await settle(pilot)
    await pilot.app.workers.wait_for_complete()
    await settle(pilot)
    return screen


async def answer(pilot, rejected: bool, reason: str = "", code: str = "") -> None:
    await pilot.press("o")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, OutcomeScreen)
    if rejected:
        await pilot.press("down")
    await pilot.press("enter")  # the result; the focus goes on to the reason
    assert screen.focused is screen.query_one("#outcome-reason")
    if "\n" in reason:  # pasted from the marketplace's e-mail: kept whole, on one line
        screen.focused.post_message(events.Paste(reason))
        await pilot.pause()
    else:
        await pilot.press(*reason)
    await pilot.press("tab")
    await pilot.press(*code)
    await pilot.press("enter")
    await settle(pilot)
    await pilot.app.workers.wait_for_complete()
    await settle(pilot)


async def test_a_case_goes_from_new_to_closed_in_the_app(demo_app, demo_workspace, fast_timers):
    ws = demo_workspace
    ready_to_render(ws)
    assert on_disk(ws).status is Status.NEW
    app = demo_app()
    async with app.run_test(size=(160, 48)) as pilot:
        pane = await open_letter(pilot, CASE)
        assert pane.check_action("outcome", ()) is None  # nothing submitted: greyed
        await render(pilot)
        [first_pdf] = ws.store.list_files(CASE, "out")
        assert not first_pdf.name.startswith("DRAFT_")

        # new -> submitted: the rendered letter, with the marketplace's ticket id
        await submit(pilot, "T-100")
        case = on_disk(ws)
        assert case.status is Status.SUBMITTED
        [sent] = case.submissions
        assert (sent.ticket, sent.pdf, sent.operator) == ("T-100", first_pdf.name, "tester")
        assert pane.check_action("submit", ()) is None  # waiting for the answer

        # submitted -> rejected, with the reviewer's words and code
        await answer(pilot, rejected=True, reason="invoice\nunreadable", code="R-7")
        case = on_disk(ws)
        assert case.status is Status.REJECTED
        assert (case.submissions[-1].outcome, case.submissions[-1].reason,
                case.submissions[-1].code) == ("rejected", "invoice unreadable", "R-7")

        # rejected -> resubmitted: a new draft starts with the reason, rendered, submitted
        await pilot.press("d")
        await settle(pilot, times=5)
        await app.workers.wait_for_complete()
        assert on_disk(ws).letter.versions[-1].origin == "after_rejection"
        blocking = {f.code for f in pane.findings if f.severity == "blocking"}
        assert {"placeholder_left", "repeated_appeal"} <= blocking  # the reason, not answered
        await pilot.press("e")  # the operator rewrites the letter to answer the reason
        area = pane.text_area
        area.replace(REVISED, (0, 0), area.document.end)
        await pilot.press("escape")
        await wait_until(pilot, lambda: on_disk(ws).letter.draft == REVISED)
        await settle(pilot, times=5)
        assert on_disk(ws).letter.draft == REVISED
        await render(pilot)
        await submit(pilot, "T-101")
        case = on_disk(ws)
        assert case.status is Status.SUBMITTED
        assert [s.ticket for s in case.submissions] == ["T-100", "T-101"]
        assert case.submissions[-1].letter_version == case.letter.version

        # resubmitted -> approved
        await answer(pilot, rejected=False)
        case = on_disk(ws)
        assert case.status is Status.APPROVED
        assert case.submissions[-1].outcome == "approved"

        # approved -> closed, from the inbox, with a note
        await pilot.press("1")
        await settle(pilot)
        app.select_case(CASE)
        await pilot.press("C")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, StatusScreen)
        assert screen.choices == ["closed", "archived"]
        await pilot.press("tab", *"appeal won", "enter")  # the note; Enter: closed
        await settle(pilot)
        await app.workers.wait_for_complete()
        case = on_disk(ws)
        assert case.status is Status.CLOSED
        assert (case.history[-1].to_status, case.history[-1].note) == ("closed", "appeal won")


async def test_submit_records_the_pdf_picked_and_refuses_a_draft(demo_app, demo_workspace):
    ws = demo_workspace
    ready_to_render(ws)
    older = letters.render(ws, CASE).path
    renamed = older.with_name("letter-as-sent.pdf")  # a PDF the operator named themselves
    older.rename(renamed)
    newest = letters.render(ws, CASE).path
    (newest.parent / "DRAFT_try.pdf").write_bytes(newest.read_bytes())
    app = demo_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await open_letter(pilot, CASE)
        await pilot.press("s")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SubmitScreen)
        options = screen.query_one("#submit-pdf")
        offered = {options.get_option_at_index(i).id: options.get_option_at_index(i).disabled
                   for i in range(options.option_count)}
        assert offered == {newest.name: False, renamed.name: False, "DRAFT_try.pdf": True}
        assert options.highlighted_option.id == newest.name  # the default: the letter
        options.highlighted = list(offered).index(renamed.name)
        await pilot.press("enter")
        await settle(pilot)
        await app.workers.wait_for_complete()
    [sent] = on_disk(ws).submissions
    assert sent.pdf == renamed.name


async def test_the_workflow_keys_are_in_the_footer_help_and_palette(demo_app):
    app = demo_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await open_letter(pilot, CASE)
        # A palette entry reads "<what it does> (<key>)".
        commands = {c.title.rsplit(" (", 1)[0] for c in app.get_system_commands(app.screen)}
        assert {"Submit", "Outcome", "Follow-up done"} <= commands
        footer = {b.binding.id for b in app.screen.active_bindings.values()
                  if b.binding.show}
        assert {"editor.submit", "editor.outcome"} <= footer
        await pilot.press("1")
        await settle(pilot)
        commands = {c.title.rsplit(" (", 1)[0] for c in app.get_system_commands(app.screen)}
        assert {"Change the case's status, with a note", "Close or archive the case"} <= commands


def test_the_cli_records_the_pdf_named_and_refuses_a_bundle_or_a_draft(demo_workspace, capsys):
    from appealdesk.cli import main

    ws = demo_workspace
    ready_to_render(ws)
    letter = letters.render(ws, CASE).path
    bundle = evidence.bundle(ws, CASE)
    draft = letter.with_name("DRAFT_" + letter.name)
    draft.write_bytes(letter.read_bytes())
    root = str(ws.store.root)
    for name in (bundle.name, draft.name, "nothing.pdf"):
        assert main(["--data-dir", root, "submit", CASE, "--pdf", name]) == 1
        assert name in capsys.readouterr().err
    assert on_disk(ws).submissions == []
    assert main(["--data-dir", root, "submit", CASE, "--pdf", letter.name, "--ticket", "T-9"]) == 0
    [sent] = on_disk(ws).submissions
    assert (sent.pdf, sent.ticket) == (letter.name, "T-9")


async def test_follow_up_done_names_the_follow_up_not_its_id(demo_app, demo_workspace):
    # A follow-up without a ticket title ("Resubmit with new material …") was named by its
    # policy id in the toast: "Follow-up done: resubmit_after_rejection".
    from appealdesk.operations import submissions

    case_id = "joom-jn-7729-8810"  # submitted: the support-ticket follow-up is open
    submissions.outcome(demo_workspace, case_id, "rejected", reason="no root cause")
    submissions.followup_done(demo_workspace, case_id, "urgent_ticket")
    app = demo_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await open_letter(pilot, case_id)
        await pilot.press("f")
        await settle(pilot)
        await app.workers.wait_for_complete()
        said = [n.message for n in app._notifications]
        assert any(m.startswith("Follow-up done: Resubmit with new material") for m in said), said
