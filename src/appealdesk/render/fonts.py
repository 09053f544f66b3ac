"""The fonts of the letter PDF.

Latin text is set in Helvetica (one of the PDF base fonts: every reader has it).
Chinese, Japanese and Korean text is set in WenQuanYi Micro Hei, a TrueType font
(Apache-2.0) shipped by the pinned PyPI package ``paperang-p2-fonts-cjk``. It is
embedded as a subset — only the glyphs the letter uses — so the PDF shows
every character on a machine without any CJK font (a shared server where
operators check the PDF); a CID font such as reportlab's ``STSong-Light`` is not
embedded and shows boxes there.

The font file is located when a letter is first rendered, never at start-up.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path

CJK_FAMILY = "appealdesk-cjk"
# The URI the stylesheet names the font by; the renderer's link callback maps it to
# the file and to nothing else (it refuses every other URI outside the case folder).
CJK_FONT_URI = "appealdesk-font:cjk.ttc"
FONT_PACKAGE = "paperang_p2_fonts_cjk"
FONT_FILE = "fonts/wqy-microhei.ttc"


class FontMissing(Exception):
    """The CJK font package is not installed; one line for the user."""


@lru_cache(maxsize=1)
def cjk_font_path() -> Path:
    try:
        path = Path(str(resources.files(FONT_PACKAGE).joinpath(FONT_FILE)))
    except ModuleNotFoundError:
        raise FontMissing(
            f"the CJK font package {FONT_PACKAGE!r} is not installed; install the "
            "requirements again (pip install -r requirements.txt)") from None
    if not path.is_file():
        raise FontMissing(f"the CJK font file {FONT_FILE} is missing from {FONT_PACKAGE}")
    return path


@lru_cache(maxsize=1)
def cjk_font_chars() -> frozenset[int]:
    """The code points the CJK font has a glyph for (it covers Latin Extended too: Ł, ř, İ)."""
    from reportlab.pdfbase.ttfonts import TTFontFile

    return frozenset(TTFontFile(str(cjk_font_path()), subfontIndex=0).charToGlyph)


def font_face_css() -> str:
    """The @font-face rule that makes the CJK family available to the stylesheet."""
    return f'@font-face {{ font-family: "{CJK_FAMILY}"; src: url("{CJK_FONT_URI}"); }}\n'


# Chinese punctuation that must not start a line. The CJK line breakers (reportlab's
# and xhtml2pdf's copy of it) know 、。」』】〕］） but not the full-width comma and
# its kin, so a line could begin with "，". Their list is a module global read at
# every break: add ours once.
NO_LINE_START = "，；：！？》〉”’％）"


def ensure_cjk_line_breaking() -> None:
    from reportlab.platypus import paragraph
    from xhtml2pdf import reportlab_paragraph  # xhtml2pdf's own copy of the breaker

    for module in (paragraph, reportlab_paragraph):
        missing = "".join(ch for ch in NO_LINE_START if ch not in module.ALL_CANNOT_START)
        if missing:
            module.ALL_CANNOT_START += missing
