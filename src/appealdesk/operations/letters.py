"""The letter of a case: save the operator's text, draft from the template, render the PDF.

``save_letter`` holds the one conflict rule: when the stored letter differs from
the text the caller last saw (``base``), someone else changed it (another
window, another operator, the CLI) and the caller's text is added as a new
version beside theirs, never over it. ``render`` writes the PDF into the
case's ``out/`` folder and logs it in the case's history.
"""

from __future__ import annotations

from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from datetime import datetime

from appealdesk.cases.model import Case, LetterVersion
from appealdesk.cases.workspace import Workspace
from appealdesk.checks.base import Finding
from appealdesk.i18n import _
from appealdesk.letter.draft import NoPolicy, draft_letter, rejection_note
from appealdesk.letter.facts import facts_for_case
from appealdesk.letter.versions import add_version, apply_draft, needs_after_rejection, save_edit
from appealdesk.render.pdf import RenderError, RenderResult

__all__ = ["NoPolicy", "RenderError", "SaveResult", "draft", "render", "save_letter"]


@dataclass
class SaveResult:
    case: Case  # the case as written
    version: LetterVersion | None  # None: the text was already saved
    conflict: bool  # the letter had changed on disk; ours became a new version
    at: datetime


def save_letter(workspace: Workspace, case_id: str, text: str, base: str | None = None,
                *, origin: str = "edited") -> SaveResult:
    """Keep ``text`` as the case's letter (``origin`` "edited" for typing, "imported" for a
    file). ``base`` is the draft the caller last saw on disk; when the stored draft
    differs from it, ``text`` is added as a new version instead of replacing theirs."""
    at = workspace.now()
    with workspace.store.editing(case_id, workspace.operator) as case:
        letter = case.letter
        conflict = base is not None and letter.draft != base and letter.draft != text
        version: LetterVersion | None
        if conflict:
            added = add_version(letter, text, origin=origin, operator=workspace.operator, at=at)
            case.log("letter", operator=workspace.operator, at=at, note=_(
                "version {n} (edited; the letter had changed elsewhere)").format(
                n=added.version))
            version = added
        else:
            version = save_edit(case, text, operator=workspace.operator, at=at, origin=origin)
        return SaveResult(case, version, conflict, at)


def draft(workspace: Workspace, case_id: str, *, new_version: bool = False) -> LetterVersion:
    """Draft the case's letter from the policy's template and keep it as a version.

    Raises ``NoPolicy``; ``letter.versions.DraftWouldOverwrite`` when the operator
    edited the letter and ``new_version`` is not set. After a rejection the draft
    is always a new version that starts with the rejection reason.
    """
    now = workspace.now()
    with workspace.store.editing(case_id, workspace.operator) as case:
        policy = workspace.policy_for(case)
        if policy is None:
            raise NoPolicy(_("no policy for marketplace {m!r}").format(m=case.marketplace))
        facts = facts_for_case(case, policy, now=now, workspace=workspace)
        user_dir = workspace.store.policies_dir
        if needs_after_rejection(case):
            base = case.letter.draft.strip() or draft_letter(case, policy, facts, user_dir)
            last = case.submissions[-1]
            text = rejection_note(facts, last.outcome_at) + "\n\n" + base.strip() + "\n"
            return apply_draft(case, text, operator=workspace.operator, at=now,
                               origin="after_rejection")
        text = draft_letter(case, policy, facts, user_dir)
        return apply_draft(case, text, operator=workspace.operator, at=now,
                           new_version=new_version)


def render(workspace: Workspace, case_id: str, *, text: str | None = None,
           hold: AbstractContextManager[object] | None = None,
           blocking: list[Finding] | None = None) -> RenderResult:
    """Render the letter (``text``, else the saved draft) into out/ and log it.

    Raises ``RenderError`` (no policy, an empty letter, a PDF that cannot be made).
    ``hold`` is held while the case is written (the editor passes its save lock).
    ``blocking``: the case's blocking findings (``render.gate``) the operator chose to
    render past; the PDF is then a DRAFT (watermark, file name) that submit refuses.
    """
    from appealdesk.render.pdf import render_letter

    case = workspace.store.load(case_id)
    policy = workspace.policy_for(case)
    if policy is None:
        raise RenderError(_("no policy for marketplace {m!r}").format(m=case.marketplace))
    result = render_letter(workspace.store, case, policy, at=workspace.now(), text=text,
                           blocking=blocking)
    with hold or nullcontext(), workspace.store.editing(case_id, workspace.operator) as stored:
        stored.log("rendered", operator=workspace.operator, at=workspace.now(),
                   note=f"{result.name} sha256:{result.sha256[:12]}")
    return result
