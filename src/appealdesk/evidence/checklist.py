"""Evidence: attach files to a case, see what the policy still asks for, bundle for upload.

- ``add_evidence`` copies files into the case's ``evidence/`` folder under the
  policy's naming template (the original is never moved or changed) and records
  what the content really is (see ``evidence_files``) and which orders it covers.
- ``checklist`` says, per requirement of the notification type, whether it is
  missing, partial (n of m orders), done or waived, and builds the coverage
  matrix of orders x per-order requirements.
- ``bundle`` builds the one PDF or ZIP the policy asks to upload, under its
  size limit, or says which files to shrink.

Contributing orders come from the metrics stage; callers pass them in
(``contributing_orders=``) so this module does not depend on metrics.
"""

from __future__ import annotations

import io
import re
import string
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from appealdesk.cases.model import Case, EvidenceItem, Waiver
from appealdesk.evidence.files import (
    EXTENSIONS,
    IMAGE_KINDS,
    EvidenceFileError,
    FileFacts,
    inspect_file,
)
from appealdesk.i18n import _, pick
from appealdesk.policy.types import EvidenceRequirement, Policy

MISSING = "missing"
PARTIAL = "partial"
DONE = "done"
WAIVED = "waived"

MAX_NAME_BYTES = 180  # well under the 255-byte limit of common file systems
MAX_FIELD_CHARS = 40
MAX_ORDERS_PER_FILE = 1000  # a dispatch log may list many; keep case.toml readable
NAME_FIELDS = (
    "case_id", "store", "notification_id", "requirement", "reason", "evidence_type", "date", "n",
)
BUNDLE_MARKER = "/AppealDeskBundle"  # PDF metadata key: never take a bundle for the letter


class EvidenceError(Exception):
    """Something the operator asked that cannot be done; one line saying why."""


class BundleTooLarge(EvidenceError):
    def __init__(self, message: str, size: int, limit: int, culprits: list[tuple[str, int]]):
        super().__init__(message)
        self.size = size
        self.limit = limit
        self.culprits = culprits


# ---------------------------------------------------------------------------
# Names
# ---------------------------------------------------------------------------


def safe_part(text: str, limit: int = MAX_FIELD_CHARS) -> str:
    """A piece of a file name: letters and digits of any script stay readable
    (a Chinese store name remains Chinese); anything else becomes '-'."""
    part = _safe_chars(text)
    part = re.sub(r"\.{2,}", ".", part).strip("-_.")
    return part[:limit].strip("-_.")


def _safe_chars(text: str) -> str:
    """Map every character that is not a letter, digit, '-', '_' or '.' to '-'."""
    text = unicodedata.normalize("NFC", str(text))
    out = []
    for ch in text:
        if ch.isalnum() or ch in "-_.":
            out.append(ch)
        else:  # spaces, slashes, control characters, punctuation, emoji
            out.append("-")
    return re.sub(r"-{2,}", "-", "".join(out))


def _truncate_bytes(text: str, limit: int) -> str:
    encoded = text.encode("utf-8")[:limit]
    return encoded.decode("utf-8", errors="ignore").rstrip("-_.")


_KNOWN_EXT = re.compile(r"\.(pdf|png|jpe?g|gif|webp|tiff?|zip)$", re.IGNORECASE)


def fill_template(template: str, values: dict[str, Any]) -> str:
    """Fill ``{field}`` placeholders with path-safe values; unknown fields are kept as text.

    The template comes from a policy a user may have written: a malformed one
    (an unbalanced brace) is used literally rather than failing.
    """
    out = []
    try:
        parsed = list(string.Formatter().parse(template))
    except ValueError:
        return safe_part(template, MAX_NAME_BYTES)
    for literal, name, spec, _conv in parsed:
        out.append(literal)
        if name is None:
            continue
        value = values.get(name)
        if value in (None, ""):
            out.append(name)
            continue
        try:
            out.append(format(value, spec) if spec else str(value))
        except (ValueError, TypeError):
            out.append(str(value))
    return "".join(out)


def make_name(
    template: str, values: dict[str, Any], extension: str, taken: Iterable[str] = ()
) -> str:
    """A file name from the template, safe as one path component, unique among ``taken``.

    ``{n}`` counts up until the name is free; without ``{n}`` a ``-2``, ``-3`` ...
    suffix is added. The extension always comes from the detected content.
    """
    taken_lower = {t.lower() for t in taken}
    uses_n = "{n}" in template
    clean = {k: safe_part(str(v)) for k, v in values.items() if k != "n"}
    for n in range(1, 10_000):
        raw = fill_template(template, {**clean, "n": n})
        raw = _KNOWN_EXT.sub("", raw)
        stem = safe_part(raw, MAX_NAME_BYTES) or "evidence"
        if not uses_n and n > 1:
            stem = f"{stem}-{n}"
        stem = _truncate_bytes(stem, MAX_NAME_BYTES - 8) or "evidence"
        name = stem + extension
        if name.lower() not in taken_lower:
            return name
    raise EvidenceError(_("could not find a free file name for {template}").format(
        template=template))


def name_values(
    case: Case, policy: Policy | None, requirement: str | None, on: date,
) -> dict[str, Any]:
    req = policy.requirement(requirement) if policy and requirement else None
    ntype = policy.notification_type(case.notification.type) if policy else None
    return {
        "case_id": case.id,
        "store": case.store or "store",
        "notification_id": case.notification.external_id or case.id,
        "requirement": requirement or "evidence",
        "reason": ntype.name if ntype else case.notification.type,
        "evidence_type": req.kind if req else "evidence",
        "date": on.isoformat(),
    }


def template_pattern(template: str) -> re.Pattern[str] | None:
    """A regex that names made from ``template`` match (fields become wildcards)."""
    if not template:
        return None
    try:
        parsed = list(string.Formatter().parse(_KNOWN_EXT.sub("", template)))
    except ValueError:
        return None
    parts = []
    for literal, name, _spec, _conv in parsed:
        parts.append(re.escape(_safe_chars(literal)))
        if name is not None:
            parts.append(".+?")
    return re.compile("^" + "".join(parts) + r"(-\d+)?(\.[A-Za-z0-9]+)?$")


# ---------------------------------------------------------------------------
# Which orders and which date a file names
# ---------------------------------------------------------------------------


def find_order_ids(text: str, patterns: Sequence[str]) -> list[str]:
    """Order ids in ``text`` (first group if the pattern has one), in order, unique."""
    found: list[str] = []
    # '_' is a word character, so '\b' would not see an id in "tracking_114-...".
    text = text.replace("_", " ")
    from appealdesk.policy.user_regex import PatternError, compile_user, finditer

    for pattern in patterns:
        try:  # a policy's pattern: every search has a time limit
            regex = compile_user(pattern, probe=False)
        except PatternError:
            continue
        for match in finditer(regex, text):
            value = match.group(1) if regex.groups else match.group(0)
            if value and value not in found:
                found.append(value)
                if len(found) >= MAX_ORDERS_PER_FILE:
                    return found
    return found


_DATE_PATTERNS = (
    re.compile(r"(?<!\d)(20\d{2})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)"),
    re.compile(r"(20\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日"),
)


def find_document_date(text: str) -> date | None:
    """The first plausible calendar date written in the document (the operator confirms)."""
    best: tuple[int, date] | None = None
    for regex in _DATE_PATTERNS:
        for match in regex.finditer(text[:20_000]):
            try:
                found = date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
            except ValueError:
                continue
            if best is None or match.start() < best[0]:
                best = (match.start(), found)
            break
    return best[1] if best else None


# ---------------------------------------------------------------------------
# Changing a case
# ---------------------------------------------------------------------------


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


# ---------------------------------------------------------------------------
# Checklist and coverage
# ---------------------------------------------------------------------------


@dataclass
class ChecklistItem:
    requirement: EvidenceRequirement
    state: str  # missing | partial | done | waived
    files: list[str] = field(default_factory=list)
    covered: int = 0  # orders covered (per-order requirements)
    total: int = 0  # orders to cover
    uncovered: list[str] = field(default_factory=list)
    waiver: Waiver | None = None

    @property
    def label(self) -> str:
        return pick(self.requirement.name, self.requirement.name_zh)

    def state_text(self) -> str:
        if self.state == PARTIAL:
            return _("partial ({n} of {m})").format(n=self.covered, m=self.total)
        return {MISSING: _("missing"), DONE: _("done"), WAIVED: _("waived")}[self.state]

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "requirement": self.requirement.id,
            "name": self.requirement.name,
            "name_zh": self.requirement.name_zh,
            "per_order": self.requirement.per_order,
            "state": self.state,
            "files": self.files,
        }
        if self.requirement.per_order:
            data.update(covered=self.covered, total=self.total, uncovered=self.uncovered)
        if self.waiver:
            data["waiver"] = {"reason": self.waiver.reason, "operator": self.waiver.operator,
                              "at": self.waiver.at}
        return data


@dataclass
class Coverage:
    """Orders x per-order requirements; each cell lists the files covering it."""

    orders: list[str]
    cited: set[str]
    requirements: list[EvidenceRequirement]
    cells: dict[tuple[str, str], list[str]]
    waived: set[str]

    def files_for(self, order: str, requirement: str) -> list[str]:
        return self.cells.get((order, requirement), [])

    def gaps(self) -> list[tuple[str, str]]:
        """Uncovered (order, requirement) cells, row by row; waived columns are no gaps."""
        return [
            (o, r.id)
            for o in self.orders
            for r in self.requirements
            if r.id not in self.waived and not self.cells.get((o, r.id))
        ]

    def to_dict(self) -> dict[str, Any]:
        return {
            "orders": [{"id": o, "cited": o in self.cited} for o in self.orders],
            "requirements": [r.id for r in self.requirements],
            "cells": {o: {r.id: self.files_for(o, r.id) for r in self.requirements}
                      for o in self.orders},
            "gaps": [{"order": o, "requirement": r} for o, r in self.gaps()],
        }


@dataclass
class Checklist:
    items: list[ChecklistItem]
    coverage: Coverage
    unassigned: list[str]  # files not linked to any requirement of this notification type

    def item(self, requirement_id: str) -> ChecklistItem | None:
        return next((i for i in self.items if i.requirement.id == requirement_id), None)

    def to_dict(self) -> dict[str, Any]:
        return {
            "items": [i.to_dict() for i in self.items],
            "coverage": self.coverage.to_dict(),
            "unassigned": self.unassigned,
        }


def case_orders(case: Case, contributing_orders: Iterable[str] = ()) -> list[str]:
    """Cited orders first, then contributing ones, each once."""
    out: list[str] = []
    for order in [*case.notification.cited_orders, *contributing_orders]:
        if order and order not in out:
            out.append(order)
    return out


def requirements_for(case: Case, policy: Policy | None) -> list[EvidenceRequirement]:
    if policy is None:
        return []
    ntype = policy.notification_type(case.notification.type)
    if ntype is None:
        return []
    return [r for r in (policy.requirement(i) for i in ntype.evidence) if r is not None]


def checklist(
    case: Case, policy: Policy | None, contributing_orders: Iterable[str] = ()
) -> Checklist:
    reqs = requirements_for(case, policy)
    orders = case_orders(case, contributing_orders)
    waivers = {w.requirement: w for w in case.waivers}
    cells: dict[tuple[str, str], list[str]] = {}
    items = []
    for req in reqs:
        files = [e for e in case.evidence if e.requirement == req.id]
        item = ChecklistItem(req, MISSING, [e.name for e in files])
        if req.per_order and orders:
            for order in orders:
                covering = [e.name for e in files if order in e.orders]
                if covering:
                    cells[(order, req.id)] = covering
            item.total = len(orders)
            item.uncovered = [o for o in orders if (o, req.id) not in cells]
            item.covered = item.total - len(item.uncovered)
            if item.covered == item.total:
                item.state = DONE
            elif files:
                item.state = PARTIAL
        elif files:
            item.state = DONE
        if req.id in waivers:
            item.state, item.waiver = WAIVED, waivers[req.id]
        items.append(item)
    req_ids = {r.id for r in reqs}
    unassigned = [e.name for e in case.evidence if e.requirement not in req_ids]
    coverage = Coverage(
        orders=orders,
        cited=set(case.notification.cited_orders),
        requirements=[r for r in reqs if r.per_order],
        cells=cells,
        waived=set(waivers),
    )
    return Checklist(items, coverage, unassigned)


# ---------------------------------------------------------------------------
# Bundle
# ---------------------------------------------------------------------------


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def find_letter_pdf(workspace: Any, case: Case, policy: Policy | None) -> Path | None:
    """The newest rendered letter in out/: a PDF named like the policy's letter_name."""
    pattern = template_pattern(policy.files.letter_name) if policy else None
    candidates = []
    for path in workspace.store.list_files(case.id, "out"):
        if path.suffix.lower() != ".pdf":
            continue
        if pattern is not None and not pattern.match(path.name):
            continue
        if _is_bundle(path):
            continue
        candidates.append(path)
    if not candidates:
        return None
    return max(candidates, key=lambda p: p.stat().st_mtime)


def _is_bundle(path: Path) -> bool:
    try:
        from pypdf import PdfReader

        meta = PdfReader(str(path)).metadata
        return meta is not None and BUNDLE_MARKER in meta
    except Exception:  # noqa: BLE001 - an unreadable PDF is not our bundle either
        return False


def bundle_order(case: Case, policy: Policy | None) -> list[EvidenceItem]:
    """Evidence in the order of the checklist, then anything unassigned."""
    rank = {r.id: i for i, r in enumerate(requirements_for(case, policy))}
    return sorted(case.evidence, key=lambda e: rank.get(e.requirement or "", len(rank)))


def _image_page(data: bytes, title: str) -> bytes:
    """One A4 page with the image scaled to fit, its name above it."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    page_w, page_h = A4
    margin = 36
    pdf = canvas.Canvas(buffer, pagesize=A4)
    image = ImageReader(io.BytesIO(data))
    iw, ih = image.getSize()
    box_w, box_h = page_w - 2 * margin, page_h - 2 * margin - 24
    scale = min(box_w / iw, box_h / ih, 1.0)
    w, h = iw * scale, ih * scale
    pdf.setFont("Helvetica", 9)
    pdf.drawString(margin, page_h - margin, title.encode("ascii", "replace").decode())
    pdf.drawImage(image, margin + (box_w - w) / 2, page_h - margin - 24 - h, w, h)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


Progress = Callable[[int, int], None]  # (parts done, parts in all)
Part = tuple[str, bytes, str]  # (name in the bundle, the bytes read, kind)


def read_recorded(path: Path, expected_sha256: str = "") -> bytes:
    """A file of the case folder as it was recorded: the file itself, never where a symlink
    planted in its place points (O_NOFOLLOW), and only if its sha256 is the recorded one."""
    import hashlib
    import os
    import stat

    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC | os.O_NONBLOCK)
    except FileNotFoundError:
        raise EvidenceError(
            _("{name} is listed but missing from the evidence folder; remove it or add it "
              "again").format(name=path.name)) from None
    except OSError as exc:  # ELOOP: a symlink in place of the file
        raise EvidenceError(_("{name} is not a plain file in the case folder ({reason}); remove "
                              "it and add the file again").format(
            name=path.name, reason=exc.strerror or exc)) from None
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            raise EvidenceError(_("{name} is not a plain file in the case folder; remove it and "
                                  "add the file again").format(name=path.name))
        data = handle.read()
    if expected_sha256 and hashlib.sha256(data).hexdigest() != expected_sha256.lower():
        raise EvidenceError(_("{name} changed since it was added (its sha256 is not the recorded "
                              "one); add the file again").format(name=path.name))
    return data


def _build_pdf(parts: list[Part], progress: Progress | None = None) -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for done, (label, data, kind) in enumerate(parts):
        if kind == "pdf":
            writer.append(PdfReader(io.BytesIO(data)))
        else:
            writer.append(PdfReader(io.BytesIO(_image_page(data, label))))
        if progress:
            progress(done + 1, len(parts))
    writer.add_metadata({BUNDLE_MARKER: "1", "/Producer": "AppealDesk"})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _build_zip(parts: list[Part], progress: Progress | None = None) -> bytes:
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for done, (label, data, _kind) in enumerate(parts):
            archive.writestr(label, data)
            if progress:
                progress(done + 1, len(parts))
    return buffer.getvalue()


def bundle_name(case: Case, policy: Policy | None, on: date) -> str:
    kind = policy.files.bundle if policy else "pdf"
    template = (policy.files.bundle_name if policy else "") or "{case_id}_bundle"
    values = name_values(case, policy, None, on)
    return make_name(template, values, EXTENSIONS[kind])


def bundle(workspace: Any, case_id: str, progress: Progress | None = None) -> Path:
    """Build the upload file in out/; raise BundleTooLarge (nothing written) over the limit.

    ``progress(done, total)`` is called after each part (the app shows a bar).
    """
    store = workspace.store
    case = store.load(case_id)
    policy = _policy(workspace, case)
    kind = policy.files.bundle if policy else "pdf"
    limit = policy.files.max_bytes if policy else 10 * 1024 * 1024
    parts: list[Part] = []
    letter = find_letter_pdf(workspace, case, policy) if kind in ("pdf", "zip") else None
    if letter is not None:
        parts.append((letter.name, read_recorded(letter), "pdf"))
    for item in bundle_order(case, policy):
        path = store.file_path(case_id, "evidence", item.name)
        if kind == "pdf":
            if item.kind == "pdf" and item.encrypted:
                raise EvidenceError(_("{name} is an encrypted PDF: attach an unprotected copy")
                                    .format(name=item.name))
            if item.kind != "pdf" and item.kind not in IMAGE_KINDS:
                raise EvidenceError(
                    _("{name} is a {kind} file and cannot go into a PDF; convert it to PDF or an "
                      "image").format(name=item.name, kind=item.kind))
        parts.append((item.name, read_recorded(path, item.sha256), item.kind))
    if not parts:
        raise EvidenceError(_("nothing to bundle: no letter PDF in out/ and no evidence"))
    try:
        data = (_build_pdf(parts, progress) if kind == "pdf"
                else _build_zip(parts, progress))
    except EvidenceError:
        raise
    except Exception as exc:  # noqa: BLE001 - a file the PDF library cannot read
        raise EvidenceError(_("cannot build the bundle: {error}").format(error=exc)) from None
    if len(data) > limit:
        culprits = sorted(((label, len(data)) for label, data, _k in parts),
                          key=lambda c: -c[1])
        listing = ", ".join(f"{label} ({_mb(size)})" for label, size in culprits[:5])
        raise BundleTooLarge(
            _("the bundle would be {size}, over the {limit} limit; shrink or split, largest "
              "first: {files}").format(size=_mb(len(data)), limit=_mb(limit), files=listing),
            len(data), limit, culprits,
        )
    name = bundle_name(case, policy, workspace.now().date())
    if letter is not None and name == letter.name:
        # The policy names the letter and the bundle alike: keep the letter.
        stem, dot, ext = name.rpartition(".")
        name = f"{stem}_bundle.{ext}" if dot else f"{name}_bundle"
    path = store.write_file(case_id, "out", name, data)
    with store.editing(case_id, workspace.operator) as fresh:
        fresh.log("bundle", operator=workspace.operator, at=workspace.now(),
                  note=_("bundled {n} files into {name} ({size})").format(
                      n=len(parts), name=name, size=_mb(len(data))))
    return path


def parse_date(text: str) -> date:
    try:
        return datetime.strptime(text.strip(), "%Y-%m-%d").date()
    except ValueError:
        raise EvidenceError(_("not a date (YYYY-MM-DD): {text}").format(text=text)) from None
