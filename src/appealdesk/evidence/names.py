"""Evidence file names: the policy's naming templates filled with path-safe values,
and what a file's name or text says about its orders and date."""

from __future__ import annotations

import re
import string
import unicodedata
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from appealdesk.cases.model import Case
from appealdesk.evidence.errors import EvidenceError
from appealdesk.i18n import _
from appealdesk.policy.templates import fill
from appealdesk.policy.types import Policy

MAX_NAME_BYTES = 180  # well under the 255-byte limit of common file systems
MAX_FIELD_CHARS = 40
MAX_ORDERS_PER_FILE = 1000  # a dispatch log may list many; keep case.toml readable
NAME_FIELDS = (
    "case_id", "store", "notification_id", "requirement", "reason", "evidence_type", "date", "n",
)


# ---------------------------------------------------------------------------
# Names
# ---------------------------------------------------------------------------


def safe_part(text: str, limit: int = MAX_FIELD_CHARS) -> str:
    """A piece of a file name: letters and digits of any script stay readable
    (a Chinese store name remains Chinese); anything else becomes '-'."""
    part = _safe_chars(text)
    part = re.sub(r"\.{2,}", ".", part).strip("-_.")
    return part[:limit].strip("-_.")


def _safe_chars(text: str) -> str:
    """Map every character that is not a letter, digit, '-', '_' or '.' to '-'."""
    text = unicodedata.normalize("NFC", str(text))
    out = []
    for ch in text:
        if ch.isalnum() or ch in "-_.":
            out.append(ch)
        else:  # spaces, slashes, control characters, punctuation, emoji
            out.append("-")
    return re.sub(r"-{2,}", "-", "".join(out))


def _truncate_bytes(text: str, limit: int) -> str:
    encoded = text.encode("utf-8")[:limit]
    return encoded.decode("utf-8", errors="ignore").rstrip("-_.")


_KNOWN_EXT = re.compile(r"\.(pdf|png|jpe?g|gif|webp|tiff?|zip)$", re.IGNORECASE)


def fill_template(template: str, values: dict[str, Any]) -> str:
    """Fill ``{field}`` placeholders (the policy's one filler); a field without a value
    is kept as its bare name, and a malformed brace is plain text that ``safe_part``
    later turns into '-'."""
    return fill(template, values, missing=lambda name: name)


def make_name(
    template: str, values: dict[str, Any], extension: str, taken: Iterable[str] = ()
) -> str:
    """A file name from the template, safe as one path component, unique among ``taken``.

    ``{n}`` counts up until the name is free; without ``{n}`` a ``-2``, ``-3`` ...
    suffix is added. The extension always comes from the detected content.
    """
    taken_lower = {t.lower() for t in taken}
    uses_n = "{n}" in template
    clean = {k: safe_part(str(v)) for k, v in values.items() if k != "n"}
    for n in range(1, 10_000):
        raw = fill_template(template, {**clean, "n": n})
        raw = _KNOWN_EXT.sub("", raw)
        stem = safe_part(raw, MAX_NAME_BYTES) or "evidence"
        if not uses_n and n > 1:
            stem = f"{stem}-{n}"
        stem = _truncate_bytes(stem, MAX_NAME_BYTES - 8) or "evidence"
        name = stem + extension
        if name.lower() not in taken_lower:
            return name
    raise EvidenceError(_("could not find a free file name for {template}").format(
        template=template))


def name_values(
    case: Case, policy: Policy | None, requirement: str | None, on: date,
) -> dict[str, Any]:
    req = policy.requirement(requirement) if policy and requirement else None
    ntype = policy.notification_type(case.notification.type) if policy else None
    return {
        "case_id": case.id,
        "store": case.store or "store",
        "notification_id": case.notification.external_id or case.id,
        "requirement": requirement or "evidence",
        "reason": ntype.name if ntype else case.notification.type,
        "evidence_type": req.kind if req else "evidence",
        "date": on.isoformat(),
    }


def template_pattern(template: str) -> re.Pattern[str] | None:
    """A regex that names made from ``template`` match (fields become wildcards)."""
    if not template:
        return None
    try:
        parsed = list(string.Formatter().parse(_KNOWN_EXT.sub("", template)))
    except ValueError:
        return None
    parts = []
    for literal, name, _spec, _conv in parsed:
        parts.append(re.escape(_safe_chars(literal)))
        if name is not None:
            parts.append(".+?")
    return re.compile("^" + "".join(parts) + r"(-\d+)?(\.[A-Za-z0-9]+)?$")


# ---------------------------------------------------------------------------
# Which orders and which date a file names
# ---------------------------------------------------------------------------


def find_order_ids(text: str, patterns: Sequence[str]) -> list[str]:
    """Order ids in ``text`` (first group if the pattern has one), in order, unique."""
    found: list[str] = []
    # '_' is a word character, so '\b' would not see an id in "tracking_114-...".
    text = text.replace("_", " ")
    from appealdesk.policy.user_regex import PatternError, compile_user, finditer

    for pattern in patterns:
        try:  # a policy's pattern: every search has a time limit
            regex = compile_user(pattern, probe=False)
        except PatternError:
            continue
        for match in finditer(regex, text):
            value = match.group(1) if regex.groups else match.group(0)
            if value and value not in found:
                found.append(value)
                if len(found) >= MAX_ORDERS_PER_FILE:
                    return found
    return found


_DATE_PATTERNS = (
    re.compile(r"(?<!\d)(20\d{2})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)"),
    re.compile(r"(20\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日"),
)


def find_document_date(text: str) -> date | None:
    """The first plausible calendar date written in the document (the operator confirms)."""
    best: tuple[int, date] | None = None
    for regex in _DATE_PATTERNS:
        for match in regex.finditer(text[:20_000]):
            try:
                found = date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
            except ValueError:
                continue
            if best is None or match.start() < best[0]:
                best = (match.start(), found)
            break
    return best[1] if best else None
