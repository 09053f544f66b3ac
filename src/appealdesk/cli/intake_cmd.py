"""``appealdesk intake``, ``status``, ``followups`` and ``followup-done``."""

from __future__ import annotations

import argparse
import sys
from datetime import datetime

from appealdesk.cli.common import (
    EXIT_DUPLICATE,
    EXIT_FAIL,
    EXIT_OK,
    CommandError,
    add_json_flag,
    load_case,
    print_json,
    workspace,
)
from appealdesk.i18n import _

# Read one byte more than the intake scans, so we know whether the input was cut.
_READ_LIMIT_SLACK = 1


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "intake",
        help=_("create a case from a pasted notification (file or - for stdin)"),
        description=_(
            "Read a notification (e-mail, site message or Chinese notice), detect the "
            "marketplace, type, ids, cited orders, quoted figures and stated deadline, and "
            "create a case. Prints the new case id. Exit 3 when the notification is already "
            "a case."
        ),
    )
    p.add_argument("file", metavar="FILE|-",
                   help=_("file with the notification text, or - for stdin"))
    p.add_argument("--platform", metavar="ID", help=_("marketplace policy id (skip detection)"))
    p.add_argument("--store", metavar="NAME", help=_("store name (overrides the text)"))
    p.add_argument("--received", metavar="ISO-8601", help=_(
        "when it was received (default: the e-mail's Date: header or a forwarded block's "
        "date line; when the text has none, intake says so and counts from now until you "
        "give it); without an offset it is the marketplace's local time"))
    p.add_argument("--join", metavar="CASE", help=_(
        "a rejection reply: record it on this case (when intake cannot tell which)"))
    p.add_argument("--new", action="store_true", help=_(
        "make a new case even when the text is a rejection reply to an open case"))
    p.add_argument("--dry-run", action="store_true", help=_("detect only; create nothing"))
    add_json_flag(p)
    p.set_defaults(handler=cmd_intake)

    p = sub.add_parser("status", help=_("change a case's status"))
    p.add_argument("case", metavar="CASE", help=_("case id"))
    p.add_argument("state", metavar="NEW_STATE", help=_(
        "new, in_progress, ready, submitted, approved, rejected, closed or archived"))
    p.add_argument("--note", metavar="TEXT", help=_("a note for the history"))
    add_json_flag(p)
    p.set_defaults(handler=cmd_status)

    p = sub.add_parser("followups", help=_(
        "what is overdue and due next across all cases (deadlines and follow-up timers)"))
    p.add_argument("--within", metavar="SPAN", help=_(
        "only items due within this span, e.g. 24h, 3d (overdue ones always show)"))
    add_json_flag(p)
    p.set_defaults(handler=cmd_followups)

    p = sub.add_parser("followup-done", help=_(
        "record that a follow-up was done (e.g. the support ticket was opened)"))
    p.add_argument("case", metavar="CASE", help=_("case id"))
    p.add_argument("followup", metavar="FOLLOWUP", nargs="?", help=_(
        "follow-up id as `appealdesk followups` shows it (default: the open one due first)"))
    add_json_flag(p)
    p.set_defaults(handler=cmd_followup_done)


def _read_input(name: str) -> bytes:
    from appealdesk.intake.text import MAX_SCAN_BYTES

    limit = MAX_SCAN_BYTES + _READ_LIMIT_SLACK
    try:
        if name == "-":
            return sys.stdin.buffer.read(limit)
        with open(name, "rb") as handle:
            return handle.read(limit)
    except OSError as exc:
        raise CommandError(_("cannot read {file}: {reason}").format(
            file=name, reason=exc.strerror or exc)) from None


def cmd_intake(args: argparse.Namespace) -> int:
    from appealdesk.intake.create import Duplicate
    from appealdesk.intake.detect import detect
    from appealdesk.intake.headers import received_from_option
    from appealdesk.intake.text import IntakeError, decode_input
    from appealdesk.operations import intake

    ws = workspace(args)
    data = _read_input(args.file)
    try:
        received = received_from_option(args.received) if args.received else None
        text, truncated = decode_input(data)
        detection = detect(
            text, list(ws.policies), platform=args.platform, store=args.store,
            received=received, truncated=truncated,
        )
        if truncated:
            print(_("appealdesk: note: only the first {n} bytes were read").format(
                n=len(text.encode("utf-8"))), file=sys.stderr)
        if args.dry_run:
            if args.json:
                print_json(detection.to_dict())
            else:
                _print_detection(detection)
            return EXIT_OK
        joined = None if args.new else _join_rejection(ws, args, detection)
        if joined is not None:
            return joined
        case = intake.create_case(ws, detection)
    except Duplicate as exc:
        if args.json:
            print_json({"duplicate": exc.case_id, "error": str(exc)})
        raise CommandError(str(exc), EXIT_DUPLICATE) from None
    except IntakeError as exc:
        raise CommandError(str(exc)) from None
    if args.json:
        print_json(case.to_dict())
    else:
        print(case.id)
        _print_deadline(ws, case)
        if detection.unknowns:
            print(_("appealdesk: not detected, fill in: {fields}").format(
                fields=", ".join(label.lower() for label in detection.unknown_labels)),
                file=sys.stderr)
        if detection.candidates:
            print(_("appealdesk: the text fits {markets} equally; give --platform").format(
                markets=", ".join(detection.candidates)), file=sys.stderr)
        if case.notification.received_source == "intake":
            print(_("appealdesk: the text gives no received time; the deadline counts from now "
                    "until you give it (`appealdesk intake --received` on a corrected copy, or "
                    "the case's Received field in the app)"), file=sys.stderr)
        _print_next_step(ws, case)
    return EXIT_OK


def _print_next_step(ws, case) -> None:
    """What to do next: import the report the notice's metrics are computed from."""
    from appealdesk.cli.fixes import with_hint
    from appealdesk.metrics.report_advice import case_report_advice

    advice = case_report_advice(ws.policy_for(case), case.notification)
    if advice is None:
        return
    text = advice.message if not advice.recomputable else with_hint(
        advice.message, "report.import", case.id)
    print(_("appealdesk: next: {step}").format(step=text), file=sys.stderr)


def _join_rejection(ws, args: argparse.Namespace, detection) -> int | None:
    """A rejection reply joins the case it answers; None when a new case is to be made."""
    from appealdesk.intake import rejection
    from appealdesk.intake.text import IntakeError
    from appealdesk.operations.replies import join_reply

    if args.join:
        case_id = args.join
        load_case(ws, case_id)
    else:
        if detection.kind != "rejection":
            return None
        match, tied = rejection.best_match(ws.store.load_all().cases, detection)
        if tied:
            raise IntakeError(_(
                "this rejection reply could answer {cases}; give --join CASE (or --new)"
            ).format(cases=", ".join(m.case.id for m in tied)))
        if match is None:
            return None
        case_id = match.case.id
    submission = join_reply(ws, case_id, detection)
    if args.json:
        print_json({"joined": case_id, "submission": submission.to_dict()})
        return EXIT_OK
    print(_("joined {case}: rejected").format(case=case_id))
    if submission.reason:
        print(_("reason: {reason}").format(reason=submission.reason[:200]))
    if submission.code:
        print(_("code: {code}").format(code=submission.code))
    if submission.deadline:
        from appealdesk.deadlines.display import format_moment

        print(_("new deadline: {when} (stated in the reply)").format(
            when=format_moment(submission.deadline)))
    return EXIT_OK


def _print_deadline(ws, case) -> None:
    from appealdesk.deadlines.display import deadline_source_label, format_moment
    from appealdesk.deadlines.windows import response_deadline

    deadline = response_deadline(case, ws.policy_for(case))
    if deadline is None:
        print(_("appealdesk: deadline: not stated and no policy window"), file=sys.stderr)
        return
    # stdout stays the case id alone (scripts read it); the deadline goes with the notes
    print(_("appealdesk: deadline: {when} ({source})").format(
        when=format_moment(deadline.due),
        source=deadline_source_label(deadline, case)), file=sys.stderr)


def _print_detection(detection) -> None:
    data = detection.to_dict()
    for key, value in data.items():
        if isinstance(value, list):
            value = ", ".join(str(v) for v in value)
        print(f"{key}: {value if value not in (None, '') else '-'}")


def cmd_status(args: argparse.Namespace) -> int:
    from appealdesk.cases.model import TransitionError
    from appealdesk.operations import status

    ws = workspace(args)
    load_case(ws, args.case)
    try:
        case = status.change_status(ws, args.case, args.state, note=args.note)
    except TransitionError as exc:
        raise CommandError(str(exc), EXIT_FAIL) from None
    if args.json:
        print_json(case.to_dict())
    else:
        from appealdesk.cases.names import status_name

        print(f"{case.id}: {status_name(case.status.value)}")
    return EXIT_OK


def followup_items(ws, now: datetime) -> list[dict]:
    """Open response deadlines and follow-up timers of every case, soonest first
    (from the derived index: see appealdesk.cli.cases)."""
    from appealdesk.cli.cases import followup_items as from_index

    return from_index(ws, now)


def cmd_followups(args: argparse.Namespace) -> int:
    from appealdesk.deadlines.display import between, parse_span

    ws = workspace(args)
    now = ws.now()
    items = followup_items(ws, now)
    if args.within:
        try:
            span = parse_span(args.within)
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        items = [i for i in items if between(now, i["due"]) <= span]
    if args.json:
        print_json({"now": now, "items": items})
        return EXIT_OK
    if not items:
        print(_("Nothing is due."))
        return EXIT_OK
    for item in items:
        line = f"{item['time_left']:>12}  {item['case']}  {item['id']}  {item['action']}"
        if item["title"]:
            line += f"  [{item['title']}]"
        print(line)
    return EXIT_OK


def cmd_followup_done(args: argparse.Namespace) -> int:
    from appealdesk.operations import submissions

    ws = workspace(args)
    case = load_case(ws, args.case)
    try:
        done = submissions.followup_done(ws, case.id, args.followup)
    except submissions.FollowupError as exc:
        raise CommandError(str(exc), EXIT_FAIL) from None
    timer, was_open = done.timer, done.changed
    if args.json:
        print_json(timer.to_dict())
    elif was_open:
        print(_("{case}: {id} done").format(case=case.id, id=timer.id))
    else:
        state = _("done") if timer.state == "done" else _("cancelled")
        print(_("{case}: {id} was already {state}; nothing to mark").format(
            case=case.id, id=timer.id, state=state))
    return EXIT_OK
