"""``appealdesk metrics`` and ``appealdesk import-report`` — order reports and metrics.

    appealdesk metrics --policy amazon --report orders.csv [--report more.txt] [--as-of D] [--json]
    appealdesk metrics CASE [--as-of D] [--json]
    appealdesk import-report CASE FILE [--json]

Exit codes: 0 computed and no enforced metric in breach (import: imported),
1 an enforced metric is in breach, 2 the command could not run (unreadable
report, unknown policy or case), 4 no enforced metric in breach but at least
one the report(s) cannot tell (no_data), or rows that could not be read (not
counted): not an all-clear.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import Any

from appealdesk.cli.common import (
    EXIT_ERROR,
    EXIT_FAIL,
    EXIT_OK,
    CommandError,
    add_json_flag,
    exit_at_once,
    load_case,
    print_json,
    workspace,
)
from appealdesk.cli.messages_section import add_message_arguments, message_section
from appealdesk.deadlines.days import parse_day
from appealdesk.i18n import _, pick
from appealdesk.metrics.case_metrics import (
    case_as_of,
    read_inputs,
    report_mappings,
)
from appealdesk.metrics.engine import BREACH, NO_DATA, MetricResult, compute_metrics, cross_check
from appealdesk.metrics.needs import coverage
from appealdesk.metrics.report_fit import foreign_formats, import_warnings
from appealdesk.reports.conversations import MessageTable
from appealdesk.reports.families import MESSAGES
from appealdesk.reports.orders import ImportResult, ReportError
from appealdesk.reports.returns import ReturnTable

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
    p.add_argument("--site", metavar="SITE",
                   help=_("count days in this site's time zone, e.g. amazon.co.jp (default: "
                          "the case's site, else the policy's own zone)"))
    add_message_arguments(p)
    add_json_flag(p)
    p.set_defaults(handler=cmd_metrics)

    p = sub.add_parser(
        "import-report",
        help=_("copy a report into a case and check that it reads"),
        description=_(
            "Read a report — an order report (generic CSV, Amazon flat file or a mapped "
            "export), the account health report, a buyer messages export or a returns "
            "export, told apart by their headers — copy it into the case's reports/ folder "
            "and record it; `appealdesk metrics CASE` then counts it. Rows that cannot be "
            "read are listed with their line numbers."
        ),
    )
    p.add_argument("case", metavar="CASE", help=_("case id"))
    p.add_argument("file", metavar="FILE", help=_("the report file"))
    add_json_flag(p)
    p.set_defaults(handler=cmd_import_report)


def _parse_day(text: str) -> date:
    try:
        return parse_day(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


LARGE_TABLE = 100_000  # orders: past this, the process ends without freeing them
EXIT_NO_DATA = 4  # nothing in breach, but an enforced metric cannot be told from the data


def _read(paths: list[Path], mappings: list, policy: Any) -> tuple[ImportResult, Any]:
    try:
        return read_inputs(paths, mappings, policy)
    except ReportError as exc:
        raise CommandError(str(exc), EXIT_ERROR) from None


def _site_policy(policy: Any, asked: str | None, case_site: str | None = None) -> Any:
    """The policy in the site's zone (an amazon.co.jp order at 08:00 in Tokyo is on
    that day, not the day before as in Los Angeles): as ``evaluate_case`` counts.
    ``--site`` must be one of the policy's; a case's own site is taken as it is."""
    if asked and policy.site(asked) is None:
        known = ", ".join(s.id for s in policy.sites) or "-"
        raise CommandError(_("unknown site {site} for policy {id}; known: {known}").format(
            site=asked, id=policy.id, known=known))
    return policy.for_site(asked or case_site or None)


def cmd_metrics(args: argparse.Namespace) -> int:
    ws = workspace(args)
    case = None
    if args.case:
        case = load_case(ws, args.case)
        policy = ws.policies.get(args.policy) if args.policy else ws.policy_for(case)
        if policy is None:
            raise CommandError(_("no policy for marketplace {name}").format(
                name=args.policy or case.marketplace))
        policy = _site_policy(policy, args.site, case.site)
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
        policy = _site_policy(policy, args.site)
        paths = [Path(p) for p in args.report]
        as_of = args.as_of or ws.now().date()
    imported, health = (_read(paths, report_mappings(ws, policy), policy) if paths
                        else (None, None))
    if imported is not None and not imported.files and health is None:
        imported = None  # only message or return exports: no order metrics to show
    results = (compute_metrics(imported.orders, policy, as_of, known=imported.known)
               if imported is not None else [])
    problems = (cross_check(case.notification, imported.orders, results, health=health)
                if case is not None and imported is not None else [])
    messages = message_section(args, policy, as_of, paths)
    foreign = (foreign_formats(imported.format, policy, ws.policies)
               if case is not None and imported is not None else [])
    doubtful = foreign + [p.message for p in problems if p.kind == "no_cited_order"]
    if args.json:
        data: dict[str, Any] = {
            "policy": policy.id, "as_of": as_of.isoformat(),
            "metrics": [r.to_dict() for r in results],
            "files": imported.files if imported is not None else [],
            "columns": imported.columns if imported is not None else {},
            "guessed": imported.guessed if imported is not None else [],
            # Rows not counted (an ambiguous date, a short row ...), as the text output lists.
            "bad_rows": [{"line": line, "reason": reason}
                         for line, reason in (imported.bad_rows if imported is not None else [])],
            # Why ok is no all-clear here: another marketplace's format, no cited order.
            **({"warnings": doubtful} if case is not None else {}),
            **(messages.to_json() if messages else {}),
        }
        if health is not None:
            data["account_health"] = health.to_dict()
        print_json(data)
    elif imported is None:
        print(_("{policy} as of {day}").format(policy=policy.id, day=as_of.isoformat()))
    else:
        files = imported.files + ([health.file] if health else [])
        print(_("{policy} as of {day}: {orders} orders from {files}").format(
            policy=policy.id, day=as_of.isoformat(), orders=len(imported.orders),
            files=", ".join(files)))
        for guess in imported.guessed:
            print(_("format guessed: {guess} (no published report's headers matched)").format(
                guess=guess))
        for warning in doubtful:
            print(_("warning: {message}").format(message=warning))
        if doubtful:
            print(_("(an ok below is no all-clear)"))
        print(format_table(results, health))
        for r in results:
            if r.lacks:
                print(_("{metric}: {needs}").format(metric=r.id, needs=r.needs))
            mdef = policy.metric(r.id)
            if r.limit is None and mdef is not None and mdef.compared_with:
                print(_("{metric}: no limit stated: compared with {what}").format(
                    metric=r.id, what=pick(mdef.compared_with, mdef.compared_with_zh)))
        if health is not None:
            _print_health_rest(health)
        if imported.bad_rows:
            print(_("{n} row(s) could not be read and are not counted:").format(
                n=len(imported.bad_rows)), file=sys.stderr)
            _print_bad_rows(imported)
        for problem in problems:
            if problem.kind == "no_cited_order":
                continue  # above the table
            print(_("check: {message}").format(message=problem.message))
    if messages and not args.json:
        messages.print_text()
    if imported is None and messages is None:  # nothing was read: not an all-clear
        return EXIT_NO_DATA
    if imported is not None and len(imported.orders) >= LARGE_TABLE:
        exit_at_once()  # a million orders freed one by one took ~0.1 s after the output
    code = exit_code(results, breached=bool(messages and messages.breached),
                     no_data=bool(messages and messages.no_data))
    # Rows left out could hold a breach: with any, "ok" is no all-clear either.
    unread = imported is not None and bool(imported.bad_rows)
    return EXIT_NO_DATA if code == EXIT_OK and (doubtful or unread) else code


def exit_code(results: list[MetricResult], *, breached: bool = False,
              no_data: bool = False) -> int:
    if breached or any(r.status == BREACH and r.enforced for r in results):
        return EXIT_FAIL
    if no_data or any(r.status == NO_DATA and r.enforced for r in results):
        return EXIT_NO_DATA
    return EXIT_OK


def _print_health_rest(health: Any) -> None:
    """The account health report's entries that are none of the policy's metrics."""
    rest = [m for m in health.metrics if not m.metric_id]
    if not rest:
        return
    print(_("The account health report also lists:"))
    for m in rest:
        value = format_value(m.value) if m.value is not None else ""
        count = f" {m.numerator}/{m.denominator}" if m.denominator is not None else ""
        print(f"  {m.key}{' [' + m.marketplace + ']' if m.marketplace else ''}: "
              f"{m.status or '—'} {value}{count}".rstrip())


def format_value(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.2f}%"


def format_table(results: list[MetricResult], health: Any = None) -> str:
    """An aligned plain-text table of metric results (with Amazon's own figure
    beside each, when an account health report was given)."""
    head = [_("metric"), _("value"), _("limit"), _("status"), _("num/den"), _("window"), ""]
    if health is not None:
        head[-1:-1] = [_("Amazon says")]
    rows = [head]
    for r in results:
        no_data = r.status == NO_DATA
        row = [
            r.id,
            format_value(r.value),
            _("not stated") if r.limit is None else f"{r.comparator} {r.limit * 100:g}%",
            r.status,
            "—" if no_data else f"{r.numerator}/{r.denominator}",
            f"{r.window_start.isoformat()}…{r.window_end.isoformat()}",
            "" if r.enforced else _("advisory"),
        ]
        if health is not None:
            entry = health.for_metric(r.id)
            row[-1:-1] = [_health_cell(entry)]
        rows.append(row)
    widths = [max(len(row[i]) for row in rows) for i in range(len(head))]
    right = {1, 4}
    lines = []
    for row in rows:
        cells = [c.rjust(w) if i in right else c.ljust(w)
                 for i, (c, w) in enumerate(zip(row, widths, strict=True))]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


def _health_cell(entry: Any) -> str:
    if entry is None:
        return _("not stated")
    count = f" {entry.numerator}/{entry.denominator}" if entry.denominator is not None else ""
    return f"{format_value(entry.value)} {entry.status}{count}".strip()


def _print_bad_rows(imported: ImportResult) -> None:
    for line, reason in imported.bad_rows[:MAX_BAD_ROWS_SHOWN]:
        print(_("  line {line}: {reason}").format(line=line, reason=reason), file=sys.stderr)
    if len(imported.bad_rows) > MAX_BAD_ROWS_SHOWN:
        print(_("  … and {n} more").format(n=len(imported.bad_rows) - MAX_BAD_ROWS_SHOWN),
              file=sys.stderr)


def cmd_import_report(args: argparse.Namespace) -> int:
    from appealdesk.operations import reports

    ws = workspace(args)
    case = load_case(ws, args.case)
    source = Path(args.file).expanduser()
    try:
        record, result = reports.import_report(ws, case.id, source)
    except ReportError as exc:
        raise CommandError(str(exc), EXIT_ERROR) from None
    policy = ws.policy_for(case)
    if isinstance(result, MessageTable | ReturnTable):
        return _print_export(args, case.id, record, result, policy)
    if not isinstance(result, ImportResult):  # an account health report
        if args.json:
            print_json({"case": case.id, "file": record.name, "format": record.format,
                        "account_health": result.to_dict()})
        else:
            print(_("imported {name} into {case}: account health report, {n} metrics").format(
                name=record.name, case=case.id, n=len(result.metrics)))
            for m in result.metrics:
                if m.metric_id:
                    print(f"  {m.metric_id}: {_health_cell(m)}")
            _print_health_rest(result)
        return EXIT_OK
    cover = coverage(policy, result.known) if policy is not None else {
        "not_found": [], "no_data": {}}
    warnings = import_warnings(ws, case.id, result)
    if args.json:
        print_json({
            "case": case.id, "file": record.name, "format": result.format, "rows": result.rows,
            "warnings": warnings,
            "orders": len(result.orders),
            "bad_rows": [{"line": line, "reason": reason} for line, reason in result.bad_rows],
            "format_name": (result.format_names or [""])[0].split(": ", 1)[-1],
            "encoding": result.encoding,
            "guessed": bool(result.guessed), "skipped_lines": result.skipped_lines,
            "columns": result.columns, "not_found": cover["not_found"],
            "no_data": [{"metric": mid, "needs": [list(g) for g in groups], "partial": partial}
                        for mid, (_text, groups, partial) in cover["no_data"].items()],
        })
        return EXIT_OK
    print(_("imported {name} into {case}: {rows} rows, {orders} orders, format {format}").format(
        name=record.name, case=case.id, rows=result.rows, orders=len(result.orders),
        format=result.format))
    if result.encoding not in ("", "utf-8", "utf-8-sig"):
        # Another encoding could read the same bytes: say which one was used.
        print(_("  read as {encoding} text").format(encoding=result.encoding))
    for warning in warnings:
        print(_("warning: {message}").format(message=warning))
    _print_coverage(result, cover)
    if result.bad_rows:
        print(_("{n} row(s) could not be read and are not counted:").format(
            n=len(result.bad_rows)), file=sys.stderr)
        _print_bad_rows(result)
    return EXIT_OK


def _print_coverage(result: ImportResult, cover: dict[str, Any]) -> None:
    """Which fields came from which columns, which were not found, what that leaves."""
    if result.guessed:
        print(_("format guessed: {guess} (no published report's headers matched); check the "
                "columns below").format(guess=", ".join(result.guessed)))
    elif result.format_names:
        print(_("report: {name}").format(name=", ".join(result.format_names)))
    if result.skipped_lines:
        print(_("skipped {n} line(s) before the header").format(n=result.skipped_lines))
    print(_("columns read:"))
    for fld, column in result.columns.items():
        print(f"  {fld} ← {column}")
    if cover["not_found"]:
        print(_("not found in this file: {fields}").format(fields=", ".join(cover["not_found"])))
    for mid, (text, _groups, partial) in cover["no_data"].items():
        note = _(" (a breach can still show; no all-clear)") if partial else ""
        print(_("this file alone gives no data for {metric}: {needs}").format(
            metric=mid, needs=text) + note)


def _print_export(args: argparse.Namespace, case_id: str, record: Any, table: Any,
                  policy: Any) -> int:
    """What ``import-report`` says about a buyer messages or returns export."""
    fields = sorted(table.present)
    metrics = (policy.message_metrics if record.format == MESSAGES
               else policy.return_metrics) if policy is not None else ()
    if args.json:
        print_json({"case": case_id, "file": record.name, "format": record.format,
                    "rows": record.rows, "bad_rows": [{"line": line, "reason": reason}
                                                      for line, reason in table.bad_rows],
                    "fields": fields, "metrics": [m.id for m in metrics]})
        return EXIT_OK
    kind = _("buyer messages") if record.format == MESSAGES else _("returns")
    print(_("imported {name} into {case}: {kind}, {rows} rows").format(
        name=record.name, case=case_id, kind=kind, rows=record.rows))
    print(_("fields read: {fields}").format(fields=", ".join(fields)))
    if not metrics:
        print(_("the case's policy defines no metric for this data; it is kept, not counted"))
    if table.bad_rows:
        print(_("{n} row(s) could not be read and are not counted:").format(
            n=len(table.bad_rows)), file=sys.stderr)
        for line, reason in table.bad_rows[:MAX_BAD_ROWS_SHOWN]:
            print(_("  line {line}: {reason}").format(line=line, reason=reason),
                  file=sys.stderr)
    return EXIT_OK
