"""Notice text as the detectors read it: decoding, refusing binary, normalising.

Input is decoded as UTF-8 (then GB18030); text with NUL bytes or mostly
control characters is refused as binary. Only the first ``MAX_SCAN_BYTES``
(1 MB) is read: a 50 MB paste costs the same as a 1 MB one. Text is normalised
before scanning: CRLF, a saved e-mail file's MIME structure (its text part decoded
from base64 or quoted-printable, an attached e-mail as a forwarded block), RFC 2047
encoded words of a raw e-mail's header lines
(``Subject: =?UTF-8?Q?...?=``, folded over several lines), quoted-printable soft
breaks and escapes, HTML tags and entities, NFKC (full-width colons and digits
become ASCII).
"""

from __future__ import annotations

import codecs
import html
import quopri
import re
import unicodedata
from collections.abc import Callable
from email.header import decode_header
from functools import lru_cache

from appealdesk.i18n import _

UNKNOWN = "unknown"
MAX_SCAN_BYTES = 1_000_000


class IntakeError(ValueError):
    """Input that cannot become a case; the message is one line."""


def decode_input(data: bytes, limit: int = MAX_SCAN_BYTES) -> tuple[str, bool]:
    """Bytes -> (text, truncated). Raises IntakeError for empty or binary input."""
    truncated = len(data) > limit
    head = data[:limit]
    if not head.strip():
        raise IntakeError(_("the input is empty: paste the notification text"))
    if b"\x00" in head[:65536]:
        raise IntakeError(_("the input looks binary (it has NUL bytes), not notification text"))
    text = None
    for encoding in ("utf-8-sig", "gb18030"):
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            # final=not truncated: a character cut at the limit is dropped, not an error
            text = decoder.decode(head, final=not truncated)
            break
        except UnicodeDecodeError:
            continue
    if text is None:
        raise IntakeError(_("the input is not text in UTF-8 or GB18030"))
    check_text(text)
    return text, truncated


def check_text(text: str) -> None:
    """Refuse empty text and text that is mostly control characters."""
    if not text.strip():
        raise IntakeError(_("the input is empty: paste the notification text"))
    sample = text[:65536]
    controls = sum(1 for ch in sample if ch < " " and ch not in "\t\r\n\f\v")
    if "\x00" in sample or controls > max(8, len(sample) // 20):
        raise IntakeError(_("the input looks binary, not notification text"))


_WORD = r"=\?[A-Za-z0-9_.-]{1,40}(?:\*[A-Za-z-]{1,20})?\?[QqBb]\?[^?\s]{0,1000}\?="
# adjacent encoded words (also across a folded header line) are one run: the space between
# them is not text (RFC 2047 §6.2)
_ENCODED_RUN = re.compile(_WORD + r"(?:[ \t]*\n?[ \t]+" + _WORD + r")*")
_QP_SOFT = re.compile(r"=\r?\n")
_QP_ESCAPE = re.compile(r"=[0-9A-F]{2}")
_HTML_HINT = re.compile(r"<(?:html|body|div|p|br|table|tr|td|span|font|a)\b", re.IGNORECASE)
_HTML_DROP = re.compile(r"<(script|style)\b[^>]*>[^<]*(?:<(?!/\1)[^<]*)*</\1\s*>", re.IGNORECASE)
_HTML_BREAK = re.compile(r"<(?:br|/p|/div|/tr|/li|/h[1-6]|/table)\b[^>]*>", re.IGNORECASE)
_HTML_CELL = re.compile(r"</t[dh]\s*>", re.IGNORECASE)
_HTML_TAG = re.compile(r"<[^<>]{0,2000}>")
_SPACES = re.compile(r"[ \t\u3000]+")
_BLANK_RUN = re.compile(r"\n{3,}")


def _decode_run(match: re.Match) -> str:
    parts = []
    try:
        for raw, charset in decode_header(match.group(0)):
            if isinstance(raw, str):
                parts.append(raw)
                continue
            try:
                parts.append(raw.decode(charset or "ascii", "replace"))
            except LookupError:  # an unknown charset name: keep what ASCII can read
                parts.append(raw.decode("ascii", "replace"))
    except (ValueError, TypeError):  # a malformed run is left as written
        return match.group(0)
    return "".join(parts)


_CHARSET = re.compile(r"charset\s*=\s*\"?([A-Za-z0-9_.:-]{1,40})", re.IGNORECASE)


def _decode_body(raw: bytes, head: str) -> str:
    """Quoted-printable bytes as text, in the charset the e-mail declares (an amazon.de
    notice in ISO-8859-1: "M=FCller Handel"), else UTF-8, else Windows-1252. A paste that
    already holds non-ASCII text was decoded by whatever pasted it: UTF-8 first then."""
    declared = _CHARSET.search(head)
    order = ((declared.group(1),) if declared else ()) + ("utf-8",)
    if not head.isascii():  # the paste is already text: its own bytes are UTF-8
        order = order[::-1]
    for charset in order:
        try:
            return raw.decode(charset)
        except (LookupError, UnicodeDecodeError):
            continue
    return raw.decode("cp1252", "replace")


def decode_encoded_words(text: str) -> str:
    """``=?UTF-8?B?...?=`` runs as the text they encode (header lines of a raw e-mail)."""
    if "=?" not in text:
        return text
    return _ENCODED_RUN.sub(_decode_run, text)


_MIME_HINT = re.compile(
    r"^(?:mime-version:|content-type:[ \t]*multipart/|content-transfer-encoding:[ \t]*base64)",
    re.IGNORECASE | re.MULTILINE)
_MIME_HEADERS = ("From", "To", "Subject", "Date")


def _mime_message(message, depth: int = 0) -> str:
    """A parsed e-mail as the lines a person reads: its headers, its text (plain, else
    HTML), and any e-mail attached to it as a forwarded block."""
    lines = [f"{name}: {message[name]}" for name in _MIME_HEADERS if message[name]]
    body = message.get_body(preferencelist=("plain", "html"))
    parts = ["\n".join(lines)]
    if body is not None:
        content = body.get_content()
        parts.append(content if isinstance(content, str) else "")
    if depth < 3:
        for part in message.walk():
            if part.get_content_type() == "message/rfc822":
                inner = part.get_content()
                parts.append("---------- Forwarded message ---------\n"
                             + _mime_message(inner, depth + 1))
    return "\n\n".join(p for p in parts if p)


def mime_text(text: str) -> str | None:
    """A saved e-mail file (.eml: MIME, base64 or quoted-printable parts, an e-mail attached
    as a forward) as readable text; None when ``text`` is not one."""
    if not _MIME_HINT.search(text[:20000]):
        return None
    import email
    import email.policy

    try:
        message = email.message_from_string(text, policy=email.policy.default)
        if not any(message[name] for name in _MIME_HEADERS):
            return None  # the text does not start with an e-mail's header lines
        return _mime_message(message)
    except Exception:  # noqa: BLE001 — a malformed e-mail is read as the text it is
        return None


_HAN = re.compile(r"[\u4e00-\u9fff]")
# Variant spellings inside simplified text that the vocabularies write one way (账户状况).
_VARIANTS = (("帐户", "账户"), ("帐号", "账号"))


@lru_cache(maxsize=1)
def _to_simplified() -> Callable[[str], str]:
    from opencc import OpenCC  # imported on the first Chinese notice, never at start-up

    return OpenCC("t2s").convert


def simplified(text: str) -> str:
    """Traditional Chinese as simplified (京東違規通知 → 京东违规通知; a Taiwan or Hong Kong
    repost, a traditional-script translation), character for character, so every policy
    vocabulary (written in simplified) reads it. Text without Chinese is returned as is."""
    if not _HAN.search(text):
        return text
    out = _to_simplified()(text)
    for variant, standard in _VARIANTS:
        out = out.replace(variant, standard)
    return out


def normalise(text: str) -> str:
    """The text as the detectors read it (the case keeps the original)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = mime_text(text) or text
    # before quoted-printable: a folded "...?=" line end is not a soft break
    text = decode_encoded_words(text)
    declared = "quoted-printable" in text[:20000].lower()
    if _QP_SOFT.search(text) or declared:
        # a declared body needs one escape ("M=FCller"); an undeclared one three
        if _QP_SOFT.search(text) or len(_QP_ESCAPE.findall(text[:20000])) >= (
                1 if declared else 3):
            raw = quopri.decodestring(text.encode("utf-8", "surrogatepass"))
            text = _decode_body(raw, text[:20000])
    if _HTML_HINT.search(text):
        text = _HTML_DROP.sub(" ", text)
        text = _HTML_BREAK.sub("\n", text)
        text = _HTML_CELL.sub(" ", text)
        text = _HTML_TAG.sub("", text)
        text = html.unescape(text)
    text = unicodedata.normalize("NFKC", text)
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    # collapsing blank runs also keeps policy patterns with \s* cheap on padded text
    return _BLANK_RUN.sub("\n\n", "\n".join(lines))

