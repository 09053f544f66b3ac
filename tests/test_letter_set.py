"""The public letter set: Plans of Action in several heading styles, good and weak.

Each letter in tests/letters/ is linted against the case described in
tests/letters/cases.toml and must produce exactly the codes listed there (a
good letter: none). Property: renaming a section's label to any wording the
policy lists for it, in any of the four layouts, never changes the verdict.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from appealdesk.cases.model import Case, EvidenceItem, Notification, QuotedMetric
from appealdesk.checks.letter import LintInput, lint_letter
from appealdesk.checks.letter_sections import find_sections, section_names
from tests.letter_fixtures import NOW, POLICIES

HERE = Path(__file__).parent / "letters"
MANIFEST = tomllib.loads((HERE / "cases.toml").read_text("utf-8"))
DEFAULTS = MANIFEST["defaults"]


def case_for(name: str) -> tuple[Case, dict]:
    spec = {**DEFAULTS, **MANIFEST["letters"][name]}
    case = Case(
        id=f"{spec['marketplace']}-{name}",
        marketplace=spec["marketplace"],
        store="Sunrise Home Goods",
        notification=Notification(
            type=spec["type"], external_id="5839201744", received=NOW,
            cited_orders=["114-3941689-8772232"],
            quoted_metrics=[QuotedMetric(m, v) for m, v in spec["quoted"]]),
        evidence=[EvidenceItem(name=f, requirement=r or None) for f, r in spec["evidence"]],
    )
    return case, spec


def lint(name: str, text: str | None = None):
    case, spec = case_for(name)
    text = (HERE / f"{name}.md").read_text("utf-8") if text is None else text
    return lint_letter(LintInput(text, case, POLICIES.get(spec["marketplace"]), NOW))


@pytest.mark.parametrize("name", sorted(MANIFEST["letters"]))
def test_letter_gets_exactly_its_codes(name):
    found = lint(name)
    spec = {**DEFAULTS, **MANIFEST["letters"][name]}
    assert sorted(f.code for f in found) == sorted(spec["codes"]), [
        (f.code, f.where, f.message) for f in found]
    for code, severity in spec.get("severity", {}).items():
        assert {f.severity for f in found if f.code == code} == {severity}
    for f in found:  # every finding carries its figures and a fix action
        assert f.fix and f.message


def test_every_weak_letter_is_caught_and_every_good_one_passes():
    names = sorted(MANIFEST["letters"])
    assert sum(n.startswith("good") for n in names) >= 4
    assert sum(n.startswith("weak") for n in names) >= 5


def test_the_good_letters_find_every_section_in_each_layout():
    amazon = POLICIES.get("amazon")
    for name in ("good_markdown_plural", "good_bold_labels", "good_numbered_parts",
                 "good_label_lines"):
        found = find_sections((HERE / f"{name}.md").read_text("utf-8"), amazon)
        assert set(found) == {"root_cause", "actions_taken", "prevention", "metrics"}, name


LAYOUTS = [
    lambda label: f"## {label}",
    lambda label: f"### {label}",
    lambda label: f"**{label}:**",
    lambda label: f"**{label}**",
    lambda label: f"1. {label}",
    lambda label: f"{label}:",
]
BASE = (HERE / "good_markdown_plural.md").read_text("utf-8")
BASE_LABELS = {"root_cause": "## Root Causes", "actions_taken": "## Corrective Actions",
               "prevention": "## Preventive Measures", "metrics": "## About our metrics"}
AMAZON = POLICIES.get("amazon")
SECTIONS = {s.id: s for s in AMAZON.letter.sections}


@settings(max_examples=60, deadline=None)
@given(section=st.sampled_from(sorted(BASE_LABELS)), data=st.data())
def test_renaming_a_heading_to_any_listed_wording_keeps_the_verdict(section, data):
    names = [n for n in section_names(SECTIONS[section]) if n.isascii()]
    name = data.draw(st.sampled_from(names))
    layout = data.draw(st.sampled_from(LAYOUTS))
    text = BASE.replace(BASE_LABELS[section], layout(name))
    assert [f.code for f in lint("good_markdown_plural", text)] == []


def test_metrics_section_only_for_metric_notices():
    text = BASE.split("## About our metrics")[0]
    assert [f.code for f in lint("amazon_dropshipping_deactivation", text)] == []
    assert "missing_section" in [f.code for f in lint("good_markdown_plural", text)]


def test_a_verbatim_boilerplate_phrase_is_reported_once():
    from appealdesk.checks.letter_phrases import boilerplate_hits, phrase_lists

    text = "We apologize for any inconvenience caused to our buyers."
    assert boilerplate_hits(text, phrase_lists().boilerplate) == []


JD = POLICIES.get("jd")
JD_BASE = (HERE / "jd_good_zh.md").read_text("utf-8")
JD_LABELS = {"summary": "一、违规情况说明", "root_cause": "二、问题原因", "evidence": "三、证明材料",
             "rectification": "四、整改措施"}
JD_LAYOUTS = [
    lambda label: f"## {label}",
    lambda label: f"**{label}：**",
    lambda label: f"一、{label}",
    lambda label: f"{label}：",
]


@settings(max_examples=40, deadline=None)
@given(section=st.sampled_from(sorted(JD_LABELS)), data=st.data())
def test_renaming_a_chinese_heading_keeps_the_verdict(section, data):
    sec = next(s for s in JD.letter.sections if s.id == section)
    name = data.draw(st.sampled_from(section_names(sec)))
    layout = data.draw(st.sampled_from(JD_LAYOUTS))
    text = JD_BASE.replace(JD_LABELS[section], layout(name))
    assert [f.code for f in lint("jd_good_zh", text)] == []


def test_a_published_two_part_letter_misses_the_actions_and_only_the_metrics_part_warns():
    # the A) B) letter a seller posted after its rejection "not complete" (forum t/314214)
    found = {f.values["section"]: f.severity
             for f in lint("weak_two_lettered_parts") if f.code == "missing_section"}
    assert found == {"actions_taken": "blocking", "metrics": "warning"}


def test_a_whole_sentence_label_needs_a_line_of_its_own():
    amazon = POLICIES.get("amazon")
    alone = "Intro.\n\nWhat we have done to prevent the problems from happening again in the future:\nWe check daily.\n"
    assert set(find_sections(alone, amazon)) == {"prevention"}
    prose = ("What we have done to prevent the problems from happening again in the future is "
             "simple: we check daily.\n")
    assert find_sections(prose, amazon) == {}


@pytest.mark.parametrize(("label", "section"), [
    # CAPA-style singular headings of published templates: "Corrective Action / Preventive
    # Action" (the policy lists the plural "Preventive actions")
    ("Preventive Action:", "prevention"),
    ("Preventative Action：", "prevention"),
    ("Long-term Preventive Measure:", "prevention"),
    ("Immediate Corrective Action:", "actions_taken"),
])
def test_a_singular_heading_names_the_section_its_plural_names(label, section):
    found = find_sections(f"Intro.\n\n{label}\nWe check every order at 16:00.\n",
                          POLICIES.get("amazon"))
    assert set(found) == {section}
