"""``appealdesk check CASE``: everything that would get the appeal rejected.

Exit 0 when nothing blocks, 1 when something does, 2 on error.
"""

from __future__ import annotations

import argparse

from appealdesk.cli.common import (
    EXIT_FAIL,
    EXIT_OK,
    add_json_flag,
    load_case,
    print_json,
    workspace,
)
from appealdesk.cli.fixes import fix_command
from appealdesk.i18n import N_, _


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("check", help=_(
        "list what would get the appeal rejected (exit 0: nothing blocks, 1: something does)"))
    p.add_argument("case", metavar="CASE", help=_("case id"))
    add_json_flag(p)
    p.set_defaults(handler=cmd_check)


# Why each kind of finding gets an appeal rejected (the message says what is wrong here).
REASONS = {
    "missing_section": N_("reviewers look for each part of a Plan of Action and reject a letter "
                          "that lacks one"),
    "section_empty": N_("a part with a heading and no text counts as missing"),
    "over_word_limit": N_("a letter over the length the marketplace accepts is cut or rejected"),
    "non_english_text": N_("the marketplace reviews letters in English only"),
    "emotional_language": N_("emotional wording reads as a complaint, not a plan"),
    "blames_marketplace": N_("a letter that blames the marketplace is rejected"),
    "template_language": N_("reviewers reject templated letters that could be about any case"),
    "repeated_appeal": N_("a resubmission without new actions is rejected again"),
    "unsupported_claim": N_("a claim without the evidence that proves it is not believed"),
    "figure_mismatch": N_("a letter whose figures contradict the case's data is not believed"),
    "placeholder_left": N_("a template gap shows the letter was not written for this case"),
    "choice_left": N_("the draft could not tell which cause or action is true; only you can"),
    "multiple_metrics": N_("the marketplace takes one metric per case"),
    "attempts_exhausted": N_("the marketplace reviews a limited number of appeals"),
    "already_submitted": N_("a duplicate submission is rejected"),
    "unsafe_link": N_("the PDF cannot carry what the letter points at"),
    "prevention_without_mechanism": N_("reviewers reject prevention that is only a promise"),
    "cause_not_specific": N_("reviewers ask for greater detail on root causes"),
    "apology_not_cause": N_("an apology or a promise is not a root cause"),
    "deadline_passed": N_("an appeal after the deadline may not be reviewed"),
    "deadline_near": N_("the response window is about to close"),
    "letter_empty": N_("there is nothing to submit yet"),
    "letter_too_large": N_("the marketplace refuses files over its size limit"),
    "evidence_missing": N_("an appeal without the evidence the marketplace asks for is rejected"),
    "orders_not_covered": N_("evidence must cover every order the notice cites"),
    "document_too_old": N_("the marketplace accepts documents only within a time window"),
    "encrypted_pdf": N_("reviewers cannot open an encrypted PDF"),
    "file_format": N_("the marketplace accepts only some file formats"),
    "file_name": N_("files not named the way the marketplace asks are rejected"),
    "file_too_large": N_("the marketplace refuses files over its size limit"),
}

# How to carry out each fix action on the command line.


def explain(f, case_id: str) -> str:
    """A finding as lines: what is wrong, why it matters, and how to fix it."""
    from appealdesk.checks.base import BLOCKING

    mark = _("BLOCKS") if f.severity == BLOCKING else _("warn")
    where = f" [{f.where}]" if f.where else ""
    lines = [f"{mark:6} {f.code}{where}: {f.message}"]
    if f.code in REASONS:
        lines.append("       " + _("why: {reason}").format(reason=_(REASONS[f.code])))
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
            print(_("Ready: nothing blocks ({n} warnings).").format(n=len(findings)))
        else:
            print(_("Not ready: {n} blocking findings.").format(n=blocking))
    return EXIT_OK if ready else EXIT_FAIL
