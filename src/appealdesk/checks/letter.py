"""Letter checks: everything in the text or the case's history that gets an appeal rejected.

``lint_letter`` works on any text (the editor runs it on unsaved text in a
worker); the ``@check`` function feeds ``appealdesk check`` with the saved draft.
Every finding says how to fix it; ``where`` is ``letter:<line>`` when a line
is at fault.

Codes: deadline_passed, deadline_near, letter_empty, missing_section,
over_word_limit, non_english_text, emotional_language, blames_marketplace,
template_language, repeated_appeal, unsupported_claim, placeholder_left,
multiple_metrics, attempts_exhausted, already_submitted, unsafe_link.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from appealdesk.cases.model import Case, Status
from appealdesk.checks.base import BLOCKING, WARNING, CheckContext, Finding, check
from appealdesk.deadlines.windows import (
    Urgency,
    appeal_limits,
    rejected_submissions,
    response_deadline,
    urgency,
)
from appealdesk.i18n import _
from appealdesk.letter.draft import section_title
from appealdesk.policy.types import MetricDef, Policy

PHRASES_FILE = "template_phrases.toml"

# How close counts as "the same letter again": difflib's ratio over the words of
# both letters (1.0 = identical). 0.85 still flags a letter where only the date,
# a few numbers or a sentence changed; a letter with a genuinely new action
# paragraph drops well below it (the tests pin both sides).
REPEAT_THRESHOLD = 0.85
# Statuses in which the response deadline still matters.
_OPEN = {Status.NEW, Status.IN_PROGRESS, Status.READY, Status.REJECTED}

_CJK = re.compile(
    r"[\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uff00-\uffef]")
# Scripts other than Latin a reviewer of an English letter cannot read.
_NON_LATIN = re.compile(
    r"[\u0370-\u03ff\u0400-\u04ff\u0590-\u05ff\u0600-\u06ff\u0e00-\u0e7f"
    r"\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uff00-\uffef]"
)
_WORD = re.compile(r"[A-Za-z0-9À-ɏ]+(?:['’.-][A-Za-z0-9À-ɏ]+)*")
_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
_PLACEHOLDERS = [
    re.compile(r"\{[A-Za-z_][^{}\n]{0,40}\}"),
    re.compile(r"\b(?:TODO|TBD|FIXME)\b"),
    re.compile(r"\bX{3,}\b|\bxxx\b"),
    re.compile(r"\[(?:[A-Z][A-Za-z]*(?: [A-Za-z]+){0,4})\](?!\()"),  # [Store name], [Order ID]
    re.compile(r"【[^】\n]{1,20}】|＜[^＞\n]{1,20}＞"),  # the same in Chinese templates
]
_LINK = re.compile(r"(!?)\[([^\]\n]*)\]\(\s*<?([^)\s>]*)>?(?:\s+\"[^\"]*\")?\s*\)")
_AUTOLINK = re.compile(r"<((?:https?|file|ftp|data):[^>\s]+)>|\b((?:https?|file|ftp)://\S+)")

# Claimed actions and the evidence kinds (EvidenceRequirement.kind) that back them.
CLAIMS: list[tuple[str, re.Pattern[str], frozenset[str]]] = [
    ("carrier", re.compile(
        r"\b(?:switched|changed|moved|added|hired|contracted|partnered with|signed (?:a |an )?"
        r"(?:new |second |backup )?(?:contract|agreement) with)\b[^.\n]{0,60}"
        r"\b(?:carrier|courier|logistics"
        r"|shipping (?:provider|partner|company)|forwarder)s?\b|\bnew (?:carrier|courier"
        r"|logistics (?:provider|partner)|shipping (?:provider|partner))\b"
        r"|\bsigned (?:a |an )?(?:new |second |backup )?(?:carrier|courier|logistics) "
        r"(?:contract|agreement)\b|新(?:的)?(?:物流|快递|承运商)",
        # A carrier's delay notice proves the delay, not a new carrier: only a contract backs it.
        re.I), frozenset({"contract"})),
    ("warehouse", re.compile(
        r"\b(?:new|second|additional|overseas|local) (?:warehouse|fulfil?ment cent(?:er|re))\b"
        r"|\b(?:moved|relocated|opened|rented)\b[^.\n]{0,40}\bwarehouse\b|新(?:的)?仓库|海外仓",
        re.I), frozenset({"warehouse", "contract"})),
    ("training", re.compile(
        r"\b(?:trained|retrained|training (?:session|course|programme|program)s?|staff training"
        r"|trained our)\b|培训", re.I), frozenset({"training", "process"})),
    ("erp", re.compile(
        r"\b(?:ERP|inventory (?:management )?system|order management system|new software"
        r"|automated (?:inventory|stock|order) (?:sync|synchroni[sz]ation|system))\b"
        r"|ERP系统|库存系统",
        re.I), frozenset({"erp", "process"})),
    ("process", re.compile(
        r"\b(?:new|updated|revised) (?:SOP|standard operating procedure|procedure|checklist"
        r"|workflow)s?\b|新(?:的)?(?:流程|制度)", re.I), frozenset({"process", "training", "erp"})),
]


@dataclass(frozen=True)
class PhraseLists:
    boilerplate: tuple[str, ...]
    emotional: tuple[str, ...]
    blame: tuple[str, ...]


def _parse_lists(text: str) -> dict[str, list[str]]:
    raw = tomllib.loads(text)
    return {k: [str(x) for x in raw.get(k, {}).get("phrases", [])]
            for k in ("boilerplate", "emotional", "blame")}


@lru_cache(maxsize=8)
def _phrase_lists_cached(user_file: str | None, mtime: float) -> PhraseLists:
    shipped = resources.files("appealdesk.policies").joinpath(PHRASES_FILE).read_text("utf-8")
    lists = _parse_lists(shipped)
    if user_file:
        try:
            user = _parse_lists(Path(user_file).read_text("utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
            user = {}  # a broken user list must not stop the checks; the shipped one stays
        for key, values in user.items():
            lists[key] = lists[key] + values
    kinds = ("boilerplate", "emotional", "blame")
    return PhraseLists(*(tuple(p.lower() for p in lists[k]) for k in kinds))


def phrase_lists(user_dir: Path | None = None) -> PhraseLists:
    path = user_dir / PHRASES_FILE if user_dir else None
    if path is not None and path.is_file():
        return _phrase_lists_cached(str(path), path.stat().st_mtime)
    return _phrase_lists_cached(None, 0.0)


def count_words(text: str) -> int:
    """English words plus one per Chinese/Japanese/Korean character, the way counters do it."""
    return len(_WORD.findall(text)) + len(_CJK.findall(text))


def _norm_heading(text: str) -> str:
    return re.sub(r"[\W_]+", " ", text.lower()).strip()


@dataclass
class Section:
    title: str
    line: int  # 1-based line of the heading
    body: list[str] = field(default_factory=list)


def split_sections(text: str) -> list[Section]:
    """Headings and their text; the part before the first heading has title ''."""
    sections = [Section("", 1)]
    for i, line in enumerate(text.splitlines(), 1):
        m = _HEADING.match(line)
        if m:
            sections.append(Section(m.group(2), i))
        else:
            sections[-1].body.append(line)
    return sections


def _where(line: int) -> str:
    return f"letter:{line}"


def _lines(text: str) -> list[tuple[int, str]]:
    return list(enumerate(text.splitlines(), 1))


def _find_phrases(text: str, phrases: tuple[str, ...]) -> list[tuple[int, str]]:
    hits = []
    for n, line in _lines(text):
        low = re.sub(r"\s+", " ", line.lower().replace("’", "'"))
        for p in phrases:
            if p and p in low:
                hits.append((n, p))
    return hits


def similarity(a: str, b: str) -> float:
    """How alike two letters are (0..1), on words, ignoring case, layout and our TODO notes."""
    def words(t: str) -> list[str]:
        kept = [ln for ln in t.splitlines() if not ln.lstrip().startswith("> TODO")]
        return re.findall(r"\w+", " ".join(kept).lower())
    wa, wb = words(a), words(b)
    if not wa or not wb:
        return 0.0
    return difflib.SequenceMatcher(None, wa, wb, autojunk=False).ratio()


def _evidence_kinds(case: Case, policy: Policy) -> set[str]:
    kinds = set()
    for item in case.evidence:
        req = policy.requirement(item.requirement) if item.requirement else None
        if req is not None:
            kinds.add(req.kind)
        for key in ("evidence_kind", "requirement_kind"):
            if item.extra.get(key):
                kinds.add(str(item.extra[key]))
    waived = {policy.requirement(w.requirement) for w in case.waivers}
    kinds |= {r.kind for r in waived if r is not None}
    return kinds


def unsafe_target(target: str) -> bool:
    """True for anything that is not a plain relative path inside the case folder."""
    t = target.strip()
    if not t:
        return False
    if t.startswith("#"):
        return False  # a jump inside the letter
    if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", t) or t.startswith(("/", "\\", "~")):
        return True
    parts = re.split(r"[\\/]+", t)
    return ".." in parts


def link_findings(text: str) -> list[Finding]:
    out = []
    for n, line in _lines(text):
        targets = [m.group(3) for m in _LINK.finditer(line)]
        rest = _LINK.sub(" ", line)  # a URL inside a Markdown link is reported once
        targets += [m.group(1) or m.group(2) for m in _AUTOLINK.finditer(rest)]
        for target in targets:
            if unsafe_target(target):
                out.append(Finding("unsafe_link", BLOCKING, _(
                    "the letter points at {target}, outside the case folder; the PDF will not "
                    "include it. Attach the file as evidence and refer to it by name instead."
                ).format(target=target), _where(n)))
    return out


# --------------------------------------------------------------------------
# The checks
# --------------------------------------------------------------------------


@dataclass
class LintInput:
    text: str
    case: Case
    policy: Policy | None
    now: datetime
    other_cases: list[Case] = field(default_factory=list)  # same store, for repeated_appeal
    user_dir: Path | None = None


def _case_checks(li: LintInput) -> list[Finding]:
    """Checks on the case's state: deadline, attempts, pending submissions."""
    case, policy, out = li.case, li.policy, []
    if case.status in _OPEN:
        deadline = response_deadline(case, policy)
        due = deadline.due if deadline is not None else None
        state = urgency(due, li.now)
        if due is not None and state is Urgency.OVERDUE:
            out.append(Finding("deadline_passed", BLOCKING, _(
                "the response was due {due}; submit at once and say why it is late, or ask "
                "the marketplace's support for more time"
            ).format(due=due.strftime("%Y-%m-%d %H:%M %Z")), "deadline",
                values={"due": due.isoformat()}))
        elif due is not None and state is Urgency.DUE_SOON:
            hours = max(0, int((due - li.now).total_seconds() // 3600))
            out.append(Finding("deadline_near", WARNING, _(
                "the response is due in {hours} h ({due}); finish the letter and submit today"
            ).format(hours=hours, due=due.strftime("%Y-%m-%d %H:%M %Z")), "deadline",
                values={"due": due.isoformat(), "hours": hours}))
    pending = [s for s in case.submissions if not s.outcome]
    if pending:
        out.append(Finding("already_submitted", BLOCKING, _(
            "an appeal was submitted {at} and has no outcome yet; a duplicate is rejected — wait "
            "for the marketplace's answer and record it"
        ).format(at=pending[-1].at.strftime("%Y-%m-%d %H:%M")), "submission",
            values={"submitted": pending[-1].at.isoformat()}, fix="outcome.record"))
    limits = appeal_limits(case, policy)
    if policy is not None and limits.exhausted:
        out.append(Finding("attempts_exhausted", BLOCKING, _(
            "{n} appeals were rejected and {market} allows {max}; another appeal will not be "
            "reviewed — contact the marketplace's support instead"
        ).format(n=limits.unsuccessful, market=policy.name, max=limits.max_unsuccessful),
            "submission", values={"rejected": limits.unsuccessful,
                                  "allowed": limits.max_unsuccessful}))
    return out


def _text_checks(li: LintInput) -> list[Finding]:
    text, case, policy = li.text, li.case, li.policy
    out: list[Finding] = []
    if not text.strip():
        return [Finding("letter_empty", BLOCKING, _(
            "the letter is empty; draft it from the marketplace's template"
        ), "letter", fix="letter.draft")]
    language = policy.letter.language if policy else "en"
    sections = split_sections(text)

    if policy is not None:
        present = {_norm_heading(s.title): s for s in sections if s.title}
        for sec in policy.letter.sections:
            names = {_norm_heading(sec.title), _norm_heading(sec.title_zh)} - {""}
            found = next((present[n] for n in names if n in present), None)
            if found is None:
                out.append(Finding("missing_section", BLOCKING, _(
                    "the letter has no section \"{title}\"; "
                    "add a heading `## {title}` with its text"
                ).format(title=section_title(sec, language)), "letter"))
            elif sec.word_limit and count_words("\n".join(found.body)) > sec.word_limit:
                out.append(Finding("over_word_limit", BLOCKING, _(
                    "section \"{title}\" has {n} words; the limit is {limit} — shorten it"
                ).format(title=found.title, n=count_words("\n".join(found.body)),
                         limit=sec.word_limit), _where(found.line)))
        if policy.letter.word_limit:
            n = count_words(text)
            if n > policy.letter.word_limit:
                out.append(Finding("over_word_limit", BLOCKING, _(
                    "the letter has {n} words; the limit is {limit} — cut repetition and keep one "
                    "sentence per fact"
                ).format(n=n, limit=policy.letter.word_limit), "letter"))

    if language == "en":
        allowed = {case.store} if case.store else set()
        for n, line in _lines(text):
            probe = line
            for name in allowed:
                probe = probe.replace(name, "")
            m = _NON_LATIN.search(probe)
            if m:
                out.append(Finding("non_english_text", BLOCKING, _(
                    "line {n} has non-English text (\"{snippet}\"); the marketplace reads English "
                    "only — translate it or use a phrasebook sentence"
                ).format(n=n, snippet=probe[max(0, m.start() - 5):m.start() + 15].strip()),
                    _where(n)))

    lists = phrase_lists(li.user_dir)
    for n, phrase in _find_phrases(text, lists.blame):
        out.append(Finding("blames_marketplace", BLOCKING, _(
            "\"{phrase}\" blames the marketplace; reviewers reject that — state our own cause and "
            "what we changed"
        ).format(phrase=phrase), _where(n)))
    for n, phrase in _find_phrases(text, lists.emotional):
        out.append(Finding("emotional_language", WARNING, _(
            "\"{phrase}\" is emotional; keep to facts, figures and actions"
        ).format(phrase=phrase), _where(n)))
    for n, line in _lines(text):
        if re.search(r"[!！]{2,}", line):
            out.append(Finding("emotional_language", WARNING, _(
                "repeated exclamation marks read as emotional; use plain full stops"), _where(n)))
    for n, phrase in _find_phrases(text, lists.boilerplate):
        out.append(Finding("template_language", WARNING, _(
            "\"{phrase}\" is boilerplate reviewers see daily; replace it with a specific fact "
            "(an order count, a date, a name)"
        ).format(phrase=phrase), _where(n)))

    for n, line in _lines(text):
        for pattern in _PLACEHOLDERS:
            m = pattern.search(line)
            if m:
                out.append(Finding("placeholder_left", BLOCKING, _(
                    "line {n} still has \"{token}\"; fill it in or delete it"
                ).format(n=n, token=m.group(0)), _where(n)))
                break

    if policy is not None:
        kinds = _evidence_kinds(case, policy)
        for n, line in _lines(text):
            for claim, pattern, backing in CLAIMS:
                if pattern.search(line) and not (kinds & backing):
                    out.append(Finding("unsupported_claim", WARNING, _(
                        "line {n} claims a {claim} change but no {kinds} evidence is attached; "
                        "attach it or remove the claim"
                    ).format(n=n, claim=claim, kinds="/".join(sorted(backing))), _where(n),
                        values={"claim": claim, "kinds": sorted(backing)}, fix="evidence.add"))

    if policy is not None and policy.appeals.one_metric_per_case:
        named: dict[str, MetricDef] = {}
        for metric in policy.metrics:
            for name in (metric.name, metric.name_zh):
                base = re.sub(r"\s*[(（].*?[)）]\s*", "", name).strip().lower()
                if base and base in text.lower():
                    named.setdefault(base, metric)
        if len(named) > 1:
            out.append(Finding("multiple_metrics", BLOCKING, _(
                "the letter names {n} metrics ({names}); {market} takes one metric per case — "
                "keep one and open a separate case for each other metric"
            ).format(n=len(named), names=", ".join(sorted(named)), market=policy.name), "letter"))

    out.extend(_repeat_findings(li))
    out.extend(link_findings(text))
    return out


def _repeat_findings(li: LintInput) -> list[Finding]:
    from appealdesk.letter.versions import text_at_submission

    earlier: list[tuple[str, str]] = []  # (which, text)
    for s in rejected_submissions(li.case):
        earlier.append((_("the letter rejected on {at}").format(at=(s.outcome_at or s.at).strftime(
            "%Y-%m-%d")), text_at_submission(li.case, s)))
    for other in li.other_cases:
        if other.id == li.case.id or other.store != li.case.store or \
                other.marketplace != li.case.marketplace or \
                other.notification.type != li.case.notification.type:
            continue
        for s in rejected_submissions(other):
            earlier.append((_("the rejected letter of case {case_id}").format(case_id=other.id),
                            text_at_submission(other, s)))
    for which, old in earlier:
        ratio = similarity(li.text, old)
        if ratio >= REPEAT_THRESHOLD:
            return [Finding("repeated_appeal", BLOCKING, _(
                "the letter is {pct}% the same as {which}; a resubmission needs new actions and "
                "new evidence — rewrite the causes and actions that were rejected"
            ).format(pct=int(ratio * 100), which=which), "letter")]
    return []


def lint_letter(li: LintInput) -> list[Finding]:
    """All letter findings for a text (saved or not)."""
    return _case_checks(li) + _text_checks(li)


def _other_cases(ctx: CheckContext) -> list[Case]:
    if ctx.workspace is None:
        return []
    if "letter.other_cases" not in ctx.cache:
        try:
            ctx.cache["letter.other_cases"] = ctx.workspace.cases_like(ctx.case)
        except Exception:  # other cases only sharpen repeated_appeal; never fail the check
            ctx.cache["letter.other_cases"] = []
    return ctx.cache["letter.other_cases"]


def lint_input_for(ctx: CheckContext, text: str | None = None) -> LintInput:
    ws: Any = ctx.workspace
    user_dir = ws.store.policies_dir if ws is not None else None
    return LintInput(text=ctx.case.letter.draft if text is None else text, case=ctx.case,
                     policy=ctx.policy, now=ctx.now, other_cases=_other_cases(ctx),
                     user_dir=user_dir)


@check
def letter_checks(ctx: CheckContext) -> list[Finding]:
    return lint_letter(lint_input_for(ctx))
