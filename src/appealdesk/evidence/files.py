"""What an evidence file really is: its type from the content, its size, pages, pixels.

The type comes from the first bytes (magic numbers), never from the extension,
so an executable renamed ``.pdf`` is refused as what it is. Image sizes are read
from the headers (PNG, JPEG, GIF, WebP, TIFF) without decoding the image. ZIP
files are listed, never extracted; a ZIP bomb or a member path that would land
outside the folder is refused.

pypdf is imported inside the function that reads PDFs: this module is imported
when the app starts and must stay light.
"""

from __future__ import annotations

import hashlib
import struct
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from appealdesk.i18n import _

# Kinds we accept as documents; everything else is "unknown" (a check flags it).
DOCUMENT_KINDS = ("pdf", "png", "jpeg", "gif", "webp", "tiff", "zip")
IMAGE_KINDS = ("png", "jpeg", "gif", "webp", "tiff")
EXTENSIONS = {
    "pdf": ".pdf", "png": ".png", "jpeg": ".jpg", "gif": ".gif", "webp": ".webp",
    "tiff": ".tif", "zip": ".zip", "unknown": "",
}
# Names people write in policies and on the command line for the same kind.
KIND_ALIASES = {"jpg": "jpeg", "tif": "tiff"}

MAX_TEXT_CHARS = 200_000  # PDF text kept for order-id search
MAX_TEXT_PAGES = 60  # a 500-page scan would take minutes; the first pages name the orders
ZIP_MAX_MEMBERS = 1000
ZIP_MAX_TOTAL = 512 * 1024 * 1024  # uncompressed bytes
ZIP_MAX_RATIO = 100  # uncompressed / compressed per member; real documents stay far below
ZIP_RATIO_MIN_SIZE = 1024 * 1024  # small members may compress well without being a bomb


class EvidenceFileError(ValueError):
    """A file we refuse; the message is one line saying why."""


@dataclass
class ZipMember:
    name: str
    size: int
    compressed: int


@dataclass
class FileFacts:
    kind: str
    size: int
    sha256: str
    pages: int | None = None
    encrypted: bool = False
    text: str = ""
    width: int | None = None
    height: int | None = None
    members: list[ZipMember] = field(default_factory=list)

    @property
    def extension(self) -> str:
        return EXTENSIONS.get(self.kind, "")


def normalise_kind(name: str) -> str:
    name = name.lower().lstrip(".")
    return KIND_ALIASES.get(name, name)


# ---------------------------------------------------------------------------
# Detection
# ---------------------------------------------------------------------------

# (prefix, kind, refused-as) — refused kinds are never copied into a case.
_BAD_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"MZ", "a Windows executable"),
    (b"\x7fELF", "an ELF executable"),
    (b"\xfe\xed\xfa\xce", "a Mach-O executable"),
    (b"\xfe\xed\xfa\xcf", "a Mach-O executable"),
    (b"\xce\xfa\xed\xfe", "a Mach-O executable"),
    (b"\xcf\xfa\xed\xfe", "a Mach-O executable"),
    (b"\xca\xfe\xba\xbe", "a Mach-O universal executable"),
    (b"#!", "a script"),
)


def detect_kind(head: bytes) -> str:
    """The content type of a file from its first bytes; raises for executables."""
    for magic, what in _BAD_MAGIC:
        if head.startswith(magic):
            raise EvidenceFileError(_("is {what}, not a document").format(what=what))
    # PDF readers accept the header anywhere in the first 1 KB.
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return "tiff"
    if head[:4] in (b"PK\x03\x04", b"PK\x05\x06"):
        return "zip"
    return "unknown"


def image_size(kind: str, data: bytes) -> tuple[int, int] | None:
    """Pixel width and height from the image header, or None if it cannot be read."""
    try:
        if kind == "png":
            if data[12:16] != b"IHDR":
                return None
            return struct.unpack(">II", data[16:24])
        if kind == "gif":
            return struct.unpack("<HH", data[6:10])
        if kind == "jpeg":
            return _jpeg_size(data)
        if kind == "webp":
            return _webp_size(data)
        if kind == "tiff":
            return _tiff_size(data)
    except (struct.error, IndexError):
        return None
    return None


# SOF markers carry the frame size; C4 (DHT), C8 (JPG) and CC (DAC) share the range.
_SOF = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}


def _jpeg_size(data: bytes) -> tuple[int, int] | None:
    i = 2
    while i + 4 <= len(data):
        if data[i] != 0xFF:
            return None
        marker = data[i + 1]
        if marker == 0xFF:  # fill byte
            i += 1
            continue
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:  # no length
            i += 2
            continue
        (length,) = struct.unpack(">H", data[i + 2 : i + 4])
        if marker in _SOF:
            height, width = struct.unpack(">HH", data[i + 5 : i + 9])
            return width, height
        if marker == 0xDA:  # start of scan: no frame header before it
            return None
        i += 2 + length
    return None


def _webp_size(data: bytes) -> tuple[int, int] | None:
    chunk = data[12:16]
    if chunk == b"VP8 ":
        w, h = struct.unpack("<HH", data[26:30])
        return w & 0x3FFF, h & 0x3FFF
    if chunk == b"VP8L":
        b = data[21:25]
        w = 1 + (((b[1] & 0x3F) << 8) | b[0])
        h = 1 + (((b[3] & 0x0F) << 10) | (b[2] << 2) | ((b[1] & 0xC0) >> 6))
        return w, h
    if chunk == b"VP8X":
        w = 1 + int.from_bytes(data[24:27], "little")
        h = 1 + int.from_bytes(data[27:30], "little")
        return w, h
    return None


def _tiff_size(data: bytes) -> tuple[int, int] | None:
    endian = "<" if data[:2] == b"II" else ">"
    (offset,) = struct.unpack(endian + "I", data[4:8])
    (count,) = struct.unpack(endian + "H", data[offset : offset + 2])
    found: dict[int, int] = {}
    for n in range(count):
        entry = data[offset + 2 + 12 * n : offset + 14 + 12 * n]
        tag, typ = struct.unpack(endian + "HH", entry[:4])
        if tag in (256, 257):
            fmt = "H" if typ == 3 else "I"
            found[tag] = struct.unpack(endian + fmt, entry[8 : 8 + struct.calcsize(fmt)])[0]
    if 256 in found and 257 in found:
        return found[256], found[257]
    return None


# ---------------------------------------------------------------------------
# ZIP and PDF
# ---------------------------------------------------------------------------


def unsafe_member_reason(name: str) -> str | None:
    """Why a ZIP member path could escape the folder it is unpacked into, or None."""
    if "\\" in name:
        return _("uses a backslash")
    if name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        return _("is an absolute path")
    if ".." in PurePosixPath(name).parts:
        return _("goes up with '..'")
    if "\0" in name:
        return _("contains a NUL byte")
    return None


def zip_members(path: Path) -> list[ZipMember]:
    """List a ZIP's members; refuse bombs and paths escaping the folder."""
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise EvidenceFileError(_("is a damaged ZIP file ({error})").format(error=exc)) from None
    if len(infos) > ZIP_MAX_MEMBERS:
        raise EvidenceFileError(
            _("is a ZIP with {n} members (at most {limit})").format(
                n=len(infos), limit=ZIP_MAX_MEMBERS)
        )
    total = 0
    members = []
    for info in infos:
        reason = unsafe_member_reason(info.filename)
        if reason:
            raise EvidenceFileError(
                _("is a ZIP whose member {name!r} {reason}").format(
                    name=info.filename, reason=reason)
            )
        total += info.file_size
        if info.file_size >= ZIP_RATIO_MIN_SIZE and (
            info.file_size > ZIP_MAX_RATIO * max(info.compress_size, 1)
        ):
            raise EvidenceFileError(
                _("looks like a ZIP bomb: member {name!r} expands {ratio}x").format(
                    name=info.filename, ratio=info.file_size // max(info.compress_size, 1))
            )
        if total > ZIP_MAX_TOTAL:
            raise EvidenceFileError(
                _("looks like a ZIP bomb: it expands to more than {mb} MB").format(
                    mb=ZIP_MAX_TOTAL // (1024 * 1024))
            )
        members.append(ZipMember(info.filename, info.file_size, info.compress_size))
    return members


@dataclass
class PdfFacts:
    pages: int | None
    encrypted: bool
    text: str


def read_pdf(path: Path, *, max_chars: int = MAX_TEXT_CHARS) -> PdfFacts:
    """Pages, encryption and (the start of) the text of a PDF."""
    import logging

    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    # pypdf logs every small defect of real-world PDFs; they are not the operator's business.
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(str(path))
        encrypted = reader.is_encrypted
        if encrypted:
            # An owner-password-only PDF opens with an empty user password; its
            # pages can still be counted. Marketplaces refuse it all the same.
            try:
                if not reader.decrypt(""):
                    return PdfFacts(None, True, "")
            except (PyPdfError, NotImplementedError, ValueError):
                return PdfFacts(None, True, "")
        pages = len(reader.pages)
        parts: list[str] = []
        length = 0
        for page in reader.pages[:MAX_TEXT_PAGES]:
            try:
                chunk = page.extract_text() or ""
            except Exception:  # noqa: BLE001 - one bad page must not hide the others
                chunk = ""
            parts.append(chunk)
            length += len(chunk)
            if length >= max_chars:
                break
        return PdfFacts(pages, encrypted, "\n".join(parts)[:max_chars])
    except (PyPdfError, ValueError, KeyError, TypeError, struct.error) as exc:
        raise EvidenceFileError(_("is a damaged PDF ({error})").format(error=exc)) from None


# ---------------------------------------------------------------------------
# The one entry point
# ---------------------------------------------------------------------------


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(block)
    return digest.hexdigest()


def inspect_file(path: Path, *, read_text: bool = True) -> FileFacts:
    """Everything we can tell about a file from its content.

    Raises EvidenceFileError (one-line reason, without the path) for files that
    must not become evidence: empty, executable, damaged, ZIP bombs.
    """
    path = Path(path)
    try:
        if not path.is_file():
            raise EvidenceFileError(_("is not a file"))
        size = path.stat().st_size
        if size == 0:
            raise EvidenceFileError(_("is empty"))
        with path.open("rb") as handle:
            head = handle.read(64 * 1024)
    except OSError as exc:
        raise EvidenceFileError(_("cannot be read ({error})").format(error=exc.strerror)) from None
    kind = detect_kind(head)
    facts = FileFacts(kind=kind, size=size, sha256=sha256_of(path))
    if kind in IMAGE_KINDS:
        dims = image_size(kind, head)
        if dims is None and kind == "tiff":  # the directory may sit at the end of the file
            dims = image_size(kind, path.read_bytes())
        if dims:
            facts.width, facts.height = dims
    elif kind == "pdf":
        pdf = read_pdf(path, max_chars=MAX_TEXT_CHARS if read_text else 0)
        facts.pages, facts.encrypted, facts.text = pdf.pages, pdf.encrypted, pdf.text
    elif kind == "zip":
        facts.members = zip_members(path)
    return facts
