"""``appealdesk check CASE``: everything that would get the appeal rejected.

Exit 0 when nothing blocks, 1 when something does, 2 on error.
"""

from __future__ import annotations

import argparse

from appealdesk.checks.reasons import reason
from appealdesk.checks.reasons import title as finding_title
from appealdesk.cli.common import (
    EXIT_FAIL,
    EXIT_OK,
    add_json_flag,
    load_case,
    print_json,
    workspace,
)
from appealdesk.cli.fixes import fix_command
from appealdesk.i18n import _, ngettext


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("check", help=_(
        "list what would get the appeal rejected (exit 0: nothing blocks, 1: something does)"))
    p.add_argument("case", metavar="CASE", help=_("case id"))
    add_json_flag(p)
    p.set_defaults(handler=cmd_check)




def explain(f, case_id: str) -> str:
    """A finding as lines: what is wrong, why it matters, and how to fix it."""
    from appealdesk.checks.base import BLOCKING

    mark = _("BLOCKS") if f.severity == BLOCKING else _("warn")
    where = f" [{f.where}]" if f.where else ""
    lines = [f"{mark:6} {finding_title(f.code)} ({f.code}){where}: {f.message}"]
    why = reason(f.code)
    if why:
        lines.append("       " + _("why: {reason}").format(reason=why))
    command = fix_command(f.fix, case_id, f.values)  # one wording of fixes: cli/fixes.py
    if command:
        lines.append("       " + _("fix: {how}").format(how=command))
    return "\n".join(lines)


def cmd_check(args: argparse.Namespace) -> int:
    from appealdesk.checks.base import BLOCKING, CheckContext, is_ready, run_checks

    ws = workspace(args)
    case = load_case(ws, args.case)
    ctx = CheckContext(case=case, policy=ws.policy_for(case), now=ws.now(), workspace=ws)
    findings = run_checks(ctx)
    ready = is_ready(findings)
    if args.json:
        print_json({"case": case.id, "ready": ready,
                    "findings": [f.to_dict() for f in findings]})
    else:
        if ctx.policy is None:
            print(_("No policy for marketplace {m}; only general checks ran.").format(
                m=case.marketplace))
        for f in findings:
            print(explain(f, case.id))
        blocking = sum(f.severity == BLOCKING for f in findings)
        if ready:
            print(ngettext("Ready: nothing blocks ({n} warning).",
                           "Ready: nothing blocks ({n} warnings).", len(findings)
                           ).format(n=len(findings)))
        else:
            print(ngettext("Not ready: {n} blocking finding.", "Not ready: {n} blocking findings.",
                           blocking).format(n=blocking))
    return EXIT_OK if ready else EXIT_FAIL
