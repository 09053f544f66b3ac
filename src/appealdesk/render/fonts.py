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

# The file itself: ``appealdesk.font_file`` (the evidence bundle sets its titles in it too).
from appealdesk.font_file import (  # noqa: F401 — re-exported
    FONT_FILE,
    FONT_PACKAGE,
    FontMissing,
    cjk_font_chars,
    cjk_font_path,
)

CJK_FAMILY = "appealdesk-cjk"
# The URI the stylesheet names the font by; the renderer's link callback maps it to
# the file and to nothing else (it refuses every other URI outside the case folder).
CJK_FONT_URI = "appealdesk-font:cjk.ttc"

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
