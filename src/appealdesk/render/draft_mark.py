"""DRAFT marking: a PDF rendered while the case still has blocking findings.

Such a PDF can be looked at and shared inside the team, but must never be
uploaded by mistake. It carries the mark three ways: its file name starts with
``DRAFT_``, every page has a large diagonal "DRAFT" watermark, and its document
information holds ``/AppealDeskStatus (draft)`` (which survives a rename);
``operations.submissions.submit`` refuses it.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from appealdesk.evidence.outputs import DRAFT_PREFIX  # one prefix, known to letter_pdf too

STATUS_KEY = "/AppealDeskStatus"
DRAFT_STATUS = "draft"
_WATERMARK_FONT = "appealdesk-cjk-wm"


def draft_name(name: str) -> str:
    return name if name.startswith(DRAFT_PREFIX) else DRAFT_PREFIX + name


def _watermark_page(width: float, height: float, label: str, note: str) -> bytes:
    from reportlab.lib.colors import Color
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    from appealdesk.render.fonts import cjk_font_path

    if _WATERMARK_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(_WATERMARK_FONT, str(cjk_font_path()), subfontIndex=0))
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=(width, height))
    c.saveState()
    c.setFillColor(Color(0.85, 0.1, 0.1, alpha=0.18))
    c.translate(width / 2, height / 2)
    c.rotate(45)
    c.setFont(_WATERMARK_FONT, 96)
    c.drawCentredString(0, -30, label)
    c.restoreState()
    c.setFillColor(Color(0.75, 0.1, 0.1))
    c.setFont(_WATERMARK_FONT, 9)
    c.drawCentredString(width / 2, height - 22, note)
    c.save()
    return out.getvalue()


def mark_draft(data: bytes, *, label: str = "DRAFT", note: str = "") -> bytes:
    """The PDF with a watermark on every page and the draft status in its information."""
    from pypdf import PageObject, PdfReader, PdfWriter

    reader = PdfReader(io.BytesIO(data))
    writer = PdfWriter(clone_from=reader)
    stamps: dict[tuple[float, float], PageObject] = {}
    for page in writer.pages:
        size = (float(page.mediabox.width), float(page.mediabox.height))
        if size not in stamps:
            stamps[size] = PdfReader(io.BytesIO(_watermark_page(*size, label, note))).pages[0]
        page.merge_page(stamps[size])
    info: dict[str, Any] = dict(reader.metadata or {})
    info[STATUS_KEY] = DRAFT_STATUS
    writer.add_metadata(info)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def is_draft(path: Path) -> bool:
    """True for a PDF marked DRAFT by name or by its document information."""
    if path.name.startswith(DRAFT_PREFIX):
        return True
    try:
        from pypdf import PdfReader

        meta: Mapping[str, Any] = PdfReader(str(path)).metadata or {}
        return str(meta.get(STATUS_KEY, "")) == DRAFT_STATUS
    except Exception:  # an unreadable PDF is not ours to judge here; submit checks it exists
        return False
