"""Changing a case's evidence: attach files, correct what they cover, remove them, waive.

- ``add_evidence`` copies files into the case's ``evidence/`` folder under the
  policy's naming template (the original is never moved or changed) and records
  what the content really is (see ``evidence.files``) and which orders it covers.
- ``update_evidence`` / ``remove_evidence`` correct or take out one file;
  ``waive`` / ``unwaive`` mark a requirement as not needed, with a reason.

What the policy still asks for is ``evidence.checklist``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from appealdesk.cases.model import Case, EvidenceItem, Waiver
from appealdesk.evidence.errors import EvidenceError
from appealdesk.evidence.files import (
    EXTENSIONS,
    EvidenceFileError,
    FileFacts,
    inspect_file,
)
from appealdesk.evidence.names import (
    find_document_date,
    find_order_ids,
    make_name,
    name_values,
    safe_part,
)
from appealdesk.i18n import _
from appealdesk.policy.types import Policy


@dataclass
class Prepared:
    source: Path
    facts: FileFacts
    orders: list[str]
    orders_source: str  # stated | detected | none
    document_date: str | None
    date_source: str | None


def _policy(workspace: Any, case: Case) -> Policy | None:
    return workspace.policy_for(case)


def prepare(
    path: Path, policy: Policy | None, orders: Sequence[str] | None, on: date | None,
) -> Prepared:
    """Inspect one file and work out its orders and date; raises EvidenceError."""
    path = Path(path).expanduser()
    try:
        facts = inspect_file(path)
    except EvidenceFileError as exc:
        raise EvidenceError(f"{path}: {exc}") from None
    if facts.kind == "unknown":
        raise EvidenceError(
            _("{path}: is not a PDF, image or ZIP file (detected from its content)").format(
                path=path)
        )
    if orders is not None:
        found, source = [o.strip() for o in orders if o.strip()], "stated"
    else:
        patterns = policy.recognise.order_id_patterns if policy else ()
        found = find_order_ids(path.name + "\n" + facts.text, patterns)
        source = "detected" if found else "none"
    doc_date: str | None
    date_source: str | None
    if on is not None:
        doc_date, date_source = on.isoformat(), "stated"
    else:
        detected = find_document_date(facts.text)
        doc_date = detected.isoformat() if detected else None
        date_source = "detected" if detected else None
    return Prepared(path, facts, found, source, doc_date, date_source)


def add_evidence(
    workspace: Any,
    case_id: str,
    paths: Sequence[Path | str],
    requirement: str | None = None,
    orders: Sequence[str] | None = None,
    date: date | None = None,
) -> list[EvidenceItem]:
    """Copy files into the case's evidence folder and record them.

    All files are inspected first: if one is refused, none is added.
    """
    store = workspace.store
    case = store.load(case_id)
    policy = _policy(workspace, case)
    if requirement is not None and policy is not None and policy.requirement(requirement) is None:
        known = ", ".join(r.id for r in policy.evidence)
        raise EvidenceError(
            _("{policy} has no evidence requirement {req!r}; known: {known}").format(
                policy=policy.id, req=requirement, known=known)
        )
    if not paths:
        raise EvidenceError(_("no files given"))
    prepared = [prepare(Path(p), policy, orders, date) for p in paths]
    now = workspace.now()
    added: list[EvidenceItem] = []
    copied: list[str] = []
    try:
        with store.editing(case_id, workspace.operator) as case:
            seen = {e.sha256: e.name for e in case.evidence}
            taken = {e.name for e in case.evidence}
            taken |= {p.name for p in store.list_files(case_id, "evidence")}
            template = policy.files.evidence_name if policy else ""
            for item in prepared:
                if item.facts.sha256 in seen:
                    raise EvidenceError(
                        _("{path}: the same file is already attached as {name}").format(
                            path=item.source, name=seen[item.facts.sha256])
                    )
                values = name_values(case, policy, requirement, now.date())
                if date is not None:
                    values["date"] = date.isoformat()
                ext = EXTENSIONS.get(item.facts.kind, "")
                tmpl = template or safe_part(Path(item.source.name).stem, 80) or "evidence"
                name = make_name(tmpl, values, ext, taken)
                store.copy_in(case_id, "evidence", item.source, name)
                copied.append(name)
                taken.add(name)
                seen[item.facts.sha256] = name
                extra: dict[str, Any] = {"orders_source": item.orders_source}
                if item.date_source:
                    extra["date_source"] = item.date_source
                evidence = EvidenceItem(
                    name=name,
                    original_name=item.source.name,
                    requirement=requirement,
                    orders=list(item.orders),
                    sha256=item.facts.sha256,
                    size=item.facts.size,
                    kind=item.facts.kind,
                    pages=item.facts.pages,
                    width=item.facts.width,
                    height=item.facts.height,
                    encrypted=item.facts.encrypted,
                    document_date=item.document_date,
                    added=now,
                    extra=extra,
                )
                case.evidence.append(evidence)
                case.log("evidence", operator=workspace.operator, at=now,
                         note=_("added {name} (from {original})").format(
                             name=name, original=item.source.name))
                added.append(evidence)
    except BaseException:
        for name in copied:  # the case was not saved: do not leave unlisted copies behind
            store.remove_file(case_id, "evidence", name)
        raise
    return added


def update_evidence(
    workspace: Any, case_id: str, name: str, *, requirement: str | None = ...,  # type: ignore[assignment]
    orders: Sequence[str] | None = None, document_date: date | None = None,
) -> EvidenceItem:
    """The operator confirms or corrects the requirement, orders or date of a file."""
    now = workspace.now()
    with workspace.store.editing(case_id, workspace.operator) as case:
        item = _find(case, name)
        policy = _policy(workspace, case)
        if requirement is not ... and requirement is not None and policy is not None:
            if policy.requirement(requirement) is None:
                raise EvidenceError(_("unknown evidence requirement {req!r}").format(
                    req=requirement))
        if requirement is not ...:
            item.requirement = requirement
        if orders is not None:
            item.orders = [o.strip() for o in orders if o.strip()]
            item.extra["orders_source"] = "stated"
        if document_date is not None:
            item.document_date = document_date.isoformat()
            item.extra["date_source"] = "stated"
        case.log("evidence", operator=workspace.operator, at=now,
                 note=_("updated {name}").format(name=name))
        return item


def _find(case: Case, name: str) -> EvidenceItem:
    for item in case.evidence:
        if item.name == name:
            return item
    names = ", ".join(e.name for e in case.evidence) or _("none")
    raise EvidenceError(_("case {case} has no evidence file {name!r}; files: {names}").format(
        case=case.id, name=name, names=names))


def remove_evidence(workspace: Any, case_id: str, name: str) -> EvidenceItem:
    """Take a file out of the case (the case is saved first, then the copy deleted)."""
    now = workspace.now()
    with workspace.store.editing(case_id, workspace.operator) as case:
        item = _find(case, name)
        case.evidence.remove(item)
        case.log("evidence", operator=workspace.operator, at=now,
                 note=_("removed {name}").format(name=name))
    workspace.store.remove_file(case_id, "evidence", name)
    return item


def _check_requirement(policy: Policy | None, requirement: str) -> None:
    if policy is not None and policy.requirement(requirement) is None:
        known = ", ".join(r.id for r in policy.evidence)
        raise EvidenceError(
            _("{policy} has no evidence requirement {req!r}; known: {known}").format(
                policy=policy.id, req=requirement, known=known)
        )


def waive(workspace: Any, case_id: str, requirement: str, reason: str) -> Waiver:
    """Mark a requirement as not needed, with the operator's written reason."""
    reason = " ".join(reason.split())
    if not reason:
        raise EvidenceError(_("a waiver needs a reason"))
    now = workspace.now()
    with workspace.store.editing(case_id, workspace.operator) as case:
        _check_requirement(_policy(workspace, case), requirement)
        case.waivers = [w for w in case.waivers if w.requirement != requirement]
        waiver = Waiver(requirement, reason, workspace.operator, now)
        case.waivers.append(waiver)
        case.log("waiver", operator=workspace.operator, at=now,
                 note=_("waived {req}: {reason}").format(req=requirement, reason=reason))
    return waiver


def unwaive(workspace: Any, case_id: str, requirement: str) -> None:
    now = workspace.now()
    with workspace.store.editing(case_id, workspace.operator) as case:
        if not any(w.requirement == requirement for w in case.waivers):
            raise EvidenceError(_("{req} is not waived").format(req=requirement))
        case.waivers = [w for w in case.waivers if w.requirement != requirement]
        case.log("waiver", operator=workspace.operator, at=now,
                 note=_("waiver withdrawn for {req}").format(req=requirement))
