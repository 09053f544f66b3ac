"""``appealdesk metrics`` and ``appealdesk import-report`` — order reports and metrics.

    appealdesk metrics --policy amazon --report orders.csv [--report more.txt] [--as-of D] [--json]
    appealdesk metrics CASE [--as-of D] [--json]
    appealdesk import-report CASE FILE [--json]

Exit codes: 0 computed and no enforced metric in breach (import: imported),
1 an enforced metric is in breach, 2 the command could not run (unreadable
report, unknown policy or case).
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import Any

from appealdesk.metrics.case_metrics import case_as_of, import_into_case, report_mappings
from appealdesk.cli.common import (
    EXIT_ERROR,
    EXIT_FAIL,
    EXIT_OK,
    CommandError,
    add_json_flag,
    load_case,
    print_json,
    workspace,
)
from appealdesk.cli.messages_section import add_message_arguments, message_section
from appealdesk.i18n import _
from appealdesk.metrics.engine import BREACH, MetricResult, compute_metrics, cross_check
from appealdesk.reports.orders import ImportResult, ReportError, import_reports

MAX_BAD_ROWS_SHOWN = 20


def register(sub: Any) -> None:
    p = sub.add_parser(
        "metrics",
        help=_("recompute a marketplace's metrics from order reports"),
        description=_(
            "Recompute the policy's metrics from exported order reports, either for a case "
            "(its imported reports, as of its notification date) or for report files given "
            "with --policy and --report. Exit 0: no enforced metric in breach; 1: one is; "
            "2: error."
        ),
    )
    p.add_argument("case", metavar="CASE", nargs="?", help=_("case id (or use --policy/--report)"))
    p.add_argument("--policy", metavar="ID", help=_("policy id, e.g. amazon"))
    p.add_argument("--report", metavar="FILE", action="append", default=[],
                   help=_("an order report file; repeat to merge several by order id"))
    p.add_argument("--as-of", metavar="YYYY-MM-DD", type=_parse_day,
                   help=_("compute as of this day (default: the notice's date, or today)"))
    add_message_arguments(p)
    add_json_flag(p)
    p.set_defaults(handler=cmd_metrics)

    p = sub.add_parser(
        "import-report",
        help=_("copy an order report into a case and check that it reads"),
        description=_(
            "Read an order report (generic CSV, Amazon flat file or a mapped export), copy it "
            "into the case's reports/ folder and record it. Rows that cannot be read are "
            "listed with their line numbers."
        ),
    )
    p.add_argument("case", metavar="CASE", help=_("case id"))
    p.add_argument("file", metavar="FILE", help=_("the report file"))
    add_json_flag(p)
    p.set_defaults(handler=cmd_import_report)


def _parse_day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(_("not a date (YYYY-MM-DD): {text}").format(
            text=text)) from None


def _read(paths: list[Path], mappings: list) -> ImportResult:
    try:
        return import_reports(paths, mappings)
    except ReportError as exc:
        raise CommandError(str(exc), EXIT_ERROR) from None


def cmd_metrics(args: argparse.Namespace) -> int:
    ws = workspace(args)
    case = None
    if args.case:
        case = load_case(ws, args.case)
        policy = ws.policies.get(args.policy) if args.policy else ws.policy_for(case)
        if policy is None:
            raise CommandError(_("no policy for marketplace {name}").format(
                name=args.policy or case.marketplace))
        paths = [ws.store.file_path(case.id, "reports", r.name) for r in case.reports]
        paths += [Path(p) for p in args.report]
        if not paths and not (args.messages or args.returns):
            raise CommandError(_(
                "case {case} has no order reports; add one with: appealdesk import-report "
                "{case} FILE").format(case=case.id))
        as_of = args.as_of or case_as_of(ws, case, policy)
    else:
        if not args.policy or not (args.report or args.messages or args.returns):
            raise CommandError(_("give a CASE, or --policy ID and at least one --report FILE"))
        policy = ws.policies.get(args.policy)
        if policy is None:
            known = ", ".join(p.id for p in ws.policies)
            raise CommandError(_("unknown policy {id}; known: {known}").format(
                id=args.policy, known=known))
        paths = [Path(p) for p in args.report]
        as_of = args.as_of or ws.now().date()
    imported = _read(paths, report_mappings(ws, policy)) if paths else None
    results = compute_metrics(imported.orders, policy, as_of) if imported is not None else []
    messages = message_section(args, policy, as_of)
    if args.json:
        print_json({"policy": policy.id, "as_of": as_of.isoformat(),
                    "metrics": [r.to_dict() for r in results],
                    **(messages.to_json() if messages else {})})
    elif imported is None:
        print(_("{policy} as of {day}").format(policy=policy.id, day=as_of.isoformat()))
    else:
        print(_("{policy} as of {day}: {orders} orders from {files}").format(
            policy=policy.id, day=as_of.isoformat(), orders=len(imported.orders),
            files=", ".join(imported.files)))
        print(format_table(results))
        if imported.bad_rows:
            print(_("{n} row(s) could not be read and are not counted:").format(
                n=len(imported.bad_rows)), file=sys.stderr)
            _print_bad_rows(imported)
        if case is not None:
            for problem in cross_check(case.notification, imported.orders, results):
                print(_("check: {message}").format(message=problem.message))
    if messages and not args.json:
        messages.print_text()
    breached = any(r.status == BREACH and r.enforced for r in results)
    breached = breached or bool(messages and messages.breached)
    return EXIT_FAIL if breached else EXIT_OK


def format_value(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.2f}%"


def format_table(results: list[MetricResult]) -> str:
    """An aligned plain-text table of metric results."""
    head = [_("metric"), _("value"), _("limit"), _("status"), _("num/den"), _("window"), ""]
    rows = [head]
    for r in results:
        rows.append([
            r.id,
            format_value(r.value),
            f"{r.comparator} {r.limit * 100:g}%",
            r.status,
            f"{r.numerator}/{r.denominator}",
            f"{r.window_start.isoformat()}…{r.window_end.isoformat()}",
            "" if r.enforced else _("advisory"),
        ])
    widths = [max(len(row[i]) for row in rows) for i in range(len(head))]
    right = {1, 4}
    lines = []
    for row in rows:
        cells = [c.rjust(w) if i in right else c.ljust(w)
                 for i, (c, w) in enumerate(zip(row, widths, strict=True))]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


def _print_bad_rows(imported: ImportResult) -> None:
    for line, reason in imported.bad_rows[:MAX_BAD_ROWS_SHOWN]:
        print(_("  line {line}: {reason}").format(line=line, reason=reason), file=sys.stderr)
    if len(imported.bad_rows) > MAX_BAD_ROWS_SHOWN:
        print(_("  … and {n} more").format(n=len(imported.bad_rows) - MAX_BAD_ROWS_SHOWN),
              file=sys.stderr)


def cmd_import_report(args: argparse.Namespace) -> int:
    ws = workspace(args)
    case = load_case(ws, args.case)
    source = Path(args.file).expanduser()
    try:
        record, result = import_into_case(ws, case.id, source)
    except ReportError as exc:
        raise CommandError(str(exc), EXIT_ERROR) from None
    if args.json:
        print_json({
            "case": case.id, "file": record.name, "format": result.format, "rows": result.rows,
            "orders": len(result.orders),
            "bad_rows": [{"line": line, "reason": reason} for line, reason in result.bad_rows],
        })
        return EXIT_OK
    print(_("imported {name} into {case}: {rows} rows, {orders} orders, format {format}").format(
        name=record.name, case=case.id, rows=result.rows, orders=len(result.orders),
        format=result.format))
    if result.bad_rows:
        print(_("{n} row(s) could not be read and are not counted:").format(
            n=len(result.bad_rows)), file=sys.stderr)
        _print_bad_rows(result)
    return EXIT_OK
