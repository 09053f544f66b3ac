"""An English letter in English: text a reviewer cannot read blocks; what only looks
foreign does not.

* Another script (Chinese, Cyrillic, Arabic, ...) blocks (``non_english_text``),
  except the case's store name and a name given with its English beside it in
  brackets — "顺丰速运 (SF Express)", "SF Express (顺丰速运)" — as letters by
  Chinese sellers name carriers, suppliers and holidays — but not a heading or a greeting
  with its translation beside it (a template's notes left in).
* A name the case's own data holds (an SKU, an order or listing id, a carrier as the
  reports write it) is the seller's to quote: a warning to
  add its English name in brackets, never a block. Free Chinese prose still blocks.
* Full-width punctuation and letters ("：", "（", "，", "ＳＯＰ"), which a Chinese input
  method types into English text, are readable: a warning to retype them, not a block.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from appealdesk.cases.model import Case
from appealdesk.checks.base import BLOCKING, WARNING, Finding
from appealdesk.checks.letter_phrases import lines_of
from appealdesk.i18n import _

# Scripts other than Latin a reviewer of an English letter cannot read.
_CJK = r"\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af"
_NON_LATIN = re.compile(
    r"[\u0370-\u03ff\u0400-\u04ff\u0590-\u05ff\u0600-\u06ff\u0e00-\u0e7f" + _CJK + "]")
# CJK symbols and punctuation, full-width forms: readable once retyped in ASCII
_FULL_WIDTH = re.compile(r"[\u3000-\u303f\uff00-\uffef]")
_GLOSS = r"[A-Za-z][A-Za-z0-9 .,&'/-]{0,60}"
_OPEN, _CLOSE = r"[(（]", r"[)）]"
# a name, not a sentence: at most 16 characters (a company's full name fits; a longer run
# before the brackets leaves the rest of its characters to block)
_NAME = rf"[{_CJK}\u3000-\u303f\uff00-\uffef]{{1,16}}"
# "顺丰速运 (SF Express)" and "SF Express (顺丰速运)": the name with its English
_GLOSSED = re.compile(rf"{_NAME}\s*{_OPEN}\s*({_GLOSS}){_CLOSE}"
                      rf"|({_GLOSS})\s*{_OPEN}\s*{_NAME}\s*{_CLOSE}")


# what a heading or label line carries around its words: "## ", "**", "3. ", a closing ":"
_LABEL_DRESS = re.compile(r"^[\s#>*_]*(?:\d{1,2}[.)、]\s*)?[\s*_]*|[\s*_:：]*$")


def _names_kept(probe: str) -> str:
    """``probe`` with every name-and-English pair read as its English, except where the
    brackets translate the letter's own words: a line that is only the pair (a heading,
    "Root Cause（根本原因）：") or an English side ending in punctuation (a greeting,
    "Dear Seller Performance Team,(亲爱的卖家绩效团队)") — a template's notes, no name."""
    if _GLOSSED.fullmatch(_LABEL_DRESS.sub("", probe)):
        return probe

    def english(m: re.Match[str]) -> str:
        if m.group(2) and m.group(2).rstrip()[-1:] in ",;:.":
            return m.group(0)
        return m.group(1) or m.group(2)

    return _GLOSSED.sub(english, probe)


def _on_line(n: int, text: str, severity: str, message: str) -> Finding:
    """A language finding on letter line ``n`` about ``text``; the fix is editing it."""
    return Finding("non_english_text", severity, message, f"letter:{n}",
                   {"line": n, "text": text}, "letter.edit")


def _snippet(probe: str, at: int) -> str:
    return probe[max(0, at - 5):at + 15].strip()


def _glossed_name(name: str) -> re.Pattern[str]:
    """``name`` alone, or with its English in brackets after it ("云途物流 (YunExpress)")."""
    return re.compile(rf"{re.escape(name)}(\s*{_OPEN}\s*{_GLOSS}{_CLOSE})?")


def language_findings(text: str, case: Case,
                      case_names: Callable[[], set[str]] | None = None) -> list[Finding]:
    """``case_names`` gives the identifiers the case's data holds (asked for only when a
    line has text in another script)."""
    out = []
    allowed = {case.store} if case.store else set()
    names: list[str] | None = None
    for n, line in lines_of(text):
        if line.lstrip().startswith("<!--"):
            continue
        probe = line
        for name in allowed:
            probe = probe.replace(name, "")
        probe = _names_kept(probe)
        m = _NON_LATIN.search(probe)
        quoted: list[str] = []
        if m and case_names is not None:
            if names is None:  # longest first: "SKU-毛线-10" before "SKU-毛线-1"
                names = sorted(case_names() - allowed, key=len, reverse=True)
            for name in names:
                if name in probe:
                    found = _glossed_name(name)
                    if any(not g.group(1) for g in found.finditer(probe)):
                        quoted.append(name)
                    probe = found.sub("", probe)
            m = _NON_LATIN.search(probe)
        if m:
            snippet = _snippet(probe, m.start())
            out.append(_on_line(n, snippet, BLOCKING, _(
                "line {n} has non-English text (\"{snippet}\"); the marketplace reads English "
                "only — translate it or use a phrasebook sentence"
            ).format(n=n, snippet=snippet)))
            continue
        if quoted:
            out.append(_on_line(n, quoted[0], WARNING, _(
                "line {n} quotes \"{name}\" as the case's data writes it; the reviewer reads "
                "English — add its English name in brackets after it: \"{name} (English name)\""
            ).format(n=n, name=quoted[0])))
        m = _FULL_WIDTH.search(probe)
        if m:
            snippet = _snippet(probe, m.start())
            out.append(_on_line(n, snippet, WARNING, _(
                "line {n} has full-width punctuation (\"{snippet}\"), as a Chinese input method "
                "types it; retype it in English punctuation"
            ).format(n=n, snippet=snippet)))
    return out
