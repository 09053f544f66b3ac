"""Where the CJK font file the PDFs embed is (usable from any layer: the letter renderer
in ``render`` and the evidence bundle's page titles in ``evidence`` both set text in it).

WenQuanYi Micro Hei (Apache-2.0), shipped by the pinned PyPI package
``paperang-p2-fonts-cjk``; it covers Latin Extended too (Ł, ř, İ, ü). Located on
first use, never at start-up."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path

from appealdesk.i18n import _

FONT_PACKAGE = "paperang_p2_fonts_cjk"
FONT_FILE = "fonts/wqy-microhei.ttc"
REPORTLAB_NAME = "AppealDeskCJK"  # the font as registered with reportlab's canvas


class FontMissing(Exception):
    """The CJK font package is not installed; one line for the user."""


@lru_cache(maxsize=1)
def cjk_font_path() -> Path:
    try:
        path = Path(str(resources.files(FONT_PACKAGE).joinpath(FONT_FILE)))
    except ModuleNotFoundError:
        raise FontMissing(_(
            "the CJK font package {package} is not installed; install the requirements "
            "again (pip install -r requirements.txt)").format(package=repr(FONT_PACKAGE))
        ) from None
    if not path.is_file():
        raise FontMissing(_("the CJK font file {file} is missing from {package}").format(
            file=FONT_FILE, package=FONT_PACKAGE))
    return path


@lru_cache(maxsize=1)
def cjk_font_chars() -> frozenset[int]:
    """The code points the CJK font has a glyph for (it covers Latin Extended too: Ł, ř, İ)."""
    from reportlab.pdfbase.ttfonts import TTFontFile

    return frozenset(TTFontFile(str(cjk_font_path()), subfontIndex=0).charToGlyph)


def reportlab_cjk_font() -> str:
    """The CJK font's name for a reportlab canvas (registered once); raises FontMissing."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if REPORTLAB_NAME not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(REPORTLAB_NAME, str(cjk_font_path()), subfontIndex=0))
    return REPORTLAB_NAME


__all__ = ["FONT_FILE", "FONT_PACKAGE", "FontMissing", "cjk_font_chars", "cjk_font_path",
           "reportlab_cjk_font"]
