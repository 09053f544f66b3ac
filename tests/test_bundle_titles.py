"""An image's page in the evidence bundle prints its file name above it, in any script:
a Chinese or German name was printed as "?" (Helvetica has neither)."""

from __future__ import annotations

import io

from pypdf import PdfReader

from appealdesk.evidence.bundle import _image_page
from tests.evidence_fixtures import make_png


def _title_text(tmp_path, title: str) -> str:
    data = make_png(tmp_path / "t.png").read_bytes()
    return PdfReader(io.BytesIO(_image_page(data, title))).pages[0].extract_text()


def test_a_chinese_or_german_file_name_prints_as_written(tmp_path):
    for title in ("发货单_顺丰_2026-11-20.png", "Rechnung Müller Łódź.jpg"):
        text = _title_text(tmp_path, title)
        assert title in text, text
        assert "?" not in text


def test_an_ascii_name_prints_as_before_and_an_emoji_as_a_question_mark(tmp_path):
    assert "tracking_123.png" in _title_text(tmp_path, "tracking_123.png")
    assert "box ?.png" in _title_text(tmp_path, "box 📦.png")
