"""``appealdesk evidence add|list|remove|waive|unwaive|bundle``: evidence headless."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from appealdesk.cli.common import (
    EXIT_FAIL,
    EXIT_OK,
    CommandError,
    add_json_flag,
    load_case,
    print_json,
    workspace,
)
from appealdesk.i18n import _, ngettext


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("evidence", help=_("attach evidence files, see the checklist, bundle"))
    ev = p.add_subparsers(dest="evidence_command", metavar="ACTION", required=True)

    a = ev.add_parser("add", help=_("copy files into the case (the originals are not changed)"))
    a.add_argument("case", metavar="CASE", help=_("case id"))
    a.add_argument("files", metavar="FILE", nargs="+", help=_("PDF, image or ZIP files"))
    a.add_argument("--requirement", metavar="ID", help=_("the evidence requirement it answers"))
    a.add_argument("--orders", metavar="ID,ID", help=_(
        "orders the files cover (default: order ids found in the file name and PDF text)"))
    a.add_argument("--date", metavar="YYYY-MM-DD", help=_("the date the document carries"))
    add_json_flag(a)
    a.set_defaults(handler=cmd_add)

    ls = ev.add_parser("list", help=_("the checklist, the files and the order coverage"))
    ls.add_argument("case", metavar="CASE", help=_("case id"))
    add_json_flag(ls)
    ls.set_defaults(handler=cmd_list)

    st = ev.add_parser("set", help=_("confirm or correct a file's requirement, orders or date"))
    st.add_argument("case", metavar="CASE", help=_("case id"))
    st.add_argument("name", metavar="NAME", help=_("file name as `evidence list` shows it"))
    st.add_argument("--requirement", metavar="ID", help=_("the evidence requirement it answers"))
    st.add_argument("--orders", metavar="ID,ID", help=_("the orders it covers (replaces them)"))
    st.add_argument("--date", metavar="YYYY-MM-DD", help=_("the date the document carries"))
    st.set_defaults(handler=cmd_set)

    rm = ev.add_parser("remove", help=_("take a file out of the case"))
    rm.add_argument("case", metavar="CASE", help=_("case id"))
    rm.add_argument("name", metavar="NAME", help=_("file name as `evidence list` shows it"))
    rm.set_defaults(handler=cmd_remove)

    w = ev.add_parser("waive", help=_("mark a requirement as not needed, with a reason"))
    w.add_argument("case", metavar="CASE", help=_("case id"))
    w.add_argument("requirement", metavar="REQUIREMENT", help=_("requirement id"))
    w.add_argument("--reason", required=True, help=_("why it is not needed (kept in history)"))
    w.set_defaults(handler=cmd_waive)

    u = ev.add_parser("unwaive", help=_("withdraw a waiver"))
    u.add_argument("case", metavar="CASE", help=_("case id"))
    u.add_argument("requirement", metavar="REQUIREMENT", help=_("requirement id"))
    u.set_defaults(handler=cmd_unwaive)

    b = ev.add_parser("bundle", help=_("build the PDF or ZIP to upload, under the size limit"))
    b.add_argument("case", metavar="CASE", help=_("case id"))
    add_json_flag(b)
    b.add_argument("--force", action="store_true", help=_(
        "bundle despite blocking findings; the file is marked DRAFT and cannot be submitted"))
    b.set_defaults(handler=cmd_bundle)


def _run(fn, *args, **kwargs):
    """Call a core function; its refusals become one-line command errors."""
    from appealdesk.evidence.errors import BundleTooLarge, EvidenceError

    try:
        return fn(*args, **kwargs)
    except BundleTooLarge as exc:
        raise CommandError(str(exc), EXIT_FAIL) from None
    except EvidenceError as exc:
        raise CommandError(str(exc)) from None


def _orders(text: str | None) -> list[str] | None:
    if text is None:
        return None
    return [o.strip() for o in text.replace(" ", ",").split(",") if o.strip()]


def _day(text: str | None) -> date | None:
    if text is None:
        return None
    from appealdesk.deadlines.days import parse_day

    try:
        return parse_day(text)
    except ValueError as exc:
        raise CommandError(str(exc)) from None


def cmd_add(args: argparse.Namespace) -> int:
    from appealdesk.operations import evidence

    ws = workspace(args)
    load_case(ws, args.case)
    on = _day(args.date)
    items = _run(evidence.add, ws, args.case, [Path(f) for f in args.files],
                 requirement=args.requirement, orders=_orders(args.orders), on=on)
    if args.json:
        print_json({"case": args.case, "added": [i.to_dict() for i in items]})
        return EXIT_OK
    for item in items:
        facts = [item.kind]
        if item.pages is not None:
            facts.append(ngettext("{n} page", "{n} pages", item.pages).format(n=item.pages))
        if item.width:
            facts.append(f"{item.width}x{item.height}")
        if item.encrypted:
            facts.append(_("ENCRYPTED"))
        print(_("added {name} ({facts}) from {original}").format(
            name=item.name, facts=", ".join(facts), original=item.original_name))
        if item.orders:
            how = _("found") if item.extra.get("orders_source") == "detected" else _("stated")
            print("  " + _("orders ({how}): {orders}").format(how=how, orders=", ".join(
                item.orders[:10]) + (" …" if len(item.orders) > 10 else "")))
        if item.document_date:
            print("  " + _("document date: {date}").format(date=item.document_date))
    return EXIT_OK


def cmd_list(args: argparse.Namespace) -> int:
    from appealdesk.evidence.checklist import checklist

    ws = workspace(args)
    case = load_case(ws, args.case)
    policy = ws.policy_for(case)
    # Contributing orders arrive with the metrics stage; cited orders count now.
    result = checklist(case, policy)
    if args.json:
        print_json({
            "case": case.id,
            "files": [e.to_dict() for e in case.evidence],
            **result.to_dict(),
        })
        return EXIT_OK
    if not result.items:
        print(_("No evidence requirements for this notification type."))
    for item in result.items:
        print(f"[{item.state_text()}] {item.label} ({item.requirement.id})")
        for name in item.files:
            print(f"    {name}")
        if item.waiver:
            print("    " + _("waived: {reason}").format(reason=item.waiver.reason))
        if item.uncovered and item.state == "partial":
            print("    " + _("orders not covered: {orders}").format(
                orders=", ".join(item.uncovered)))
    if result.unassigned:
        print(_("Files not linked to a requirement:"))
        for name in result.unassigned:
            print(f"    {name}")
    return EXIT_OK


def cmd_set(args: argparse.Namespace) -> int:
    from appealdesk.operations import evidence

    ws = workspace(args)
    load_case(ws, args.case)
    on = _day(args.date)
    changes = {}
    if args.requirement is not None:
        changes["requirement"] = args.requirement
    item = _run(evidence.set_facts, ws, args.case, args.name, orders=_orders(args.orders),
                on=on, **changes)
    print(_("{name}: requirement {req}, orders {orders}, date {date}").format(
        name=item.name, req=item.requirement or "-", orders=", ".join(item.orders) or "-",
        date=item.document_date or "-"))
    return EXIT_OK


def cmd_remove(args: argparse.Namespace) -> int:
    from appealdesk.operations import evidence

    ws = workspace(args)
    load_case(ws, args.case)
    item = _run(evidence.remove, ws, args.case, args.name)
    print(_("removed {name}").format(name=item.name))
    return EXIT_OK


def cmd_waive(args: argparse.Namespace) -> int:
    from appealdesk.operations import evidence

    ws = workspace(args)
    load_case(ws, args.case)
    waiver = _run(evidence.waive, ws, args.case, args.requirement, args.reason)
    print(_("waived {req}: {reason}").format(req=waiver.requirement, reason=waiver.reason))
    return EXIT_OK


def cmd_unwaive(args: argparse.Namespace) -> int:
    from appealdesk.operations import evidence

    ws = workspace(args)
    load_case(ws, args.case)
    _run(evidence.unwaive, ws, args.case, args.requirement)
    print(_("waiver withdrawn for {req}").format(req=args.requirement))
    return EXIT_OK


def cmd_bundle(args: argparse.Namespace) -> int:
    from appealdesk.cli.letter_cmd import refuse_blocking
    from appealdesk.operations import evidence
    from appealdesk.render.gate import blocking_findings, mark_bundle_draft

    ws = workspace(args)
    case = load_case(ws, args.case)
    blocking = blocking_findings(ws, case)
    if blocking and not args.force:
        refuse_blocking(args, case.id, blocking, "bundled", ngettext(
            "not bundled: {n} blocking finding would get the appeal rejected; fix it, or "
            "build a DRAFT to look at with --force",
            "not bundled: {n} blocking findings would get the appeal rejected; fix them, or "
            "build a DRAFT to look at with --force", len(blocking)
        ).format(n=len(blocking)))
    path = _run(evidence.bundle, ws, args.case)
    if blocking:
        path = mark_bundle_draft(ws.store, case.id, path, blocking)
    size = path.stat().st_size
    if args.json:
        print_json({"case": args.case, "path": str(path), "name": path.name, "bytes": size})
    else:
        shown = f"{size / (1024 * 1024):.1f} MB" if size >= 100_000 else f"{size / 1024:.0f} KB"
        print(_("wrote {path} ({size})").format(path=path, size=shown))
    return EXIT_OK
