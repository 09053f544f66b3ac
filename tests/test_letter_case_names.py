"""Names the case's own data holds (an SKU, a carrier as the reports write it) are quoted
as they are: a warning to add the English beside them, never a block."""

from __future__ import annotations

import pytest

from appealdesk.checks.letter import LintInput, lint_letter
from appealdesk.letter.facts import case_names
from tests.letter_fixtures import GOOD_AMAZON, NOW, POLICIES, amazon_case

LETTER_CASE = "amazon-5839201744"
AMAZON = POLICIES.get("amazon")


def language(text, case, names=None):
    return {f.severity for f in lint_letter(LintInput(text, case, AMAZON, NOW,
                                                      case_names=names))
            if f.code == "non_english_text"}


def with_line(line: str) -> str:
    return GOOD_AMAZON.replace("## Root cause\n", f"## Root cause\n\n{line}\n")


@pytest.fixture
def ws_with_chinese_names(demo_workspace):
    """The demo case's order report, with a Chinese SKU and carrier in its first order."""
    ws = demo_workspace
    path = ws.store.file_path(LETTER_CASE, "reports", "orders.csv")
    head, first, *rest = path.read_text("utf-8").splitlines()
    cols = head.split(",")
    cells = first.split(",")
    sku = next(i for i, c in enumerate(cols) if c.strip().lower() == "sku")
    carrier = next(i for i, c in enumerate(cols) if "carrier" in c.strip().lower())
    cells[sku], cells[carrier] = "SKU-毛线-1", "云途物流"
    path.write_text("\n".join([head, ",".join(cells), *rest]) + "\n", "utf-8")
    return ws


def test_case_names_come_from_the_case_and_its_reports(ws_with_chinese_names):
    ws = ws_with_chinese_names
    case = ws.store.load(LETTER_CASE)
    names = case_names(case, ws.policy_for(case), ws)
    assert {"SKU-毛线-1", "云途物流"} <= names
    assert all(not n.isascii() for n in names)  # plain ASCII never needs a pass


@pytest.mark.parametrize("line, severity", [
    ("The late orders were all SKU-毛线-1 from one supplier.", "warning"),
    ("We shipped them with 云途物流, whose trucks were stopped.", "warning"),
    # with its English beside it, as the warning asks: nothing
    ("We shipped them with 云途物流 (YunExpress), whose trucks were stopped.", None),
    # free Chinese prose still blocks, with or without a case name on the line
    ("因为物流延误。", "blocking"),
    ("云途物流 因为物流延误。", "blocking"),
])
def test_a_name_from_the_case_data_warns_and_prose_blocks(ws_with_chinese_names, line,
                                                         severity):
    ws = ws_with_chinese_names
    case = ws.store.load(LETTER_CASE)
    names = lambda: case_names(case, ws.policy_for(case), ws)  # noqa: E731
    assert language(with_line(line), case, names) == ({severity} if severity else set())


def test_a_name_the_case_does_not_hold_still_blocks():
    case = amazon_case()
    line = "The late orders were all SKU-毛线-1 from one supplier."
    assert language(with_line(line), case, lambda: {"SKU-棉线-2"}) == {"blocking"}
    assert language(with_line(line), case) == {"blocking"}  # no case data given


def test_a_cited_order_id_in_the_notice_is_a_case_name():
    case = amazon_case()
    case.notification.cited_listings = ["毛线帽-01"]
    assert "毛线帽-01" in case_names(case, AMAZON)
