"""The PDF letter: text round trip (English and Chinese), refusals, names and size."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
from pypdf import PdfReader

from appealdesk.render.pdf import (
    RenderError,
    _link_callback,
    letter_file_name,
    markdown_to_html,
    render_letter,
)
from tests.letter_fixtures import GOOD_AMAZON, NOW

CASE = "amazon-5839201744"


def _text(path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_english_round_trip(demo_workspace):
    ws = demo_workspace
    case = ws.store.load(CASE)
    result = render_letter(ws.store, case, ws.policy_for(case), at=NOW, text=GOOD_AMAZON)
    assert result.ok and result.path.parent.name == "out"
    text = _text(result.path)
    for needle in ("Plan of Action", "Root cause", "Steps to prevent recurrence",
                   "Late shipment rate (10 days)", "6.80%", "5839201744", case.store,
                   "Page 1 of 1"):
        assert _squash(needle) in _squash(text), needle
    assert result.name == f"POA_Sunrise-Home-Goods_5839201744_{NOW:%Y-%m-%d}.pdf"


def test_chinese_round_trip_jd(demo_workspace):
    from appealdesk.letter.draft import draft_for_case

    ws = demo_workspace
    case = ws.store.load("jd-jdv-2026-118845")
    policy = ws.policy_for(case)
    letter = draft_for_case(case, policy, now=NOW, workspace=ws)
    result = render_letter(ws.store, case, policy, at=NOW, text=letter)
    text = _squash(_text(result.path))
    for needle in ("申诉说明", case.store, "原因分析", "整改措施", "JDV-2026-118845"):
        assert _squash(needle) in text, needle
    assert "\ufffd" not in text and "□" not in text
    assert result.name.startswith("申诉说明_")


def test_long_letter_has_page_numbers(demo_workspace):
    ws = demo_workspace
    case = ws.store.load(CASE)
    long = GOOD_AMAZON + "\n\n" + "\n\n".join(
        f"Paragraph {i}: we checked the dispatch log for the day and confirmed each order." * 3
        for i in range(60))
    result = render_letter(ws.store, case, ws.policy_for(case), at=NOW, text=long)
    assert result.pages >= 3
    assert "Page 3 of" in _text(result.path)


@pytest.mark.parametrize("target", ["/etc/passwd", "file:///etc/passwd", "../../case.toml",
                                    "http://127.0.0.1:9/x.png", "https://example.com/a.png"])
def test_outside_files_and_urls_are_refused(demo_workspace, target):
    ws = demo_workspace
    case = ws.store.load(CASE)
    text = GOOD_AMAZON + f"\n![proof]({target})\n\n[see]({target})\n"
    result = render_letter(ws.store, case, ws.policy_for(case), at=NOW, text=text)
    refused = [f for f in result.findings if f.code == "unsafe_link"]
    web = target.startswith("http")
    # the image is always refused; a link to a web page is printed as text, not refused
    assert len(refused) == (1 if web else 2) and not result.ok
    data = result.path.read_bytes()
    if web:
        assert _squash(f"see ({target})") in _squash(_text(result.path))
    assert b"root:x:0" not in data and b"/URI" not in data and b"/Subtype /Image" not in data


def test_raw_html_is_not_rendered():
    html = markdown_to_html('<img src="/etc/passwd"><script>x</script>')
    assert "<img" not in html and "<script" not in html and "&lt;img" in html


def test_link_callback_gives_out_only_the_letter_font(tmp_path):
    from appealdesk.render.fonts import CJK_FONT_URI, cjk_font_path

    (tmp_path / "evidence").mkdir()
    (tmp_path / "evidence" / "a.png").write_bytes(b"x")
    cb = _link_callback(tmp_path)
    assert cb(CJK_FONT_URI) == str(cjk_font_path())
    for uri in ("evidence/a.png", "/etc/passwd", "file:///etc/passwd", "../x", "http://x/y",
                "evidence/nope.png", str(cjk_font_path())):
        assert cb(uri) == ""


def test_size_limit_is_checked(demo_workspace):
    ws = demo_workspace
    case = ws.store.load(CASE)
    policy = ws.policy_for(case)
    tiny = replace(policy, files=replace(policy.files, max_bytes=1000))
    result = render_letter(ws.store, case, tiny, at=NOW, text=GOOD_AMAZON)
    assert [f.code for f in result.findings] == ["letter_too_large"]


def test_empty_letter_is_an_error(demo_workspace):
    ws = demo_workspace
    case = ws.store.load(CASE)
    with pytest.raises(RenderError):
        render_letter(ws.store, case, ws.policy_for(case), at=NOW, text="  ")


def test_file_name_is_safe(demo_workspace):
    ws = demo_workspace
    case = ws.store.load(CASE)
    case.store = "../../etc/passwd Shop"
    name = letter_file_name(ws.policy_for(case), case, NOW)
    assert "/" not in name and not name.startswith(".") and name.endswith(".pdf")


def test_pdf_is_valid_without_writing(demo_workspace):
    ws = demo_workspace
    case = ws.store.load(CASE)
    result = render_letter(ws.store, case, ws.policy_for(case), at=NOW, text=GOOD_AMAZON,
                           write=False)
    assert result.path is None and result.size > 1000
    assert ws.store.list_files(CASE, "out") == []
