"""The letter as a PDF: Markdown → HTML (markdown-it, raw HTML off) → xhtml2pdf.

Safety: the renderer reads nothing outside the case folder and fetches nothing.
Links and images in the Markdown are checked before HTML is produced (an unsafe
one is dropped and reported as ``unsafe_link``), and xhtml2pdf's
``link_callback`` refuses every URI that is not a file inside the case folder,
so even a path that slipped through cannot be read.

Fonts: Latin text uses Helvetica; Chinese/Japanese/Korean runs are wrapped in
a span set in ``STSong-Light``, a CID font that ships inside reportlab (no font
file, no system package). Its glyphs come from the reader's CJK font set,
which every mainstream PDF viewer provides; the text stays extractable.
"""

from __future__ import annotations

import hashlib
import html
import io
import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from appealdesk.checks.base import BLOCKING, Finding
from appealdesk.i18n import _
from appealdesk.checks.letter_links import link_findings, unsafe_target
from appealdesk.cases.model import Case
from appealdesk.policy.rules import Policy

CJK_FONT = "STSong-Light"
_CJK_RUN = re.compile(
    r"[\u2e80-\u2fdf\u3000-\u303f\u3040-\u30ff\u3100-\u312f\u3400-\u4dbf\u4e00-\u9fff"
    r"\uac00-\ud7af\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]+"
)
_UNSAFE_NAME = re.compile(r"[^\w.-]+")


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
body { font-family: Helvetica; font-size: 10.5pt; line-height: 1.35; color: #111; }
.cjk { font-family: STSong-Light; }
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
    """The policy's ``files.letter_name`` filled in and made safe as a file name."""
    template = policy.files.letter_name or "{case_id}_letter_{date}.pdf"
    values = {
        "store": case.store or case.id,
        "notification_id": case.notification.external_id or case.id,
        "date": at.strftime("%Y-%m-%d"),
        "case_id": case.id,
        "marketplace": case.marketplace,
        "type": case.notification.type,
        "reason": case.notification.type,
    }
    try:
        name = template.format(**values)
    except (KeyError, IndexError, ValueError):
        name = "{case_id}_letter_{date}.pdf".format(**values)
    stem = name[:-4] if name.lower().endswith(".pdf") else name
    stem = _UNSAFE_NAME.sub("-", stem).strip(".-") or case.id
    return f"{stem[:150]}.pdf"


def _wrap_cjk(fragment: str) -> str:
    """Put CJK runs of text nodes into a span with the CJK font (tags untouched)."""
    def text_node(m: re.Match) -> str:
        return _CJK_RUN.sub(lambda r: f'<span class="cjk">{r.group(0)}</span>', m.group(0))
    return re.sub(r"(?<=>)[^<]+|^[^<]+", text_node, fragment)


def markdown_to_html(text: str, findings: list[Finding] | None = None) -> str:
    """Body HTML with raw HTML disabled; unsafe links/images are dropped and reported."""
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")
    tokens = md.parse(text)
    refused = findings if findings is not None else []

    def refuse(target: str, line: int | None) -> None:
        refused.append(Finding("unsafe_link", BLOCKING, _(
            "refused {target}: the letter may only show files inside the case folder; attach "
            "the file as evidence and refer to it by name"
        ).format(target=target), f"letter:{line + 1}" if line is not None else "letter"))

    for block in tokens:
        if not block.children:
            continue
        line = block.map[0] if block.map else None
        kept = []
        skip_close = 0
        for tok in block.children:
            if tok.type == "image":
                src = str(tok.attrGet("src") or "")
                # Images are never embedded: the letter's attachments are the evidence files.
                refuse(src, line) if unsafe_target(src) else None
                alt = tok.content or src
                tok.type, tok.tag, tok.children, tok.content = "text", "", None, f"[{alt}]"
                tok.attrs = {}
            elif tok.type == "link_open":
                href = str(tok.attrGet("href") or "")
                if unsafe_target(href) or href:
                    if unsafe_target(href):
                        refuse(href, line)
                    skip_close += 1
                    continue  # keep the link text, drop the link itself: nothing to follow
            elif tok.type == "link_close" and skip_close:
                skip_close -= 1
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
        labels, page, of = ("店铺", "平台", "通知编号", "日期"), "第", "页 / 共"
    else:  # plain English: this goes to the marketplace, not through the interface's catalog
        labels = ("Store", "Marketplace", "Notification", "Date")
        page, of = "Page", "of"
    values = (case.store or case.id, (policy.name_zh if policy.letter.language == "zh"
                                      else policy.name) if not site else site.name,
              case.notification.external_id or "—", at.strftime("%Y-%m-%d"))
    rows = list(zip(labels, values, strict=True))
    head = "".join(
        f'<tr><td class="label">{esc(k)}</td><td>{_wrap_cjk(esc(v))}</td></tr>' for k, v in rows
    )
    return (
        '<html><head><meta charset="utf-8"/><style>' + CSS + "</style></head><body>"
        f'<table class="letterhead">{head}</table>'
        f"{body}"
        f'<div id="page-footer">{esc(page)} <pdf:pagenumber/> {esc(of)} <pdf:pagecount/></div>'
        "</body></html>"
    )


def _register_fonts() -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    if CJK_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(CJK_FONT))


def _link_callback(case_dir: Path):
    """xhtml2pdf asks this for every URI; only files inside the case folder are allowed."""
    root = case_dir.resolve()

    def callback(uri: str, rel: str | None = None) -> str:
        if not uri or unsafe_target(uri):
            return ""
        candidate = (root / uri).resolve()
        if candidate.is_relative_to(root) and candidate.is_file():
            return str(candidate)
        return ""

    return callback


def html_to_pdf(document: str, case_dir: Path) -> bytes:
    import logging

    from xhtml2pdf import pisa

    logging.getLogger("xhtml2pdf").setLevel(logging.ERROR)
    _register_fonts()
    out = io.BytesIO()
    status = pisa.CreatePDF(document, dest=out, encoding="utf-8",
                            link_callback=_link_callback(case_dir))
    if status.err:
        raise RenderError(_("the PDF could not be produced ({n} errors)").format(n=status.err))
    return out.getvalue()


def render_letter(store: Any, case: Case, policy: Policy, *, at: datetime,
                  text: str | None = None, write: bool = True) -> RenderResult:
    """Render the case's letter into ``out/`` (through the Store) and check it."""
    text = case.letter.draft if text is None else text
    if not text.strip():
        raise RenderError(_("the letter of {case_id} is empty; draft it first").format(
            case_id=case.id))
    # The refusals are reported from the text (that also covers targets markdown-it itself
    # declines to link, such as file: URLs); the HTML step drops them either way.
    findings: list[Finding] = link_findings(text)
    document = letter_html(case, policy, text, at, [])
    data = html_to_pdf(document, store.case_dir(case.id))
    name = letter_file_name(policy, case, at)
    if policy.files.max_bytes and len(data) > policy.files.max_bytes:
        findings.append(Finding("letter_too_large", BLOCKING, _(
            "the PDF is {size} bytes; {market} accepts at most {limit} — shorten the letter"
        ).format(size=len(data), market=policy.name, limit=policy.files.max_bytes), f"out:{name}"))
    from pypdf import PdfReader

    pages = len(PdfReader(io.BytesIO(data)).pages)
    path = store.write_file(case.id, "out", name, data) if write else None
    return RenderResult(name, path, len(data), hashlib.sha256(data).hexdigest(), pages, findings)


def latest_rendered(store: Any, case_id: str) -> Path | None:
    """The newest PDF in the case's out/ folder."""
    pdfs = [p for p in store.list_files(case_id, "out") if p.suffix.lower() == ".pdf"]
    return max(pdfs, key=lambda p: p.stat().st_mtime_ns) if pdfs else None
