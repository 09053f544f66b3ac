"""Template gaps left in a letter: ``{store}``, ``TODO``, ``[Order ID]``, ``【店铺名】``.

One list of patterns for the ``placeholder_left`` check (``checks.letter``) and
for the editor, which puts the cursor on a gap and selects it. Lines that open an
HTML comment are an unchosen option (``choice_left`` reports those), not a gap.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

PATTERNS = [
    re.compile(r"\{[A-Za-z_][^{}\n]{0,40}\}"),
    re.compile(r"\b(?:TODO|TBD|FIXME)\b"),
    re.compile(r"\bX{3,}\b|\bxxx\b"),
    re.compile(r"\[(?:[A-Z][A-Za-z]*(?: [A-Za-z]+){0,4})\](?![(\[:])"),  # [Store name], [Order ID]
    re.compile(r"【[^】\n]{1,20}】|＜[^＞\n]{1,20}＞"),  # the same in Chinese templates
]


@dataclass(frozen=True)
class Gap:
    line: int  # 1-based
    start: int  # column of the first character (0-based, in characters)
    end: int  # column after the last one
    token: str


def first_gap(line: str) -> re.Match[str] | None:
    """The gap the check reports for a line: the first pattern that matches."""
    if line.lstrip().startswith("<!--"):
        return None
    for pattern in PATTERNS:
        m = pattern.search(line)
        if m:
            return m
    return None


def gaps(text: str) -> list[Gap]:
    """Every gap of the text, in reading order."""
    out = []
    for n, line in enumerate(text.split("\n"), 1):
        if line.lstrip().startswith("<!--"):
            continue
        found = {(m.start(), m.end()): m.group(0) for p in PATTERNS for m in p.finditer(line)}
        last_end = -1
        for (start, end), token in sorted(found.items()):
            if start >= last_end:  # overlapping matches: the first one
                out.append(Gap(n, start, end, token))
                last_end = end
    return out


def gap_on_line(text: str, line: int, token: str = "") -> Gap | None:
    """The gap on a 1-based line (``token`` first, as a finding names it)."""
    on_line = [g for g in gaps(text) if g.line == line]
    return next((g for g in on_line if g.token == token), on_line[0] if on_line else None)


def next_gap(text: str, line: int, column: int) -> Gap | None:
    """The first gap after (line, column), wrapping to the top; None when there is none."""
    all_gaps = gaps(text)
    after = [g for g in all_gaps if (g.line, g.start) > (line, column)]
    pool = after or all_gaps
    return pool[0] if pool else None


__all__ = ["Gap", "PATTERNS", "first_gap", "gap_on_line", "gaps", "next_gap"]
