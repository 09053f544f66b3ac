"""Links and images in a letter: which ones would load something, and what the PDF shows.

A plain web address is text: the PDF prints it and nothing is fetched. A link
to a web page (``[help](https://…)``) prints as its text followed by the
address. Only references that would load something are refused: images
(inline and reference-style ``![x][ref]``), links to files or local paths, and
``data:``/``file:`` resources, also when the scheme or path is hidden behind
HTML entities or percent-encoding. The PDF never embeds them; the finding says
exactly what the PDF shows instead.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from urllib.parse import unquote

from appealdesk.checks.base import BLOCKING, Finding
from appealdesk.i18n import _

# Link targets that only point somewhere (printed as text, nothing loaded).
PRINTABLE_SCHEMES = ("http", "https", "mailto")
_INLINE = re.compile(r"(!?)\[([^\]\n]*)\]\(\s*<?([^)\s>]*)>?(?:\s+\"[^\"]*\")?\s*\)")
_AUTOLINK = re.compile(r"<([A-Za-z][A-Za-z0-9+.-]{1,31}:[^>\s]+)>")


def decoded(target: str) -> str:
    """The target as a browser would read it: entities and percent-escapes undone."""
    t = target.strip()
    for _round in range(3):  # nested encodings (&#x25;66ile:) unwrap in a few rounds
        nxt = unquote(html.unescape(t))
        if nxt == t:
            break
        t = nxt
    return re.sub(r"[\x00-\x20]+", "", t)


def scheme(target: str) -> str:
    m = re.match(r"^([A-Za-z][A-Za-z0-9+.-]*):", decoded(target))
    return m.group(1).lower() if m else ""


def unsafe_target(target: str) -> bool:
    """True for a target that would make the renderer read or fetch something.

    Web and mail addresses and jumps inside the letter are safe (they are printed);
    every other scheme, and any path, is not.
    """
    t = decoded(target)
    if not t or t.startswith("#"):
        return False
    s = scheme(t)
    if s:
        return s not in PRINTABLE_SCHEMES
    return True  # a path (relative or absolute): a file


@dataclass(frozen=True)
class Reference:
    line: int
    kind: str  # image | link
    target: str
    text: str


def references(text: str) -> list[Reference]:
    """Every image and link in the letter, as markdown-it sees them plus the ones it declines."""
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": False, "linkify": False})
    found: list[Reference] = []
    seen: set[tuple[int, str, str]] = set()

    def add(line: int, kind: str, target: str, label: str) -> None:
        key = (line, kind, decoded(target))
        if key not in seen:
            seen.add(key)
            found.append(Reference(line, kind, target, label))

    for block in md.parse(text):
        if not block.children:
            continue
        line = (block.map[0] + 1) if block.map else 1
        children = block.children
        for i, tok in enumerate(children):
            if tok.type == "softbreak" or tok.type == "hardbreak":
                line += 1
            elif tok.type == "image":
                add(line, "image", str(tok.attrGet("src") or ""), tok.content)
            elif tok.type == "link_open":
                label = children[i + 1].content if i + 1 < len(children) else ""
                add(line, "link", str(tok.attrGet("href") or ""), label)
    # markdown-it does not make links of targets it will not follow (file:, data:, …):
    # they stay as text, but a reader of the Markdown still sees a link, so name them.
    for n, raw in enumerate(text.splitlines(), 1):
        for m in _INLINE.finditer(raw):
            add(n, "image" if m.group(1) else "link", m.group(3), m.group(2))
        for m in _AUTOLINK.finditer(_INLINE.sub(" ", raw)):
            add(n, "link", m.group(1), m.group(1))
    return found


def shown_in_pdf(ref: Reference) -> str:
    """What the PDF prints in the reference's place."""
    if ref.kind == "image":
        return f"[{ref.text or ref.target}]"
    if unsafe_target(ref.target) or not ref.target or ref.target.startswith("#"):
        return ref.text
    return ref.text if ref.text == ref.target else f"{ref.text} ({ref.target})"


def link_findings(text: str) -> list[Finding]:
    out = []
    for ref in references(text):
        if ref.kind == "image":
            out.append(Finding("unsafe_link", BLOCKING, _(
                "line {n} shows the image {target}; a letter PDF embeds no images, so it will "
                "show only \"{shown}\" there. Attach the picture as evidence and name it in the "
                "text instead."
            ).format(n=ref.line, target=ref.target, shown=shown_in_pdf(ref)),
                f"letter:{ref.line}", {"target": ref.target, "kind": "image",
                                       "shown": shown_in_pdf(ref)}, "evidence.add"))
        elif unsafe_target(ref.target):
            out.append(Finding("unsafe_link", BLOCKING, _(
                "line {n} links to {target}, which would open a file or load a resource; the PDF "
                "will show only the words \"{shown}\" and no link. Attach the file as evidence "
                "and name it in the text instead."
            ).format(n=ref.line, target=ref.target, shown=shown_in_pdf(ref)),
                f"letter:{ref.line}", {"target": ref.target, "kind": "file",
                                       "shown": shown_in_pdf(ref)}, "evidence.add"))
    return out
