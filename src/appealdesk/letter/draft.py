"""First drafts of the letter from the policy's template and the case's facts.

Template placeholders (``policies/<id>_letter.md``)::

    {store} {marketplace} {notification_id} {notification_type} {date} {received}
    {orders_count} {metrics_table} {orders_table} {clusters} {evidence_list}
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
from appealdesk.i18n import _
from appealdesk.letter.facts import LetterFacts, MetricFact, facts_for_case
from appealdesk.letter.phrasebook import (
    Phrase,
    load_phrasebook,
    phrases_for,
    placeholder_values,
)
from appealdesk.policy.loading import policy_resource_text
from appealdesk.policy.templates import fill
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


def suggested(phrases: list[Phrase], facts: LetterFacts, category: str, language: str) -> str:
    values = placeholder_values(facts)
    chosen = phrases_for(phrases, topic=facts.notification_type_id or None, category=category)
    own = [p for p in chosen if p.topics]  # the type's own sentences before the generic ones
    chosen = (own or chosen)[:3]
    return "\n\n".join(fill(p.for_language(language), values) for p in chosen)


def fill_template(template: str, facts: LetterFacts, policy: Policy,
                  phrases: list[Phrase] | None = None) -> str:
    language = policy.letter.language
    values = placeholder_values(facts)
    values["metrics_table"] = metrics_table(facts.metrics, language)
    values["orders_table"] = orders_table(facts.orders, language)
    values["clusters"] = bullet_list(facts.clusters)
    values["evidence_list"] = evidence_list(facts.evidence)
    sections = {s.id: section_title(s, language) for s in policy.letter.sections}
    phrases = phrases or []

    def token(m: re.Match) -> str:
        kind, name = m.group(1), m.group(2)
        if kind == "section":
            return sections.get(name, m.group(0))
        return suggested(phrases, facts, name, language) or "TODO"

    text = _TOKEN.sub(token, template)
    # Generated blocks drop out when there is nothing to list, except the evidence,
    # which every appeal needs: a TODO there makes placeholder_left ask for it.
    values["evidence_list"] = values["evidence_list"] or "TODO"
    text = fill(text, values)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip() + "\n"


def rejection_note(facts: LetterFacts, at: datetime | None) -> str:
    when = at.strftime("%Y-%m-%d") if at else ""
    return "> " + _(
        "TODO (rejected {when}): {reason} — revise the letter to answer this with new actions "
        "and evidence, then delete this note."
    ).format(when=when, reason=facts.rejection or _("no reason recorded"))


def draft_letter(case: Case, policy: Policy, facts: LetterFacts,
                 user_dir: Path | None = None) -> str:
    """A first draft in Markdown, filled with the case's facts."""
    phrases = load_phrasebook(user_dir)
    return fill_template(load_template(policy, user_dir), facts, policy, phrases)


def draft_for_case(case: Case, policy: Policy, *, now: datetime, workspace: Any = None) -> str:
    user_dir = workspace.store.policies_dir if workspace is not None else None
    facts = facts_for_case(case, policy, now=now, workspace=workspace)
    return draft_letter(case, policy, facts, user_dir)


class NoPolicy(Exception):
    """The case's marketplace has no policy, so there is no template to draft from."""
