"""The PDF reads the same everywhere: CJK embedded as a subset, wrapped, labels in the
letter's language; plain URLs printed; DRAFT marking; submit refuses a DRAFT."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from pypdf import PdfReader

from appealdesk.checks.base import BLOCKING, Finding
from appealdesk.render.draft_mark import DRAFT_PREFIX, is_draft
from appealdesk.render.pdf import render_letter
from tests.letter_fixtures import GOOD_AMAZON, NOW

JD = "jd-jdv-2026-118845"
AMAZON = "amazon-5839201744"
# 300 characters of Chinese without a space: it must wrap inside the margins.
LONG_ZH = ("十月二十八日至十一月二日合作快递停止上门揽收，仓库已打包的订单无法按时交接，"
           "我们每天联系快递公司但对方无法提供替代车辆，因此十四笔订单晚于承诺时间出库。") * 4


def _text(path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _fonts(path) -> list[dict]:
    """Every font dictionary the pages use, with its descriptor resolved."""
    out = []
    for page in PdfReader(path).pages:
        fonts = page["/Resources"].get_object().get("/Font", {})
        for ref in fonts.get_object().values():
            font = ref.get_object()
            desc = font.get("/FontDescriptor")
            out.append({"name": str(font.get("/BaseFont")),
                        "desc": desc.get_object() if desc is not None else {}})
    return out


def _jd_letter() -> str:
    return (f"# 申诉说明 — 好家居旗舰店\n\n## 违规情况说明\n\n2026年10月迟发率 11.1%。\n\n"
            f"## 原因分析\n\n{LONG_ZH}\n\n## 证明材料\n\n揽收记录见附件。\n\n"
            "## 整改措施\n\n每天15:00由仓库主管核对揽收扫描记录。\n")


@pytest.fixture
def jd_pdf(demo_workspace):
    ws = demo_workspace
    case = ws.store.load(JD)
    return render_letter(ws.store, case, ws.policy_for(case), at=NOW, text=_jd_letter())


def test_chinese_letter_has_every_character_and_no_boxes(jd_pdf):
    text = _text(jd_pdf.path)
    assert "■" not in text and "\ufffd" not in text and "□" not in text
    flat = _squash(text)
    assert _squash(LONG_ZH) in flat  # not one character lost at the margin
    for label in ("店铺", "平台", "通知编号", "日期", "第1页/共1页"):
        assert label in flat, label


def test_chinese_paragraph_wraps_inside_the_margins(jd_pdf):
    lines = [ln for ln in _text(jd_pdf.path).splitlines() if "揽收" in ln or "快递" in ln]
    # A4 with 2 cm margins holds about 45 characters of 10.5 pt text on a line.
    assert len(lines) >= 6
    assert max(len(ln.strip()) for ln in lines) <= 50


def test_cjk_font_is_embedded_as_a_subset(jd_pdf):
    fonts = _fonts(jd_pdf.path)
    cjk = [f for f in fonts if "WenQuanYi" in f["name"]]
    assert cjk, [f["name"] for f in fonts]
    for f in cjk:
        assert re.match(r"/[A-Z]{6}\+", f["name"])  # a subset
        assert "/FontFile2" in f["desc"] or "/FontFile3" in f["desc"]
    assert not any("STSong" in f["name"] for f in fonts)


def test_chinese_pdf_stays_small(jd_pdf):
    assert jd_pdf.size < 200_000  # a subset, not the 5 MB font


@pytest.mark.skipif(not shutil.which("pdffonts"), reason="poppler-utils not installed")
def test_pdffonts_reports_every_non_base_font_embedded(jd_pdf):
    out = subprocess.run(["pdffonts", str(jd_pdf.path)], capture_output=True, text=True,
                         check=True).stdout
    rows = [ln.split() for ln in out.splitlines()[2:] if ln.strip()]
    for row in rows:
        if "WenQuanYi" in row[0]:
            assert row[-5] == "yes", row  # emb


def test_english_letter_with_a_plain_url_renders_clean(demo_workspace):
    ws = demo_workspace
    case = ws.store.load(AMAZON)
    url = "https://sellercentral.amazon.com/help/hub/reference/external/G201623610"
    text = GOOD_AMAZON + f"\nWe followed {url} and [the guide](https://example.com/poa).\n"
    result = render_letter(ws.store, case, ws.policy_for(case), at=NOW, text=text)
    assert result.ok and result.findings == []
    flat = _squash(_text(result.path))
    assert _squash(url) in flat and _squash("the guide (https://example.com/poa)") in flat
    assert b"/URI" not in result.path.read_bytes()
    assert "Page1of1" in flat and "■" not in flat


def test_unchosen_options_are_not_printed(demo_workspace):
    ws = demo_workspace
    case = ws.store.load(AMAZON)
    text = GOOD_AMAZON + "\n<!-- option: a cause nobody chose -->\n"
    result = render_letter(ws.store, case, ws.policy_for(case), at=NOW, text=text)
    assert "nobody chose" not in _text(result.path)


def test_a_forced_render_is_a_draft_and_submit_refuses_it(demo_workspace):
    from appealdesk.operations.submissions import SubmissionError, submit

    ws = demo_workspace
    case = ws.store.load(AMAZON)
    blocking = [Finding("placeholder_left", BLOCKING, "line 3 still has TODO", "letter:3")]
    result = render_letter(ws.store, case, ws.policy_for(case), at=NOW, text=GOOD_AMAZON,
                           blocking=blocking)
    assert result.draft and result.name.startswith(DRAFT_PREFIX)
    assert "DRAFT" in _text(result.path) and is_draft(result.path)
    renamed = result.path.with_name("final.pdf")  # the mark survives a rename
    result.path.rename(renamed)
    assert is_draft(renamed)
    renamed.rename(result.path)  # a PDF not named like a letter is no letter to submit
    with pytest.raises(SubmissionError, match="DRAFT"):
        submit(ws, AMAZON)
    final = render_letter(ws.store, case, ws.policy_for(case), at=NOW, text=GOOD_AMAZON)
    assert not final.draft and not is_draft(final.path)


def test_no_line_starts_with_chinese_closing_punctuation(jd_pdf):
    lines = [ln.strip() for ln in _text(jd_pdf.path).splitlines() if ln.strip()]
    assert not [ln for ln in lines if ln[0] in "，。；：！？、）》”"]


def test_a_long_plain_url_wraps_inside_the_margins(demo_workspace):
    ws = demo_workspace
    case = ws.store.load(AMAZON)
    url = "https://sellercentral.amazon.com/help/hub/reference/external/" + "G201623610x" * 14
    result = render_letter(ws.store, case, ws.policy_for(case), at=NOW,
                           text=GOOD_AMAZON + f"\nSee {url}\n")
    text = _text(result.path)
    assert _squash(url) in _squash(text)
    assert max(len(ln) for ln in text.splitlines()) <= 110


def test_chinese_in_an_english_letter_prints_from_any_working_directory(
        demo_workspace, tmp_path, monkeypatch):
    """Operators start the program from their home folder, not from the folder the
    virtual environment lives in: the font must be read wherever that is (xhtml2pdf
    confines local reads to the working directory unless told otherwise)."""
    ws = demo_workspace
    case = ws.store.load(AMAZON)
    case.store = "晨光小铺"
    monkeypatch.chdir(tmp_path)  # nowhere near site-packages
    text = GOOD_AMAZON + "\nOur courier 顺丰速运 (SF Express) now scans every parcel.\n"
    result = render_letter(ws.store, case, ws.policy_for(case), at=NOW, text=text)
    flat = _squash(_text(result.path))
    assert "晨光小铺" in flat and "顺丰速运(SFExpress)" in flat, flat[:300]
    assert "■" not in flat
    assert any("WenQuanYi" in f["name"] for f in _fonts(result.path))


def test_a_pasted_plan_of_action_keeps_its_lines(demo_workspace):
    """Published Plans of Action (and letters pasted from a word processor) use "•"
    bullets under "Label:" lines, with single line breaks; the PDF keeps each line."""
    ws = demo_workspace
    case = ws.store.load(AMAZON)
    text = ("Dear Seller Performance team,\nThank you for reviewing our account.\n\n"
            "What went wrong:\n• One courier collected once a day at 11:00.\n"
            "• Confirmations were uploaded by hand.\n\n"
            "What we have done to prevent this in the future:\n"
            "A second pick-up at 17:00 and hourly uploads.\n\nKind regards,\nSunrise Home Goods\n")
    result = render_letter(ws.store, case, ws.policy_for(case), at=NOW, text=text)
    lines = [ln.strip() for ln in _text(result.path).splitlines() if ln.strip()]
    for own_line in ("Dear Seller Performance team,", "What went wrong:", "Kind regards,",
                     "What we have done to prevent this in the future:"):
        assert own_line in lines, lines
    assert sum(ln.endswith(("11:00.", "by hand.")) for ln in lines) == 2, lines


def test_european_names_print_and_what_no_font_has_is_left_out_with_a_warning(demo_workspace):
    """Helvetica (WinAnsi) has no Ł, ř or İ: a Polish warehouse, a Czech name or an
    Istanbul address printed as ■. They are set in the embedded font, which has them;
    emoji and ₹, which no font of the letter has, are left out and the operator is told."""
    ws = demo_workspace
    case = ws.store.load(AMAZON)
    case.store = "Łukasz Handel ✨"
    text = GOOD_AMAZON + "\nOur warehouse in Łódź ships to İstanbul; Mr Dvořák paid ₹300 🌟.\n"
    result = render_letter(ws.store, case, ws.policy_for(case), at=NOW, text=text)
    flat = _squash(_text(result.path))
    for word in ("ŁukaszHandel", "Łódź", "İstanbul", "Dvořák"):
        assert word in flat, flat[-300:]
    assert "■" not in flat and "✨" not in flat and "🌟" not in flat
    (warning,) = [f for f in result.findings if f.code == "unprintable_text"]
    assert warning.severity == "warning" and set(warning.values["characters"]) == {"✨", "₹", "🌟"}
    assert case.store == "Łukasz Handel ✨"  # the case itself is not changed
