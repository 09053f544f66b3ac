"""Whether a case may be rendered or bundled as final, and marking what is not.

Rendering the letter or building the evidence bundle while the case has
blocking findings (of any area: letter, evidence, ...) makes an upload the
marketplace would reject. Front ends ask first (the app) or need ``--force``
(the CLI); what is then produced is a DRAFT (see draft_mark).

Findings about the case's timing and history (``where`` = deadline or
submission: the deadline passed, a submission awaits its outcome) do not stop a
render: they are about when to submit, not about what the PDF says, and a
late appeal must still be rendered to be sent.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from appealdesk.checks.base import BLOCKING, CheckContext, Finding, run_checks
from appealdesk.render.draft_mark import draft_name, mark_draft

NOT_ABOUT_THE_PDF = ("deadline", "submission")


def blocking_findings(workspace: Any, case: Any) -> list[Finding]:
    """The case's blocking findings that make its PDF unfit to submit."""
    ctx = CheckContext(case=case, policy=workspace.policy_for(case), now=workspace.now(),
                       workspace=workspace)
    return [f for f in run_checks(ctx)
            if f.severity == BLOCKING and f.where not in NOT_ABOUT_THE_PDF]


def mark_bundle_draft(store: Any, case_id: str, path: Path, blocking: list[Finding]) -> Path:
    """Rename a bundle built despite blocking findings to DRAFT_…, watermarking a PDF."""
    data = path.read_bytes()
    if path.suffix.lower() == ".pdf":
        data = mark_draft(data, note=f"DRAFT: {len(blocking)} blocking findings remain; "
                                     "do not submit this file")
    new = store.write_file(case_id, path.parent.name, draft_name(path.name), data)
    if new != path:
        store.remove_file(case_id, path.parent.name, path.name)
    return new
