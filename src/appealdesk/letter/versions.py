"""The letter's history: every draft, import and edit is a numbered version.

Rules:
- ``Letter.draft`` is the current text; ``Letter.versions`` holds snapshots.
- A generated draft never replaces text the operator edited (``Letter.edited``):
  the caller must ask for a new version (``DraftWouldOverwrite`` otherwise).
- Continuous typing (autosave) updates the current ``edited`` version in place,
  so a version is a working session, not a keystroke; anything drafted,
  imported or rejected before it stays as it was.
- After a rejection the next draft is always a new version (origin
  ``after_rejection``) that starts with the rejection reason.
"""

from __future__ import annotations

from datetime import datetime

from appealdesk.cases.model import Case, Letter, LetterVersion
from appealdesk.i18n import N_, _

ORIGINS = ("drafted", "edited", "imported", "after_rejection")
# How each origin reads on screen and in the CLI's text output (--json keeps the id).
ORIGIN_NAMES = {
    "drafted": N_("drafted"),
    "edited": N_("edited"),
    "imported": N_("imported"),
    "after_rejection": N_("after rejection"),
}


def origin_name(origin: str) -> str:
    """The operator's word for a version's origin, in the interface language."""
    return _(ORIGIN_NAMES[origin]) if origin in ORIGIN_NAMES else origin


class DraftWouldOverwrite(Exception):
    """The operator edited the draft; a generated one must go into a new version."""


def current_version(letter: Letter) -> LetterVersion | None:
    return letter.versions[-1] if letter.versions else None


def get_version(letter: Letter, number: int) -> LetterVersion | None:
    return next((v for v in letter.versions if v.version == number), None)


def add_version(
    letter: Letter, text: str, *, origin: str, operator: str, at: datetime
) -> LetterVersion:
    number = max((v.version for v in letter.versions), default=0) + 1
    version = LetterVersion(version=number, text=text, saved=at, operator=operator, origin=origin)
    letter.versions.append(version)
    letter.draft = text
    letter.version = number
    letter.edited = origin in ("edited", "imported")
    return version


def needs_after_rejection(case: Case) -> bool:
    """True when the last submission was rejected and no version was started since."""
    if not case.submissions or case.submissions[-1].outcome != "rejected":
        return False
    last = case.submissions[-1]
    latest = current_version(case.letter)
    if latest is None:
        return True
    if last.letter_version:  # exact: nothing newer than the version that was submitted
        return latest.version <= last.letter_version
    return last.outcome_at is None or latest.saved <= last.outcome_at


def apply_draft(case: Case, text: str, *, operator: str, at: datetime,
                new_version: bool = False, origin: str = "drafted") -> LetterVersion:
    """Install a generated draft, honouring the operator's edits."""
    letter = case.letter
    if origin != "after_rejection" and letter.edited and letter.draft.strip() and not new_version:
        raise DraftWouldOverwrite(
            _("the letter of {case_id} was edited (version {n}); "
              "use --new-version to draft a new version beside it").format(
                case_id=case.id, n=letter.version)
        )
    version = add_version(letter, text, origin=origin, operator=operator, at=at)
    case.log("letter", operator=operator, at=at,
             note=_("version {n} ({origin})").format(n=version.version,
                                                      origin=origin_name(origin)))
    return version


def save_edit(case: Case, text: str, *, operator: str, at: datetime,
              origin: str = "edited") -> LetterVersion | None:
    """Keep the operator's text. Returns the version written, or None when nothing changed."""
    letter = case.letter
    if text == letter.draft and (letter.versions or not text.strip()):
        return None  # nothing changed, or nothing yet to keep: no empty "version 1"
    latest = current_version(letter)
    submitted_versions = {s.letter_version for s in case.submissions}
    if (origin == "edited" and latest is not None and latest.origin == "edited"
            and latest.operator == operator and latest.version not in submitted_versions):
        latest.text = text
        latest.saved = at
        letter.draft = text
        letter.edited = True
        return latest
    version = add_version(letter, text, origin=origin, operator=operator, at=at)
    case.log("letter", operator=operator, at=at,
             note=_("version {n} ({origin})").format(n=version.version,
                                                      origin=origin_name(origin)))
    return version


def text_at_submission(case: Case, submission) -> str:
    """The letter text that went out with a submission (by version number, else by time)."""
    if submission.letter_version:
        v = get_version(case.letter, submission.letter_version)
        if v is not None:
            return v.text
    earlier = [v for v in case.letter.versions if v.saved <= submission.at]
    return earlier[-1].text if earlier else ""
