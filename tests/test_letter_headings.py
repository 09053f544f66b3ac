"""Headings as sellers really write them (second audit of published Plans of Action).

Sellers copy the notice's own lines as headings, ask questions in the first person, or head
a part with words no list holds ("Preventative Controls"); each names its section by the
section's keywords (policy data) when it stands alone. A sentence of the letter on a line of
its own is not a heading. Sources: tests/letters/cases.toml, second audit.
"""

from __future__ import annotations

import pytest

from appealdesk.cases.model import Case, EvidenceItem, Notification
from appealdesk.checks.letter import LintInput, lint_letter
from appealdesk.checks.letter_sections import find_sections
from tests.letter_fixtures import NOW, POLICIES

AMAZON = POLICIES.get("amazon")


@pytest.mark.parametrize(("heading", "section"), [
    # the notice's three lines copied (sellercentral-europe.amazon.com/forums/t/261269)
    ("The root cause(s) of the issue.", "root_cause"),
    ("The actions you have taken to resolve the issue immediately.", "actions_taken"),
    ("The steps you have taken to prevent the issue immediately going forward", "prevention"),
    # dash-led, as the IP notice lists them (seller-forums discussions/t/b67cb875...)
    ("– The root cause(s) of each of the Intellectual Property policy violations listed above.",
     "root_cause"),
    # first person, question or none (forum t/273393; a Valid Tracking Rate POA)
    ("My actions to resolve the issue:", "actions_taken"),
    ("My actions to prevent this from happening again.", "prevention"),
    ("What actions have I taken to resolve the low Valid Tracking Rate?", "actions_taken"),
    ("What was the root cause that led to the issue?", "root_cause"),
    ("Description of the issues that caused the complaints", "root_cause"),
    # a reinstatement service's skeleton (amazonreinstatementgroup.netlify.app/poa-structure)
    ("Preventative Controls:", "prevention"),
    ("## Preventative controls", "prevention"),
    # a numbered title (appeal.tools review-manipulation guide) and the Chinese three steps
    ("I. Understanding the Root Cause", "root_cause"),
    # both sections' words: the later section wins
    ("Our actions to resolve the delays and prevent them going forward", "prevention"),
])
def test_a_heading_of_any_wording_names_its_section(heading, section):
    text = f"Dear Seller Performance Team,\n\n{heading}\nEvery day at 16:00 we check the orders.\n"
    assert set(find_sections(text, AMAZON)) == {section}


@pytest.mark.parametrize("line", [
    "We fixed the label printer and resolved the backlog.",  # a sentence about us
    "On 2026-11-02 the carrier caused a delay on 3 orders.",  # a figure: prose
    "- Resolved the backlog the same day",  # a bullet
    "Thank you for helping us resolve this.",
])
def test_a_sentence_on_a_line_of_its_own_is_not_a_heading(line):
    text = f"## Root cause\n\nOur printer broke.\n\n{line}\nMore text.\n"
    found = find_sections(text, AMAZON)
    assert set(found) == {"root_cause"}
    assert line in found["root_cause"].text


@pytest.mark.parametrize("title", ["# Plan of Action to Prevent Late Shipments",
                                   "**Appeal: the causes of our late shipments**"])
def test_the_letter_s_title_is_no_part(title):
    text = f"{title}\n\nOn 2026-11-02 our printer failed.\n\n## Preventive measures\nWe check.\n"
    found = find_sections(text, AMAZON)
    assert set(found) == {"prevention"} and found["prevention"].title == "Preventive measures"


def test_a_statement_in_the_opening_is_no_heading():
    text = ("Dear Seller Performance Team,\n\nThe late shipments were caused by a carrier "
            "strike.\n\n## Root cause\nOn 2026-10-21 UPS missed three pick-ups.\n")
    assert find_sections(text, AMAZON)["root_cause"].title == "Root cause"


def test_a_line_naming_a_part_already_begun_stays_in_its_part():
    text = ("## Corrective actions\nWe shipped the open orders on 2026-11-02.\n\n"
            "## Preventive measures\nEvery day at 16:00 the dispatch lead checks the labels.\n\n"
            "The same check also fixes wrong carrier names\nand is logged.\n")
    found = find_sections(text, AMAZON)
    assert "also fixes" in found["prevention"].text
    assert "also fixes" not in found["actions_taken"].text


def test_a_numbered_item_of_a_list_is_not_a_heading():
    text = ("## Root cause\n1. Orders were not corrected before the cut-off\n"
            "2. The fix was delayed by the holiday.\n")
    assert set(find_sections(text, AMAZON)) == {"root_cause"}


def test_noon_self_assessment_is_the_reason_part():
    noon = POLICIES.get("noon")
    text = "Self-assessment:\nOur stock file stopped uploading on 2026-11-12.\n"
    assert set(find_sections(text, noon)) == {"reason"}


@pytest.mark.parametrize("line", ["以上为本次迟发的原因说明。", "我们已经找到原因"])
def test_a_chinese_sentence_on_a_line_of_its_own_is_not_a_heading(line):
    text = f"一、违规情况说明\n10月有迟发。\n\n{line}\n更多说明\n"
    assert set(find_sections(text, POLICIES.get("jd"))) == {"summary"}


def test_jd_three_steps_of_chinese_guides():
    jd = POLICIES.get("jd")
    text = "二、根因分析\n快递停揽。\n\n三、即时措施\n已发出。\n\n四、预防方案\n每天15:00由主管核对。\n"
    assert set(find_sections(text, jd)) == {"root_cause", "rectification"}


def _lint(text: str, evidence=()) -> list:
    case = Case(id="amazon-x", marketplace="amazon", store="Sunrise Home Goods",
                notification=Notification(type="valid_tracking", external_id="1", received=NOW),
                evidence=[EvidenceItem(name=n, requirement=r) for n, r in evidence])
    return lint_letter(LintInput(text, case, AMAZON, NOW))


LETTER = """## Root cause
{cause}

## Corrective actions
{action}

## Preventive measures
Every morning at 09:00 our operations lead checks the carrier names and fixes any mismatch.
"""


def test_the_cause_telling_the_existing_system_is_no_claim_of_a_new_one():
    told = LETTER.format(
        cause="Each order went from our order management system to the label software, "
              "and 41 orders reached Amazon under the wrong carrier name.",
        action="On 2026-11-03 we corrected the carrier name on all 41 orders.")
    assert "unsupported_claim" not in [f.code for f in _lint(told)]
    claimed = LETTER.format(
        cause="41 orders reached Amazon under the wrong carrier name on 2026-10-20.",
        action="On 2026-11-03 we bought a new order management system.")
    assert [f.values["claim"] for f in _lint(claimed) if f.code == "unsupported_claim"] == ["erp"]


def test_a_rule_about_the_carrier_field_is_no_new_carrier():
    text = LETTER.format(
        cause="41 orders reached Amazon under the wrong carrier name on 2026-10-20.",
        action="On 2026-11-05 our developer added a rule to the connector: the carrier sent to "
               "Amazon is read from the label software.")
    assert "unsupported_claim" not in [f.code for f in _lint(text)]


def test_a_sole_trader_who_reviews_names_who_acts():
    text = LETTER.replace(
        "Every morning at 09:00 our operations lead checks the carrier names and fixes any "
        "mismatch.", "Each Monday I review the Valid Tracking Rate report and log every invalid "
        "number.").format(cause="41 orders had no scan on 2026-10-20.",
                          action="On 2026-11-03 we entered the 41 numbers again.")
    assert "prevention_without_mechanism" not in [f.code for f in _lint(text)]


def test_actions_with_no_fact_of_the_case_warn_as_amazon_rejects_them():
    # "Greater detail on the actions you have taken to resolve ..." (sellercentral-europe
    # .amazon.com/forums/t/action-plan-not-accepted/247895)
    vague = LETTER.format(cause="41 orders had no scan on 2026-10-20.",
                          action="We answered the buyers in a timely and professional way.")
    found = [f for f in _lint(vague) if f.code == "actions_not_specific"]
    assert [(f.severity, f.values["section"]) for f in found] == [("warning", "actions_taken")]
    dated = LETTER.format(cause="41 orders had no scan on 2026-10-20.",
                          action="On 2026-11-03 we answered all 41 buyers.")
    assert "actions_not_specific" not in [f.code for f in _lint(dated)]
    every = LETTER.format(cause="41 orders had no scan on 2026-10-20.",
                          action="We shipped every delayed order and sent each buyer its tracking.")
    assert "actions_not_specific" not in [f.code for f in _lint(every)]
