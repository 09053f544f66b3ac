"""``appealdesk list`` and ``appealdesk show``: read cases headless."""

from __future__ import annotations

import argparse
import sys
import unicodedata

from appealdesk.cases.model import Case
from appealdesk.cli.common import EXIT_OK, add_json_flag, load_case, print_json, workspace
from appealdesk.i18n import _


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("list", help=_("list cases (active ones unless --all)"))
    p.add_argument("--all", action="store_true", help=_("include closed and archived cases"))
    p.add_argument("--due-within", metavar="SPAN", help=_(
        "only cases whose next deadline is within SPAN (e.g. 90m, 24h, 3d); overdue included"))
    add_json_flag(p)
    p.set_defaults(handler=cmd_list)

    p = sub.add_parser("show", help=_("show one case"))
    p.add_argument("case", metavar="CASE", help=_("case id"))
    add_json_flag(p)
    p.set_defaults(handler=cmd_show)


def case_summary(case: Case) -> dict:
    n = case.notification
    return {
        "id": case.id,
        "marketplace": case.marketplace,
        "store": case.store,
        "site": case.site,
        "type": n.type,
        "notification_id": n.external_id,
        "received": n.received,
        "status": case.status.value,
        "cited_orders": len(n.cited_orders),
        "evidence": len(case.evidence),
    }


def cmd_list(args: argparse.Namespace) -> int:
    ws = workspace(args)
    loaded = ws.store.load_all()
    cases = [c for c in loaded.cases if args.all or c.active]
    for err in loaded.errors:
        print(f"appealdesk: {err}", file=sys.stderr)
    rows = [case_summary(c) for c in cases]
    _add_time_left(ws, cases, rows, getattr(args, "due_within", None))
    if getattr(args, "due_within", None):
        rows = [r for r in rows if r["due_within"]]
    if args.json:
        print_json({"cases": rows, "errors": [str(e) for e in loaded.errors]})
        return EXIT_OK
    if not rows:
        print(_("No cases. Paste a notification with `appealdesk intake FILE`, or try --demo."))
        return EXIT_OK
    headers = [_("CASE"), _("MARKET"), _("STORE"), _("TYPE"), _("STATUS"), _("LEFT")]
    table = [[r["id"], r["marketplace"], r["store"], r["type"], r["status"], r["time_left"]]
             for r in rows]
    _print_table(headers, table)
    return EXIT_OK


def _add_time_left(ws, cases: list[Case], rows: list[dict], within: str | None) -> None:
    """Next deadline and time left per row (deadlines.py decides what is due)."""
    from appealdesk.cli.common import CommandError
    from appealdesk.deadlines.windows import (
        between,
        case_due,
        format_time_left,
        parse_span,
        urgency,
    )

    now = ws.now()
    try:
        span = parse_span(within) if within else None
    except ValueError as exc:
        raise CommandError(str(exc)) from None
    for case, row in zip(cases, rows, strict=True):
        due = case_due(case, ws.policy_for(case), now)
        row["due"] = due.due
        row["due_kind"] = due.kind
        row["time_left"] = format_time_left(due.due, now)
        row["urgency"] = urgency(due.due, now).value
        row["due_within"] = bool(span is not None and due.due and between(now, due.due) <= span)


def cell_len(text: str) -> int:
    """Terminal cells ``text`` takes: East Asian wide and full-width characters two,
    combining marks none (the CLI does not import rich for this)."""
    return sum(0 if unicodedata.combining(ch) else 2 if unicodedata.east_asian_width(ch) in "WF"
               else 1 for ch in text)


def _print_table(headers: list[str], rows: list[list[str]]) -> None:
    widths = [max(cell_len(str(x)) for x in col) for col in zip(headers, *rows, strict=False)]
    for row in [headers, *rows]:
        cells = [str(x) + " " * (w - cell_len(str(x))) for x, w in zip(row, widths, strict=False)]
        print("  ".join(cells).rstrip())


def cmd_show(args: argparse.Namespace) -> int:
    ws = workspace(args)
    case = load_case(ws, args.case)
    if args.json:
        print_json(case.to_dict())
        return EXIT_OK
    n = case.notification
    policy = ws.policy_for(case)
    lines = [
        f"{_('Case')}: {case.id}",
        f"{_('Marketplace')}: {policy.name if policy else case.marketplace}",
        f"{_('Store')}: {case.store or '-'}  {_('Site')}: {case.site or '-'}",
        f"{_('Type')}: {n.type}  {_('Notification id')}: {n.external_id or '-'}",
        f"{_('Received')}: {n.received.isoformat() if n.received else '-'}",
        f"{_('Status')}: {case.status.value}",
        f"{_('Cited orders')}: {', '.join(n.cited_orders) or '-'}",
        f"{_('Evidence files')}: {len(case.evidence)}  {_('Reports')}: {len(case.reports)}",
        f"{_('Letter')}: {_('version')} {case.letter.version}, "
        f"{len(case.letter.draft.split())} {_('words')}",
        f"{_('Submissions')}: {len(case.submissions)}",
        "",
        _("History") + ":",
    ]
    for h in case.history:
        what = f"{h.from_status} -> {h.to_status}" if h.event == "status" else h.event
        lines.append(f"  {h.at.isoformat()}  {h.operator}  {what}  {h.note or ''}".rstrip())
    print("\n".join(lines))
    return EXIT_OK
