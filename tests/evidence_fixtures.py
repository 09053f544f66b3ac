"""Real files and a workspace for the evidence tests (made fresh in tmp_path)."""

from __future__ import annotations

import io
import os
import struct
import zipfile
import zlib
from datetime import UTC, datetime
from pathlib import Path

from appealdesk.cases.clock import frozen_clock
from appealdesk.cases.model import Case, Notification
from appealdesk.cases.store import Store
from appealdesk.cases.workspace import Workspace
from appealdesk.policy.loading import load_policies

NOW = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
RECEIVED = datetime(2026, 11, 18, 8, 0, tzinfo=UTC)
CITED = ["114-3941689-8772232", "114-1111111-2222222", "114-3333333-4444444"]


def make_workspace(root: Path, policies_dir: Path | None = None) -> Workspace:
    store = Store(root / "data")
    store.ensure()
    return Workspace(store, load_policies(policies_dir or store.policies_dir),
                     frozen_clock(NOW), "tester")


def make_case(ws: Workspace, *, case_id: str = "amazon-123456789", type_: str = "late_shipment",
              store_name: str = "深圳优品旗舰店", cited: list[str] | None = None,
              marketplace: str = "amazon") -> Case:
    case = Case(
        id=case_id, marketplace=marketplace, store=store_name, site="amazon.com", created=NOW,
        notification=Notification(type=type_, external_id="123456789", received=RECEIVED,
                                  cited_orders=list(CITED if cited is None else cited)),
    )
    return ws.store.create(case, "tester")


def make_pdf(path: Path, lines: list[str], pages: int = 1) -> Path:
    from reportlab.pdfgen import canvas

    pdf = canvas.Canvas(str(path), invariant=1)  # same bytes every run (snapshots show sizes)
    for _page in range(pages):
        y = 800
        for line in lines:
            pdf.drawString(72, y, line)
            y -= 16
        pdf.showPage()
    pdf.save()
    return path


def make_encrypted_pdf(path: Path) -> Path:
    from pypdf import PdfReader, PdfWriter

    plain = make_pdf(path.with_suffix(".plain.pdf"), ["secret 114-3941689-8772232"])
    writer = PdfWriter()
    writer.append(PdfReader(str(plain)))
    writer.encrypt("user-pw", "owner-pw", algorithm="RC4-128")
    with path.open("wb") as handle:
        writer.write(handle)
    plain.unlink()
    return path


_BIG_PDFS: dict[int, bytes] = {}


def make_big_pdf(path: Path, size: int = 10 * 1024 * 1024 + 200_000) -> Path:
    """A valid one-page PDF over ``size`` bytes: a "scan" of random (incompressible) pixels.

    Built with pypdf's objects (an uncompressed image XObject); made once per run.
    """
    if size not in _BIG_PDFS:
        from pypdf import PdfWriter
        from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject, NumberObject

        side = int((size / 3) ** 0.5) + 1
        writer = PdfWriter()
        page = writer.add_blank_page(595, 842)
        image = DecodedStreamObject()
        image.set_data(os.urandom(side * side * 3))
        image.update({
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Image"),
            NameObject("/Width"): NumberObject(side),
            NameObject("/Height"): NumberObject(side),
            NameObject("/ColorSpace"): NameObject("/DeviceRGB"),
            NameObject("/BitsPerComponent"): NumberObject(8),
        })
        content = DecodedStreamObject()
        content.set_data(b"q 450 0 0 450 72 72 cm /Im0 Do Q")
        page[NameObject("/Resources")] = DictionaryObject({
            NameObject("/XObject"): DictionaryObject(
                {NameObject("/Im0"): writer._add_object(image)})})
        page[NameObject("/Contents")] = writer._add_object(content)
        buffer = io.BytesIO()
        writer.write(buffer)
        _BIG_PDFS[size] = buffer.getvalue()
    path.write_bytes(_BIG_PDFS[size])
    return path


def png_bytes(width: int, height: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    raw = b"".join(b"\x00" + bytes([200, 30, 30]) * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n"
            + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def make_png(path: Path, width: int = 64, height: int = 48) -> Path:
    path.write_bytes(png_bytes(width, height))
    return path


def make_jpeg(path: Path, width: int = 120, height: int = 80) -> Path:
    from PIL import Image  # installed with reportlab

    Image.new("RGB", (width, height), (10, 120, 200)).save(path, "JPEG")
    return path


def make_gif(path: Path, width: int = 30, height: int = 20) -> Path:
    from PIL import Image

    Image.new("P", (width, height)).save(path, "GIF")
    return path


def make_elf(path: Path) -> Path:
    path.write_bytes(b"\x7fELF\x02\x01\x01" + b"\x00" * 200)
    return path


def make_zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(zipfile.ZipInfo(name), data, compress_type=zipfile.ZIP_DEFLATED)
    return path


def make_zip_bomb(path: Path) -> Path:
    return make_zip(path, {"zeros.bin": b"\x00" * (20 * 1024 * 1024)})


def pdf_page_count(data: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(data)).pages)
