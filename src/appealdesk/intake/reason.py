"""The gist of a reviewer's recorded reason: what is quoted where space is short."""

from __future__ import annotations

import re

# What a reviewer's reply opens with before it says anything: "Hello," "Dear Seller,"
# "Thank you for your appeal." "感谢您的申诉。"
_PLEASANTRY = re.compile(
    r"^(?:(?:dear|hello|hi|greetings)\b[^,.!\n]{0,40}[,.!]|(?:尊敬的|您好|你好)[^，,。！!\n]{0,20}[，,。！!]"
    r"|thank(?:s| you)\b[^.!\n]{0,120}[.!]|(?:感谢|谢谢)[^。！!\n]{0,60}[。！!])"
    r"\s*", re.IGNORECASE)


def reason_gist(reason: str) -> str:
    """A recorded reason, on one line, without the greeting and thanks it opens with:
    what is quoted where space is short (above the letter, in a finding)."""
    text = " ".join(reason.split())
    while (cut := _PLEASANTRY.match(text)) and cut.end() < len(text):
        text = text[cut.end():]
    return text
