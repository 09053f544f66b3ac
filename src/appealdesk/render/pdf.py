"""The letter as a PDF: Markdown → HTML (markdown-it, raw HTML off) → xhtml2pdf.

Safety: the renderer reads nothing outside the case folder and fetches nothing.
A plain web address is printed as text, a link to a web page as its words and
its address; images and links to files are never followed (the PDF shows the
image's "[alt text]" or the link's words; ``unsafe_link`` says so), and
xhtml2pdf's ``link_callback`` refuses every URI but the letter's own font, so
even a path that slipped through cannot be read. HTML comments (the draft's
unchosen options) are left out.

Fonts (render/fonts.py): Latin text uses Helvetica; Chinese/Japanese/Korean
text an embedded subset of a TrueType CJK font. A Chinese letter is set in that
font throughout and breaks lines between any two characters, the way Chinese
is set; an English letter puts CJK runs (a store name) into spans of it.

A letter rendered while the case has blocking findings is a DRAFT
(render/draft_mark.py): watermark, ``DRAFT_`` file name, draft status.
"""

from __future__ import annotations

import hashlib
import html
import io
import re
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from appealdesk.cases.model import Case
from appealdesk.checks.base import BLOCKING, WARNING, Finding
from appealdesk.checks.letter_links import PRINTABLE_SCHEMES, link_findings, scheme, unsafe_target
from appealdesk.i18n import _
from appealdesk.policy.types import Policy
from appealdesk.render.draft_mark import draft_name, mark_draft
from appealdesk.render.fonts import (
    CJK_FAMILY,
    CJK_FONT_URI,
    cjk_font_chars,
    cjk_font_path,
    ensure_cjk_line_breaking,
    font_face_css,
)

_CJK_RUN = re.compile(
    r"[\u2e80-\u2fdf\u3000-\u303f\u3040-\u30ff\u3100-\u312f\u3400-\u4dbf\u4e00-\u9fff"
    r"\uac00-\ud7af\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]+"
)
DEFAULT_LETTER_NAME = "{case_id}_letter_{date}.pdf"


class RenderError(Exception):
    """The letter cannot be rendered; the message is one line for the user."""


@dataclass
class RenderResult:
    name: str
    path: Path | None
    size: int
    sha256: str
    pages: int
    findings: list[Finding] = field(default_factory=list)
    draft: bool = False  # rendered with blocking findings: watermarked, DRAFT_ name

    @property
    def ok(self) -> bool:
        return not any(f.severity == BLOCKING for f in self.findings)


CSS = """
@page {
  size: a4 portrait;
  margin: 2.2cm 2cm 2.2cm 2cm;
  @frame footer { -pdf-frame-content: page-footer; bottom: 1cm; margin-left: 2cm;
                  margin-right: 2cm; height: 0.8cm; }
}
body { font-family: Helvetica; font-size: 10.5pt; line-height: 1.35; color: #111;
       word-wrap: break-word; }
.cjk { font-family: CJKFAMILY; word-wrap: break-word; }
h1 { font-size: 16pt; margin: 0 0 6pt 0; }
h2 { font-size: 12.5pt; margin: 12pt 0 4pt 0; border-bottom: 0.5pt solid #888; }
h3 { font-size: 11pt; margin: 8pt 0 3pt 0; }
p { margin: 0 0 6pt 0; }
table { width: 100%; margin: 4pt 0 8pt 0; }
th { background-color: #e8e8e8; font-weight: bold; text-align: left; padding: 3pt;
     border: 0.5pt solid #999; }
td { padding: 3pt; border: 0.5pt solid #999; vertical-align: top; }
blockquote { margin-left: 12pt; color: #444; }
code { font-family: Courier; }
.letterhead { width: 100%; margin-bottom: 10pt; border-bottom: 1pt solid #333; }
.letterhead td { border: none; padding: 1pt 0; font-size: 9.5pt; }
.letterhead .label { color: #555; width: 28%; }
#page-footer { font-size: 8.5pt; color: #555; text-align: center; }
"""


def letter_file_name(policy: Policy, case: Case, at: datetime) -> str:
    """The policy's ``files.letter_name`` filled in and made safe as a file name (the same
    rules as every file name the program makes: ``evidence.names.make_name``)."""
    from appealdesk.evidence.names import make_name
    from appealdesk.policy.templates import placeholders

    template = policy.files.letter_name or DEFAULT_LETTER_NAME
    values = {
        "store": case.store or case.id,
        "notification_id": case.notification.external_id or case.id,
        "date": at.strftime("%Y-%m-%d"),
        "case_id": case.id,
        "marketplace": case.marketplace,
        "type": case.notification.type,
        "reason": case.notification.type,
    }
    if any(name not in values for name in placeholders(template)):
        template = DEFAULT_LETTER_NAME  # a field we cannot fill: never a name with a hole
    return make_name(template, values, ".pdf")


# A Chinese letter: the CJK font throughout (it has Latin glyphs too) and line breaks
# between any two characters, so a long Chinese sentence stays inside the margins.
CSS_ZH = """
body { font-family: CJKFAMILY; word-break: break-all; }
code { font-family: CJKFAMILY; }
"""


def stylesheet(language: str) -> str:
    css = CSS + (CSS_ZH if language == "zh" else "")
    return font_face_css() + css.replace("CJKFAMILY", f'"{CJK_FAMILY}"')


def _in_helvetica(ch: str) -> bool:
    """Helvetica, a PDF base font, is set in WinAnsi (cp1252): Ł, ř, İ, ₹ are not in it."""
    try:
        ch.encode("cp1252")
        return True
    except UnicodeEncodeError:
        return False


def _other_script(text: str) -> bool:
    return any(ord(ch) > 0xFF and not _in_helvetica(ch) for ch in text)


def _wrap_cjk(fragment: str) -> str:
    """Put CJK runs of text nodes into a span with the CJK font (tags untouched), and any
    other character Helvetica lacks but the CJK font has ("Łódź", "Dvořák", "İstanbul")."""
    def span(run: str) -> str:
        return f'<span class="cjk">{run}</span>'

    def text_node(m: re.Match) -> str:
        text = m.group(0)
        if not _other_script(text):
            return text
        has = cjk_font_chars()
        out, run = [], []
        for ch in text:
            if not _in_helvetica(ch) and ord(ch) in has:
                run.append(ch)
                continue
            if run:
                out.append(span("".join(run)))
                run = []
            out.append(ch)
        if run:
            out.append(span("".join(run)))
        return "".join(out)
    return re.sub(r"(?<=>)[^<]+|^[^<]+", text_node, fragment)


def unprintable(text: str) -> list[str]:
    """The characters of ``text`` that no font of the letter has (emoji, ₹): each once."""
    has = cjk_font_chars()
    return list(dict.fromkeys(
        ch for ch in text if ord(ch) > 0xFF and not _in_helvetica(ch) and ord(ch) not in has
        and not ch.isspace() and ch not in "\ufe0f\u200d"))


def _printable(text: str) -> str:
    missing = set(unprintable(text)) | {"\ufe0f", "\u200d"}  # emoji variation, joiner
    return "".join(ch for ch in text if ch not in missing) if _other_script(text) else text


_GLYPH_BULLET = re.compile(r"^([ \t]{0,3})[•●▪◦·‣⁃∙][ \t\u3000]*(?=\S)", re.M)
_LIST_OR_BREAK = re.compile(r"^\s{0,3}(?:[-*+]|\d{1,2}[.)])\s")
_SIGNATURE_WORDS = 6  # a name, a title or a store, not a sentence
_SALUTATION = re.compile(r"\s*(?:dear|hello|hi|to|尊敬的|您好|你好)", re.I)


def pasted_lines(text: str) -> str:
    """A letter pasted from a word processor or a published example keeps its lines: a
    "•" line is a list item, and a label line ("What went wrong:") is not run into the
    line under it, nor a greeting or closing ("Kind regards,") into the name under it
    (CommonMark would join them into one paragraph)."""
    text = _GLYPH_BULLET.sub(r"\1- ", text)
    lines = text.split("\n")
    fence = signature = False
    for i, line in enumerate(lines[:-1]):
        if line.lstrip().startswith(("```", "~~~")):
            fence = not fence
        nxt = lines[i + 1]
        if fence or not nxt.strip() or _LIST_OR_BREAK.match(nxt) or line.lstrip()[:1] in "|#>":
            signature = False
            continue
        if signature and len(line.split()) <= _SIGNATURE_WORDS:
            lines[i] = line.rstrip() + "\\"  # the name, title, store under "Sincerely,"
            continue
        if _LIST_OR_BREAK.match(line) and nxt[:1].strip() and nxt.rstrip().endswith((":", "：")):
            lines[i] = line + "\n"  # a "Label:" under a list item ends the list
            continue
        label = line.rstrip().endswith((":", "："))
        # "Dear Seller Performance team," / "Kind regards," over a name: a short line
        greeting = line.rstrip().endswith((",", "，")) and len(line.split()) <= 5
        if (label or greeting) and not line.endswith(("\\", "  ")):
            lines[i] = line.rstrip() + "\\"  # a hard line break
        # a closing ("Sincerely,") starts the signature: its short lines stay lines
        signature = (greeting and not _SALUTATION.match(line)
                     and len(nxt.split()) <= _SIGNATURE_WORDS)
    return "\n".join(lines)


def markdown_to_html(text: str, findings: list[Finding] | None = None) -> str:
    """Body HTML with raw HTML off: nothing is loaded, links print as words and address.

    Images become "[alt]"; a link to a web or mail address becomes "words (address)"
    (nothing to follow in a printed page); a link to anything else keeps its words
    only. ``findings`` receives nothing here: ``link_findings`` reports from the text.
    """
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

    text = re.sub(r"<!--.*?-->[ \t]*\n?", "", text, flags=re.S)  # unchosen options, notes
    text = pasted_lines(text)
    md = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")
    tokens = md.parse(text)
    for block in tokens:
        if not block.children:
            continue
        kept: list[Token] = []
        open_links: list[str] = []
        for tok in block.children:
            if tok.type == "image":
                alt = tok.content or str(tok.attrGet("src") or "")
                tok.type, tok.tag, tok.children, tok.content = "text", "", None, f"[{alt}]"
                tok.attrs = {}
            elif tok.type == "link_open":
                open_links.append(str(tok.attrGet("href") or ""))
                continue  # keep the words, drop the link itself: nothing to follow
            elif tok.type == "link_close" and open_links:
                href = open_links.pop()
                words = kept[-1].content if kept and kept[-1].type == "text" else ""
                if not unsafe_target(href) and scheme(href) in PRINTABLE_SCHEMES \
                        and href != words and f"mailto:{words}" != href:
                    tok.type, tok.tag, tok.nesting, tok.content = "text", "", 0, f" ({href})"
                    tok.attrs = {}
                else:
                    continue
            kept.append(tok)
        block.children = kept
    return _wrap_cjk(md.renderer.render(tokens, md.options, {}))


def letter_html(case: Case, policy: Policy, text: str, at: datetime,
                findings: list[Finding] | None = None) -> str:
    body = markdown_to_html(text, findings)
    esc = html.escape
    site = policy.site(case.site) if case.site else None
    # The letterhead speaks the letter's language, whatever the interface language is.
    if policy.letter.language == "zh":
        labels, page, of, end = ("店铺", "平台", "通知编号", "日期"), "第", "页 / 共", " 页"
    else:  # plain English: this goes to the marketplace, not through the interface's catalog
        labels = ("Store", "Marketplace", "Notification", "Date")
        page, of, end = "Page", "of", ""
    values = (case.store or case.id, (policy.name_zh if policy.letter.language == "zh"
                                      else policy.name) if not site else site.name,
              case.notification.external_id or "—", at.strftime("%Y-%m-%d"))
    rows = list(zip(labels, values, strict=True))
    head = "".join(
        f'<tr><td class="label">{_wrap_cjk(esc(k))}</td><td>{_wrap_cjk(esc(v))}</td></tr>'
        for k, v in rows
    )
    return (
        '<html><head><meta charset="utf-8"/><style>' + stylesheet(policy.letter.language)
        + "</style></head><body>"
        f'<table class="letterhead">{head}</table>'
        f"{body}"
        f'<div id="page-footer">{_wrap_cjk(esc(page))} <pdf:pagenumber/> {_wrap_cjk(esc(of))} '
        f"<pdf:pagecount/>{_wrap_cjk(esc(end))}</div>"
        "</body></html>"
    )


def _link_callback(case_dir: Path):
    """xhtml2pdf asks this for every URI: only the letter's own font is given out.

    The letter embeds no images and follows no links (markdown_to_html makes text of
    them), so no URI of the letter needs reading; a path that slipped through is refused.
    """
    def callback(uri: str, rel: str | None = None) -> str:
        if uri == CJK_FONT_URI:
            return str(cjk_font_path())
        return ""

    return callback


def _read_only_the_font() -> dict[str, Any]:
    """xhtml2pdf's resource policy: nothing from the network, local reads only in the
    font's folder. Without it xhtml2pdf (0.2.28+) confines local reads to the working
    directory, so the font in site-packages was refused — and every Chinese character
    printed as ■ — whenever the program ran from a folder other than the one holding
    the virtual environment (an operator's home folder, a cron job)."""
    try:
        from xhtml2pdf.config.resources import ResourceAccessPolicy
    except ImportError:  # an older xhtml2pdf reads any local path the callback gives
        return {}
    return {"resource_policy": ResourceAccessPolicy(
        allow_remote=False, base_dir=cjk_font_path().parent)}


def html_to_pdf(document: str, case_dir: Path) -> bytes:
    import logging

    from xhtml2pdf import pisa

    logging.getLogger("xhtml2pdf").setLevel(logging.ERROR)
    ensure_cjk_line_breaking()
    out = io.BytesIO()
    status = pisa.CreatePDF(document, dest=out, encoding="utf-8",
                            link_callback=_link_callback(case_dir), **_read_only_the_font())
    if status.err:
        raise RenderError(_("the PDF could not be produced ({n} errors)").format(n=status.err))
    return out.getvalue()


def render_letter(store: Any, case: Case, policy: Policy, *, at: datetime,
                  text: str | None = None, write: bool = True,
                  blocking: list[Finding] | None = None) -> RenderResult:
    """Render the case's letter into ``out/`` (through the Store) and check it.

    ``blocking``: the case's blocking findings (of every area) the caller chose to
    render despite (``--force``, or a confirmation in the app); the PDF is then a
    DRAFT — watermarked, named ``DRAFT_…`` and refused by ``submit``.
    """
    text = case.letter.draft if text is None else text
    if not text.strip():
        raise RenderError(_("the letter of {case_id} is empty; draft it first").format(
            case_id=case.id))
    # What the PDF leaves out is reported from the text (that also covers targets
    # markdown-it itself declines to link, such as file: URLs).
    findings: list[Finding] = link_findings(text)
    left_out = unprintable(text + "\n" + (case.store or ""))
    if left_out:
        chars = " ".join(left_out)
        findings.append(Finding("unprintable_text", WARNING, _(
            "the PDF leaves out {chars}: no font of the letter has them; write them out in "
            "words (for example INR for ₹)").format(chars=chars), "letter",
            {"characters": left_out}, "letter.edit"))
        text = _printable(text)
        case = replace(case, store=_printable(case.store or ""))
    document = letter_html(case, policy, text, at, [])
    data = html_to_pdf(document, store.case_dir(case.id))
    name = letter_file_name(policy, case, at)
    draft = bool(blocking)
    if blocking:
        zh = policy.letter.language == "zh"
        data = mark_draft(data, label="草稿 DRAFT" if zh else "DRAFT", note=(
            f"草稿：仍有 {len(blocking)} 个阻止提交的问题，请勿提交" if zh else
            f"DRAFT: {len(blocking)} blocking findings remain; do not submit this PDF"))
        name = draft_name(name)
    if policy.files.max_bytes and len(data) > policy.files.max_bytes:
        findings.append(Finding("letter_too_large", BLOCKING, _(
            "the PDF is {size} bytes; {market} accepts at most {limit} — shorten the letter"
        ).format(size=len(data), market=policy.name, limit=policy.files.max_bytes), f"out:{name}",
            {"bytes": len(data), "limit": policy.files.max_bytes}, "letter.edit"))
    from pypdf import PdfReader

    pages = len(PdfReader(io.BytesIO(data)).pages)
    path = store.write_file(case.id, "out", name, data) if write else None
    return RenderResult(name, path, len(data), hashlib.sha256(data).hexdigest(), pages, findings,
                        draft)
