"""Every finding the checks can raise has a title an operator reads instead of its code."""

from __future__ import annotations

import re
from pathlib import Path

import appealdesk
from appealdesk.checks.reasons import TITLES, title
from appealdesk.i18n import set_language

SOURCE = Path(appealdesk.__file__).parent


def raised_codes() -> set[str]:
    codes: set[str] = set()
    for path in SOURCE.rglob("*.py"):
        codes |= set(re.findall(r'Finding\(\s*"([a-z_]+)"', path.read_text("utf-8")))
    return codes


def test_the_scan_finds_the_checks():
    assert {"placeholder_left", "repeated_appeal", "section_unchanged"} <= raised_codes()


def test_every_raised_code_has_a_title():
    assert sorted(raised_codes() - TITLES.keys()) == []


def test_titles_are_translated():
    set_language("zh")  # conftest puts English back after each test
    untranslated = [code for code in TITLES if title(code) == TITLES[code]]
    assert untranslated == []
