"""What reviewers reject a Plan of Action for, judged from the content of its sections.

These need judgement, so they warn (the marketplaces publish no rule a
reviewer ticks off):

- ``prevention_without_mechanism``: the prevention names no one who acts, no
  rhythm, or no way of checking ("we will monitor our metrics closely").
- ``cause_not_specific``: the root cause names no fact of this case — no
  metric, order, listing, date or figure.
- ``actions_not_specific``: the actions taken name no date, order, listing or
  figure ("we answered the buyers in a timely and professional way").
- ``apology_not_cause``: the root cause apologises or promises instead of
  saying what went wrong.
- ``cause_on_buyer``: the root cause puts the failure on the buyer ("the buyer
  gave a wrong address and never replied") instead of on our own process.

``choice_left`` blocks: a draft offered several possible causes as commented
options and none has been chosen yet. ``section_empty`` blocks: a section's
label is there but nothing under it.
"""

from __future__ import annotations

import re

from appealdesk.cases.model import Case
from appealdesk.checks.base import BLOCKING, WARNING, Finding
from appealdesk.checks.letter_sections import Section
from appealdesk.i18n import N_, _
from appealdesk.intake.text import simplified
from appealdesk.policy.types import Policy

CHOICE_MARK = re.compile(r"<!--\s*(?:option|choose)\b", re.I)

_WHO = re.compile(
    r"\b(?:team|manager|supervisor|staff|employee|colleague|lead|leader|officer|clerk|agent"
    r"|person|owner|responsible|in charge|assigned|operator|specialist|coordinator|packer"
    r"|dispatcher|planner|buyer|controller|inspector|assistant|developer|administrator|analyst"
    # a sole trader acts in the first person: "Each Monday I review the report"
    r"|(?:we|i) (?:check|review|audit|verify|reconcile|compare|inspect))\b"
    r"|负责人|专人|主管|经理|团队|员工|客服|仓库人员|运营|责任人", re.I)
_WHEN = re.compile(
    r"\b(?:daily|every (?:day|morning|evening|week|month|shift|order|hour|business day|\d+ "
    r"(?:hours?|days?|minutes?))|each (?:day|morning|evening|week|month|shift|order|business "
    r"day)|weekly|monthly|hourly|twice an? |once an? |per (?:day|week|shift)|at \d{1,2}[:.]\d{2}"
    r"|before (?:each|every)|within \d+ (?:hours?|minutes?)"
    r"|(?:every|each|on) (?:mon|tues|wednes|thurs|fri|satur|sun)days?)\b"
    r"|每天|每日|每周|每月|每班|每小时|每单|定期|每个工作日", re.I)
_HOW = re.compile(
    r"\b(?:check(?:s|ed|ing|list)?|verif(?:y|ies|ied)|audit(?:s|ed)?|review(?:s|ed)?"
    r"|reconcil(?:e|es|ed)|alert(?:s|ed)?|dashboard|report(?:s|ed)?|log(?:s|ged)?"
    r"|sign(?:s|ed)?[ -]off"
    r"|inspect(?:s|ed|ion)?|spot[ -]check|escalat(?:e|es|ed)|compare(?:s|d)?|count(?:s|ed)?)\b"
    r"|检查|核对|审核|复核|监控|报表|抽查|对账|提醒", re.I)
MECHANISM_PARTS = {
    "who": (_WHO, N_("who does it")),
    "when": (_WHEN, N_("how often")),
    "how": (_HOW, N_("how it is checked")),
}

_APOLOGY = re.compile(r"\b(?:apologi[sz]e|apologies|sorry|regret)|抱歉|道歉|对不起|致歉", re.I)
_PROMISE = re.compile(
    r"\b(?:we (?:will|shall|promise|assure|guarantee|commit)|will never|won't happen|never happen"
    r"|rest assured)\b|保证|我们承诺|一定会|以后会|绝不会|再也不会", re.I)
_CAUSAL = re.compile(
    r"\b(?:because|due to|caused by|cause was|as a result|result of|led to|resulted|failed to"
    r"|did not|didn't|missed|was not|were not|wasn't|weren't|no one|nobody|without|only one"
    r"|ran out|out of stock|delayed|broke|broken|error in|mistake in|wrong|unavailable)\b"
    r"|由于|因为|因此|所以|导致|造成|未能|没有|未及时|停止|缺货|延误|错误|晚于|超过", re.I)
# The buyer as the one who failed: "the buyer provided incorrect shipping information", "the
# customer did not read our e-mail", "customers ordered at the last minute" (H: sellers'
# published Plans of Action, sellercentral.amazon.com/forums/t/353811; a th4.ilovetranslation
# .com repost). The buyer as the one harmed ("did not receive") is a cause, not blame.
_ON_BUYER = re.compile(
    r"\b(?:buyers?|customers?)\s+(?:(?:also|then|just|simply)\s+)?"
    r"(?:(?:did not|didn't|does not|doesn't|do not|don't|never|failed to|refused to)\s+"
    r"(?:read|respond|responded|reply|replied|answer|answered|check|checked|contact|contacted"
    r"|provide|provided|follow|followed|understand|cooperate|pick up|collect)"
    r"|(?:provided|gave|entered|typed|used)\s+(?:an?\s+|the\s+)?(?:wrong|incorrect|invalid"
    r"|false)|lied|(?:is|was|were|are)\s+lying|abused|misused|ordered at the last minute"
    r"|filed\s+(?:an?\s+)?(?:false|fake|unfair|unreasonable))"
    r"|(?:买家|客户|顾客)(?:提供了?错误|填写?错误?|地址错误|没有回复|未回复|不回复|没有阅读|未阅读"
    r"|故意|恶意|撒谎|滥用)", re.I)
_ASIN = re.compile(r"\b(?:B0[A-Z0-9]{8}|ASIN|SKU|listing)\b|商品|链接", re.I)


def role_of(section_role: str, section_id: str) -> str:
    return section_role or section_id


def sections_with_role(found: dict[str, Section], policy: Policy, role: str) -> list[Section]:
    return [found[s.id] for s in policy.letter.sections
            if role_of(s.role, s.id) == role and s.id in found]


def _sentences(text: str) -> list[str]:
    parts = re.split(r"(?<=[.!?;。！？；])\s*|\n+", text)
    return [p.strip(" -*#>") for p in parts if p and p.strip(" -*#>")]


def _body(section: Section) -> str:
    """The part's text as the checks read it (traditional script as simplified: 覈對 核对)."""
    return simplified(
        "\n".join(ln for ln in section.body if not CHOICE_MARK.search(ln)).strip())


def choice_findings(text: str) -> list[Finding]:
    """One finding per block of unchosen options the draft offered."""
    blocks: list[list[int]] = []
    previous = -1
    for n, line in enumerate(text.splitlines(), 1):
        if CHOICE_MARK.search(line):
            if n == previous + 1 and blocks:
                blocks[-1].append(n)
            else:
                blocks.append([n])
            previous = n
    out = []
    for block in blocks:
        options = len(block) - 1 if len(block) > 1 else 1
        out.append(Finding("choice_left", BLOCKING, _(
            "lines {first}–{last} offer {n} possible wordings the draft could not choose from the "
            "case's data; keep the true one as plain text (delete its comment marks), adapt it "
            "and delete the other options"
        ).format(first=block[0], last=block[-1], n=options), f"letter:{block[0]}",
            {"lines": block, "options": options}, "letter.edit"))
    return out


def _undecided(section: Section) -> bool:
    return any(CHOICE_MARK.search(ln) for ln in section.body)


def empty_section_findings(found: dict[str, Section], policy: Policy) -> list[Finding]:
    out = []
    for sec in policy.letter.sections:
        part = found.get(sec.id)
        if part is not None and not _undecided(part) and not re.search(r"\w", _body(part)):
            out.append(Finding("section_empty", BLOCKING, _(
                "section \"{title}\" has a heading but no text; write what it asks for"
            ).format(title=part.title), f"letter:{part.line}", {"section": sec.id}, "letter.edit"))
    return out


def prevention_findings(found: dict[str, Section], policy: Policy) -> list[Finding]:
    out = []
    for part in sections_with_role(found, policy, "prevention"):
        body = _body(part)
        if not body or _undecided(part):
            continue
        missing = [key for key, (pattern, _label) in MECHANISM_PARTS.items()
                   if not pattern.search(body)]
        if missing:
            names = ", ".join(_(MECHANISM_PARTS[k][1]) for k in missing)
            out.append(Finding("prevention_without_mechanism", WARNING, _(
                "the prevention in \"{title}\" does not say {missing}; reviewers reject a "
                "promise without a mechanism — name who does what, how often, and how it is "
                "checked (e.g. \"every day at 15:00 the shift lead checks ... and reports ...\")"
            ).format(title=part.title, missing=names), f"letter:{part.line}",
                {"missing": missing, "section": part.section_id}, "letter.edit"))
    return out


def _case_facts(case: Case, policy: Policy) -> list[str]:
    words = list(case.notification.cited_orders)
    for m in policy.metrics:
        for name in (m.name, m.name_zh):
            base = re.sub(r"\s*[(（].*?[)）]\s*", "", name).strip().lower()
            if base:
                words.append(base)
    return words


def _specific(body: str, facts: list[str]) -> bool:
    """The text names a fact of the case: a figure or date, a listing, an order, a metric."""
    low = body.lower()
    return bool(re.search(r"\d", body)) or bool(_ASIN.search(body)) or any(
        f and f.lower() in low for f in facts)


# "We shipped every delayed order", "refunded each affected buyer": the actions name which
# orders — all the case's own — without a count
_ALL_CITED = re.compile(
    r"\b(?:every|each|all(?: the| of the)?)\s+(?:of the\s+)?(?:delayed|late|cancell?ed|affected"
    r"|cited|open|flagged|defective|untracked)\s+(?:orders?|shipments?|packages?|buyers?)\b"
    r"|所有(?:迟发|延迟|被取消|涉及)?的?订单", re.I)


def action_findings(found: dict[str, Section], case: Case, policy: Policy) -> list[Finding]:
    """``actions_not_specific``: the actions taken name no date, order, listing or figure —
    what Amazon's rejections ask for as "greater detail on the actions you have taken"."""
    out = []
    facts = _case_facts(case, policy)
    for part in sections_with_role(found, policy, "actions"):
        body = _body(part)
        if body and not _undecided(part) and not _specific(body, facts) \
                and not _ALL_CITED.search(body):
            out.append(Finding("actions_not_specific", WARNING, _(
                "\"{title}\" names no date, order, listing or figure; reviewers ask for "
                "\"greater detail on the actions you have taken\". Say what was done, when, and "
                "for how many orders"
            ).format(title=part.title), f"letter:{part.line}",
                {"section": part.section_id}, "letter.edit"))
    return out


def cause_findings(found: dict[str, Section], case: Case, policy: Policy) -> list[Finding]:
    out = []
    facts = _case_facts(case, policy)
    for part in sections_with_role(found, policy, "cause"):
        body = _body(part)
        if not body or _undecided(part):
            continue
        sentences = _sentences(body)
        excuses = [s for s in sentences if _APOLOGY.search(s) or _PROMISE.search(s)]
        causal = [s for s in sentences if s not in excuses and _CAUSAL.search(s)]
        if excuses and not causal:
            out.append(Finding("apology_not_cause", WARNING, _(
                "\"{title}\" apologises or promises (\"{snippet}\") but does not say what went "
                "wrong; state the cause: what failed, when, and how many orders it hit"
            ).format(title=part.title, snippet=excuses[0][:60]), f"letter:{part.line}",
                {"section": part.section_id, "sentences": len(excuses)}, "letter.edit"))
        blamed = [sentence for sentence in sentences if _ON_BUYER.search(sentence)]
        if blamed:
            out.append(Finding("cause_on_buyer", WARNING, _(
                "\"{title}\" puts the cause on the buyer (\"{snippet}\"); reviewers reject "
                "that — say what in our own process let it happen (no address check, no reply "
                "within 24 hours, no stock check)"
            ).format(title=part.title, snippet=blamed[0][:60]), f"letter:{part.line}",
                {"section": part.section_id, "sentences": len(blamed)}, "letter.edit"))
        if not _specific(body, facts):
            out.append(Finding("cause_not_specific", WARNING, _(
                "\"{title}\" names no fact of this case — no metric, order, listing, date or "
                "figure; reviewers ask for \"greater detail on root causes\". Say which orders, "
                "when, and how many"
            ).format(title=part.title), f"letter:{part.line}",
                {"section": part.section_id}, "letter.edit"))
    return out
