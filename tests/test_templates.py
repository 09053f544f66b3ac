"""One template filler and one day parser for the whole program."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from appealdesk.deadlines.days import day_or_none, parse_day
from appealdesk.evidence.names import template_pattern
from appealdesk.policy.templates import fill, placeholders
from appealdesk.render.pdf import letter_file_name


def test_fill_keeps_what_it_cannot_fill():
    assert fill("{store}: {nope}", {"store": "S"}) == "S: {nope}"
    assert fill("{store}", {"store": ""}) == "{store}"  # empty is unknown, never blank
    assert fill("{n:03d}-{x:>9}", {"n": 7, "x": "abc"}) == "007-      abc"
    assert fill("{n:zz}", {"n": 7}) == "7"  # a spec that does not fit the value
    assert fill("broken {store", {"store": "S"}) == "broken {store"
    assert fill("{{store}}", {"store": "S"}) == "{S}"
    assert fill("{a} {b}", {}, missing=str.upper) == "A B"
    assert placeholders("{a}_{b}_{a}.pdf") == ["a", "b"]


@given(st.text(max_size=60), st.dictionaries(st.from_regex(r"[a-z_]{1,8}", fullmatch=True),
                                              st.text(max_size=10), max_size=4))
def test_fill_never_fails(template, values):
    assert isinstance(fill(template, values), str)


def test_parse_day():
    assert parse_day("2026-11-03") == date(2026, 11, 3)
    assert parse_day(" 2026-1-3 ") == date(2026, 1, 3)
    for bad in ("2026-02-30", "03/11/2026", "", "2026-11-03T10:00"):
        with pytest.raises(ValueError, match="YYYY-MM-DD"):
            parse_day(bad)
    assert day_or_none("2026-11-03T10:00:00+00:00") == date(2026, 11, 3)
    assert day_or_none("not a date") is None and day_or_none(None) is None


def test_the_letter_name_matches_the_pattern_the_letter_is_found_by(demo_workspace):
    ws = demo_workspace
    at = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)
    for case in ws.store.load_all().cases:
        policy = ws.policy_for(case)
        if policy is None or not policy.files.letter_name:
            continue
        case.store = "深圳 / Shop ../x"
        name = letter_file_name(policy, case, at)
        assert "/" not in name and name.endswith(".pdf")
        assert template_pattern(policy.files.letter_name).match(name), (policy.id, name)
