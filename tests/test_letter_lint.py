"""Each letter check code: a letter that triggers it and the good letter that does not."""

from __future__ import annotations

from datetime import timedelta

import pytest

from appealdesk.cases.model import Case, Notification, Status, Submission
from appealdesk.checks.letter import REPEAT_THRESHOLD, LintInput, lint_letter
from appealdesk.checks.letter_links import unsafe_target
from appealdesk.checks.letter_phrases import similarity
from appealdesk.letter.versions import add_version
from appealdesk.letter.words import count_words
from tests.letter_fixtures import GOOD_AMAZON, NOW, POLICIES, amazon_case, rejected

AMAZON = POLICIES.get("amazon")


def codes(text: str | None = None, case: Case | None = None, policy=AMAZON, now=NOW,
          others=()) -> list[str]:
    case = case or amazon_case()
    li = LintInput(text=case.letter.draft if text is None else text, case=case, policy=policy,
                   now=now, other_cases=list(others))
    return [f.code for f in lint_letter(li)]


def test_good_letter_has_no_findings():
    findings = lint_letter(LintInput(GOOD_AMAZON, amazon_case(), AMAZON, NOW))
    assert findings == []


@pytest.mark.parametrize("policy_id", ["amazon", "noon", "joom", "jd"])
def test_shipped_policies_load_with_a_template(policy_id):
    policy = POLICIES.get(policy_id)
    assert policy is not None and policy.letter.template == f"{policy_id}_letter.md"


def test_letter_empty():
    assert codes("  \n") == ["letter_empty"]


def test_missing_section():
    text = GOOD_AMAZON.replace("## Steps to prevent recurrence", "## Next steps")
    assert codes(text).count("missing_section") == 1


def test_section_heading_may_be_the_chinese_title():
    text = GOOD_AMAZON.replace("## About our metrics", "## 关于我们的指标")
    # the heading passes missing_section; the Chinese is still non-English text
    assert "missing_section" not in codes(text)


def test_over_word_limit_whole_letter():
    text = GOOD_AMAZON + "\n" + ("word " * 1000)
    assert "over_word_limit" in codes(text)


def test_over_word_limit_per_section():
    noon = POLICIES.get("noon")
    case = amazon_case(marketplace="noon")
    body = "## Reason\n\n" + "late " * 201 + "\n\n## Corrective actions taken\n\nx\n\n## Prevention\n\ny\n"
    li = LintInput(body, case, noon, NOW)
    hits = [f for f in lint_letter(li) if f.code == "over_word_limit"]
    assert hits and hits[0].where == "letter:1"
    ok = body.replace("late " * 201, "late " * 150)
    assert "over_word_limit" not in [f.code for f in lint_letter(LintInput(ok, case, noon, NOW))]


def test_count_words_counts_cjk_characters():
    assert count_words("We shipped 3 orders") == 4
    assert count_words("迟发率") == 3
    assert count_words("迟发率，已改善。") == 6  # punctuation is not a word
    assert count_words("Root cause <!-- an option not chosen -->") == 2


def test_non_english_text_in_english_letter():
    text = GOOD_AMAZON.replace("## Root cause\n", "## Root cause\n\n因为物流延误。\n")
    hits = [f for f in lint_letter(LintInput(text, amazon_case(), AMAZON, NOW))
            if f.code == "non_english_text"]
    assert len(hits) == 1 and hits[0].where == "letter:7"


def test_chinese_store_name_is_not_non_english():
    case = amazon_case(store="深圳优品")
    text = GOOD_AMAZON.replace("Sunrise Home Goods", "深圳优品")
    assert "non_english_text" not in codes(text, case)


def test_chinese_allowed_in_a_chinese_letter():
    jd = POLICIES.get("jd")
    case = amazon_case(marketplace="jd")
    text = "## 违规情况说明\n\n迟发。\n\n## 原因分析\n\n承运商延误。\n\n## 证明材料\n\n合同。\n\n## 整改措施\n\n增加人员。\n"
    assert "non_english_text" not in [f.code for f in lint_letter(LintInput(text, case, jd, NOW))]


def test_emotional_language():
    assert "emotional_language" in codes(GOOD_AMAZON + "\nThis is ridiculous!!\n")


def test_blames_marketplace_seed_000():
    assert "blames_marketplace" in codes(GOOD_AMAZON + "\nYour system is wrong about these orders.\n")


def test_template_language():
    assert "template_language" in codes(GOOD_AMAZON + "\nWe apologize for any inconvenience.\n")


def test_placeholder_left():
    for bad in ("{carrier}", "TODO", "XXX", "[Store name]"):
        assert "placeholder_left" in codes(GOOD_AMAZON + f"\nSigned: {bad}\n"), bad
    # a Markdown link is not a placeholder
    assert "placeholder_left" not in codes(GOOD_AMAZON + "\nSee [Evidence](#evidence).\n")


def test_unsupported_claim_needs_matching_evidence():
    case = amazon_case(evidence=[])
    found = [f for f in lint_letter(LintInput(GOOD_AMAZON, case, AMAZON, NOW))
             if f.code == "unsupported_claim"]
    assert sorted(f.values["claim"] for f in found) == ["attachment", "carrier", "file", "file"]
    assert "unsupported_claim" not in codes()  # the contract is attached in the good case


def test_unsupported_claim_training_and_erp():
    text = GOOD_AMAZON + "\nWe trained our warehouse staff. We installed a new ERP system.\n"
    assert codes(text).count("unsupported_claim") == 2


def test_an_unsupported_claim_names_the_evidence_it_needs_in_the_operators_language():
    from appealdesk.i18n import set_language

    text = GOOD_AMAZON + "\nWe installed a new ERP system.\n"
    case = amazon_case(evidence=[])
    try:
        set_language("zh")
        found = [f.message for f in lint_letter(LintInput(text, case, AMAZON, NOW))
                 if f.values.get("claim") == "erp"]
    finally:
        set_language("en")
    assert found and "ERP/流程" in found[0] and "process" not in found[0]


def test_multiple_metrics_for_one_metric_policy():
    noon = POLICIES.get("noon")
    case = amazon_case(marketplace="noon")
    names = [m.name for m in noon.metrics][:2]
    text = f"Our {names[0]} and our {names[1]} were high."
    assert "multiple_metrics" in [f.code for f in lint_letter(LintInput(text, case, noon, NOW))]
    one = f"Our {names[0]} was high."
    assert "multiple_metrics" not in [f.code for f in lint_letter(LintInput(one, case, noon, NOW))]


def test_attempts_exhausted_after_two_rejections():
    case = amazon_case()
    case.submissions = [rejected(NOW - timedelta(days=2)), rejected(NOW - timedelta(days=1))]
    case.status = Status.REJECTED
    assert "attempts_exhausted" in codes(GOOD_AMAZON + "\nWe also added a daily audit.\n", case)
    case.submissions = case.submissions[:1]
    assert "attempts_exhausted" not in codes(case=case)


def test_already_submitted():
    case = amazon_case()
    case.submissions = [Submission(at=NOW, operator="t", pdf="a.pdf")]
    assert "already_submitted" in codes(case=case)


def test_deadline_passed_and_near():
    late = amazon_case()
    late.notification.received = NOW - timedelta(days=18)
    assert "deadline_passed" in codes(case=late)
    near = amazon_case()
    near.notification.received = NOW - timedelta(days=16, hours=12)
    found = codes(case=near)
    assert "deadline_near" in found and "deadline_passed" not in found
    done = amazon_case(status=Status.APPROVED)
    done.notification.received = NOW - timedelta(days=30)
    assert "deadline_passed" not in codes(case=done)


def test_repeated_appeal_same_case():
    case = amazon_case()
    add_version(case.letter, GOOD_AMAZON, origin="edited", operator="t", at=NOW - timedelta(days=3))
    case.submissions = [rejected(NOW - timedelta(days=2), text_version=1)]
    case.status = Status.REJECTED
    tweaked = GOOD_AMAZON.replace("2026-11-03", "2026-11-04")
    assert "repeated_appeal" in codes(tweaked, case)
    rewritten = GOOD_AMAZON.split("## Actions already taken")[0] + (
        "## Actions already taken\n\nWe moved all shipments of the lamp SKUs to DHL Express and "
        "hired two packers for the afternoon shift; their contracts are attached. Orders placed "
        "after 14:00 are now packed the same evening.\n\n## Steps to prevent recurrence\n\n"
        "Our ERP now blocks the label print when the pick-up slot is missed and alerts the "
        "manager by phone. The manager reviews the missed pick-ups report every Monday with "
        "the carrier account manager and records the corrective step.\n\n"
        "## About our metrics\n\nThe rate fell to 2.1% in the last 10 days.\n")
    assert similarity(rewritten, GOOD_AMAZON) < REPEAT_THRESHOLD
    assert "repeated_appeal" not in codes(rewritten, case)


def test_repeated_appeal_other_case_same_store_and_type():
    other = amazon_case(id="amazon-1111111111")
    add_version(other.letter, GOOD_AMAZON, origin="edited", operator="t", at=NOW - timedelta(days=40))
    other.submissions = [rejected(NOW - timedelta(days=39), text_version=1)]
    assert "repeated_appeal" in codes(others=[other])
    other.store = "Another Store"
    assert "repeated_appeal" not in codes(others=[other])


@pytest.mark.parametrize("target", ["/etc/passwd", "file:///etc/passwd", "../../secret.png",
                                    "~/x", "evidence/photo.png", "evidence/../../../etc/passwd",
                                    "C:\\x", "data:text/plain,x", "&#x66;ile:///etc/passwd",
                                    "%66ile:///etc/passwd", "&#102;&#105;&#108;&#101;:/x"])
def test_unsafe_targets(target):
    """Files, paths and data: resources would load something, however they are spelled."""
    assert unsafe_target(target)
    assert "unsafe_link" in codes(GOOD_AMAZON + f"\n[see]({target})\n")


@pytest.mark.parametrize("target", ["https://sellercentral.amazon.com/help/G201623610",
                                    "http://example.com/x.png"])
def test_any_image_is_refused_even_remote(target):
    assert "unsafe_link" in codes(GOOD_AMAZON + f"\n![x]({target})\n")
    ref_style = GOOD_AMAZON + f"\n![packaging][pic]\n\n[pic]: {target}\n"
    assert "unsafe_link" in codes(ref_style)


def test_web_addresses_are_text_not_refused():
    assert not unsafe_target("#root-cause")
    assert not unsafe_target("https://a.b/c")
    text = GOOD_AMAZON + (
        "\nWe followed https://sellercentral.amazon.com/help/hub/reference/G201623610 and the "
        "[Plan of Action guide](https://sellercentral.amazon.com/help/G200370560).\n")
    assert codes(text) == []


def test_check_registry_runs_letter_checks(tmp_path):
    from appealdesk.checks.base import CHECK_MODULES, CheckContext, run_checks

    assert "appealdesk.checks.letter" in CHECK_MODULES
    case = amazon_case()
    case.letter.draft = GOOD_AMAZON + "\nTODO\n"
    found = run_checks(CheckContext(case=case, policy=AMAZON, now=NOW))
    assert any(f.code == "placeholder_left" and f.where.startswith("letter:") for f in found)


def test_every_finding_says_how_to_fix():
    case = amazon_case(evidence=[])
    case.notification.received = NOW - timedelta(days=30)
    bad = GOOD_AMAZON + "\nTODO ridiculous!! Your system is wrong. Rest assured. 中文 ![](/etc/passwd)\n"
    found = lint_letter(LintInput(bad, case, AMAZON, NOW))
    assert len({f.code for f in found}) >= 7
    for f in found:
        assert len(f.message) > 30 and f.where


def test_notification_without_type_is_fine():
    case = Case(id="amazon-x", marketplace="amazon", notification=Notification())
    case.letter.draft = GOOD_AMAZON
    # no evidence at all: "the contract is attached" and both named files are not
    assert codes(case=case) == ["unsupported_claim"] * 4


@pytest.mark.parametrize(("line", "severity"), [
    # Chinese sellers name carriers and suppliers with the English beside them
    ("Our courier 顺丰速运 (SF Express) now scans every parcel.", None),
    ("Our courier SF Express（顺丰速运）now scans every parcel.", None),
    # a Chinese input method's punctuation in English text: readable, retype it
    ("Root cause：the courier collected once a day（at 11:00）.", "warning"),
    # Chinese a reviewer cannot read still blocks
    ("The warehouse was closed for 重阳节 and nobody shipped.", "blocking"),
    ("See the attached (物流轨迹截图-顺丰.png).", "blocking"),
    ("因为物流延误。", "blocking"),
    # a sentence is no name: an English word in brackets after it does not make it read
    ("我们已经解决了所有的问题并改进了我们的流程 (SOP)", "blocking"),
    ("Our supplier 深圳市宝安区某某电子科技有限公司 (Shenzhen Mou Electronics) ships daily.",
     None),
    # a template's translation notes left in are no names: a greeting or a heading with its
    # Chinese beside it ("Dear Seller Performance Team,(亲爱的卖家绩效团队)", amz123.com/t/
    # J4tpDCbT, a POA template Chinese sellers copy)
    ("Dear Seller Performance Team,(亲爱的卖家绩效团队)", "blocking"),
    ("Root Cause（根本原因）：", "blocking"),
    ("**Corrective Actions (纠正措施)**", "blocking"),
    ("3. 预防措施 (Preventive measures)", "blocking"),
])
def test_what_only_looks_foreign_does_not_block(line, severity):
    text = GOOD_AMAZON.replace("## Root cause\n", f"## Root cause\n\n{line}\n")
    hits = {f.severity for f in lint_letter(LintInput(text, amazon_case(), AMAZON, NOW))
            if f.code == "non_english_text"}
    assert hits == ({severity} if severity else set())


def test_a_new_pick_up_time_is_not_a_new_carrier():
    case = amazon_case(evidence=[])

    def claims(line: str) -> list[str]:
        return [f.values["claim"] for f in lint_letter(LintInput(line, case, AMAZON, NOW))
                if f.code == "unsupported_claim"]

    assert claims("We added a second daily carrier pick-up at 5 p.m.\n") == []
    assert claims("We added a second carrier collection in the afternoon.\n") == []
    assert claims("We switched to a new carrier, UPS, for all orders.\n") == ["carrier"]


@pytest.mark.parametrize(("line", "claims"), [
    # how published Plans of Action open: the plan itself follows, nothing is attached
    # (apph5.cn/news/archives/14097; amz123.com/t/J4tpDCbT "Below is our plan of action")
    ("Please find below our plan of action for the late shipments on our account.", False),
    ("Please see below the steps we have taken.", False),
    ("Please find our plan of action below.", False),
    ("Please find attached the carrier agreement.", True),
    ("Please see the attached pick-up log.", True),
])
def test_please_find_below_is_no_attachment(line, claims):
    case = amazon_case()
    case.evidence = []
    text = GOOD_AMAZON.replace("## Root cause\n", f"{line}\n\n## Root cause\n", 1)
    found = [f for f in lint_letter(LintInput(text, case, AMAZON, NOW))
             if f.code == "unsupported_claim" and f.values.get("claim") == "attachment"
             and f.where == f"letter:{text.splitlines().index(line) + 1}"]
    assert bool(found) is claims


@pytest.mark.parametrize(("line", "blamed"), [
    ("The buyer provided incorrect shipping information and never replied to us.", True),
    ("Because the customer did not read our e-mail, the claim was opened.", True),
    ("Customers ordered at the last minute before the holiday.", True),
    ("买家提供了错误的地址，并且没有回复我们的邮件。", True),
    # the buyer as the one harmed is our own cause, not blame
    ("The customer did not receive order 114-3941689-8772232 because we shipped it late.",
     False),
    ("19 buyers never received their parcels: our courier lost two bags on 2026-10-21.", False),
])
def test_a_cause_put_on_the_buyer_warns(line, blamed):
    text = GOOD_AMAZON.replace("## Root cause\n", f"## Root cause\n\n{line}\n", 1)
    found = [f for f in lint_letter(LintInput(text, amazon_case(), AMAZON, NOW))
             if f.code == "cause_on_buyer"]
    assert bool(found) is blamed
    assert all(f.severity == "warning" and f.fix == "letter.edit" for f in found)
