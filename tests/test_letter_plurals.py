"""Counts in the English letter agree with their noun and verb, for 1 as for 12."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from appealdesk.demo import demo_letter
from appealdesk.letter.counted import counted
from appealdesk.letter.draft import fill_template, load_template, metric_statements, metrics_table
from appealdesk.letter.facts import LetterFacts, MetricFact
from appealdesk.letter.phrasebook import load_phrasebook, placeholder_values
from appealdesk.policy.templates import fill
from tests.letter_fixtures import NOW, POLICIES

NOUNS = r"(?:orders?|parcels?|messages?|return requests?|returns?)"


def disagreements(text: str) -> list[str]:
    """Places where a count and its noun or verb disagree."""
    bad = re.findall(rf"\b1 {NOUNS}s\b|\b1 (?:orders|parcels|messages|return requests)\b", text)
    bad += re.findall(rf"\b1 {NOUNS} were\b", text)
    bad += re.findall(r"\b(?:[02-9]|\d\d+) (?:order|parcel|message|return request)\b(?!s)",
                      text)
    return bad


def facts(count: int) -> LetterFacts:
    orders = [f"111-{i:07d}-0000000" for i in range(count)]
    metric = MetricFact(id="late_shipment_rate_10d", name="Late shipment rate", value=0.068,
                        limit=0.04, comparator="<", window="10 days", numerator=count,
                        denominator=count * 14, breached=True)
    return LetterFacts(case_id="c1", store="Sunrise", marketplace="Amazon",
                       notification_id="5839201744", notification_type="Late shipment rate",
                       notification_type_id="late_shipment", received=NOW, date=NOW,
                       orders=orders, metrics=[metric],
                       extra={"carrier": "UPS", "sku": "LAMP-01", "start": "2026-11-01",
                              "end": "2026-11-09"})


@pytest.mark.parametrize("count", [1, 12])
def test_every_english_phrase_agrees_with_its_count(count):
    values = placeholder_values(facts(count))
    for phrase in load_phrasebook():
        text = fill(phrase.text, values)
        assert not disagreements(text), (phrase.id, text)
        assert "{orders_count}" not in phrase.text, \
            f"{phrase.id}: use a placeholder that carries its noun, e.g. {{orders}}"


@pytest.mark.parametrize("count", [1, 12])
@pytest.mark.parametrize("policy_id", ["amazon", "joom", "noon"])
def test_english_templates_with_every_phrase_agree_with_their_count(policy_id, count):
    policy = POLICIES.get(policy_id)
    assert policy.letter.language == "en"
    # every sentence of every type, as the options the draft offers
    everything = [replace(p, topics=()) for p in load_phrasebook()]
    text = fill_template(load_template(policy), facts(count), policy, everything)
    assert str(count) in text
    assert not disagreements(text), text


@pytest.mark.parametrize("count", [1, 12])
def test_figures_and_table_agree_when_the_notice_and_report_differ(count):
    f = facts(count)
    f.orders = f.orders + ["extra-order"]  # the notice cites one more than the report counts
    f.metrics[0].unit = "messages"
    f.metrics[0].denominator = None
    text = metric_statements(f, "en") + "\n" + metrics_table(f.metrics, "en")
    assert not disagreements(text), text


@pytest.mark.parametrize("count", [1, 12])
def test_demo_letter_agrees_with_its_count(count):
    text = demo_letter("amazon_late_letter.md", ["2026-11-02", "2026-11-05"], count,
                       store="Sunrise", notification_id="5839201744")
    assert f"{count} order" in text
    assert not disagreements(text), text


def test_counted_nouns_in_both_languages():
    assert counted(1, "orders") == "1 order"
    assert counted(12, "orders") == "12 orders"
    assert counted(1, "return_requests") == "1 return request"
    assert counted(12, "parcels", "zh") == "12个包裹"
    values = placeholder_values(facts(1), "zh")
    assert values["orders"] == "1个订单" and values["orders_count"] == "1"


def test_a_users_phrase_with_orders_count_still_fills():
    assert fill("{orders_count} late", placeholder_values(facts(12))) == "12 late"
