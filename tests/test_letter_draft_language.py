"""The draft is written in the letter's language, whatever the interface's language is."""

from __future__ import annotations

import re

import pytest

from appealdesk.i18n import _, set_language
from appealdesk.letter.draft import draft_for_case, rejection_note
from appealdesk.letter.facts import facts_for_case
from tests.letter_fixtures import NOW, POLICIES, amazon_case

CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")


@pytest.fixture
def chinese_interface():
    set_language("zh")
    yield
    set_language("en")


def test_an_english_draft_has_no_chinese_when_the_interface_is_chinese(chinese_interface):
    # no evidence yet: the draft's own TODO line, and the option notes, are there
    case = amazon_case(evidence=[])
    assert _("no reason recorded") != "no reason recorded"  # the catalog is really Chinese
    text = draft_for_case(case, POLICIES.get("amazon"), now=NOW)
    assert "TODO: no evidence file is attached yet" in text
    assert "<!-- choose:" in text
    assert not CJK.findall(text), CJK.findall(text)


def test_the_rejection_note_follows_the_letter_language(chinese_interface):
    case = amazon_case()
    facts = facts_for_case(case, POLICIES.get("amazon"), now=NOW)
    note = rejection_note(facts, NOW)
    assert note.startswith("> TODO (rejected ") and not CJK.findall(note)


def test_case_data_in_chinese_stays_as_the_case_has_it(chinese_interface):
    case = amazon_case(store="毛线小铺", evidence=[])
    text = draft_for_case(case, POLICIES.get("amazon"), now=NOW)
    assert set(CJK.findall(text)) <= set("毛线小铺")


def test_a_chinese_letter_gets_chinese_notes():
    jd = POLICIES.get("jd")
    case = amazon_case(marketplace="jd", site="", evidence=[],
                       notification=amazon_case().notification)
    text = draft_for_case(case, jd, now=NOW)
    assert "TODO: " in text and CJK.search(text.split("TODO: ", 1)[1].splitlines()[0])
