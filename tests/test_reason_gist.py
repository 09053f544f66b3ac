"""A reviewer's reason, quoted above the letter and in findings, starts where it says
something: the greeting and thanks it opens with are left out."""

from __future__ import annotations

from appealdesk.intake.reason import reason_gist


def test_greeting_and_thanks_are_left_out():
    said = ("Hello,  Thank you for your appeal. Unfortunately, the information you provided "
            "does not adequately address our concerns.")
    assert reason_gist(said).startswith("Unfortunately, the information")


def test_chinese_greeting_and_thanks_are_left_out():
    assert reason_gist("您好，感谢您提交的申诉。很抱歉，您的行动计划未说明根本原因。") == (
        "很抱歉，您的行动计划未说明根本原因。")


def test_a_reason_that_is_only_thanks_is_kept_as_it_is():
    assert reason_gist("Thank you for your appeal.") == "Thank you for your appeal."


def test_a_reason_without_pleasantries_is_unchanged_but_on_one_line():
    assert reason_gist("Root cause\n  not addressed.") == "Root cause not addressed."
