"""Shapes of published Plans of Action found in the third audit (tests/letters/cases.toml):
a cause part headed "What happened" with a sub-heading per listing, a 整改报告 titled so, and
a cause put on the carrier ("the courier's fault", "beyond our control")."""

from __future__ import annotations

from appealdesk.cases.model import Case, Notification
from appealdesk.checks.letter import LintInput, lint_letter
from appealdesk.checks.letter_sections import find_sections
from tests.letter_fixtures import NOW, POLICIES

AMAZON = POLICIES.get("amazon")


def _codes(text: str, marketplace: str = "amazon") -> list[str]:
    case = Case(id="c", marketplace=marketplace, store="S",
                notification=Notification(type="authenticity", external_id="1", received=NOW))
    return [f.code for f in lint_letter(LintInput(text, case, POLICIES.get(marketplace), NOW))]


PER_ASIN = """# What happened:

## For ASIN B0C4K7TQ21:

A buyer reported a lid seal on 2026-10-21; the lot came from a trading company.

## For ASIN B0C4K9MX80:

60 packs of the same lot had no brand mark.

# What I have done to resolve the issue:

On 2026-10-28 I removed both offers.

# What I will do to prevent this in the future:

Every Monday I review the week's buyer messages and check any word about authenticity.
"""


def test_a_sub_heading_per_listing_stays_in_the_cause_part():
    found = find_sections(PER_ASIN, AMAZON)
    assert set(found) == {"root_cause", "actions_taken", "prevention"}
    assert "B0C4K9MX80" in found["root_cause"].text
    assert "section_empty" not in _codes(PER_ASIN)


def test_a_sub_heading_that_names_a_section_still_starts_it():
    text = "# What happened\n\n3 orders late on 2026-10-02.\n\n## Corrective actions\n\nShipped.\n"
    found = find_sections(text, AMAZON)
    assert set(found) == {"root_cause", "actions_taken"}
    assert "Shipped." not in found["root_cause"].text


def test_a_heading_of_the_same_level_that_names_nothing_ends_the_part():
    # "## Closing" after "## Prevention" is not the prevention's sub-heading
    text = "## Root cause\n\nX on 2026-10-02.\n\n## Closing\n\nThank you.\n"
    assert "Thank you." not in find_sections(text, AMAZON)["root_cause"].text


def test_a_rectification_report_title_is_not_its_measures():
    text = "整改报告\n\n一、基本情况\n14个订单超时。\n\n二、问题原因分析\n快递停揽。\n\n三、整改措施\n每天15:00由主管核对揽收记录。\n"
    found = find_sections(text, POLICIES.get("jd"))
    assert found["rectification"].title == "整改措施"
    assert found["summary"].title == "基本情况"


def test_the_cause_put_on_the_carrier_warns():
    text = ("Root cause: the delays were the courier's fault, beyond our control.\n"
            "Corrective actions: shipped 14 orders on 2026-11-03.\n")
    assert _codes(text).count("cause_on_carrier") == 2


def test_a_carrier_named_as_what_failed_is_no_blame():
    # the phrasebook's own cause sentence names the carrier's failure as a fact
    text = ("Root cause: the late shipments were caused by our carrier UPS missing its scheduled "
            "pick-ups between 2026-10-28 and 2026-11-02, and we had no second carrier.\n")
    assert "cause_on_carrier" not in _codes(text)


def _claims(text: str, files: list[str], quoted: float | None = None) -> list[str]:
    from appealdesk.cases.model import EvidenceItem, QuotedMetric

    case = Case(id="c", marketplace="amazon", store="S", notification=Notification(
        type="late_shipment", external_id="1", received=NOW,
        quoted_metrics=[QuotedMetric("late_shipment_rate_10d", quoted)] if quoted else []),
        evidence=[EvidenceItem(name=f) for f in files])
    return [f.code for f in lint_letter(LintInput(text, case, AMAZON, NOW))
            if f.code in ("unsupported_claim", "figure_mismatch")]


def test_the_notice_quoted_below_a_reply_is_not_the_letters_claim():
    quoted = ("Root cause: x.\n\nOn Mon, Amazon wrote:\n> Your Late Shipment Rate is 7.9%.\n"
              "> Please find attached the invoice of the affected order.\n")
    assert _claims(quoted, [], quoted=6.8) == []
    # the same lines as the letter's own words are judged
    assert sorted(_claims(quoted.replace("> ", ""), [], quoted=6.8)) == [
        "figure_mismatch", "unsupported_claim"]


def test_an_authorisation_letter_said_attached_needs_one_among_the_evidence():
    line = "The brand's letter of authorization is attached.\n"
    assert _claims(line, ["stock-photo.jpg"]) == ["unsupported_claim"]
    assert _claims(line, ["brand-authorization-2026.pdf"]) == []
    sds = "The Safety Data Sheet and the UN38.3 test summary are attached.\n"
    assert _claims(sds, ["stock-photo.jpg"]) == ["unsupported_claim"]
    assert _claims(sds, ["sds-coin-cells.pdf", "un38.3-test-report.pdf"]) == []


def test_a_label_parted_from_its_text_by_a_spaced_dash_names_its_section():
    text = ("Root Cause – UPS missed 5 pick-ups.\n\nCorrective actions - shipped 14 orders.\n\n"
            "Preventive Measures — every day at 15:00 the lead checks the scans.\n")
    assert set(find_sections(text, AMAZON)) == {"root_cause", "actions_taken", "prevention"}
    # a dash in prose names nothing: the cause part keeps its line
    prose = "Root cause: our carrier – UPS – missed 5 pick-ups.\nOur team - two people - saw it late.\n"
    found = find_sections(prose, AMAZON)
    assert set(found) == {"root_cause"} and "two people" in found["root_cause"].text


def test_a_steps_number_does_not_keep_a_heading_from_being_one():
    text = "Step 1 – Root Cause\n\nUPS missed 5 pick-ups.\n\nStep 2 – Corrective Actions\n\nShipped.\n"
    assert set(find_sections(text, AMAZON)) == {"root_cause", "actions_taken"}


def test_a_section_headed_twice_is_judged_on_all_its_text():
    text = ("Root cause:\nThe printer broke on 2026-10-20.\n\n"
            "Corrective actions:\nShipped 37 orders.\n\n"
            "Preventive measures:\nEvery day at 09:00 the clerk checks both printers.\n")
    part = find_sections(text, POLICIES.get("joom"))["action_plan"]
    assert part.title == "Corrective actions" and "Every day at 09:00" in part.text
    assert "prevention_without_mechanism" not in _codes(text, "joom")


def test_a_label_printer_is_no_shipping_label_said_attached():
    line = "We bought a second label printer (invoice attached).\n"
    assert _claims(line, ["printer-invoice.pdf"]) == []
    assert _claims("The shipping labels are attached.\n", ["printer-invoice.pdf"]) == [
        "unsupported_claim"]
