"""Which text encoding a report file is in: a byte-order mark, else the policy's candidates.

A policy's ``[report_encodings] candidates`` lists the encodings its marketplace's
files come in (absent: UTF-8, then GB18030). The rule, so that nothing is garbled
silently:

* a UTF-8 or UTF-16 byte-order mark decides;
* UTF-8 first, always: text that reads as UTF-8 is almost never another encoding;
* otherwise the candidates that read the bytes, in the policy's order — except that
  a single-byte encoding (cp1252) and a double-byte one (GB18030, cp932) both read
  almost any bytes, so when both do, the bytes' shape decides: text whose non-ASCII
  bytes all come in pairs (every Chinese character is two bytes) is double-byte,
  text with a lone non-ASCII byte ("Müller" in cp1252), or mostly pairs inside Latin
  words ("Größe"), is single-byte. The first
  candidate of the fitting kind wins; the importer says which encoding it used.
* cp932 (Shift_JIS as Windows writes it, amazon.co.jp's report files) is decided
  first, from the text it gives, because its second bytes may be ASCII ("ア" is
  0x83 0x41), which the byte shape above cannot see: Japanese text is full of kana
  (hiragana, katakana), which cp932 writes with a first byte 0x81-0x83, and GB18030
  or cp1252 bytes read as cp932 give almost none, but give half-width katakana (a
  lone byte 0xA1-0xDF: most GB2312 bytes) and private-use characters instead. The
  file is cp932 when its kana outnumber its private-use characters and a quarter of
  its half-width katakana (which Japanese text uses too, less); otherwise cp932 is
  left out and the rules above choose.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Sequence
from typing import Any

DEFAULT_ENCODINGS = ("utf-8", "gb18030")
_DOUBLE_BYTE = frozenset({"gb18030", "cp932"})
_HIGH_RUNS = re.compile(rb"[\x80-\xff]+")
# Japanese kana and CJK punctuation ("、。「」"); half-width katakana; private use.
_KANA = re.compile("[\u3000-\u30ff]")
_HALF_KANA = re.compile("[\uff61-\uff9f]")
_PRIVATE = re.compile("[\ue000-\uf8ff]")
_SAMPLE = 1 << 16


def encodings_for(policy: Any) -> tuple[str, ...]:
    """The candidates of ``policy`` (``[report_encodings]``), UTF-8 first; the default without."""
    found = tuple(getattr(policy, "report_encodings", ()) or ()) or DEFAULT_ENCODINGS
    return ("utf-8", *(e for e in found if e != "utf-8"))


def bom_encoding(data: bytes) -> str | None:
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    return None


def _reads(data: bytes, encoding: str, final: bool) -> bool:
    try:
        codecs.getincrementaldecoder(encoding)().decode(data, final=final)
    except UnicodeDecodeError:
        return False
    return True


def _paired(data: bytes) -> bool | None:
    """True when every run of non-ASCII bytes has an even length and most are not runs
    of two between two ASCII letters ("Größe": a Latin word's accented letters, where a
    Chinese character mostly has a space, digit, another character or a delimiter beside
    it); None when there are none."""
    runs = between_letters = 0
    for run in _HIGH_RUNS.finditer(data):
        runs += 1
        start, end = run.span()
        if (end - start) % 2:
            return False
        between_letters += end - start == 2 and data[start - 1:start].isalpha() \
            and data[end:end + 1].isalpha()
    return None if not runs else 2 * between_letters <= runs


def _japanese(data: bytes) -> bool:
    """``data`` read as cp932, from its first non-ASCII byte on (a large file may begin
    with a megabyte of ASCII), has more kana than private-use characters and a quarter
    of its half-width katakana (what GB18030 and cp1252 bytes become)."""
    first = _HIGH_RUNS.search(data)
    start = first.start() if first else 0
    text = codecs.getincrementaldecoder("cp932")(errors="replace").decode(
        data[start:start + _SAMPLE])
    noise = len(_PRIVATE.findall(text)) + len(_HALF_KANA.findall(text)) / 4
    return len(_KANA.findall(text)) > noise


def choose_encoding(data: bytes, encodings: Sequence[str] = DEFAULT_ENCODINGS, *,
                    final: bool = True) -> str | None:
    """The encoding ``data`` is read in, or None when no candidate reads it.
    ``final=False``: ``data`` is the start of a file (may end inside a character)."""
    bom = bom_encoding(data)
    if bom:  # a byte-order mark is a statement: a file it does not fit is no text
        return bom if _reads(data, bom, final) else None
    readable = [e for e in encodings if _reads(data, e, final)]
    if not readable or "utf-8" in readable:
        return "utf-8" if readable else None
    if "cp932" in readable:
        if _japanese(data):
            return "cp932"
        readable = [e for e in readable if e != "cp932"] or readable
    kinds = {e in _DOUBLE_BYTE for e in readable}
    paired = _paired(data)
    if len(kinds) == 2 and paired is not None:
        return next(e for e in readable if (e in _DOUBLE_BYTE) == paired)
    return readable[0]


def decode(data: bytes, encodings: Sequence[str] = DEFAULT_ENCODINGS) -> tuple[str, str] | None:
    """(text, encoding) of a whole file, or None when no candidate reads it."""
    encoding = choose_encoding(data, encodings)
    return None if encoding is None else (data.decode(encoding), encoding)


def names(encodings: Sequence[str]) -> str:
    """``UTF-8, cp1252 or GB18030`` — the candidates as a message names them."""
    shown = [{"utf-8": "UTF-8", "gb18030": "GB18030"}.get(e, e) for e in encodings]
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " or " + shown[-1]


__all__ = ["DEFAULT_ENCODINGS", "bom_encoding", "choose_encoding", "decode", "encodings_for",
           "names"]
