"""Letter checks: everything in the text or the case's history that gets an appeal rejected.

``lint_letter`` works on any text (the editor runs it on unsaved text in a
worker); the ``@check`` function feeds ``appealdesk check`` with the saved draft.
Every finding says how to fix it (``fix`` names the action); ``where`` is
``letter:<line>`` when a line is at fault. The parts live beside this module:
letter_sections (sections by meaning), letter_phrases (lists, boilerplate,
likeness), letter_substance (cause, prevention, choices), letter_claims
(claims and figures) and letter_links (what would load something).

Codes: deadline_passed, deadline_near, letter_empty, missing_section,
section_empty, over_word_limit, non_english_text, emotional_language,
blames_marketplace, template_language, repeated_appeal, unsupported_claim,
figure_mismatch, placeholder_left, choice_left, multiple_metrics,
attempts_exhausted, already_submitted, unsafe_link, section_unchanged, cause_on_carrier,
prevention_without_mechanism, cause_not_specific, actions_not_specific, apology_not_cause.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from appealdesk.cases.model import Case, Status
from appealdesk.checks.base import BLOCKING, WARNING, CheckContext, Finding, check
from appealdesk.checks.letter_claims import claim_findings, figure_findings
from appealdesk.checks.letter_language import language_findings
from appealdesk.checks.letter_links import link_findings
from appealdesk.checks.letter_phrases import (
    boilerplate_hits,
    find_phrases,
    lines_of,
    phrase_lists,
    similarity,
)
from appealdesk.checks.letter_sections import (
    find_sections,
    required_sections,
    section_names,
    unchanged_sections,
)
from appealdesk.checks.letter_substance import (
    action_findings,
    cause_findings,
    choice_findings,
    empty_section_findings,
    prevention_findings,
)
from appealdesk.checks.placeholders import first_gap
from appealdesk.deadlines.display import Urgency, urgency
from appealdesk.deadlines.windows import appeal_limits, rejected_submissions, response_deadline
from appealdesk.i18n import _
from appealdesk.intake.reason import reason_gist
from appealdesk.letter.draft import section_title
from appealdesk.letter.words import count_words
from appealdesk.policy.types import MetricDef, Policy

# How close counts as "the same letter again": difflib's ratio over the words of
# both letters (1.0 = identical). 0.85 still flags a letter where only the date,
# a few numbers or a sentence changed; a letter with a genuinely new action
# paragraph drops well below it (the tests pin both sides).
REPEAT_THRESHOLD = 0.85
# Statuses in which the response deadline still matters.
_OPEN = {Status.NEW, Status.IN_PROGRESS, Status.READY, Status.REJECTED}


def _where(line: int) -> str:
    return f"letter:{line}"


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
    # The case's figures (letter.facts.MetricFact), computed from its reports; the
    # notice's quoted figures are read from the case itself.
    figures: list[Any] = field(default_factory=list)
    # The identifiers the case's data holds (letter.facts.case_names), asked for lazily
    case_names: Callable[[], set[str]] | None = None


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


def _section_checks(li: LintInput, policy: Policy) -> list[Finding]:
    text, case, out = li.text, li.case, []
    language = policy.letter.language
    found = find_sections(text, policy)
    for sec in required_sections(policy, case.notification.type):
        if sec.id not in found and sec.optional:
            out.append(Finding("missing_section", WARNING, _(
                "the letter has no section \"{title}\"; {market} does not ask for it, but it "
                "helps the reviewer — consider a heading `## {title}`"
            ).format(title=section_title(sec, language), market=policy.name),
                "letter", {"section": sec.id}, "letter.edit"))
        elif sec.id not in found:
            names = section_names(sec)
            out.append(Finding("missing_section", BLOCKING, _(
                "the letter has no section \"{title}\"; add it as a heading `## {title}`, a bold "
                "label or a \"{title}:\" line (other wordings that count: {names})"
            ).format(title=section_title(sec, language), names=", ".join(names[2:8]) or "—"),
                "letter", {"section": sec.id}, "letter.edit"))
    for sec in policy.letter.sections:
        part = found.get(sec.id)
        if part is None or not sec.word_limit:
            continue
        n = count_words(part.text)
        if n > sec.word_limit:
            severity = BLOCKING if sec.word_limit_blocking else WARNING
            out.append(Finding("over_word_limit", severity, _(
                "section \"{title}\" has {n} words; the limit is {limit} — shorten it"
            ).format(title=part.title, n=n, limit=sec.word_limit), _where(part.line),
                {"words": n, "limit": sec.word_limit, "section": sec.id}, "letter.edit"))
    if policy.letter.word_limit:
        n = count_words(text)
        if n > policy.letter.word_limit:
            if policy.letter.word_limit_blocking:
                msg = _("the letter has {n} words; {market} accepts at most {limit} — cut "
                        "repetition and keep one sentence per fact")
                severity = BLOCKING
            else:
                msg = _("the letter has {n} words, more than {limit}, our own guide for a concise "
                        "letter ({market} states no number); cut repetition where you can")
                severity = WARNING
            out.append(Finding("over_word_limit", severity, msg.format(
                n=n, limit=policy.letter.word_limit, market=policy.name), "letter",
                {"words": n, "limit": policy.letter.word_limit}, "letter.edit"))
    out += empty_section_findings(found, policy)
    out += cause_findings(found, case, policy)
    out += action_findings(found, case, policy)
    out += prevention_findings(found, policy)
    return out


def _phrase_checks(li: LintInput) -> list[Finding]:
    text, out = li.text, []
    lists = phrase_lists(li.user_dir)
    for n, phrase in find_phrases(text, lists.blame):
        out.append(Finding("blames_marketplace", BLOCKING, _(
            "\"{phrase}\" blames the marketplace; reviewers reject that — state our own cause "
            "and what we changed"
        ).format(phrase=phrase), _where(n), {"phrase": phrase}, "letter.edit"))
    for n, phrase in find_phrases(text, lists.blame_carrier):
        out.append(Finding("cause_on_carrier", WARNING, _(
            "\"{phrase}\" puts the cause on the carrier or on chance; reviewers want our own "
            "part — what we had no backup for (a second carrier, a same-day check of the scans)"
        ).format(phrase=phrase), _where(n), {"phrase": phrase}, "letter.edit"))
    for n, phrase in find_phrases(text, lists.emotional):
        out.append(Finding("emotional_language", WARNING, _(
            "\"{phrase}\" is emotional; keep to facts, figures and actions"
        ).format(phrase=phrase), _where(n), {"phrase": phrase}, "letter.edit"))
    for n, line in lines_of(text):
        if re.search(r"[!！]{2,}", line):
            out.append(Finding("emotional_language", WARNING, _(
                "repeated exclamation marks read as emotional; use plain full stops"), _where(n),
                {"phrase": "!!"}, "letter.edit"))
    for n, phrase in find_phrases(text, lists.boilerplate):
        out.append(Finding("template_language", WARNING, _(
            "\"{phrase}\" is boilerplate reviewers see daily; replace it with a specific fact "
            "(an order count, a date, a name)"
        ).format(phrase=phrase), _where(n), {"phrase": phrase}, "letter.edit"))
    for n, phrase, words in boilerplate_hits(text, lists.boilerplate):
        out.append(Finding("template_language", WARNING, _(
            "\"{words}\" says the same as the boilerplate \"{phrase}\"; replace it with a "
            "specific fact (an order count, a date, a name)"
        ).format(words=words, phrase=phrase), _where(n), {"phrase": phrase, "text": words},
            "letter.edit"))
    return out


def _placeholder_checks(text: str) -> list[Finding]:
    out = []
    for n, line in lines_of(text):
        m = first_gap(line)  # a line opening a comment is an unchosen option: choice_left
        if m:
            out.append(Finding("placeholder_left", BLOCKING, _(
                "line {n} still has \"{token}\"; fill it in or delete it"
            ).format(n=n, token=m.group(0)), _where(n), {"token": m.group(0)},
                "letter.edit"))
    return out


def _metric_count_checks(text: str, policy: Policy) -> list[Finding]:
    named: dict[str, MetricDef] = {}
    for m in policy.metrics:
        for name in (m.name, m.name_zh):
            base = re.sub(r"\s*[(（].*?[)）]\s*", "", name).strip().lower()
            if base and base in text.lower():
                named.setdefault(base, m)
    if len(named) <= 1:
        return []
    return [Finding("multiple_metrics", BLOCKING, _(
        "the letter names {n} metrics ({names}); {market} takes one metric per case — "
        "keep one and open a separate case for each other metric"
    ).format(n=len(named), names=", ".join(sorted(named)), market=policy.name), "letter",
        {"metrics": sorted(named)}, "letter.edit")]


def _text_checks(li: LintInput) -> list[Finding]:
    text, case, policy = li.text, li.case, li.policy
    if not text.strip():
        return [Finding("letter_empty", BLOCKING, _(
            "the letter of {case_id} is empty; draft it first"
        ).format(case_id=case.id), "letter", {}, "letter.draft")]
    out: list[Finding] = []
    language = policy.letter.language if policy else "en"
    if policy is not None:
        out += _section_checks(li, policy)
    if language == "en":
        out += language_findings(li.text, li.case, li.case_names)
    out += _phrase_checks(li)
    out += _placeholder_checks(text)
    out += choice_findings(text)
    if policy is not None:
        out += claim_findings(text, case, policy)
        out += figure_findings(text, case, policy, li.figures)
        if policy.appeals.one_metric_per_case:
            out += _metric_count_checks(text, policy)
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
    out = _unchanged_section_findings(li)
    for which, old in earlier:
        ratio = similarity(li.text, old)
        if ratio >= REPEAT_THRESHOLD:
            return [Finding("repeated_appeal", BLOCKING, _(
                "the letter is {pct}% the same as {which}; a resubmission needs new actions and "
                "new evidence — rewrite the causes and actions that were rejected"
            ).format(pct=int(ratio * 100), which=which), "letter",
                {"likeness": round(ratio, 2)}, "letter.edit")] + out
    return out


def _unchanged_section_findings(li: LintInput) -> list[Finding]:
    """After a rejection: each required section still as it was in the rejected letter."""
    from appealdesk.letter.versions import text_at_submission

    rejected = rejected_submissions(li.case)
    if li.policy is None or not rejected:
        return []
    last = rejected[-1]
    old = text_at_submission(li.case, last)
    if not old.strip():
        return []
    said = reason_gist(last.reason or "")
    said = said if len(said) <= 120 else said[:119] + "…"
    out = []
    for part, ratio in unchanged_sections(li.text, old, li.policy, li.case.notification.type,
                                          similarity):
        if ratio < REPEAT_THRESHOLD:
            continue
        message = _("\"{section}\" is {pct}% the same as in the letter rejected on {at}; "
                    "rewrite it with what changed since").format(
            section=part.title, pct=int(ratio * 100),
            at=(last.outcome_at or last.at).strftime("%Y-%m-%d"))
        if said:
            message += " — " + _("the reviewer said: \"{reason}\"").format(reason=said)
        out.append(Finding("section_unchanged", WARNING, message, part.title,
                           {"section": part.section_id, "line": part.line,
                            "likeness": round(ratio, 2)}, "letter.edit"))
    return out


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


def _figures(ctx: CheckContext) -> list[Any]:
    """The case's computed figures, once per run (none without reports or a policy)."""
    if ctx.policy is None or ctx.workspace is None or not ctx.case.reports:
        return []
    if "letter.figures" not in ctx.cache:
        from appealdesk.letter.facts import computed_metric_facts

        ctx.cache["letter.figures"] = computed_metric_facts(ctx.case, ctx.policy, ctx.workspace)
    return ctx.cache["letter.figures"]


def _case_names(ctx: CheckContext) -> Callable[[], set[str]]:
    """The case's identifiers, read once per run and only when a check asks."""
    def names() -> set[str]:
        if "letter.case_names" not in ctx.cache:
            from appealdesk.letter.facts import case_names

            ctx.cache["letter.case_names"] = case_names(ctx.case, ctx.policy, ctx.workspace)
        return ctx.cache["letter.case_names"]
    return names


def lint_input_for(ctx: CheckContext, text: str | None = None) -> LintInput:
    ws: Any = ctx.workspace
    user_dir = ws.store.policies_dir if ws is not None else None
    text = ctx.case.letter.draft if text is None else text
    # The other cases' rejected letters matter only to a letter (repeated_appeal): an
    # empty one is letter_empty and nothing else, and finding them looks at every case file.
    others = _other_cases(ctx) if text.strip() else []
    return LintInput(text=text, case=ctx.case,
                     policy=ctx.policy, now=ctx.now, other_cases=others,
                     user_dir=user_dir, figures=_figures(ctx), case_names=_case_names(ctx))


@check
def letter_checks(ctx: CheckContext) -> list[Finding]:
    return lint_letter(lint_input_for(ctx))


def other_area_findings(case: Case, policy: Policy | None, now: datetime,
                        workspace: Any = None) -> list[Finding]:
    """Every other area's findings for the case (evidence, ...), without the letter's.

    The editor lints the unsaved text itself; this adds what blocks elsewhere.
    """
    import importlib

    from appealdesk.checks import base

    for module in base.CHECK_MODULES:  # importing a module registers its checks
        importlib.import_module(module)
    ctx = CheckContext(case=case, policy=policy, now=now, workspace=workspace)
    out: list[Finding] = []
    for fn in base._CHECKS:
        if fn is not letter_checks:
            out.extend(fn(ctx))
    return out
