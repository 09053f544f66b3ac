"""The one word count of a letter: the editor, ``letter versions``, ``show`` and the
length checks all call ``count_words`` here, so every count shown for a text agrees.

The rule (a policy's ``word_limit`` is a number of words, and none of the shipped
policies says otherwise for Chinese text):

- the text counted is what a reviewer reads: HTML comments (``<!-- ... -->``, the
  draft's unchosen options and notes) are left out;
- a run of Latin letters and digits is one word (``don't``, ``3.5``, ``B08XYZ1234``);
- each Chinese, Japanese or Korean character is one word, as word processors count
  them (a Chinese "字数"); CJK punctuation (``，。：、``) is not a word.

The unit is shown beside every count: ``ngettext("{n} word", "{n} words", n)``
("{n} 字" in Chinese).
"""

from __future__ import annotations

import re

from appealdesk.i18n import ngettext

COMMENT = re.compile(r"<!--.*?-->", re.S)
# Ideographs (with extension A and compatibility ideographs), kana, hangul:
# letters, not punctuation (U+3000-U+303F and the fullwidth punctuation are left out).
CJK_CHAR = re.compile(
    r"[\u3040-\u309f\u30a0-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]")
LATIN_WORD = re.compile(
    r"[A-Za-z0-9À-ɏ\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]+"
    r"(?:['’.-][A-Za-z0-9À-ɏ\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]+)*")


def readable(text: str) -> str:
    """The text a reviewer would read: HTML comments (unchosen options, notes) removed."""
    return COMMENT.sub(" ", text)


def count_words(text: str) -> int:
    """Words in ``text`` by the rule above (comments left out)."""
    shown = readable(text)
    return len(LATIN_WORD.findall(shown)) + len(CJK_CHAR.findall(shown))


def words_label(n: int) -> str:
    """``n`` with its unit, in the interface language: "1 word", "296 words", "296 字"."""
    return ngettext("{n} word", "{n} words", n).format(n=n)
