"""Finding a letter's sections by what they are called, whatever the layout.

Real Plans of Action mark their parts in many ways: a Markdown heading
(``## Root causes``), a bold label (``**Root cause:**``), a ``Label:`` line
(``Corrective actions: we ...``) or a numbered part (``1. Root cause``). The
policy lists, per section, the wordings that name it (``LetterSection.names``,
English and Chinese); a label names a section when, once case, punctuation and
numbering are set aside, it is one of those wordings or starts with one.

Sellers also head parts in words no list holds: the notice's own lines copied
("The actions you have taken to resolve the issue immediately."), questions in
the first person, "Preventative Controls". A label standing alone on its line
that no wording fits names the section whose ``keywords`` it holds; so does a
line with no mark at all after a blank line (short, no figure, not a sentence
about us) or a numbered title ("I. Understanding the Root Cause") — these two
only for a part not begun yet, so a line of prose stays in its part.

``split_sections`` cuts a text into labelled parts; ``find_sections`` maps the
policy's section ids to the part that holds each; ``required_sections`` says
which sections a notification type needs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from appealdesk.intake.text import simplified
from appealdesk.policy.types import LetterSection, Policy

_MD_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
# **Label:** rest | **Label**: rest | __Label__ rest (a numbered prefix allowed)
_BOLD = re.compile(r"^\s{0,3}(?:\d{1,2}[.)]\s*)?(\*\*|__)(.+?)\1\s*[:：]?\s*(.*)$")
_NUMBERED = re.compile(
    r"^\s{0,3}[(（]?(?:\d{1,2}|[ivxIVX]{1,4}|[A-Da-d]|[一二三四五六七八九十]{1,3})[.)）、．:：]\s*(.+)$")
_PART = re.compile(
    r"^\s*(?:part|step|section|第[一二三四五六七八九十\d]+部分)\s*\d*\s*[.:：\-–—]?\s*", re.I)
_LABEL_LINE = re.compile(r"^\s{0,3}([^:：\n]{2,140}?)\s*[:：]\s*(.*)$")
# "Root Cause – our carrier ...": a label and its text parted by a spaced dash, as letters
# pasted from Word write them (third audit); a listed wording only, so prose keeps its dashes
_DASH_LABEL = re.compile(r"^\s{0,3}([^:：\n–—]{2,80}?)\s+(?:[–—]|-{1,2})\s+(\S.*)$")
_MAX_LABEL_WORDS = 10
# A label on a line of its own (a heading, a bold line, "C) ...:" with nothing after) may be a
# whole sentence: "What we have done to prevent the problems from happening again in the
# future:" (14 words) heads a published Plan of Action (sellercentral.amazon.com/forums/t/314214).
_MAX_HEADING_WORDS = 18


def normalize_label(text: str) -> str:
    """Lower case, no punctuation or Markdown, single spaces; '(s)' plurals kept as words."""
    t = simplified(text).lower().replace("’", "'")  # 違規原因分析 names 违规原因分析
    t = re.sub(r"[*_`#>]+", " ", t)
    t = _PART.sub("", t.strip())
    t = re.sub(r"[\W_]+", " ", t)
    return re.sub(r"\s+", " ", t).strip()


def _is_cjk(text: str) -> bool:
    return bool(re.search(r"[\u3400-\u9fff]", text))


def label_matches(label: str, name: str) -> bool:
    """True when ``label`` is the wording ``name`` or begins with it.

    "Root causes" and "Root cause(s)" begin with "root cause"; "Preventive action" is the
    singular of "Preventive actions".
    """
    lab, nm = normalize_label(label), normalize_label(name)
    if not lab or not nm:
        return False
    if lab == nm:
        return True
    if _is_cjk(nm):
        return lab.replace(" ", "").startswith(nm.replace(" ", ""))
    # "root causes" begins with "root cause"; "root cause s" is "Root cause(s)"
    if lab.startswith(nm + " ") or (lab.startswith(nm) and lab[len(nm):] in ("s", "es")):
        return True
    # and the singular of a plural wording: "Preventive action" is "Preventive actions"
    if nm.endswith("s") and not nm.endswith("ss"):
        one = nm[:-1]
        return lab == one or lab.startswith(one + " ")
    return False


def section_names(section: LetterSection) -> tuple[str, ...]:
    names = [section.title, section.title_zh, *section.names]
    return tuple(dict.fromkeys(n for n in names if n))


@dataclass
class Section:
    title: str  # the label as written ("" for the part before the first label)
    line: int  # 1-based line of the label
    body: list[str] = field(default_factory=list)
    style: str = ""  # heading | bold | numbered | label | bare | ""
    section_id: str = ""  # the policy section it names, when any
    level: int = 0  # a Markdown heading's level (the count of #), 0 for any other label

    @property
    def text(self) -> str:
        return "\n".join(self.body)


def _keyword_in(label: str, word: str) -> bool:
    """``word`` (a policy keyword) in the normalized ``label``: a Latin word at the start of
    a word ("prevent" in "preventative controls"), a Chinese one anywhere."""
    w = normalize_label(word)
    if not w:
        return False
    if _is_cjk(w):
        return w.replace(" ", "") in label.replace(" ", "")
    return re.search(rf"(?<![a-z0-9]){re.escape(w)}", label) is not None


# A heading that names the whole letter, not one of its parts
# (a 整改报告 — rectification report — is titled so, and its 整改 would read as the measures)
_TITLE_WORDS = re.compile(r"\b(?:plan of action|poa|appeal|reinstatement)\b|申诉|行动计划|整改报告")


def _match(label: str, sections: tuple[LetterSection, ...], alone: bool = False) -> str:
    """The id of the policy section ``label`` names (the longest matching wording wins).

    ``alone``: the label is the whole line (no text after it), so a longer one is a heading,
    and a heading no wording fits may name a section by its keywords (the last section
    whose keyword it holds: "actions taken to prevent" is prevention).
    """
    most = _MAX_HEADING_WORDS if alone else _MAX_LABEL_WORDS
    if len(label.split()) > most or len(label) > 8 * most:
        return ""
    best, best_len = "", 0
    for sec in sections:
        for name in section_names(sec):
            if label_matches(label, name) and len(name) > best_len:
                best, best_len = sec.id, len(name)
    if best or not alone:
        return best
    lab = normalize_label(label)
    if _TITLE_WORDS.search(lab):
        return ""  # the letter's title ("Plan of Action to Prevent Late Shipments")
    for sec in sections:
        if any(_keyword_in(lab, k) for k in sec.keywords):
            best = sec.id
    return best


# A line of its own that heads a part with no mark at all, as sellers copy the notice's
# lines ("The actions you have taken to resolve the issue immediately.", "– The root cause(s)
# of each of the ... violations listed above.", "What steps have I taken to prevent ...
# going forward"): short, no figure, after a blank line, not a sentence about us.
_NOTICE_DASH = re.compile(r"^\s{0,3}(?:[–—]|--)\s*")
_NOT_A_HEADING = re.compile(
    r"^(?:we|i|they|he|she|it|this|that|these|those|there|all|every|each|on|in|since|from"
    r"|after|before|if|when|because|as|so|and|but|then|please|thank|thanks|dear|hello)\b"
    r"|^(?:我|本店|我店|您好|此致|以上|如果|由于|因为)", re.I)


_STATEMENT = re.compile(r"\b(?:was|were|is|are|had|did)\b", re.I)


def _title_like(text: str) -> bool:
    """A numbered line that reads as a title, not a list item: no closing full stop, and
    Chinese or every word of four letters and more capitalised ("Understanding the Root
    Cause"; "Orders were not corrected before the cut-off" is an item)."""
    text = text.strip()
    if not text or text.endswith((".", ";", ",", "。", "；", "，")):
        return False
    if _is_cjk(text):
        return True
    long = [w for w in re.findall(r"[A-Za-z][A-Za-z'-]*", text) if len(w) >= 4]
    return bool(long) and all(w[0].isupper() for w in long)


def _bare_heading(line: str, sections: tuple[LetterSection, ...]) -> tuple[str, str] | None:
    """(label, section id) when ``line`` alone names a section with no heading mark."""
    label = _NOTICE_DASH.sub("", line).strip()
    # "Step 1 – Root Cause": the part's own number is no figure
    if (not label or re.search(r"\d", _PART.sub("", label))
            or label.endswith((",", ";", "，", "；", "。"))
            or len(label.split()) > _MAX_HEADING_WORDS or _NOT_A_HEADING.match(label)
            or label.startswith(("-", "*", "+", "•", "#", "|", ">", "<", "`"))):
        return None
    if not label.endswith(("?", "？")) and _STATEMENT.search(label):
        return None  # "The late shipments were caused by a carrier strike." is a sentence
    sid = _match(label.rstrip(".?？。"), sections, alone=True)
    return (label, sid) if sid else None


def _label_of(line: str, sections: tuple[LetterSection, ...]) -> tuple[str, str, str, str] | None:
    """(style, label, section id, inline text) when the line starts a section."""
    m = _MD_HEADING.match(line)
    if m:
        label = m.group(2)
        return "heading", label, _match(label, sections, alone=True), ""
    m = _BOLD.match(line)
    if m:
        label = m.group(2).strip().rstrip(":：").strip()
        rest = m.group(3).strip()
        sid = _match(label, sections, alone=not rest)
        if sid or not rest:  # a bold line on its own is a heading even when unknown
            return "bold", label, sid, rest
        return None
    m = _NUMBERED.match(line)
    if m:
        inner = m.group(1).strip()
        label, rest = inner, ""
        lm = _LABEL_LINE.match(inner)
        if lm:
            label, rest = lm.group(1), lm.group(2).strip()
        sid = _match(label, sections, alone=bool(lm) and not rest)
        if sid:
            return "numbered", label, sid, rest
        # "I. Understanding the Root Cause": a numbered line no wording fits names a
        # section by its keywords as a bare line does ("bare": only a part not begun yet)
        bare = None if lm or not _title_like(inner) else _bare_heading(inner, sections)
        if bare is not None:
            return "bare", label, bare[1], ""
        return None
    m = _LABEL_LINE.match(line)
    if m and not re.match(r"^\s*(?:https?|ftp|file|data)$", m.group(1), re.I):
        sid = _match(m.group(1), sections, alone=not m.group(2).strip())
        if sid:
            return "label", m.group(1).strip(), sid, m.group(2).strip()
    m = _DASH_LABEL.match(line)
    if m:
        sid = _match(m.group(1), sections)
        if sid:
            return "label", m.group(1).strip(), sid, m.group(2).strip()
    return None


def _heading_level(line: str) -> int:
    m = _MD_HEADING.match(line)
    return len(m.group(1)) if m else 0


def _subheading(found: tuple[str, str, str, str], line: str, current: Section) -> bool:
    """A heading that names no section, under a part that does: one level deeper ("# What
    happened:" then "## For ASIN B0...:", as Plans of Action split a part per listing) or a
    bold line under a Markdown heading. It belongs to the part it sits in."""
    style, _label, sid, _rest = found
    if sid or not current.section_id or current.style != "heading":
        return False
    if style == "bold":
        return True
    return style == "heading" and _heading_level(line) > current.level


def split_sections(text: str, policy: Policy | None = None) -> list[Section]:
    """The letter's parts; the part before the first label has title ''.

    Without a policy only Markdown headings and bold lines start a part.
    """
    known = policy.letter.sections if policy is not None else ()
    parts = [Section("", 1)]
    in_fence = False
    previous = ""
    for i, line in enumerate(text.splitlines(), 1):
        if line.lstrip().startswith(("```", "~~~")):
            in_fence = not in_fence
        found = None if in_fence or line.lstrip().startswith(("|", ">")) else _label_of(line, known)
        if found is None and not in_fence and not previous.strip() and known:
            bare = _bare_heading(line, known)
            if bare is not None:
                found = ("bare", bare[0], bare[1], "")
        # a heading without mark or wording begins only a part not begun yet: a line of
        # prose that names one ("The same check also fixes ...") stays in the part it is in
        if found is not None and found[0] == "bare" and any(
                p.section_id == found[2] for p in parts):
            found = None
        if found is not None and _subheading(found, line, parts[-1]):
            found = None
        previous = line
        if found is None:
            parts[-1].body.append(line)
            continue
        style, label, sid, rest = found
        parts.append(Section(label, i, [rest] if rest else [], style, sid, _heading_level(line)))
    return parts


def find_sections(text: str, policy: Policy) -> dict[str, Section]:
    """Policy section id -> the part of the letter that names it: the first, with the text of
    any later part naming the same section after it (Joom's one "Action plan" section is
    headed "Corrective actions" and "Preventive measures" in the same letter)."""
    out: dict[str, Section] = {}
    for part in split_sections(text, policy):
        if not part.section_id:
            continue
        first = out.get(part.section_id)
        if first is None:
            out[part.section_id] = part
        else:
            out[part.section_id] = Section(first.title, first.line,
                                           [*first.body, part.title, *part.body],
                                           first.style, first.section_id, first.level)
    return out


def required_sections(policy: Policy, notification_type: str) -> list[LetterSection]:
    """The sections this notification type needs (``for_types`` empty: every type)."""
    return [s for s in policy.letter.sections
            if not s.for_types or notification_type in s.for_types]


def unchanged_sections(text: str, rejected: str, policy: Policy, notification_type: str,
                       alike) -> list[tuple[Section, float]]:
    """The required sections of ``text`` whose body is as it was in the ``rejected`` letter:
    (the part as it stands now, how alike, 0..1 by ``alike``). A section missing or empty
    in either letter is not compared (missing_section and section_empty say so)."""
    now, then = find_sections(text, policy), find_sections(rejected, policy)
    out = []
    for section in required_sections(policy, notification_type):
        part, old = now.get(section.id), then.get(section.id)
        if part is None or old is None or not part.text.strip() or not old.text.strip():
            continue
        ratio = alike(part.text, old.text)
        out.append((part, ratio))
    return out
