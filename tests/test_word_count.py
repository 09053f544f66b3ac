"""One count for one thing: the editor's status line, ``letter versions`` (text and
JSON), ``show`` and the length checks all give the same number of words for a text,
by the one rule in ``appealdesk.letter.words``."""

from __future__ import annotations

import dataclasses

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from appealdesk.checks.letter import LintInput, lint_letter
from appealdesk.cli.letter_cmd import _version_dict
from appealdesk.i18n import set_language
from appealdesk.letter.versions import add_version, apply_draft, save_edit
from appealdesk.letter.words import count_words, words_label
from tests.conftest import settle
from tests.letter_fixtures import NOW, POLICIES, amazon_case

AMAZON = POLICIES.get("amazon")
# A policy whose whole-letter limit is one word: the check then reports its count.
ONE_WORD = dataclasses.replace(
    AMAZON, letter=dataclasses.replace(AMAZON.letter, word_limit=1, sections=()))

pieces = st.one_of(
    st.sampled_from(["late", "shipment", "don't", "3.5%", "113-2233445-5667788", "B08XYZ1234",
                     "Root cause:", "## Prevention", "迟发", "物流延误", "，", "。", "：",
                     "<!-- an option not chosen -->", "\n", "  ", "—", "(", ")"]),
    st.text(alphabet=st.characters(codec="utf-8", categories=("L", "N", "P", "Z")),
            max_size=8),
)
letters = st.lists(pieces, max_size=40).map(" ".join)


def check_count(text: str) -> int | None:
    findings = lint_letter(LintInput(text, amazon_case(), ONE_WORD, NOW))
    over = [f for f in findings if f.code == "over_word_limit"]
    return over[0].values["words"] if over else None


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(letters)
def test_every_count_of_a_letter_is_the_same_number(text):
    n = count_words(text)
    case = amazon_case()
    version = add_version(case.letter, text, origin="drafted", operator="t", at=NOW)
    assert _version_dict(version)["words"] == n  # letter versions, text and --json
    if text.strip() and n > 1:
        assert check_count(text) == n  # over_word_limit's count
    elif text.strip():
        assert check_count(text) is None  # at the limit: no finding
    assert str(n) in words_label(n)


def test_the_rule_counts_cjk_characters_and_not_punctuation_or_comments():
    assert count_words("We shipped 3 orders late.") == 5
    assert count_words("迟发率已改善。") == 6
    assert count_words("订单 113-2233445-5667788 迟发") == 5
    assert count_words("Cause <!-- not this one --> carrier") == 2


def test_the_unit_is_shown_with_plurals_in_both_languages():
    assert words_label(1) == "1 word"
    assert words_label(296) == "296 words"
    set_language("zh")
    assert words_label(1) == "1 个词" and words_label(296) == "296 个词"


def test_saving_nothing_on_a_new_case_makes_no_version():
    """The editor saves before drafting; on a new case that text is empty: no phantom
    "version 1 · edited · 0 words", and the first draft is version 1."""
    case = amazon_case()
    case.letter = dataclasses.replace(case.letter, draft="", versions=[], version=0)
    assert save_edit(case, "", operator="t", at=NOW) is None
    assert case.letter.versions == []
    first = apply_draft(case, "Root cause: the carrier.", operator="t", at=NOW)
    assert first.version == 1 and [v.version for v in case.letter.versions] == [1]


async def test_the_editor_and_the_versions_dialog_say_the_same_count(demo_app):
    """The app shows the same number as the core, with its unit, in both places."""
    from appealdesk.screens.dialogs.letter_versions import LetterVersionsScreen

    app = demo_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        app.select_case("amazon-5839201744")
        await settle(pilot)
        await pilot.press("4")
        await settle(pilot)
        pane = app.screen.query_one("#editor-pane")
        status = str(app.screen.query_one("#editor-status").render())
        label = words_label(count_words(pane.text))
        assert label in status
        app.push_screen(LetterVersionsScreen(app.case))
        await settle(pilot)
        rows = [str(o.prompt) for o in app.screen.query_one("#versions-list")._options]
        assert any(label in row for row in rows)
