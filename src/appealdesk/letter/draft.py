"""First drafts of the letter from the policy's template and the case's facts.

Template placeholders (``policies/<id>_letter.md``)::

    {store} {marketplace} {notification_id} {notification_type} {date} {received}
    {orders_count} {metrics_table} {orders_table} {clusters} {evidence_list}
    {orders} {parcels} {messages} {return_requests}
                              the count with its noun ("1 order", "12 orders")
    {figures}                 one sentence per metric from the case's figures (the
                              notice's and the recomputed one when they differ)
    {section:<id>}            the heading text of a policy letter section
    {phrases:<category>}      phrasebook sentences for this notification type

A placeholder the case cannot fill stays in the text, so ``placeholder_left``
points the operator at it.
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from typing import Any

from appealdesk.cases.model import Case
from appealdesk.i18n import _, in_language
from appealdesk.letter.counted import counted, noun
from appealdesk.letter.facts import LetterFacts, MetricFact, facts_for_case
from appealdesk.letter.phrasebook import (
    Phrase,
    load_phrasebook,
    phrases_for,
    placeholder_values,
)
from appealdesk.policy.loading import policy_resource_text
from appealdesk.policy.templates import fill, keep
from appealdesk.policy.types import LetterSection, Policy

ORDERS_TABLE_LIMIT = 30  # a longer list goes into the evidence, not the letter body
_TOKEN = re.compile(r"\{(section|phrases):([a-z0-9_]+)\}")


def section_title(section: LetterSection, language: str) -> str:
    return section.title_zh if language == "zh" and section.title_zh else section.title


def _fmt_rate(value: float | None) -> str:
    return "" if value is None else f"{value * 100:.2f}%"


def metrics_table(metrics: list[MetricFact], language: str = "en") -> str:
    if not metrics:
        return ""
    if language == "zh":
        head = "| 指标 | 我们的数值 | 平台要求 | 订单数 | 统计周期 |"
    else:
        head = "| Metric | Our figure | Target | Orders | Window |"
    rows = [head, "|---|---|---|---|---|"]
    for m in metrics:
        target = f"{m.comparator} {_fmt_rate(m.limit)}".strip() if m.limit is not None else ""
        counts = f"{m.numerator} / {m.denominator}" if m.denominator else (
            str(m.numerator) if m.numerator is not None else "")
        if counts and m.unit != "orders":  # the column counts orders; say what these are
            counts += " " + (_UNITS_ZH.get(m.unit, "") if language == "zh"
                             else noun(m.denominator or m.numerator or 0, m.unit))
        rows.append(f"| {m.name} | {_fmt_rate(m.value)} | {target} | {counts} | {m.window} |")
    return "\n".join(rows)


def orders_table(orders: list[str], language: str = "en") -> str:
    if not orders:
        return ""
    head = "| # | 订单号 |" if language == "zh" else "| # | Order |"
    rows = [head, "|---|---|"]
    rows += [f"| {i} | {o} |" for i, o in enumerate(orders[:ORDERS_TABLE_LIMIT], 1)]
    if len(orders) > ORDERS_TABLE_LIMIT:
        more = len(orders) - ORDERS_TABLE_LIMIT
        rows.append(f"| … | +{more} |")
    return "\n".join(rows)


def bullet_list(items: list[str]) -> str:
    return "\n".join(f"- {item}" for item in items)


def evidence_list(evidence: list[tuple[str, str]]) -> str:
    return bullet_list([f"{name} — {what}" if what else name for name, what in evidence])


def load_template(policy: Policy, user_dir: Path | None = None) -> str:
    """The policy's template file, or one built from its section list."""
    if policy.letter.template:
        text = policy_resource_text(policy.letter.template, user_dir)
        if text:
            return text
    lines = ["# {notification_type} — {store}", ""]
    for s in policy.letter.sections:
        lines += [f"## {{section:{s.id}}}", "", "TODO", ""]
    return "\n".join(lines)


# Parts of the letter whose sentences claim something only the operator knows (what
# caused it, what was done): the draft offers them as options, never as facts.
OPTION_CATEGORIES = ("root_cause", "action", "prevention")
MAX_OPTIONS = 4


def _tidy_period(text: str) -> str:
    """'between 2026-11-13 and 2026-11-13' -> 'on 2026-11-13' (one bad day)."""
    text = re.sub(r"\bbetween (\d{4}-\d\d-\d\d) and \1\b", r"on \1", text)
    text = re.sub(r"\bfrom (\d{4}-\d\d-\d\d) to \1\b", r"on \1", text)
    text = re.sub(r"\bduring (\d{4}-\d\d-\d\d) to \1\b", r"on \1", text)
    return re.sub(r"(\d{4}-\d\d-\d\d)至\1(期间)?", r"\1", text)


def _fits(p: Phrase, facts: LetterFacts) -> bool:
    """False for a sentence the case contradicts (recovered while in breach, no attachments)."""
    # "Recovered" only when the figures show it: every metric counted and within its limit
    # (a case whose reports cannot tell says nothing of the kind).
    if p.id == "mt_recovered" and (not facts.metrics
                                   or any(m.breached is not False for m in facts.metrics)):
        return False
    return not (p.id == "cl_evidence_attached" and not facts.evidence)


def _chosen(phrases: list[Phrase], facts: LetterFacts, category: str) -> list[Phrase]:
    chosen = phrases_for(phrases, topic=facts.notification_type_id or None, category=category)
    chosen = [p for p in chosen if _fits(p, facts)]
    own = [p for p in chosen if p.topics]  # the type's own sentences before the generic ones
    return own or chosen


def suggested(phrases: list[Phrase], facts: LetterFacts, category: str, language: str) -> str:
    """Phrasebook sentences for one part of the letter.

    A cause, an action or a prevention step is the operator's to state: those come as
    commented options (``choice_left`` blocks until one is kept), so the draft never
    asserts what the case does not show. Other parts are asserted when they fit.
    """
    values = placeholder_values(facts, language)
    chosen = _chosen(phrases, facts, category)
    if category in OPTION_CATEGORIES:
        chosen = chosen[:MAX_OPTIONS]
        if not chosen:
            return ""
        note = _("choose: the case does not show which of these is true. Keep the true one as "
                 "plain text (delete its comment marks), adapt it, delete the other options and "
                 "this line.")
        lines = [f"<!-- {note} -->"]
        for p in chosen:
            text = _tidy_period(fill(p.for_language(language), values)).replace("--", "—")
            lines.append(f"<!-- option: {text} -->")
        return "\n".join(lines)
    return "\n\n".join(_tidy_period(fill(p.for_language(language), values))
                       for p in chosen[:3])


def _pct(value: float | None) -> str:
    return "" if value is None else f"{value * 100:.2f}%"


def metric_statements(facts: LetterFacts, language: str) -> str:
    """One sentence per metric, from the case's figures; both figures when they differ."""
    out = []
    for m in facts.metrics:
        target = f"{m.comparator} {_pct(m.limit)}".strip() if m.limit is not None else ""
        counts = (f"{m.numerator} / {m.denominator}" if m.denominator else "")
        if language == "zh":
            line = f"{m.name}：{_pct(m.value)}"
            if counts:
                line += f"（{counts} {_UNITS_ZH.get(m.unit, '个订单')}，{m.window}）"
            if target:
                line += f"，平台要求 {target}"
            if m.quoted is not None and not _same_rate(m.quoted, m.value):
                line += (f"。通知中的数值为 {_pct(m.quoted)}，"
                         f"按我们的订单报表重新计算为 {_pct(m.value)}")
        else:
            name = m.name[0].lower() + m.name[1:] if m.name[1:2].islower() else m.name
            line = f"Our {name} is {_pct(m.value)}"
            if counts:
                line += f" ({counts} {noun(m.denominator or 0, m.unit)}, {m.window})"
            if target:
                line += f"; the target is {target}"
            if m.quoted is not None and not _same_rate(m.quoted, m.value):
                line += (f". The notice states {_pct(m.quoted)}; recomputed from our order "
                         f"report it is {_pct(m.value)}")
        out.append(line + ("。" if language == "zh" else "."))
    cited = facts.cited_count
    computed = facts.computed_count
    if cited and computed is not None and cited != computed:
        out.append(
            f"通知列出 {cited} 个订单；我们的订单报表在统计周期内共有 {computed} 个相关订单。"
            if language == "zh" else
            f"The notice lists {counted(cited, 'orders')}; our order report counts "
            f"{counted(computed, 'orders')} against the metric in its window.")
    return "\n\n".join(out)


_UNITS_ZH = {"orders": "个订单", "messages": "条买家消息", "returns": "个退货请求"}


def _same_rate(a: float | None, b: float | None) -> bool:
    return a is None or b is None or abs(a - b) < 0.00005


# Blocks the draft generates from the case: with nothing to list they drop out (a left
# "{orders_table}" would be a placeholder for the operator to fill, which it is not).
_GENERATED = ("metrics_table", "orders_table", "clusters", "figures")


def _without_unneeded_sections(template: str, facts: LetterFacts, policy: Policy) -> str:
    """The template without the heading and suggestions of a section this notice type does
    not need (``for_types``) when the case has nothing for it: an IP complaint gets no
    "About our metrics" part that would only say "Our Intellectual property complaint
    is shown in the table below"."""
    if facts.metrics:
        return template
    for section in policy.letter.sections:
        if not section.for_types or facts.notification_type_id in section.for_types:
            continue
        names = "|".join(re.escape(n) for n in dict.fromkeys((section.id, section.role)) if n)
        template = re.sub(rf"(?m)^[ \t]*(?:#+[ \t]*\{{section:{re.escape(section.id)}\}}"
                          rf"|\{{phrases:(?:{names})\}})[ \t]*\n?", "", template)
    return template


def fill_template(template: str, facts: LetterFacts, policy: Policy,
                  phrases: list[Phrase] | None = None) -> str:
    language = policy.letter.language
    template = _without_unneeded_sections(template, facts, policy)
    values = placeholder_values(facts, language)
    values["metrics_table"] = metrics_table(facts.metrics, language)
    values["orders_table"] = orders_table(facts.orders, language)
    values["clusters"] = bullet_list(facts.clusters)
    values["evidence_list"] = evidence_list(facts.evidence)
    values["figures"] = metric_statements(facts, language)
    sections = {s.id: section_title(s, language) for s in policy.letter.sections}
    phrases = phrases or []

    def token(m: re.Match) -> str:
        kind, name = m.group(1), m.group(2)
        if kind == "section":
            return sections.get(name, m.group(0))
        if name == "metrics":
            statements = metric_statements(facts, language)
            return statements or suggested(phrases, facts, name, language) or "TODO"
        return suggested(phrases, facts, name, language) or "TODO"

    text = _TOKEN.sub(token, template)
    # Generated blocks drop out when there is nothing to list, except the evidence,
    # which every appeal needs: a TODO there makes placeholder_left ask for it.
    values["evidence_list"] = values["evidence_list"] or "TODO: " + _(
        "no evidence file is attached yet; attach the files, then list them here")
    text = fill(text, values, missing=lambda name: "" if name in _GENERATED else keep(name))
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip() + "\n"


def rejection_note(facts: LetterFacts, at: datetime | None) -> str:
    when = at.strftime("%Y-%m-%d") if at else ""
    with in_language(facts.language):  # it sits in the letter: the letter's language
        return "> " + _(
            "TODO (rejected {when}): {reason} — revise the letter to answer this with new "
            "actions and evidence, then delete this note."
        ).format(when=when, reason=facts.rejection or _("no reason recorded"))


def draft_letter(case: Case, policy: Policy, facts: LetterFacts,
                 user_dir: Path | None = None) -> str:
    """A first draft in Markdown, filled with the case's facts.

    Every word the draft adds (its notes and TODOs too) is in the letter's language,
    whatever the interface's: Chinese in an English appeal gets it rejected.
    """
    phrases = load_phrasebook(user_dir)
    with in_language(policy.letter.language or "en"):
        return fill_template(load_template(policy, user_dir), facts, policy, phrases)


def draft_for_case(case: Case, policy: Policy, *, now: datetime, workspace: Any = None) -> str:
    user_dir = workspace.store.policies_dir if workspace is not None else None
    facts = facts_for_case(case, policy, now=now, workspace=workspace)
    return draft_letter(case, policy, facts, user_dir)


class NoPolicy(Exception):
    """The case's marketplace has no policy, so there is no template to draft from."""
