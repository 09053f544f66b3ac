"""The upload bundle: the letter and the evidence as the one PDF or ZIP the policy asks
for, under its size limit, or a list of the files to shrink."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from appealdesk.cases.model import Case, EvidenceItem
from appealdesk.evidence.checklist import requirements_for
from appealdesk.evidence.errors import BundleTooLarge, EvidenceError
from appealdesk.evidence.files import EXTENSIONS, IMAGE_KINDS
from appealdesk.evidence.names import make_name, name_values
from appealdesk.evidence.outputs import BUNDLE_MARKER, letter_pdf
from appealdesk.font_file import FontMissing, cjk_font_chars, reportlab_cjk_font
from appealdesk.i18n import _
from appealdesk.policy.types import Policy

# ---------------------------------------------------------------------------
# Bundle
# ---------------------------------------------------------------------------


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def bundle_order(case: Case, policy: Policy | None) -> list[EvidenceItem]:
    """Evidence in the order of the checklist, then anything unassigned."""
    rank = {r.id: i for i, r in enumerate(requirements_for(case, policy))}
    return sorted(case.evidence, key=lambda e: rank.get(e.requirement or "", len(rank)))


def _title_font(title: str) -> tuple[str, str]:
    """(font, title as printed): Helvetica for ASCII; else the letter's CJK font, which
    has Chinese and Latin Extended ("Müller", "发货单"); a character it lacks is "?"."""
    if title.isascii():
        return "Helvetica", title
    try:
        font = reportlab_cjk_font()
        has = cjk_font_chars()
    except FontMissing:
        return "Helvetica", title.encode("ascii", "replace").decode()
    return font, "".join(ch if ord(ch) in has else "?" for ch in title)


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
    font, title = _title_font(title)
    pdf.setFont(font, 9)
    pdf.drawString(margin, page_h - margin, title)
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
    policy = workspace.policy_for(case)
    kind = policy.files.bundle if policy else "pdf"
    limit = policy.files.max_bytes if policy else 10 * 1024 * 1024
    parts: list[Part] = []
    letter = letter_pdf(store, case, policy) if kind in ("pdf", "zip") else None
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
        culprits = sorted(((label, len(part)) for label, part, _k in parts),
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
