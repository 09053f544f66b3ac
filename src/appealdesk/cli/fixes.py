"""How the command line words a fix action id: as the command that does it.

The core says what fixes a finding or a refusal as an action id (``Finding.fix``,
``SubmissionError.fix``); this table is the CLI's wording of each. The app has its
own table naming its keys (``appealdesk.widgets.fixes``). An id missing here is
simply not worded.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from appealdesk.checks.base import Finding
from appealdesk.i18n import _
from appealdesk.policy.templates import fill

# {case} is the case id; other fields come from the finding's values; a field the
# finding does not carry is shown in capitals (FILE, REQUIREMENT) for the user to fill.
FIX_COMMANDS: dict[str, str] = {
    "evidence.add": "appealdesk evidence add {case} FILE --requirement {requirement}",
    "evidence.cover": "appealdesk evidence add {case} FILE --requirement {requirement} "
                      "--orders ID,ID",
    "evidence.waive": "appealdesk evidence waive {case} {requirement} --reason TEXT",
    "evidence.set_orders": "appealdesk evidence set {case} {file} --orders ID,ID",
    "evidence.set_date": "appealdesk evidence set {case} {file} --date YYYY-MM-DD",
    "evidence.remove": "appealdesk evidence remove {case} {file}",
    "evidence.replace": "appealdesk evidence remove {case} {file}; "
                        "appealdesk evidence add {case} FILE",
    "letter.draft": "appealdesk letter draft {case}",
    "letter.edit": "appealdesk letter set {case} FILE",
    "report.import": "appealdesk import-report {case} FILE",
    "render": "appealdesk render {case}",
    "submit": "appealdesk submit {case} --ticket ID",
    "outcome.record": "appealdesk outcome {case} approved|rejected --reason TEXT",
}


def fix_command(fix: str, case_id: str, values: Mapping[str, Any] | None = None) -> str:
    """The command for ``fix`` on ``case_id``; "" for an id without one."""
    template = FIX_COMMANDS.get(fix)
    if template is None:
        return ""
    known = {k: v for k, v in (values or {}).items() if isinstance(v, str | int)}
    return fill(template, {**known, "case": case_id}, missing=lambda name: name.upper())


def fix_hint(fix: str, case_id: str, values: Mapping[str, Any] | None = None) -> str:
    """ "run: appealdesk ..." for ``fix``, or ""."""
    command = fix_command(fix, case_id, values)
    return _("run: {command}").format(command=command) if command else ""


def with_hint(message: str, fix: str, case_id: str,
              values: Mapping[str, Any] | None = None) -> str:
    """``message`` followed by the command that fixes it, when there is one."""
    hint = fix_hint(fix, case_id, values)
    return f"{message} ({hint})" if hint else message


def finding_text(finding: Finding, case_id: str) -> str:
    """A finding's message and, when it has a fix, the command that does it."""
    return with_hint(finding.message, finding.fix, case_id, finding.values)

