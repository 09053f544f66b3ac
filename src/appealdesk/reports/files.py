"""Opening a report file: encoding (``reports.encodings``), delimiter, workbooks refused."""

from __future__ import annotations

import codecs
import io
from collections.abc import Sequence
from pathlib import Path

from appealdesk.i18n import _
from appealdesk.reports.encodings import DEFAULT_ENCODINGS, bom_encoding, choose_encoding
from appealdesk.reports.table import ReportError


def _norm_header(text: str) -> str:
    return text.strip().strip("\ufeff").strip('"').strip().lower()


def _detect_encoding(head: bytes, encodings: Sequence[str] = DEFAULT_ENCODINGS) -> str:
    """What the first megabyte says; when no candidate reads it, the last candidate
    (reading then fails and the importer names the byte)."""
    return bom_encoding(head) or choose_encoding(head, encodings, final=False) or encodings[-1]


def _detect_delimiter(header_line: str) -> str:
    counts = {d: header_line.count(d) for d in (",", "\t", ";")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


# .xlsx (a ZIP) and .xls (an OLE compound file): what ERP "exports" often are.
_ZIP = b"PK\x03\x04"
_SPREADSHEET_MAGIC = (_ZIP, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")
# An .xlsx is a ZIP whose parts include these; any other ZIP is an archive to extract.
_WORKBOOK_PARTS = (b"[Content_Types].xml", b"xl/")
# gzip: how SP-API report documents come when compressionAlgorithm is GZIP.
_GZIP = b"\x1f\x8b"


def _open_text(path: Path, encodings: Sequence[str] = DEFAULT_ENCODINGS,
               ) -> tuple[io.BufferedReader, io.TextIOWrapper, str]:
    raw = open(path, "rb")  # noqa: SIM115 — closed by the caller
    head = raw.read(1 << 20)
    raw.seek(0)
    if head.startswith(_GZIP):
        raw.close()
        raise ReportError(_(
            "{name} is gzip-compressed (as Amazon's SP-API report documents may be): "
            "decompress it, then import the text file inside").format(name=path.name))
    if head.startswith(_ZIP) and not any(part in head for part in _WORKBOOK_PARTS):
        raw.close()
        raise ReportError(_(
            "{name} is a ZIP archive: extract the report inside, then import it").format(
            name=path.name))
    if head.startswith(_SPREADSHEET_MAGIC):
        raw.close()
        raise ReportError(_(
            "{name} is an Excel workbook, not a CSV: open it in Excel or WPS and save it as "
            "CSV (UTF-8 or GB18030), then import the CSV").format(name=path.name))
    if b"\x00" in head and not head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raw.close()
        raise ReportError(_("{name} is not a text report (it holds binary data)").format(
            name=path.name))
    encoding = _detect_encoding(head, encodings)
    return raw, io.TextIOWrapper(raw, encoding=encoding, newline=""), encoding

