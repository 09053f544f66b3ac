"""What is in a case's ``out/`` folder: the rendered letter and the upload bundle.

One answer to "which PDF is the letter": ``letter_pdf``. Submitting records it,
bundling puts it first; a bundle is never taken for the letter (bundles carry
``BUNDLE_MARKER`` in their PDF metadata, and a ZIP bundle is no PDF at all).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from appealdesk.cases.model import Case
from appealdesk.evidence.names import template_pattern
from appealdesk.policy.types import Policy

if TYPE_CHECKING:
    from appealdesk.cases.store import Store

BUNDLE_MARKER = "/AppealDeskBundle"  # PDF metadata key written into every PDF bundle
# A letter rendered while blocking findings remain is named DRAFT_<letter name>
# (render.draft_mark): still the newest letter, so that submit can refuse it.
DRAFT_PREFIX = "DRAFT_"


def is_bundle(path: Path) -> bool:
    """True for a PDF this program built as an evidence bundle."""
    try:
        from pypdf import PdfReader

        meta = PdfReader(str(path)).metadata
        return meta is not None and BUNDLE_MARKER in meta
    except Exception:  # noqa: BLE001 - an unreadable PDF is not our bundle either
        return False


def letter_pdf(store: Store, case: Case, policy: Policy | None) -> Path | None:
    """The newest rendered letter in out/: a PDF named like the policy's ``letter_name``
    (any PDF without a policy) that is not a bundle; None when there is none."""
    pattern = template_pattern(policy.files.letter_name) if policy else None
    candidates = []
    for path in store.list_files(case.id, "out"):
        if path.suffix.lower() != ".pdf":
            continue
        if pattern is not None and not pattern.match(path.name.removeprefix(DRAFT_PREFIX)):
            continue
        if is_bundle(path):
            continue
        candidates.append(path)
    if not candidates:
        return None
    return max(candidates, key=lambda p: (p.stat().st_mtime_ns, p.name))


def latest_bundle(store: Store, case: Case) -> Path | None:
    """The newest upload bundle in out/ (a PDF carrying ``BUNDLE_MARKER``, or a ZIP);
    None when the case has none."""
    found = [p for p in store.list_files(case.id, "out")
             if p.suffix.lower() == ".zip" or (p.suffix.lower() == ".pdf" and is_bundle(p))]
    if not found:
        return None
    return max(found, key=lambda p: (p.stat().st_mtime_ns, p.name))


def rendered_pdfs(store: Store, case: Case) -> list[Path]:
    """Every PDF in out/ that is not a bundle, newest first: what an operator may pick
    to record as submitted (``letter_pdf`` is the default pick)."""
    found = [path for path in store.list_files(case.id, "out")
             if path.suffix.lower() == ".pdf" and not is_bundle(path)]
    return sorted(found, key=lambda p: (p.stat().st_mtime_ns, p.name), reverse=True)
